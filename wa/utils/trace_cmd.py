"""Reading ``trace-cmd report`` text, where each event is one line (trace-cmd-report(1))::

    <comm>-<pid> [<cpu>] [<flags>] <seconds>.<fraction>: <event>: <field>=<value> ...

``parse_event_line`` is the one parser of such a line; ``TraceCmdParser`` and
``TraceCmdEvent`` are WA3's ``wa.utils.trace_cmd`` names built on it.
"""
import re

EVENT_LINE = re.compile(r'^\s*(?P<comm>.*?)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+(?:\S+\s+)?'
                        r'(?P<ts>\d+\.\d+):\s+(?P<event>[\w:]+):\s*(?P<body>.*)$')
_FIELD = re.compile(r'(\w+)=(\S+)')
# The texts of the ``print`` events devlib writes into the trace when a job starts and stops.
MARKER_START = 'TRACE_MARKER_START'
MARKER_STOP = 'TRACE_MARKER_STOP'


class TraceCmdEvent:
    """One event line: ``thread`` (``comm-pid``), ``cpu`` (int), ``timestamp`` (seconds, a
    float), ``name`` (the event, such as ``sched_switch``) and ``text`` (what follows it);
    ``fields`` is its ``name=value`` pairs as a dict of strings."""

    def __init__(self, thread, cpu, timestamp, name, text):
        self.thread, self.cpu, self.timestamp = thread, cpu, timestamp
        self.name, self.text = name, text

    @property
    def fields(self):
        return dict(_FIELD.findall(self.text))


def parse_event_line(line):
    """The TraceCmdEvent of one line of a report, or None for a line that is no event (the
    header, ``cpus=``, a blank line)."""
    match = EVENT_LINE.match(line)
    if not match:
        return None
    return TraceCmdEvent('{}-{}'.format(match.group('comm'), match.group('pid')),
                         int(match.group('cpu')), float(match.group('ts')),
                         match.group('event'), match.group('body'))


class TraceCmdParser:
    """Yields TraceCmdEvent for each event line of a report; with ``filter_markers`` only the
    lines between WA's start and stop markers."""

    def __init__(self, filter_markers=True, check_for_markers=True, events=None):
        self.filter_markers = filter_markers
        self.check_for_markers = check_for_markers
        self.events = events

    def parse(self, filepath):
        inside = not self.filter_markers
        with open(filepath, errors='replace') as fh:
            for line in fh:
                if MARKER_START in line:
                    inside = True
                elif MARKER_STOP in line:
                    inside = False
                event = parse_event_line(line) if inside else None
                if event is None or (self.events and event.name not in self.events):
                    continue
                yield event

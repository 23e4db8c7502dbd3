"""WA3's ``wa.utils.trace_cmd``: parsing of ``trace-cmd report`` text."""
import re

_EVENT = re.compile(r'^\s*(?P<thread>.+?)\s+\[(?P<cpu>\d+)\]\s+(?:\S+\s+)?(?P<ts>\d+\.\d+):\s+'
                    r'(?P<name>[\w:]+):\s*(?P<body>.*)$')


class TraceCmdEvent:
    """One event line: ``thread``, ``cpu``, ``timestamp``, ``name`` and ``text``."""

    def __init__(self, thread, cpu, timestamp, name, text):
        self.thread, self.cpu, self.timestamp = thread, cpu, timestamp
        self.name, self.text = name, text
        self.fields = dict(re.findall(r'(\w+)=(\S+)', text))


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
                if 'TRACE_MARKER_START' in line:
                    inside = True
                elif 'TRACE_MARKER_STOP' in line:
                    inside = False
                match = _EVENT.match(line)
                if not (inside and match):
                    continue
                if self.events and match.group('name') not in self.events:
                    continue
                yield TraceCmdEvent(match.group('thread'), int(match.group('cpu')),
                                    float(match.group('ts')), match.group('name'),
                                    match.group('body'))

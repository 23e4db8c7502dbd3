"""The ``dmesg`` instrument: the kernel log written during each job."""
import os
import re
import shlex
import uuid

from wa import Instrument, Parameter, NotSupportedError, InstrumentError
from wa.utils.tools import require_tool

LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug']
_RAW_LINE = re.compile(r'^<(\d+)>(.*)$')


def parse_raw_dmesg(text):
    """``[(level number, message line)]`` from ``dmesg -r`` output (``<prio>[time] text``).

    The priority's low three bits are the level (0 emerg ... 7 debug); the rest is the
    facility. A line without a ``<prio>`` prefix continues the previous message and gets its
    level.
    """
    records = []
    level = 6
    for line in text.splitlines():
        match = _RAW_LINE.match(line)
        if match:
            level = int(match.group(1)) & 7
            records.append((level, match.group(2)))
        elif line.strip():
            records.append((level, line))
    return records


def between_markers(records, start_marker, end_marker=None):
    """The records after the one containing ``start_marker`` and before the one containing
    ``end_marker``; ``found`` tells whether the start marker was still in the log (when it was
    not, every record up to the end marker is returned)."""
    start = None
    for index, (_, text) in enumerate(records):
        if start_marker in text:
            start = index
    found = start is not None
    selected = records[start + 1:] if found else list(records)
    if end_marker is not None:
        for index, (_, text) in enumerate(selected):
            if end_marker in text:
                selected = selected[:index]
                break
    return selected, found


def after_last_line(records, last_line):
    """The records after the last occurrence of ``last_line``, and whether it was found."""
    if last_line is None:
        return list(records), True
    for index in range(len(records) - 1, -1, -1):
        if records[index][1] == last_line:
            return records[index + 1:], True
    return list(records), False


class Dmesg(Instrument):

    name = 'dmesg'
    description = """Saves the kernel log (dmesg) written during each job as an artifact.

    Before the workload's setup, the instrument marks the kernel log (a line written to
    /dev/kmsg, which needs root) or, with ``clear``, clears it (``dmesg -C``, also root). After
    the workload's result update it writes an end mark and saves the messages in between to
    ``dmesg.log`` in the job directory (artifact ``dmesg``, also ``dmesg_after`` as WA3 names
    it). On an unrooted target it remembers the last line of the log instead, and saves what
    follows it. ``loglevel`` keeps only
    messages of that level or more severe.

    Needs ``dmesg`` on the target and permission to read the kernel log (root, or
    kernel.dmesg_restrict = 0); this is checked once at the start of the run.
    """
    parameters = [
        Parameter('loglevel', kind=str, default=None, allowed_values=LEVELS,
                  description='Keep only messages of this level or more severe.'),
        Parameter('clear', kind=bool, default=False,
                  description='Clear the kernel log before each job (root) instead of writing '
                              'a mark into it; the rest of the system loses those messages.'),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_write = False
        self.start_marker = None
        self.last_line = None
        self.cleared = False

    def _read(self):
        return parse_raw_dmesg(self.target.execute('dmesg -r', as_root=self.target.is_rooted))

    def initialize(self, context):
        require_tool(self.target, 'dmesg', 'util-linux')
        try:
            self._read()
        except Exception as error:  # pylint: disable=broad-except
            raise NotSupportedError('cannot read the kernel log on the target (dmesg -r failed: '
                                    '{}); it needs root when kernel.dmesg_restrict is 1'.format(
                                        str(error).strip().splitlines()[-1:] or error))
        self.can_write = bool(self.target.is_rooted)
        if self.clear and not self.can_write:
            raise NotSupportedError('dmesg: clear is set but clearing the kernel log needs root '
                                    'and the target is not rooted')

    def _mark(self, text):
        self.target.execute('echo {} > /dev/kmsg'.format(shlex.quote(text)), as_root=True)

    def before_workload_setup(self, context):
        self.start_marker = self.last_line = None
        self.cleared = False
        if self.clear:
            self.target.execute('dmesg -C', as_root=True)
            self.cleared = True
        elif self.can_write:
            self.start_marker = 'wa: {} start {}'.format(_job_name(context), uuid.uuid4().hex[:8])
            self._mark(self.start_marker)
        else:
            records = self._read()
            self.last_line = records[-1][1] if records else None

    def update_result(self, context):
        if self.start_marker is None and self.last_line is None and not self.cleared:
            raise InstrumentError('dmesg: the kernel log was not marked before this job')
        end_marker = None
        if self.can_write and not self.cleared:
            end_marker = self.start_marker.replace(' start ', ' end ')
            self._mark(end_marker)
        records = self._read()
        if self.cleared:
            selected, found = records, True
        elif self.start_marker is not None:
            selected, found = between_markers(records, self.start_marker, end_marker)
        else:
            selected, found = after_last_line(records, self.last_line)
        if not found:
            self.logger.warning('dmesg: the kernel log wrapped during the job; the saved log '
                                'starts with the oldest message still in it')
        if self.loglevel:
            limit = LEVELS.index(self.loglevel)
            selected = [(level, text) for level, text in selected if level <= limit]
        path = os.path.join(context.output_directory, 'dmesg.log')
        with open(path, 'w') as fh:
            for level, text in selected:
                fh.write('<{}>{}\n'.format(LEVELS[level], text))
        context.add_artifact('dmesg', path, 'log',
                             description='kernel messages written during the job')
        # WA3's name for the log after the job, which holds just the job's part when rooted.
        context.add_artifact('dmesg_after', path, 'data',
                             description='kernel messages written during the job')


def _job_name(context):
    job = getattr(context, 'job_id', None) or getattr(getattr(context, 'spec', None), 'id', 'job')
    return '{}-{}'.format(job, getattr(context, 'current_iteration', ''))

"""The ``perf`` instrument: ``perf stat`` counters around the workload's run."""
import os
import shlex

from wa import (Instrument, Parameter, ConfigError, InstrumentError, NotSupportedError,
                types)
from wa.instruments._sampler import TargetProcess
from wa.instruments._target import require_binary, to_number

DEFAULT_EVENTS = ['task-clock', 'context-switches', 'cpu-migrations', 'page-faults']
PERF_PACKAGE = 'linux-perf'
_NOT_COUNTED = ('<not counted>', '<not supported>')


def parse_perf_stat(text):
    """Counts from ``perf stat -x,`` output, as a list of dicts with ``event``, ``value`` (None
    where perf printed ``<not counted>`` or ``<not supported>``), ``units`` (perf's unit, such as
    ``msec``, or ``''`` for a plain count), ``cpu`` (``cpu0``... with ``-A``, else ``total``) and
    ``status`` (``ok``, ``not counted`` or ``not supported``).

    Each line is ``[CPUn,]value,unit,event,run time,percentage,metric value,metric unit``;
    comment lines (``#``) and blank lines are skipped.
    """
    counts = []
    for line in text.splitlines():
        if not line.strip() or line.startswith('#'):
            continue
        fields = line.split(',')
        cpu = 'total'
        if fields[0].startswith('CPU') and fields[0][3:].isdigit():
            cpu = 'cpu' + fields[0][3:]
            fields = fields[1:]
        if len(fields) < 3:
            continue
        raw, units, event = fields[0].strip(), fields[1].strip(), fields[2].strip()
        if raw in _NOT_COUNTED:
            value, status = None, raw.strip('<>')
        else:
            value = to_number(raw)
            if value is None:
                continue
            status = 'ok'
        counts.append({'event': event, 'value': value, 'units': units, 'cpu': cpu,
                       'status': status})
    return counts


def explain_failure(output):
    """A one-line reason from perf's error output (permission, unknown event, ...)."""
    lowered = output.lower()
    if 'perf_event_paranoid' in lowered or 'access to performance monitoring' in lowered or \
            'permission' in lowered or 'not permitted' in lowered:
        return ('perf is not permitted to count these events on the target (see '
                '/proc/sys/kernel/perf_event_paranoid; system-wide counting needs root, '
                'CAP_PERFMON or perf_event_paranoid <= 0)')
    if 'event syntax error' in lowered or 'unknown event' in lowered:
        first = [line.strip() for line in output.splitlines() if line.strip()][:1]
        return 'perf does not know one of the events: ' + ' '.join(first)
    if 'not found for kernel' in lowered or 'no such file' in lowered:
        return 'perf does not run on the target: ' + ' '.join(output.split())[:300]
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return 'perf stat failed on the target: ' + (' '.join(lines)[:300] or 'no output')


class Perf(Instrument):

    name = 'perf'
    description = """Counts perf events (``perf stat``) while the workload runs, as metrics.

    ``perf stat`` is started on the target in ``slow_start`` (counting system-wide with the
    default ``optionstring`` ``-a``) and stopped with SIGINT in ``slow_stop``. Each event gives
    a metric named after it (``context-switches``, ``task-clock``, ...) with perf's unit
    (``msec`` for task-clock, ``count`` for a plain count) and a ``cpu`` classifier: ``total``,
    or ``cpu0``, ``cpu1``... with ``per_cpu``. perf's own output is kept as the ``perf_stat``
    artifact.

    Needs perf on the target (Debian package ``linux-perf``) and permission to count
    system-wide (root, CAP_PERFMON, or /proc/sys/kernel/perf_event_paranoid <= 0). This is
    checked once at the start of the run with a short ``perf stat``; events the target cannot
    count (for example hardware counters in a VM) are named in a warning and left out.
    """
    parameters = [
        Parameter('events', kind=types.list_of_str, default=DEFAULT_EVENTS,
                  description='perf events to count (see ``perf list``); the default works '
                              'without hardware counters.'),
        Parameter('optionstring', kind=str, default='-a',
                  description='Extra options for ``perf stat``; it must count something '
                              'without a command (``-a``, ``-C <cpus>``, ``-p <pid>``).'),
        Parameter('per_cpu', kind=bool, default=False,
                  description='Report each CPU separately (``perf stat -A``; needs -a or -C).'),
        Parameter('binary', kind=str, default='perf',
                  description='The perf binary on the target.'),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = None
        self.output_text = None
        self.events_used = []

    def validate(self):
        if not self.events:
            raise ConfigError('perf: no events to count')
        for event in self.events:
            if not event or any(c.isspace() for c in event):
                raise ConfigError('perf: bad event name "{}"'.format(event))

    def _stat_command(self, events, output=None):
        parts = [shlex.quote(self.binary), 'stat', '-x,']
        for event in events:
            parts += ['-e', shlex.quote(event)]
        if self.per_cpu:
            parts.append('-A')
        parts += [shlex.quote(option) for option in shlex.split(self.optionstring)]
        if output:
            parts += ['-o', shlex.quote(output)]
        return ' '.join(parts)

    def initialize(self, context):
        require_binary(self.target, self.binary, PERF_PACKAGE)
        probe = '{} -- sleep 0.01 2>&1; echo "exit=$?"'.format(self._stat_command(self.events))
        output = self.target.execute(probe, as_root=self.target.is_rooted,
                                     check_exit_code=False)
        status = output.rstrip().rsplit('exit=', 1)[-1].strip()
        counts = parse_perf_stat(output)
        if status != '0' or not counts:
            raise NotSupportedError(explain_failure(output.rsplit('exit=', 1)[0]))
        unsupported = sorted({c['event'] for c in counts if c['status'] == 'not supported'})
        self.events_used = [e for e in self.events if e not in unsupported]
        if unsupported:
            self.logger.warning('perf: the target cannot count %s; they are left out',
                                ', '.join(unsupported))
        if not self.events_used:
            raise NotSupportedError('perf: the target cannot count any of the events ({})'.format(
                ', '.join(self.events)))

    def slow_start(self, context):
        self.output_text = None
        process = TargetProcess(self.target, 'perf', as_root=self.target.is_rooted)
        process.new_files()
        script = 'exec {} 2> {}'.format(self._stat_command(self.events_used, process.path('out')),
                                        shlex.quote(process.path('err')))
        # Ready once perf has opened its counters, so that the whole run is counted.
        ready = 'ls -l /proc/$pid/fd 2>/dev/null | grep -q perf_event'
        self.process = process
        if process.start(script, ready=ready) != 'ready':
            self.process = None
            error = process.read('err')
            process.stop()
            raise InstrumentError(explain_failure(error) if error.strip() else
                                  'perf stat did not start counting on the target')

    def slow_stop(self, context):
        if self.process is not None:
            self.output_text = self.process.stop(signal='INT')
            self.process = None

    def teardown(self, context):
        self.slow_stop(context)

    def update_result(self, context):
        if self.output_text is None:
            return
        path = os.path.join(context.output_directory, 'perf_stat.csv')
        with open(path, 'w') as fh:
            fh.write(self.output_text)
        context.add_artifact('perf_stat', path, 'raw', description='perf stat -x, output')
        counts = parse_perf_stat(self.output_text)
        if not counts:
            raise InstrumentError('perf stat wrote no counts (see {})'.format(path))
        for count in counts:
            if count['value'] is None:
                continue
            context.add_metric(count['event'], count['value'], count['units'] or 'count',
                               classifiers={'cpu': count['cpu']})

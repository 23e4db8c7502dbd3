"""The ``perf`` instrument: ``perf stat`` counters or ``perf record`` profiles of each job."""
import os
import re
import shlex

from wa import (Instrument, Parameter, ConfigError, InstrumentError, NotSupportedError,
                types)
from wa.instruments._perf_session import PerfSession, perf_command
from wa.utils.numbers import to_number
from wa.utils.tools import require_tool

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
            value = to_number(raw, None)
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
    return 'perf failed on the target: ' + (' '.join(lines)[:300] or 'no output')


def optionstrings(value):
    """One perf option string per session: a string is one session, a list one per item."""
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return [str(value)]


class Perf(Instrument):

    name = 'perf'
    description = """Runs perf while the workload runs: ``perf stat`` counts or ``perf record``.

    One perf session per ``optionstring`` (a list gives several sessions at once, named by
    ``labels``) is started on the target in ``slow_start`` and stopped with SIGINT in
    ``slow_stop``.

    ``command: stat`` (the default) counts ``events`` system-wide (the default optionstring is
    ``-a``). Each event gives a metric named after it (``context-switches``, ``task-clock``,
    ...; ``<label>_<event>`` when ``labels`` are given) with perf's unit (``msec`` for
    task-clock, ``count`` for a plain count) and a ``cpu`` classifier: ``total``, or ``cpu0``,
    ``cpu1``... with ``per_cpu``. perf's own output is kept as the ``perf_stat`` artifact
    (``<label>`` with labels).

    ``command: record`` samples the system (``perf record``, perf's default event unless
    ``events`` are given). Each session's data is pulled as ``perf.data`` (artifact
    ``perf.data``; ``<label>.data`` with labels), and ``perf report --stdio`` with
    ``report_option_string`` is run on the target into ``perf.rpt`` (``<label>.rpt``,
    artifact ``perf_report`` / ``<label>_report``). No metrics.

    Needs perf on the target (Debian package ``linux-perf``) and permission to measure
    system-wide (root, CAP_PERFMON, or /proc/sys/kernel/perf_event_paranoid <= 0). This is
    checked once at the start of the run with a short trial of each session; for stat, events
    the target cannot count (for example hardware counters in a VM) are named in a warning
    and left out.
    """
    parameters = [
        Parameter('command', kind=str, default='stat', allowed_values=['stat', 'record'],
                  global_alias='perf_command',
                  description='``stat`` to count events, ``record`` to sample a profile.'),
        Parameter('events', kind=types.list_of_str, default=None, global_alias='perf_events',
                  description='perf events (see ``perf list``); stat counts {} when not set '
                              '(they work without hardware counters), record uses perf\'s '
                              'default.'.format(', '.join(DEFAULT_EVENTS))),
        Parameter('optionstring', kind=optionstrings, default='-a',
                  global_alias='perf_options',
                  description='Options for perf stat/record, as a string; a list of strings '
                              'runs one perf session per string at the same time. Each must '
                              'measure something without a command (``-a``, ``-C <cpus>``, '
                              '``-p <pid>``).'),
        Parameter('labels', kind=types.list_of_str, default=None, global_alias='perf_labels',
                  description='Names of the sessions, one per optionstring; they name the '
                              'artifacts and prefix the metrics.'),
        Parameter('report_option_string', kind=str, default='',
                  global_alias='perf_report_options',
                  description='record: options for ``perf report`` (e.g. ``--sort dso``).'),
        Parameter('per_cpu', kind=bool, default=False,
                  description='stat: report each CPU separately (``perf stat -A``; needs -a '
                              'or -C).'),
        Parameter('binary', kind=str, default='perf',
                  description='The perf binary on the target.'),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = []
        self.outputs = {}
        self.events_used = []

    def validate(self):
        self.optionstring = optionstrings(self.optionstring)
        if self.events is not None and not self.events:
            raise ConfigError('perf: no events to count')
        for event in self.events or ():
            if not event or any(c.isspace() for c in event):
                raise ConfigError('perf: bad event name "{}"'.format(event))
        for options in self.optionstring:
            try:
                shlex.split(options)
            except ValueError as error:
                raise ConfigError('perf: bad optionstring "{}": {}'.format(options, error))
        if self.labels is not None:
            if len(self.labels) != len(self.optionstring):
                raise ConfigError('perf: {} labels for {} optionstrings'.format(
                    len(self.labels), len(self.optionstring)))
            for label in self.labels:
                if not re.match(r'^[A-Za-z0-9_.-]+$', label) or label.startswith('.'):
                    raise ConfigError('perf: label "{}" is not a plain file name (letters, '
                                      'digits, _ . -)'.format(label))
        if self.command == 'stat' and self.events is None:
            self.events = list(DEFAULT_EVENTS)

    def session_labels(self):
        """``[(label or None, optionstring)]``: None for an unlabelled single session."""
        if self.labels:
            return list(zip(self.labels, self.optionstring))
        if len(self.optionstring) == 1:
            return [(None, self.optionstring[0])]
        return [('perf_{}'.format(index), options)
                for index, options in enumerate(self.optionstring)]

    def initialize(self, context):
        require_tool(self.target, self.binary, PERF_PACKAGE)
        self.events_used = list(self.events or [])
        for _, options in self.session_labels():
            if self.command == 'stat':
                self._probe_stat(options)
            else:
                self._probe_record(options)

    def _probe(self, command):
        output = self.target.execute('{} 2>&1; echo "exit=$?"'.format(command),
                                     as_root=self.target.is_rooted, check_exit_code=False)
        text, _, status = output.rpartition('exit=')
        return text, status.strip()

    def _probe_stat(self, options):
        output, status = self._probe('{} -- sleep 0.01'.format(perf_command(
            self.binary, 'stat', self.events_used, options, None, self.per_cpu)))
        counts = parse_perf_stat(output)
        if status != '0' or not counts:
            raise NotSupportedError(explain_failure(output))
        unsupported = sorted({c['event'] for c in counts if c['status'] == 'not supported'})
        if unsupported:
            self.logger.warning('perf: the target cannot count %s; they are left out',
                                ', '.join(unsupported))
            self.events_used = [e for e in self.events_used if e not in unsupported]
        if not self.events_used:
            raise NotSupportedError('perf: the target cannot count any of the events ({})'.format(
                ', '.join(self.events)))

    def _probe_record(self, options):
        data = self.target.get_workpath('wa-perf-probe.data')
        output, status = self._probe('{} -q -- sleep 0.01; rm -f {}'.format(perf_command(
            self.binary, 'record', self.events_used, options, data), shlex.quote(data)))
        if status != '0':
            raise NotSupportedError(explain_failure(output))

    def slow_start(self, context):
        self.outputs = {}
        self.sessions = []
        for label, options in self.session_labels():
            session = PerfSession(self.target, self.binary, self.command, label, options,
                                  self.events_used, self.per_cpu)
            session.start(explain_failure)
            self.sessions.append(session)

    def slow_stop(self, context):
        sessions, self.sessions = self.sessions, []
        for session in sessions:
            if self.command == 'stat':
                self.outputs[session.label] = session.stop_stat()
            else:
                stem = session.label or 'perf'
                self.outputs[session.label] = session.stop_record(
                    context.output_directory, '{}.data'.format(stem), '{}.rpt'.format(stem),
                    self.report_option_string)

    def teardown(self, context):
        for session in self.sessions:
            if session.process is not None:
                session.process.stop(signal='KILL')
        self.sessions = []

    def update_result(self, context):
        for label, output in sorted(self.outputs.items(), key=lambda item: item[0] or ''):
            if output is None:
                continue
            if self.command == 'stat':
                self._stat_result(context, label, output)
            else:
                self._record_result(context, label, output)

    def _record_result(self, context, label, paths):
        data, report = paths
        context.add_artifact('{}.data'.format(label) if label else 'perf.data', data, 'data',
                             description='perf record data')
        context.add_artifact('{}_report'.format(label) if label else 'perf_report', report,
                             'export', description='perf report --stdio of the data')

    def _stat_result(self, context, label, text):
        path = os.path.join(context.output_directory, '{}.csv'.format(label or 'perf_stat'))
        with open(path, 'w') as fh:
            fh.write(text)
        context.add_artifact(label or 'perf_stat', path, 'raw', description='perf stat -x, output')
        counts = parse_perf_stat(text)
        if not counts:
            raise InstrumentError('perf stat wrote no counts (see {})'.format(path))
        prefix = '{}_'.format(label) if label else ''
        for count in counts:
            if count['value'] is None:
                continue
            context.add_metric(prefix + count['event'], count['value'],
                               count['units'] or 'count', classifiers={'cpu': count['cpu']})

"""sysbench: CPU, memory, threads, mutex and file I/O micro-benchmarks."""
import re
import shlex

from wa import ConfigError, Parameter
from wa.utils.numbers import to_number
from wa.utils.shell import shell_join, split_args
from wa.utils.tool_workload import cpus_parameter, Metric, ToolWorkload
from wa.utils.tools import execute

TESTS = ['cpu', 'memory', 'threads', 'mutex', 'fileio']
FILE_TEST_MODES = ['seqwr', 'seqrewr', 'seqrd', 'rndrd', 'rndwr', 'rndrw']

_NUMBER = r'([0-9]+(?:\.[0-9]+)?)'

# (regex, metric name, units, lower_is_better): one value each, first match wins.
_SINGLE_VALUES = [
    (r'events per second:\s*' + _NUMBER, 'events_per_second', 'events/s', False),
    (r'total time:\s*' + _NUMBER + r'\s*s', 'total_time', 'seconds', True),
    (r'total number of events:\s*' + _NUMBER, 'total_events', 'events', False),
    # memory
    (r'Total operations:\s*[0-9]+\s*\(\s*' + _NUMBER + r'\s*per second\)', 'operations_per_second',
     'ops/s', False),
    (r'MiB transferred\s*\(\s*' + _NUMBER + r'\s*MiB/sec\)', 'throughput', 'MiB/s', False),
    # fileio
    (r'reads/s:\s*' + _NUMBER, 'reads_per_second', 'ops/s', False),
    (r'writes/s:\s*' + _NUMBER, 'writes_per_second', 'ops/s', False),
    (r'fsyncs/s:\s*' + _NUMBER, 'fsyncs_per_second', 'ops/s', False),
    (r'read, MiB/s:\s*' + _NUMBER, 'read_throughput', 'MiB/s', False),
    (r'written, MiB/s:\s*' + _NUMBER, 'write_throughput', 'MiB/s', False),
    # sysbench 0.4 wording of memory throughput: "(1234.56 MB/sec)"
    (r'MB transferred\s*\(\s*' + _NUMBER + r'\s*MB/sec\)', 'throughput', 'MB/s', False),
]

_LATENCY = [('min', 'latency_min'), ('avg', 'latency_avg'), ('max', 'latency_max'),
            ('95th percentile', 'latency_95th'), ('approx.  95 percentile', 'latency_95th'),
            ('approx. 95 percentile', 'latency_95th')]

_FAIRNESS = [(r'events \(avg/stddev\):\s*' + _NUMBER + r'/' + _NUMBER,
              ('fairness_events_avg', 'events'), ('fairness_events_stddev', 'events')),
             (r'execution time \(avg/stddev\):\s*' + _NUMBER + r'/' + _NUMBER,
              ('fairness_time_avg', 'seconds'), ('fairness_time_stddev', 'seconds'))]

_UNIT_TO_MS = {'ms': 1.0, 's': 1000.0, 'us': 0.001, 'ns': 0.000001}


def _latency_section(text):
    """The lines of the latency block and its unit: ``Latency (ms):`` in sysbench 1.x,
    ``per-request statistics:`` (values suffixed with their unit) in 0.4."""
    match = re.search(r'^\s*(?:Latency \((\w+)\)|per-request statistics):\s*$', text, re.M)
    if not match:
        return [], 'ms'
    lines = []
    for line in text[match.end():].lstrip('\n').splitlines():
        if not line.strip():
            break
        lines.append(line.strip())
    return lines, match.group(1) or 'ms'


def parse_sysbench_output(text):
    """Metrics from what ``sysbench <test> ... run`` prints (1.0 wording; 0.4 understood too).

    Always: ``total_time`` (s), ``total_events``, ``events_per_second`` (printed by the cpu test,
    else total events / total time), ``latency_min/avg/max/95th`` (ms) and thread fairness.
    Memory adds ``operations_per_second`` and ``throughput`` (MiB/s); fileio adds
    ``reads/writes/fsyncs_per_second`` and ``read_throughput``/``write_throughput`` (MiB/s).
    """
    metrics = []
    seen = set()
    for pattern, name, units, lower in _SINGLE_VALUES:
        match = re.search(pattern, text)
        if match and name not in seen:
            seen.add(name)
            metrics.append(Metric(name, to_number(match.group(1)), units, lower))
    values = {metric.name: metric.value for metric in metrics}
    if 'total_time' not in values or 'total_events' not in values:
        raise ValueError('no "General statistics" (total time, total number of events) in the '
                         'sysbench output')
    if 'events_per_second' not in values and values['total_time'] > 0:
        metrics.append(Metric('events_per_second',
                              round(values['total_events'] / values['total_time'], 4),
                              'events/s', False))
    lines, unit = _latency_section(text)
    for line in lines:
        label, _, value = line.partition(':')
        match = re.match(r'\s*' + _NUMBER + r'\s*(ms|s|us|ns)?\s*$', value)
        if not match:
            continue
        for wanted, name in _LATENCY:
            if label.strip() == wanted and name not in seen:
                seen.add(name)
                scale = _UNIT_TO_MS.get(match.group(2) or unit, 1.0)
                number = to_number(match.group(1))
                metrics.append(Metric(name, number if scale == 1.0 else number * scale,
                                      'ms', True))
    for pattern, first, second in _FAIRNESS:
        match = re.search(pattern, text)
        if match:
            metrics.append(Metric(first[0], to_number(match.group(1)), first[1], False))
            metrics.append(Metric(second[0], to_number(match.group(2)), second[1], True))
    return metrics


class Sysbench(ToolWorkload):

    name = 'sysbench'
    description = """
    Runs one sysbench test: cpu, memory, threads, mutex or fileio.

    Runs ``sysbench <test> --threads=N [--time=S] [--events=E] [options] run`` on the target
    (Debian package ``sysbench``, version 1.0 or later). The fileio test prepares its files in
    the target's working directory before the job and removes them after it.

    The test runs for ``duration`` seconds, or until ``events`` events have completed, whichever
    comes first; with neither set it runs for 10 seconds.

    Metrics:

      - ``events_per_second`` (events/s), ``total_events``,
        ``total_time`` (seconds);
      - ``latency_min``, ``latency_avg``, ``latency_max``, ``latency_95th``
        (ms, per event);
      - ``fairness_events_avg/stddev``, ``fairness_time_avg/stddev``
        (spread over threads);
      - memory: ``throughput`` (MiB/s), ``operations_per_second``;
      - fileio: ``read_throughput``, ``write_throughput`` (MiB/s),
        ``reads_per_second``, ``writes_per_second``, ``fsyncs_per_second``.

    sysbench's output is saved in the job's directory.
    """

    tool = 'sysbench'
    package = 'sysbench'

    parameters = [
        Parameter('test', kind=str, default='cpu', allowed_values=TESTS,
                  description='The sysbench test to run.'),
        Parameter('threads', kind=int, default=8, aliases=['num_threads'],
                  constraint=lambda value: value > 0,
                  description='Number of worker threads.'),
        Parameter('duration', kind=int, default=None, aliases=['max_time'],
                  constraint=lambda value: value >= 0,
                  description='Run for this many seconds (``--time``). When neither this nor '
                              '``events`` is set, the test runs for 10 seconds.'),
        Parameter('events', kind=int, default=None, aliases=['max_requests'],
                  constraint=lambda value: value > 0,
                  description='Stop after this many events (``--events``); no time limit '
                              'unless ``duration`` is also given.'),
        Parameter('file_test_mode', kind=str, default='rndrw', allowed_values=FILE_TEST_MODES,
                  description='fileio only: the kind of I/O (sequential/random read/write).'),
        Parameter('file_total_size', kind=str, default='64M',
                  description='fileio only: total size of the test files (sysbench size, e.g. '
                              '``64M``, ``1G``).'),
        Parameter('cmd_params', kind=str, default='', aliases=['test_options'],
                  description='More options for the test, as one string (e.g. '
                              '``"--cpu-max-prime=20000"`` or ``"--memory-block-size=4K"``); '
                              'for fileio they are given to prepare and cleanup too.'),
        cpus_parameter(),
        Parameter('timeout', kind=int, default=300, constraint=lambda value: value > 0,
                  description='Seconds sysbench may run before the job is failed.'),
    ]

    argument_parameters = ('cmd_params',)

    def validate(self):
        super().validate()
        if self.duration == 0 and self.events is None:
            raise ConfigError('sysbench: duration 0 means "no time limit": give events too')
        if self.duration is not None and self.duration > self.timeout:
            raise ConfigError('sysbench: duration ({} s) is longer than timeout ({} s)'.format(
                self.duration, self.timeout))

    def _common_args(self):
        args = []
        if self.test == 'fileio':
            args.append('--file-total-size={}'.format(self.file_total_size))
        return args + split_args(self.cmd_params)

    def _fileio(self, stage):
        command = 'cd {} && {}'.format(
            shlex.quote(self.target_dir),
            shell_join([self.tool_path, 'fileio'] + self._common_args() + [stage]))
        execute(self.target, command, timeout=self.timeout, what='sysbench fileio ' + stage)

    def setup(self, context):
        super().setup(context)
        if self.test == 'fileio':
            self._fileio('prepare')

    def build_command(self, context):
        args = self.pin + [self.tool_path, self.test, '--threads={}'.format(self.threads)]
        if self.duration is None and self.events is None:
            args.append('--time=10')
        else:
            args.append('--time={}'.format(self.duration or 0))
            if self.events is not None:
                args.append('--events={}'.format(self.events))
        if self.test == 'fileio':
            args.append('--file-test-mode={}'.format(self.file_test_mode))
        return args + self._common_args() + ['run']

    def run_timeout(self):
        return self.timeout

    def parse(self, text):
        return parse_sysbench_output(text)

    def teardown(self, context):
        super().teardown(context)
        if self.test == 'fileio':
            self._fileio('cleanup')

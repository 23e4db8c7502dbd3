"""cyclictest (rt-tests): wake-up latency of periodic real-time threads."""
import re

from wa import ConfigError, NotSupportedError, Parameter
from wa.utils.numbers import to_number
from wa.utils.shell import split_args
from wa.utils.tool_workload import Metric, ToolWorkload

_THREAD_LINE = re.compile(
    r'^T:\s*(?P<thread>\d+)\s*\(\s*\d+\)\s*P:\s*(?P<prio>\d+)\s*I:\s*(?P<interval>\d+)\s*'
    r'C:\s*(?P<cycles>\d+)\s*Min:\s*(?P<min>\d+)\s*Act:\s*(?P<act>\d+)\s*Avg:\s*(?P<avg>\d+)\s*'
    r'Max:\s*(?P<max>\d+)', re.M)

CLOCKS = {'monotonic': 0, 'realtime': 1}


def parse_cyclictest_output(text):
    """Metrics from cyclictest's summary lines (``-q``), one ``T: n (pid) P: I: C: Min: Act:
    Avg: Max:`` line per thread; latencies are in microseconds.

    Overall ``latency_min``, ``latency_avg`` (average of the threads' averages, weighted by
    their cycle counts) and ``latency_max`` (us), and ``cycles``; per thread
    ``thread<N>_min/avg/max`` (us) classified with ``thread`` and ``priority``.
    """
    threads = [match.groupdict() for match in _THREAD_LINE.finditer(text)]
    if not threads:
        raise ValueError('no thread summary lines ("T: 0 (...) ... Max: ...") in the '
                         'cyclictest output')
    metrics = []
    total_cycles = sum(int(thread['cycles']) for thread in threads)
    minimum = min(int(thread['min']) for thread in threads)
    maximum = max(int(thread['max']) for thread in threads)
    if total_cycles:
        average = sum(int(t['avg']) * int(t['cycles']) for t in threads) / total_cycles
    else:
        average = sum(int(t['avg']) for t in threads) / len(threads)
    metrics += [Metric('latency_min', minimum, 'us', True),
                Metric('latency_avg', round(average, 2), 'us', True),
                Metric('latency_max', maximum, 'us', True),
                Metric('cycles', total_cycles, 'cycles', False)]
    for thread in threads:
        classifiers = {'thread': int(thread['thread']), 'priority': int(thread['prio'])}
        for key in ('min', 'avg', 'max'):
            metrics.append(Metric('thread{}_{}'.format(thread['thread'], key),
                                  to_number(thread[key]), 'us', True, classifiers))
    return metrics


class Cyclictest(ToolWorkload):

    name = 'cyclictest'
    description = """
    Measures scheduling (wake-up) latency with cyclictest from rt-tests.

    Starts ``threads`` real-time threads that each sleep for ``interval`` microseconds in a
    loop and measure how late they wake up, for ``duration`` seconds: ``cyclictest -q -m
    -t N -i INTERVAL -D DURATION -p PRIORITY``. Needs the Debian package ``rt-tests`` on the
    target, and root (or CAP_SYS_NICE) for real-time priorities; with ``priority: 0`` the
    threads run as normal tasks.

    Metrics (microseconds, lower is better): ``latency_min``, ``latency_avg``,
    ``latency_max`` over all threads, and per thread ``thread<N>_min``, ``thread<N>_avg``,
    ``thread<N>_max``; ``cycles`` counts the wake-ups measured.

    cyclictest's output is saved in the job's directory.
    """

    tool = 'cyclictest'
    package = 'rt-tests'
    run_as_root = True

    parameters = [
        Parameter('threads', kind=int, default=None, aliases=['thread'],
                  constraint=lambda value: value > 0,
                  description='Number of measuring threads; one per CPU when not set.'),
        Parameter('interval', kind=int, default=1000, constraint=lambda value: value > 0,
                  description='Base wake-up interval of the threads, in microseconds (``-i``); '
                              'thread N wakes every interval + N * distance.'),
        Parameter('distance', kind=int, default=None, constraint=lambda value: value >= 0,
                  description='Added to the interval of each further thread, in microseconds '
                              '(``-d``; cyclictest uses 500 when not set).'),
        Parameter('duration', kind=int, default=30, constraint=lambda value: value > 0,
                  description='How long to measure, in seconds (``-D``).'),
        Parameter('priority', kind=int, default=80,
                  constraint=lambda value: 0 <= value <= 99,
                  description='SCHED_FIFO priority of the highest-priority thread (``-p``); 0 '
                              'runs the threads as normal tasks.'),
        Parameter('clock', kind=str, default='monotonic', allowed_values=list(CLOCKS),
                  description='Clock the threads sleep on (``-c``).'),
        Parameter('extra_parameters', kind=str, default='',
                  description='More cyclictest options, as one string (e.g. ``"-a 0 --smp"``).'),
    ]

    argument_parameters = ('extra_parameters',)

    def validate(self):
        super().validate()
        extra = split_args(self.extra_parameters)
        if any(arg in ('-h', '-H', '--histogram', '--histofall') or
               arg.startswith(('--histogram=', '--histofall=')) for arg in extra):
            raise ConfigError('cyclictest: histogram output is not supported (its summary '
                              'lines are what the metrics are read from)')

    def initialize(self, context):
        super().initialize(context)
        if self.priority and not self.target.is_rooted:
            raise NotSupportedError('cyclictest needs root for real-time priority {} and the '
                                    'target is not rooted; set priority: 0 to measure without '
                                    'it'.format(self.priority))

    def build_command(self, context):
        args = [self.tool_path, '-q', '-m', '-D', self.duration, '-i', self.interval,
                '-p', self.priority, '-c', CLOCKS[self.clock]]
        args.append('-t{}'.format(self.threads) if self.threads else '-t')
        if self.distance is not None:
            args += ['-d', self.distance]
        return args + split_args(self.extra_parameters)

    def run_timeout(self):
        return self.duration + 60

    def parse(self, text):
        return parse_cyclictest_output(text)

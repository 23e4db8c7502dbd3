"""The ``cpufreq`` instrument: cpufreq sysfs state before and after, and time in each state."""
import re

from wa import Parameter, NotSupportedError
from wa.utils.shell import quote_glob
from wa.utils.snapshot import SnapshotInstrument
from wa.utils.target_files import read_files

CPU_ROOT = '/sys/devices/system/cpu'
DEVFREQ_ROOT = '/sys/class/devfreq'
_CPU_IN_PATH = re.compile(r'/(cpu\d+)/cpufreq/')


def parse_time_in_state(text):
    """``{frequency in kHz: time}`` from a cpufreq ``stats/time_in_state`` file.

    Each line is ``<frequency> <time>``: the frequency in kHz and the time spent at it in
    USER_HZ units (10 ms on most kernels). Lines that do not fit are ignored.
    """
    states = {}
    for line in text.splitlines():
        words = line.split()
        if len(words) == 2 and words[0].isdigit() and words[1].isdigit():
            states[int(words[0])] = int(words[1])
    return states


def time_in_state_deltas(before, after, user_hz=100):
    """``{frequency in kHz: seconds}`` spent at each frequency between two snapshots of
    time_in_state text."""
    old, new = parse_time_in_state(before), parse_time_in_state(after)
    return {freq: max(ticks - old.get(freq, 0), 0) / float(user_hz)
            for freq, ticks in sorted(new.items())}


def mean_frequency(seconds_by_freq):
    """The time-weighted mean frequency (kHz), or None when no time was recorded."""
    total = sum(seconds_by_freq.values())
    if not total:
        return None
    return sum(freq * secs for freq, secs in seconds_by_freq.items()) / total


class Cpufreq(SnapshotInstrument):

    name = 'cpufreq'
    description = """Records cpufreq state around each run, and the time spent at each frequency.

    Copies ``/sys/devices/system/cpu/cpufreq`` (each policy's governor, limits, current
    frequency and stats) and, when ``include_devfreq`` is set and present,
    ``/sys/class/devfreq``, in ``slow_start`` and ``slow_stop``, into ``cpufreq/before/``,
    ``cpufreq/after/`` and ``cpufreq/diff/`` in the job directory.

    Where the kernel has cpufreq statistics (CONFIG_CPU_FREQ_STAT), it reports for each CPU
    the metric ``time_in_state`` (seconds) with classifiers ``cpu`` (``cpu0``, ...) and
    ``frequency`` (kHz), and ``mean_frequency`` (MHz, time-weighted) over the run.

    Needs a cpufreq driver: on a target without ``/sys/devices/system/cpu/cpufreq/policy*`` (such
    as most virtual machines) it is disabled with a message saying so. Reads as root when the
    target is rooted.
    """
    parameters = [
        Parameter('include_devfreq', kind=bool, default=True,
                  description='Also copy /sys/class/devfreq (GPU and bus frequency scaling) '
                              'when the target has it.'),
        Parameter('time_in_state', kind=bool, default=True,
                  description='Report time_in_state metrics where cpufreq stats exist.'),
    ]
    dirname = 'cpufreq'

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.paths = []
        self.user_hz = 100
        self.tis_before = {}
        self.tis_after = {}

    def snapshot_paths(self):
        return self.paths

    def initialize(self, context):
        output = self.target.execute('ls -d {} {} 2>/dev/null; true'.format(
            quote_glob(CPU_ROOT + '/cpufreq/policy*'), quote_glob(CPU_ROOT + '/cpu[0-9]*/cpufreq')))
        if not output.strip():
            raise NotSupportedError(
                'cpufreq is not available on the target: no {0}/cpufreq/policy* or '
                '{0}/cpu*/cpufreq directories (the kernel has no cpufreq driver for '
                'this CPU)'.format(CPU_ROOT))
        self.paths = [CPU_ROOT + '/cpufreq']
        if self.include_devfreq and self.target.file_exists(DEVFREQ_ROOT):
            self.paths.append(DEVFREQ_ROOT)
        try:
            self.user_hz = int(self.target.execute('getconf CLK_TCK').strip())
        except Exception:  # pylint: disable=broad-except
            self.user_hz = 100

    def _time_in_state(self):
        if not self.time_in_state:
            return {}
        return read_files(self.target, [CPU_ROOT + '/cpu[0-9]*/cpufreq/stats/time_in_state'],
                          recursive=False)

    def slow_start(self, context):
        self.take_before(context)
        self.tis_before = self._time_in_state()

    def slow_stop(self, context):
        self.take_after(context)
        self.tis_after = self._time_in_state()

    def update_result(self, context):
        self.write_results(context)
        for path in sorted(self.tis_after):
            match = _CPU_IN_PATH.search(path)
            if not match or path not in self.tis_before:
                continue
            cpu = match.group(1)
            seconds = time_in_state_deltas(self.tis_before[path], self.tis_after[path],
                                           self.user_hz)
            for freq, secs in seconds.items():
                context.add_metric('time_in_state', round(secs, 3), 'seconds',
                                   classifiers={'cpu': cpu, 'frequency': freq})
            mean = mean_frequency(seconds)
            if mean is not None:
                context.add_metric('mean_frequency', round(mean / 1000.0, 1), 'MHz',
                                   classifiers={'cpu': cpu})

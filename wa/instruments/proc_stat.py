"""The ``proc_stat`` instrument: CPU utilisation over the run, from /proc/stat."""
import csv
import os

from wa import Instrument, Parameter, NotSupportedError
from wa.utils.sampling import BackgroundSampler
from wa.utils.target_files import read_files

PROC_STAT = '/proc/stat'

# The time columns of a "cpu" line, in order (Documentation/filesystems/proc.rst, 1.8).
FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest',
          'guest_nice']
# What is reported: each category is a sum of columns. guest and guest_nice are left out: the
# kernel already counts them in user and nice.
CATEGORIES = [('user', ('user', 'nice')), ('sys', ('system', 'irq', 'softirq')),
              ('idle', ('idle',)), ('iowait', ('iowait',)), ('steal', ('steal',))]


def parse_proc_stat(text):
    """``{'total' or 'cpuN': {field: ticks}}`` from the ``cpu`` lines of /proc/stat."""
    cpus = {}
    for line in text.splitlines():
        words = line.split()
        if not words or not words[0].startswith('cpu'):
            continue
        name = 'total' if words[0] == 'cpu' else words[0]
        values = [int(word) for word in words[1:len(FIELDS) + 1]]
        cpus[name] = dict(zip(FIELDS, values + [0] * (len(FIELDS) - len(values))))
    return cpus


def utilisation(before, after):
    """``{cpu: {category: percent}}`` between two /proc/stat texts, for every CPU (and
    ``total``) present in both; the categories (user, sys, idle, iowait, steal) add up to 100."""
    old, new = parse_proc_stat(before), parse_proc_stat(after)
    result = {}
    for cpu, fields in new.items():
        if cpu not in old:
            continue
        deltas = {category: sum(max(fields[f] - old[cpu][f], 0) for f in columns)
                  for category, columns in CATEGORIES}
        elapsed = sum(deltas.values())
        if elapsed <= 0:
            continue
        result[cpu] = {category: 100.0 * ticks / elapsed for category, ticks in deltas.items()}
    return result


def _cpu_order(name):
    return (-1, name) if name == 'total' else (int(name[3:]) if name[3:].isdigit() else 1 << 30,
                                                name)


class ProcStat(Instrument):

    name = 'proc_stat'
    description = """CPU utilisation (user/sys/idle/iowait/steal %) over the run, from /proc/stat.

    /proc/stat is read in ``fast_start``, right before the workload runs, and in ``fast_stop``,
    right after; the difference gives the metrics ``cpu_util_user`` (user + nice),
    ``cpu_util_sys`` (system + irq + softirq), ``cpu_util_idle``, ``cpu_util_iowait`` and
    ``cpu_util_steal`` (time taken by the hypervisor), in %, each with a ``cpu`` classifier
    (``total``, ``cpu0``, ``cpu1``, ...). For each CPU they add up to 100.

    With ``period`` > 0, a shell loop on the target also samples /proc/stat every ``period``
    seconds while the workload runs (started in ``start``, stopped in ``stop``), and the
    utilisation of each interval is written to ``proc_stat.csv`` in the job directory. Needs
    no root.
    """
    parameters = [
        Parameter('period', kind=float, default=1.0, constraint=lambda v: v >= 0,
                  description='Seconds between samples for the proc_stat.csv timeline; 0 '
                              'turns the timeline off (the metrics need no sampling).'),
        Parameter('per_cpu', kind=bool, default=True,
                  description='Report each CPU as well as the total.'),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before = self.after = None
        self.sampler = None
        self.samples = []

    def initialize(self, context):
        if not self.target.file_exists(PROC_STAT):
            raise NotSupportedError('{} does not exist on the target'.format(PROC_STAT))

    def _read(self):
        return read_files(self.target, [PROC_STAT], as_root=False).get(PROC_STAT, '')

    def start(self, context):
        self.samples = []
        if self.period:
            self.sampler = BackgroundSampler(self.target, [PROC_STAT], self.period, 'proc_stat')
            self.sampler.start()

    def fast_start(self, context):
        self.before, self.after = self._read(), None

    def fast_stop(self, context):
        self.after = self._read()

    def stop(self, context):
        if self.sampler is not None:
            self.samples = self.sampler.stop()
            self.sampler = None

    def update_result(self, context):
        if self.before is None or self.after is None:
            return
        util = utilisation(self.before, self.after)
        for cpu in sorted(util, key=_cpu_order):
            if cpu != 'total' and not self.per_cpu:
                continue
            for category, percent in util[cpu].items():
                context.add_metric('cpu_util_{}'.format(category), round(percent, 2), '%',
                                   lower_is_better=(category != 'idle'),
                                   classifiers={'cpu': cpu})
        if self.samples:
            path = os.path.join(context.output_directory, 'proc_stat.csv')
            write_timeline(self.samples, path)
            for name in ('proc_stat', 'proc-stat'):     # this project's first name, WA3's
                context.add_artifact(name, path, 'data',
                                     description='CPU utilisation (%) in each sampling interval')


def write_timeline(samples, path):
    """Writes a CSV of the utilisation in each interval between consecutive samples."""
    with open(path, 'w', newline='') as fh:
        writer = csv.writer(fh)
        writer.writerow(['time', 'cpu'] + ['cpu_util_{}'.format(c) for c, _ in CATEGORIES])
        start = samples[0][0]
        for (_, old), (stamp, new) in zip(samples, samples[1:]):
            util = utilisation(old.get(PROC_STAT, ''), new.get(PROC_STAT, ''))
            for cpu in sorted(util, key=_cpu_order):
                writer.writerow(['{:.2f}'.format(stamp - start), cpu] +
                                ['{:.2f}'.format(util[cpu][c]) for c, _ in CATEGORIES])

"""A user's instrument written with wa.utils: /proc/vmstat before and after the workload (with
its diff), and the load average sampled in the background while it runs."""
from wa import Parameter
from wa.utils.numbers import to_number
from wa.utils.sampling import BackgroundSampler
from wa.utils.snapshot import SnapshotInstrument
from wa.utils.tools import require_tool

VMSTAT, LOADAVG = '/proc/vmstat', '/proc/loadavg'


def vmstat_counts(text):
    """``{counter: value}`` from /proc/vmstat text (``name value`` lines)."""
    pairs = (line.split() for line in text.splitlines())
    return {words[0]: to_number(words[1]) for words in pairs if len(words) == 2}


class VmstatLoad(SnapshotInstrument):
    name = 'vmstat_load'
    description = """Page faults during the workload, and its load average."""
    dirname = 'vmstat'          # the job's vmstat/before, vmstat/after, vmstat/diff
    parameters = [
        Parameter('interval', kind=float, default=0.1, constraint=lambda value: value > 0,
                  description='Seconds between two reads of /proc/loadavg.'),
    ]

    def snapshot_paths(self):
        return [VMSTAT]

    def initialize(self, context):
        require_tool(self.target, 'cat', 'coreutils')

    def start(self, context):
        self.take_before(context)
        self.sampler = BackgroundSampler(self.target, [LOADAVG], self.interval, 'loadavg')
        self.sampler.start()

    def stop(self, context):
        self.samples = self.sampler.stop()
        self.take_after(context)

    def update_result(self, context):
        self.write_results(context, as_files=True)
        before, after = (vmstat_counts(snap.get(VMSTAT, '')) for snap in (self.before,
                                                                           self.after))
        context.add_metric('pgfault', after['pgfault'] - before['pgfault'], 'count',
                           lower_is_better=True)
        loads = [to_number(files[LOADAVG].split()[0]) for _, files in self.samples
                 if LOADAVG in files]
        context.add_metric('loadavg_samples', len(loads), 'count')
        if loads:
            context.add_metric('loadavg_max', max(loads), lower_is_better=True)

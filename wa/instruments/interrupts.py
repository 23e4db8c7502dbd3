"""The ``interrupts`` instrument: /proc/interrupts before and after the workload runs."""
from wa import NotSupportedError
from wa.utils.snapshot import SnapshotInstrument

PROC_INTERRUPTS = '/proc/interrupts'


def parse_interrupts(text):
    """``(cpus, {irq: [count per cpu]})`` from /proc/interrupts text.

    The header names the CPUs (``CPU0 CPU1 ...``); each following line is ``<irq>:`` then one
    count per CPU, then a description. Lines with a single total (``ERR:``, ``MIS:``) are kept
    with that one count.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return [], {}
    cpus = [word.lower() for word in lines[0].split()]
    counts = {}
    for line in lines[1:]:
        words = line.split()
        if not words or not words[0].endswith(':'):
            continue
        irq = words[0][:-1]
        values = []
        for word in words[1:len(cpus) + 1]:
            if not word.isdigit():
                break
            values.append(int(word))
        counts[irq] = values
    return cpus, counts


def interrupt_deltas(before, after):
    """``{cpu: interrupts taken during the run}`` (only per-CPU lines count), with ``total``."""
    cpus, old = parse_interrupts(before)
    _, new = parse_interrupts(after)
    totals = {cpu: 0 for cpu in cpus}
    for irq, values in new.items():
        if len(values) != len(cpus):
            continue
        previous = old.get(irq, [0] * len(cpus))
        if len(previous) != len(cpus):
            continue
        for cpu, now, then in zip(cpus, values, previous):
            totals[cpu] += max(now - then, 0)
    totals['total'] = sum(totals.values())
    return totals


class Interrupts(SnapshotInstrument):

    name = 'interrupts'
    description = """Records /proc/interrupts before and after the workload runs, with the diff.

    The snapshots are taken in ``start`` and ``stop`` and written to the job directory as
    ``interrupts/before/proc/interrupts``, ``interrupts/after/proc/interrupts`` and
    ``interrupts/diff/proc/interrupts``, artifacts ``interrupts_before``, ``interrupts_after``
    and ``interrupts_diff``, also named as WA3 names them (``interrupts [before]``, ...). The
    diff holds, for each IRQ line, the number of interrupts each CPU took during the run. It
    also reports the metric ``interrupts``
    (count) with a ``cpu`` classifier for each CPU and for the ``total``. Needs no root.
    """
    parameters = []
    dirname = 'interrupts'
    artifact_aliases = ('interrupts [{label}]',)  # WA3's names

    def snapshot_paths(self):
        return [PROC_INTERRUPTS]

    def initialize(self, context):
        if not self.target.file_exists(PROC_INTERRUPTS):
            raise NotSupportedError('{} does not exist on the target'.format(PROC_INTERRUPTS))

    def start(self, context):
        self.take_before(context)

    def stop(self, context):
        self.take_after(context)

    def update_result(self, context):
        self.write_results(context, as_files=True)
        before = self.before.get(PROC_INTERRUPTS, '')
        after = self.after.get(PROC_INTERRUPTS, '')
        for cpu, count in interrupt_deltas(before, after).items():
            context.add_metric('interrupts', count, 'count', lower_is_better=True,
                               classifiers={'cpu': cpu})

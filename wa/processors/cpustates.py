"""cpustates: time each CPU spent in each frequency and idle state, from a trace-cmd trace."""
import csv
import os

from wa import Parameter, ResultProcessor
from wa.processors._power_states import parse_trace, power_state_times

TRACE_ARTIFACT = 'trace-cmd-txt'


def _percent(value, total, use_ratios):
    if not total:
        return 0.0
    share = value / total
    return round(share if use_ratios else share * 100, 4 if use_ratios else 2)


def state_rows(residency, total, use_ratios=False):
    """``[header, [state, share of CPU0, share of CPU1, ...], ...]`` with states sorted
    (idle states, then frequencies in kHz ascending, then the rest)."""
    cpus = sorted(residency)
    names = {name for times in residency.values() for name in times}

    def order(name):
        if name.startswith('idle'):
            return (0, name)
        if name.isdigit():
            return (1, '{:012d}'.format(int(name)))
        return (2, name)
    rows = [['state'] + ['CPU{}'.format(cpu) for cpu in cpus]]
    for name in sorted(names, key=order):
        rows.append([name] + [_percent(residency[cpu].get(name, 0.0), total, use_ratios)
                              for cpu in cpus])
    return rows


def parallel_rows(parallel, total, use_ratios=False):
    """``[header, ['all', n, seconds, share of the time, share of the running time]...]``
    for every number ``n`` >= 1 of CPUs running at once (WA3's parallel-stats)."""
    running = sum(seconds for count, seconds in parallel.items() if count > 0)
    rows = [['cluster', 'number_of_cores', 'total_time', '%time', '%running_time']]
    for count in sorted(c for c in parallel if c > 0):
        rows.append(['all', count, round(parallel[count], 6),
                     _percent(parallel[count], total, use_ratios),
                     _percent(parallel[count], running, use_ratios)])
    return rows


def _write_csv(path, rows):
    with open(path, 'w', newline='') as fh:
        csv.writer(fh).writerows(rows)


class CpuStates(ResultProcessor):

    name = 'cpustates'
    description = """Reports the time each CPU spent in each power state, from the job's trace.

    Reads the text trace of each job (the ``trace-cmd-txt`` artifact of the ``trace_cmd``
    instrument, which needs the ``cpu_frequency`` and ``cpu_idle`` events, both in its default
    events) and follows every CPU through its frequency (P-state) and idle (C-state) changes,
    between devlib's start and stop markers when the trace has them.

    Per job: ``power-state-stats.csv`` (one row per state: ``idle<N>``, a frequency in kHz,
    ``running`` before a CPU's first frequency event, ``unknown`` before its first idle
    event; one column per CPU: percent of the traced time) and ``parallel-stats.csv`` (for
    each number of CPUs running at once: seconds, percent of the time and of the time
    anything ran). For the run: the same rows of every job, with its id, workload and
    iteration, in ``power-state-stats.csv`` and ``parallel-stats.csv`` (artifacts
    ``run-power-state-stats`` and ``run-parallel-stats``). Jobs without a text trace are
    skipped with a warning.
    """
    parameters = [
        Parameter('use_ratios', kind=bool, default=False,
                  description='Report shares as ratios (0 to 1) instead of percentages.'),
        Parameter('no_idle', kind=bool, default=False,
                  description='The target has no cpuidle (no idle events will come): take '
                              'each CPU as running from the start instead of "unknown".'),
        Parameter('split_wfi_states', kind=bool, default=False,
                  description='Count time in idle state 0 (WFI, whose power depends on the '
                              'frequency) separately for each frequency: ``idle0@<kHz>``.'),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.job_rows = []

    def initialize(self, context):
        self.job_rows = []

    def process_iteration_result(self, result, context):
        trace = next((a for a in result.artifacts if a.name == TRACE_ARTIFACT), None)
        if trace is None:
            self.logger.warning('cpustates: job %s has no text trace (%s artifact of '
                                'trace_cmd); skipped', result.id, TRACE_ARTIFACT)
            return
        path = os.path.join(context.run_output_directory, trace.path)
        with open(path, errors='replace') as fh:
            window, events = parse_trace(fh)
        if window is None or not events:
            self.logger.warning('cpustates: no cpu_frequency or cpu_idle event in %s', path)
            return
        cpus = sorted({event[2] for event in events})
        residency, parallel = power_state_times(window, events, cpus, self.no_idle,
                                                self.split_wfi_states)
        total = window[1] - window[0]
        states = state_rows(residency, total, self.use_ratios)
        together = parallel_rows(parallel, total, self.use_ratios)
        directory = os.path.dirname(path)
        for name, rows in (('power-state-stats', states), ('parallel-stats', together)):
            _write_csv(os.path.join(directory, name + '.csv'), rows)
            result.add_artifact(name, os.path.join(directory, name + '.csv'), 'data',
                                description='cpustates: {} of this job'.format(name))
        self.job_rows.append(([result.id, result.workload, result.iteration], states, together))

    def export_run_result(self, result, context):
        if not self.job_rows:
            return
        for name, index in (('power-state-stats', 1), ('parallel-stats', 2)):
            rows = []
            for prefix, *tables in self.job_rows:
                table = tables[index - 1]
                if not rows:
                    rows.append(['id', 'workload', 'iteration'] + table[0])
                rows += [prefix + row for row in table[1:]]
            path = os.path.join(context.run_output_directory, name + '.csv')
            _write_csv(path, rows)
            if not any(a.name == 'run-' + name for a in result.artifacts):
                result.add_artifact('run-' + name, path, 'export',
                                    description='cpustates: {} of every job'.format(name))

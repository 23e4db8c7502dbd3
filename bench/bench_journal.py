"""The Journal's cost per job, for runs of 100 to 10,000 jobs (issue 8).

Each job of the simulated run is recorded the way the Runner does it (job started, job ended:
two updates of result.json), with METRICS metrics per job. Prints, for each run size, the
mean cost per job over the whole run and over its last 100 jobs (and how much of that is
serialising the attempt). Run with:

    python3 bench/bench_journal.py [METRICS]

The finished attempts are never rewritten (journal_file.py); what remains proportional to
the run is the NOT_STARTED entry of each queued job, rewritten with the tail.
"""
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from wa.output import journal as journal_module  # noqa: E402
from wa.core import status  # noqa: E402
from wa.core.jobqueue import JobQueue  # noqa: E402
from wa.core.jobs import Job  # noqa: E402
from wa.output.journal import Journal  # noqa: E402
from wa.output.directory import RunOutput  # noqa: E402
from wa.core.results import JobResult, RunResult, utc_now  # noqa: E402
from wa.output.table import format_table  # noqa: E402


class Spec:
    def __init__(self, index):
        self.id = 'wk{}'.format(index)
        self.label = 'idle'
        self.workload_name = 'idle'
        self.classifiers = {'n': index}
        self.enabled = True


def measure(jobs, metrics):
    """Seconds per job over the whole run of ``jobs`` jobs, then over its last 100 jobs (all
    and serialising only), and the final size of result.json in bytes."""
    root = tempfile.mkdtemp(prefix='bench-journal-')
    output = RunOutput(root)
    os.makedirs(output.meta)
    run_result = RunResult(root)
    run_result.start_time = utc_now()
    queue = JobQueue([Job(Spec(i), 1) for i in range(jobs)], {})
    journal = Journal(output, run_result, lambda: queue)
    journal.run_started()
    serialise = [0.0]
    real_fragment = journal_module._fragment  # pylint: disable=protected-access

    def timed_fragment(result, text=None):
        start = time.perf_counter()
        text = real_fragment(result, text)
        serialise[0] += time.perf_counter() - start
        return text

    journal_module._fragment = timed_fragment  # pylint: disable=protected-access
    try:
        start = None
        run_start = time.perf_counter()
        for index in range(jobs):
            if index == jobs - 100:
                start, serialise[0] = time.perf_counter(), 0.0
            job = queue.pop()
            result = JobResult(job.id, job.spec, 1, 0, root)
            result.status = status.RUNNING
            run_result.iteration_results.append(result)
            journal.job_started(job, result)
            for m in range(metrics):
                result.add_metric('metric_{}'.format(m), m * 1.5, 'units')
            result.status = status.OK
            journal.job_ended(job, result, False)
        end = time.perf_counter()
    finally:
        journal_module._fragment = real_fragment  # pylint: disable=protected-access
    size = os.path.getsize(output.result_file)
    shutil.rmtree(root)
    return (end - run_start) / jobs, (end - start) / 100, serialise[0] / 100, size


def main():
    metrics = int(sys.argv[1]) if len(sys.argv) > 1 else 160
    print('Journal cost per job (two result.json updates each), {} metrics per job'.format(
        metrics))
    rows = [('jobs', 'ms/job (run)', 'ms/job (last 100)', 'of which serialise', 'result.json')]
    for jobs in (100, 1000, 10000):
        whole, last, serialise, size = measure(jobs, metrics)
        rows.append((jobs, '{:.2f}'.format(whole * 1000), '{:.2f}'.format(last * 1000),
                     '{:.2f}'.format(serialise * 1000), '{:.1f} MB'.format(size / 1e6)))
    for line in format_table(rows, '>>>>>', gap='  '):
        print(line)


if __name__ == '__main__':
    main()

"""What recording one job's end costs when the run has N jobs, in this checkout's process.

Today the Runner rewrites the whole result.json (every attempt so far plus the queued jobs) at
the start and at the end of every job, so this cost grows with N and the run with N squared.
A journal that appends one record per job would keep it flat. The scenario measures one
rewrite, as the Runner does it; a checkout whose API differs prints why it could not.
"""
import subprocess
import sys

CODE = '''
import os, tempfile, time
from wa.core import status
from wa.core.output import write_json
from wa.core.results import JobResult, RunResult
figures = []
for jobs in (100, 10000):
    with tempfile.TemporaryDirectory() as tmp:
        run = RunResult(tmp)
        for i in range(jobs):
            job = JobResult('wk1', None, i + 1, 0, tmp, os.path.join(tmp, 'wk1-%d' % i))
            job.status = status.OK
            job.add_metric('exit_code', 0)
            job.add_metric('runtime', 0.001, 'seconds')
            job.add_artifact('script_output', os.path.join(tmp, 'wk1-%d' % i, 'out.txt'), 'raw')
            run.iteration_results.append(job)
        path = os.path.join(tmp, 'result.json')
        start = time.perf_counter()
        for _ in range(3):
            write_json(path, run.to_dict(pending=[]))
        figures.append((time.perf_counter() - start) / 3 * 2)  # two rewrites per job
print(' '.join(str(f) for f in figures))
'''


def bench(products, show):
    process = subprocess.run([sys.executable, '-c', CODE], env=products.env['ours'],
                             cwd=products.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, check=False)
    if process.returncode:
        lines = process.stderr.strip().splitlines()
        print('journal cost per job: n/a ({})'.format(lines[-1] if lines else 'failed'))
        return
    at_100, at_10k = (float(v) for v in process.stdout.split())
    show('result.json cost per job, 100 jobs', [at_100], unit='ms', scale=1000)
    show('result.json cost per job, 10k jobs', [at_10k], unit='ms', scale=1000)

"""Benchmarks of what users feel: CLI start-up and the framework's cost around each job.

Run: python3 bench/bench_cli.py   (prints figures; no pass/fail, compare against the goals)

Goals: ``wa --version`` < 0.15 s, ``wa list workloads`` and ``wa show`` < 0.4 s (the original
takes about a second to print its version); framework overhead per job < 20 ms beyond the
workload's own time, measured as the wall time of N zero-length idle jobs minus one.
"""
import json
import os
import subprocess
import sys
import tempfile
import time


def timed(argv, repeat=5):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def per_job_overhead(jobs=50):
    with tempfile.TemporaryDirectory() as tmp:
        agenda = os.path.join(tmp, 'agenda.yaml')
        with open(agenda, 'w') as fh:
            fh.write('config: {iterations: %d}\nworkloads:\n  - {name: idle, params: '
                     '{duration: 0}}\n' % jobs)
        out = os.path.join(tmp, 'out')
        subprocess.run([sys.executable, '-m', 'wa', 'run', agenda, '-d', out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(out, 'result.json')) as fh:
            result = json.load(fh)
        durations = [job['duration'] for job in result['jobs']]
        exec_times = [m['value'] for job in result['jobs'] for m in job['metrics']
                      if m['name'] == 'execution_time']
        return (sum(durations) - sum(exec_times)) / len(durations)


def main():
    print('wa --version        {:.3f} s'.format(timed(['wa', '--version'])))
    print('wa -h               {:.3f} s'.format(timed(['wa', '-h'])))
    print('wa list workloads   {:.3f} s'.format(timed(['wa', 'list', 'workloads'])))
    print('wa show idle        {:.3f} s'.format(timed(['wa', 'show', 'idle'])))
    print('per-job overhead    {:.1f} ms'.format(per_job_overhead() * 1000))


if __name__ == '__main__':
    main()

"""Twenty SIGKILLs at seeded moments of a real local run (idle and shellscript jobs), each
followed by ``wa run --resume DIR``, which must finish the run: every job OK exactly once in
result.json, status.txt and results.csv agreeing with it, no job lost.

A moment is an event of the run (the output directory created, the target connected, job N
running, job N recorded as done, the run's end being written), seen by polling the output
directory, plus a seeded delay of a few milliseconds so that kills also land between events:
while a file is being written or a processor runs. ``WA_KILL_TRIALS`` asks for more trials.
"""
import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

TRIALS = int(os.environ.get('WA_KILL_TRIALS', '20'))
JOBS = [('i1', 'idle', 1), ('s1', 'shellscript', 1), ('i2', 'idle', 1), ('s2', 'shellscript', 1),
        ('s2', 'shellscript', 2)]
AGENDA = """config: {max_retries: 0}
workloads:
  - {name: idle, id: i1, params: {duration: 0}}
  - {name: shellscript, id: s1, params: {script_file: script.sh, argstring: one}}
  - {name: idle, id: i2, params: {duration: 0.05}}
  - {name: shellscript, id: s2, params: {script_file: script.sh, argstring: two}, iterations: 2}
"""
WAIT = 120  # seconds: only for a run that never reaches the event (the test then fails)


def moments(seed):
    """(description, test of the output directory) of each kill, with a delay in seconds."""
    rng = random.Random(seed)
    events = [('output directory created', os.path.isdir),
              ('connected', lambda out: 'Target:' in read(out, 'run.log'))]
    for index, (job, _, iteration) in enumerate(JOBS):
        for state in ('RUNNING', 'OK'):
            events.append(('{} #{} {}'.format(job, iteration, state),
                           lambda out, i=index, s=state: job_states(out)[i:i + 1] == [s]))
    events.append(('run end', lambda out: 'Done.' in read(out, 'run.log')))
    for _ in range(TRIALS):
        name, test = rng.choice(events)
        yield name, test, rng.choice([0, 0, 0.001, 0.005, 0.02])


def read(out, name):
    try:
        with open(os.path.join(out, name)) as fh:
            return fh.read()
    except OSError:
        return ''


def job_states(out):
    try:
        return [job['status'] for job in json.loads(read(out, 'result.json'))['jobs']]
    except (ValueError, KeyError, TypeError):
        return []


def wa(base, *args, **kwargs):
    env = dict(os.environ, WA_USER_DIRECTORY=os.path.join(base, 'user'))
    return subprocess.Popen([sys.executable, '-m', 'wa'] + list(args), cwd=base, env=env,
                            stdin=subprocess.DEVNULL, **kwargs)


def kill_then_resume(base, moment):
    """Runs the agenda in ``base``, SIGKILLs it at ``moment`` and resumes it; returns the
    output directory and the resume's (exit status, stderr)."""
    name, reached, delay = moment
    os.makedirs(base)
    with open(os.path.join(base, 'agenda.yaml'), 'w') as fh:
        fh.write(AGENDA)
    with open(os.path.join(base, 'script.sh'), 'w') as fh:
        fh.write('echo "ran $1"\n')
    out = os.path.join(base, 'out')
    run = wa(base, 'run', 'agenda.yaml', '-d', out, stdout=subprocess.DEVNULL,
             stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + WAIT
    while not reached(out) and run.poll() is None:
        assert time.monotonic() < deadline, 'the run never reached "{}"'.format(name)
        time.sleep(0.002)
    time.sleep(delay)
    run.kill()
    run.wait()
    resume = wa(base, 'run', '--resume', out, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, universal_newlines=True)
    _, stderr = resume.communicate(timeout=WAIT)
    return out, resume.returncode, stderr


def check_finished(out, code, stderr):
    assert code == 0, stderr
    result = json.loads(read(out, 'result.json'))
    assert result['status'] == 'OK', stderr
    jobs = [(job['id'], job['workload'], job['iteration']) for job in result['jobs']]
    assert sorted(jobs) == sorted(JOBS), jobs  # each job exactly once, none lost
    assert {job['status'] for job in result['jobs']} == {'OK'}
    status = [line.split() for line in read(out, 'status.txt').splitlines()]
    assert ['Run', 'status:', 'OK'] in status
    assert sorted(tuple(row) for row in status if len(row) == 4) == sorted(
        (i, w, str(n), 'OK') for i, w, n in JOBS)
    with open(os.path.join(out, 'results.csv')) as fh:
        rows = [(row['id'], row['metric'], row['value']) for row in csv.DictReader(fh)]
    recorded = [(job['id'], metric['name'], metric['value'])
                for job in result['jobs'] for metric in job['metrics']]
    assert sorted(rows) == sorted((i, m, str(v)) for i, m, v in recorded)
    for job in result['jobs']:
        directory = os.path.join(out, '{}-{}-{}'.format(job['id'], job['label'],
                                                        job['iteration']))
        assert os.path.isdir(directory), directory


def test_sigkill_at_any_moment_then_resume_finishes_the_run(tmp_path):
    trials = list(enumerate(moments(9)))
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(
            lambda t: (t[1][0], kill_then_resume(str(tmp_path / str(t[0])), t[1])), trials))
    for name, (out, code, stderr) in outcomes:
        try:
            check_finished(out, code, stderr)
        except AssertionError as error:
            pytest.fail('killed at "{}" ({}): {}'.format(name, out, error))

"""Running a real ``wa run`` of an agenda (given as a dict) from a test."""
import json
import os
import subprocess
import sys


def run_agenda(base, agenda, timeout=300):
    """Writes ``agenda`` under ``base`` and runs it with a user directory of its own; returns
    (output directory, result.json as a dict, the CompletedProcess)."""
    agenda_path = base / 'agenda.yaml'
    agenda_path.write_text(json.dumps(agenda))
    out = base / 'out'
    env = dict(os.environ, WA_USER_DIRECTORY=str(base / 'user'))
    process = subprocess.run([sys.executable, '-m', 'wa', 'run', str(agenda_path), '-d',
                              str(out)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True,
                             timeout=timeout, env=env)
    assert (out / 'result.json').exists(), process.stdout
    return out, json.loads((out / 'result.json').read_text()), process


def ok_job_metrics(run, job_id):
    """``{name: metric dict}`` of job ``job_id`` of ``run`` (out, {id: job}, process, base),
    after checking that the job ended OK and that each of its artifacts exists."""
    out, jobs, process, _ = run
    job = jobs[job_id]
    assert job['status'] == 'OK', '{}: {}\n{}'.format(job_id, job['events'], process.stdout)
    for artifact in job['artifacts']:
        assert (out / artifact['path']).exists(), artifact
    return {metric['name']: metric for metric in job['metrics']}

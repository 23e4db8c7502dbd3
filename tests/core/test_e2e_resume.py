"""wa run --resume DIR: finish an interrupted run in place, keeping what it had finished."""
import json
import os
import signal
import subprocess
import sys
import time


def env_for(tmp_path):
    return dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user'))


def jobs_of(out):
    return [(j['id'], j['iteration'], j['status'])
            for j in json.loads((out / 'result.json').read_text())['jobs']]


def interrupt_during(tmp_path, out, job, iteration):
    """Starts the agenda and sends SIGINT once ``job``'s ``iteration`` is running."""
    proc = subprocess.Popen([sys.executable, '-m', 'wa', 'run', 'agenda.yaml', '-d', str(out)],
                            cwd=str(tmp_path), env=env_for(tmp_path),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if (job, iteration, 'RUNNING') in jobs_of(out):
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 1


def test_resume_runs_only_the_unfinished_jobs(tmp_path):
    (tmp_path / 'agenda.yaml').write_text(
        'workloads:\n'
        '  - {name: idle, id: quick, params: {duration: 0.1}}\n'
        '  - {name: idle, id: slow, params: {duration: 3}, iterations: 2}\n')
    out = tmp_path / 'out'
    interrupt_during(tmp_path, out, 'slow', 1)
    assert jobs_of(out) == [('quick', 1, 'OK'), ('slow', 1, 'ABORTED'), ('slow', 2, 'ABORTED')]
    first_quick_time = json.loads((out / 'result.json').read_text())['jobs'][0]['start_time']
    (tmp_path / 'agenda.yaml').write_text('workloads: [idle]\n')  # the copy in __meta is used
    proc = subprocess.run([sys.executable, '-m', 'wa', 'run', '--resume', str(out)],
                          cwd=str(tmp_path), env=env_for(tmp_path), capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert 'Resuming' in proc.stderr and '2 of 3 jobs to run' in proc.stderr
    assert jobs_of(out) == [('quick', 1, 'OK'), ('slow', 1, 'OK'), ('slow', 2, 'OK')]
    result = json.loads((out / 'result.json').read_text())
    assert result['status'] == 'OK' and result['jobs'][0]['start_time'] == first_quick_time
    assert 'slow idle 2 OK' in ' '.join((out / 'status.txt').read_text().split())
    assert (out / 'results.csv').read_text().count('execution_time') == 3


def test_resume_of_something_that_is_not_an_output_directory(tmp_path):
    proc = subprocess.run([sys.executable, '-m', 'wa', 'run', '--resume', str(tmp_path)],
                          env=env_for(tmp_path), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert 'Cannot resume' in proc.stderr and 'Traceback' not in proc.stderr


def _run_then_resume(tmp_path, bail):
    """A run whose workload fails to initialise while a marker file exists, then a resume
    once the marker is gone; returns the job statuses after each and the resume's stderr."""
    from wa_core_testlib import DATA, make_user_dir
    marker = tmp_path / 'marker'
    marker.write_text('')
    user = make_user_dir(tmp_path / 'user_root',
                         (os.path.join(DATA, 'plugins_faults', 'faults.py'),))
    (tmp_path / 'agenda.yaml').write_text(
        'config: {bail_on_init_failure: %s}\n'
        'workloads:\n'
        '  - {name: idle, id: a, params: {duration: 0}}\n'
        '  - {name: exiter, id: b, params: {where: none, fail_if: "%s"}}\n' % (bail, marker))
    env = dict(os.environ, WA_USER_DIRECTORY=user)
    out = tmp_path / 'out'
    first = subprocess.run([sys.executable, '-m', 'wa', 'run', 'agenda.yaml', '-d', str(out)],
                           cwd=str(tmp_path), env=env, capture_output=True, text=True,
                           timeout=120)
    assert first.returncode == 1, first.stderr
    before = jobs_of(out)
    marker.unlink()
    resumed = subprocess.run([sys.executable, '-m', 'wa', 'run', '--resume', str(out)],
                             cwd=str(tmp_path), env=env, capture_output=True, text=True,
                             timeout=120)
    return before, jobs_of(out), resumed


def test_resume_reruns_jobs_skipped_because_of_the_run(tmp_path):
    before, after, resumed = _run_then_resume(tmp_path, 'true')
    assert before == [('a', 1, 'SKIPPED'), ('b', 1, 'SKIPPED')]
    assert '2 of 2 jobs to run' in resumed.stderr, resumed.stderr
    assert after == [('a', 1, 'OK'), ('b', 1, 'OK')] and resumed.returncode == 0


def test_resume_keeps_jobs_of_a_disabled_spec_skipped(tmp_path):
    before, after, resumed = _run_then_resume(tmp_path, 'false')
    assert before == [('a', 1, 'OK'), ('b', 1, 'SKIPPED')]
    assert '0 of 2 jobs to run' in resumed.stderr, resumed.stderr
    assert after == before

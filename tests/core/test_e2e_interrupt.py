"""Ctrl-C (SIGINT to the process group, as a terminal sends it) during a real ``wa run``:
the output directory stays readable (CONTRACT.md; signals.md §7; reference.md §10)."""
import json
import os
import signal
import time

import pytest

from wa_core_testlib import make_user_dir, start_wa, write, WaRun

IDLE_AGENDA = """
config:
  instrumentation: [tracer]
workloads:
  - {name: idle, params: {duration: 3}}
  - {name: idle, params: {duration: 3}}
  - {name: idle, params: {duration: 3}}
  - {name: idle, params: {duration: 3}}
"""


def _wait_for(path, line=None, timeout=30):
    """Waits until ``path`` exists (and, with ``line``, holds that line)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            if line is None:
                return True
            with open(path) as fh:
                if line in fh.read().splitlines():
                    return True
        time.sleep(0.05)
    return False


def _interrupt(tmp, agenda_text, wait, delay, second=None, sig=signal.SIGINT):
    """Runs the agenda; once ``wait`` (a job directory name, or a trace line) shows up, waits
    ``delay`` seconds and sends ``sig`` to the process group. ``second`` = (trace line, delay)
    sends a second SIGINT that long after the line shows up."""
    tmp = str(tmp)
    user_dir = make_user_dir(tmp)
    agenda = write(os.path.join(tmp, 'agenda.yaml'), agenda_text)
    out = os.path.join(tmp, 'out')
    log_path = os.path.join(tmp, 'trace.log')
    proc = start_wa(['run', agenda, '-d', out], user_dir, cwd=tmp, log_path=log_path)
    try:
        if ':' in wait:
            started = _wait_for(log_path, wait)
        else:
            started = _wait_for(os.path.join(out, wait))
        time.sleep(delay)
        os.killpg(proc.pid, sig)
        if second is not None:
            _wait_for(log_path, second[0], timeout=10)
            time.sleep(second[1])
            os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert started, 'never saw ' + wait
    return WaRun(['run', agenda, '-d', out], proc.returncode, stdout, stderr, out, log_path)


@pytest.fixture(scope='module')
def interrupted(tmp_path_factory):
    # the tracer's start runs right before idle's sleep of 3 s
    return _interrupt(tmp_path_factory.mktemp('sigint'), IDLE_AGENDA, 't:start', 1.0)


def test_exit_status_1(interrupted):
    assert interrupted.returncode == 1, interrupted.describe()
    assert 'Traceback' not in interrupted.stderr, interrupted.describe()


def test_result_json_aborted(interrupted):
    data = interrupted.result
    assert data['status'] == 'ABORTED'
    jobs = [(j['id'], j['iteration'], j['status']) for j in data['jobs']]
    assert jobs == [('wk1', 1, 'ABORTED'), ('wk2', 1, 'ABORTED'), ('wk3', 1, 'ABORTED'),
                    ('wk4', 1, 'ABORTED')]
    assert data['end_time'] and data['duration'] is not None


def test_status_txt_written(interrupted):
    text = interrupted.text('status.txt')
    assert 'Run status: ABORTED' in text
    rows = [l.split() for l in text.splitlines()]
    assert [r[:4] for r in rows if r and r[0].startswith('wk')] == [
        ['wk{}'.format(n), 'idle', '1', 'ABORTED'] for n in range(1, 5)]


def test_log_message(interrupted):
    assert 'Got CTRL-C. Finalizing run... (CTRL-C again to abort).' in \
        interrupted.text('run.log')


def test_signals_after_interrupt(interrupted):
    """The after-* of the interrupted triple; the teardown triple (setup had completed); no
    result update; iteration-end and spec-end; no other job starts; the normal ending."""
    lines = [l[2:] for l in interrupted.trace
             if l.startswith('t:') and not l.startswith(('t:on_error', 't:on_warning'))]
    assert lines == ['on_run_start', 'initialize', 'on_workload_spec_start',
                     'on_iteration_start', 'before_workload_setup', 'setup',
                     'after_workload_setup', 'start', 'stop',
                     'before_workload_teardown', 'on_successful_workload_teardown', 'teardown',
                     'on_iteration_end', 'on_workload_spec_end', 'finalize',
                     'before_overall_results_processing',
                     'on_successful_overall_results_processing',
                     'after_overall_results_processing', 'on_run_end']


SLOW_TEARDOWN_AGENDA = """
config:
  instrumentation: [tracer]
workloads:
  - {name: coretest, label: slow, params: {duration: 3, teardown_sleep: 2}}
  - {name: coretest, label: next, params: {duration: 3}}
"""


@pytest.fixture(scope='module')
def twice(tmp_path_factory):
    # the second SIGINT lands during the (slow) teardown that the first one started
    return _interrupt(tmp_path_factory.mktemp('sigint2'), SLOW_TEARDOWN_AGENDA,
                      'wl:slow:run:1:0', 0.7, second=('wl:slow:teardown:1:0', 0.5))


def test_second_interrupt_exit_status(twice):
    assert twice.returncode == 1, twice.describe()
    assert 'Traceback' not in twice.stderr, twice.describe()


def test_second_interrupt_result_json_valid(twice):
    with open(twice.path('result.json')) as fh:
        data = json.load(fh)
    assert data['status'] == 'ABORTED'
    assert [(j['id'], j['status']) for j in data['jobs']] == [('wk1', 'ABORTED'),
                                                              ('wk2', 'ABORTED')]


def test_second_interrupt_stops_at_once(twice):
    assert 'Got CTRL-C. Aborting.' in twice.stdout + twice.stderr + twice.text('run.log')
    trace = twice.trace
    assert 'wl:slow:teardown:1:0' in trace
    assert 'wl:slow:teardown_done:1:0' not in trace
    signals = [l for l in trace if l.startswith('t:')]
    # no more signals once the second Ctrl-C arrived during teardown (the after-teardown that
    # pairs the teardown triple is tolerated: signals.md §3 pairs triples)
    assert signals[-1] in ('t:before_workload_teardown', 't:teardown'), signals


SHORT_IDLE_AGENDA = """
workloads:
  - {name: idle, params: {duration: 0.2}}
  - {name: idle, params: {duration: 3}}
  - {name: idle, params: {duration: 3}}
"""


def test_sigterm_behaves_like_ctrl_c(tmp_path):
    """signals.md §7: SIGTERM is turned into the same interruption."""
    run = _interrupt(tmp_path, IDLE_AGENDA, 't:start', 0.8, sig=signal.SIGTERM)
    assert run.returncode == 1, run.describe()
    data = run.result
    assert data['status'] == 'ABORTED'
    assert [j['status'] for j in data['jobs']] == ['ABORTED'] * 4
    assert os.path.isfile(run.path('status.txt'))


def test_killed_run_keeps_finished_jobs(tmp_path):
    """CONTRACT: result.json is rewritten after every job, so a run that is killed keeps
    everything it finished."""
    run = _interrupt(tmp_path, SHORT_IDLE_AGENDA, 'wk2-idle-1', 0.5, sig=signal.SIGKILL)
    assert run.returncode == -signal.SIGKILL
    with open(run.path('result.json')) as fh:
        data = json.load(fh)
    jobs = data['jobs']
    assert jobs[0]['id'] == 'wk1' and jobs[0]['status'] == 'OK'
    assert any(m['name'] == 'execution_time' for m in jobs[0]['metrics'])
    assert all(j['status'] in ('RUNNING', 'NOT_STARTED') for j in jobs[1:])
    assert os.path.isfile(run.path('wk1-idle-1', 'result.json'))


def test_interrupt_outside_job_loop_stops_at_once(tmp_path):
    """signals.md §7: a Ctrl-C outside the job loop (here: while workloads initialise) stops at
    once: no more signals, result.json with every job ABORTED, exit status 1."""
    user_dir = make_user_dir(tmp_path)
    agenda = write(tmp_path / 'agenda.yaml', """
        config: {instrumentation: [tracer], iterations: 2}
        workloads:
          - {name: coretest, params: {initialize_sleep: 3}}
    """)
    out = tmp_path / 'out'
    log_path = tmp_path / 'trace.log'
    proc = start_wa(['run', agenda, '-d', out], user_dir, cwd=tmp_path, log_path=log_path)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if log_path.exists() and 'wl:coretest:initialize:None:None' in log_path.read_text():
                break
            time.sleep(0.05)
        time.sleep(0.3)
        os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    run = WaRun(['run'], proc.returncode, stdout, stderr, str(out), str(log_path))
    assert run.returncode == 1, run.describe()
    assert 'Traceback' not in run.stderr
    data = run.result
    assert data['status'] == 'ABORTED'
    assert [(j['id'], j['iteration'], j['status']) for j in data['jobs']] == [
        ('wk1', 1, 'ABORTED'), ('wk1', 2, 'ABORTED')]
    assert 'Got CTRL-C. Aborting.' in run.stderr + run.text('run.log')
    assert [l for l in run.trace if l.startswith('t:')] == ['t:on_run_start']
    assert 'wl:coretest:initialize_done:None:None' not in run.trace

"""Real ``wa run`` against ``device: linux``: an OpenSSH server on 127.0.0.1 that the test starts,
stops in the middle of a run, and starts again (or never again)."""
import json
import os
import subprocess
import sys
import time

import pytest
import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from sshd import SshServer, sshd_available  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.skipif(not sshd_available(),
                                reason='needs openssh-server and openssh-client')


@pytest.fixture
def server(tmp_path):
    server = SshServer(tmp_path)
    server.start()
    yield server
    server.close()


def write_agenda(tmp_path, server, workloads, **config):
    device_config = dict(server.connection_settings(),
                         working_directory=str(tmp_path / 'target-wd'),
                         hang_check_interval=1, hang_timeout=2)
    agenda = {'config': dict({'device': 'linux', 'device_config': device_config}, **config),
              'workloads': workloads}
    path = tmp_path / 'agenda.yaml'
    path.write_text(yaml.safe_dump(agenda))
    return path


def start_run(tmp_path, agenda):
    out = tmp_path / 'out'
    env = dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user'))
    proc = subprocess.Popen([sys.executable, '-m', 'wa', 'run', str(agenda), '-d', str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    return proc, out


def wait_for_running(out, job_id, timeout=60):
    """Waits until result.json shows ``job_id`` RUNNING."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            jobs = json.loads((out / 'result.json').read_text())['jobs']
        except (OSError, ValueError, KeyError):
            jobs = []
        if any(j['id'] == job_id and j['status'] == 'RUNNING' for j in jobs):
            return
        time.sleep(0.1)
    raise AssertionError('{} never started'.format(job_id))


def test_run_over_ssh_records_target_info(tmp_path, server):
    agenda = write_agenda(tmp_path, server, [{'name': 'idle', 'params': {'duration': 0.2}},
                                             {'name': 'shellscript', 'params': {
                                                 'script_file': str(write_script(tmp_path))}}])
    proc, out = start_run(tmp_path, agenda)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    result = json.loads((out / 'result.json').read_text())
    assert [j['status'] for j in result['jobs']] == ['OK', 'OK']
    info = json.loads((out / '__meta' / 'target_info.json').read_text())
    assert info['target'] == 'LinuxTarget' and info['os'] == 'linux' and info['cpus'] >= 1
    assert 'Target: linux' in stderr
    script_job = result['jobs'][1]
    metrics = {m['name']: m['value'] for m in script_job['metrics']}
    assert metrics['exit_code'] == 0
    output = (out / 'wk2-shellscript-1' / 'script-output.txt').read_text()
    assert 'hello from the target' in output


def write_script(tmp_path):
    script = tmp_path / 'hello.sh'
    script.write_text('echo "hello from the target $1"\n')
    return script


def stop_server_during_long_job(tmp_path, server, attempts, delay, restart_after=None,
                                hang=False):
    """Runs three jobs and stops the server (or, with ``hang``, freezes it) while the middle
    one runs; returns (exit status, stderr, result.json, {job id: status})."""
    agenda = write_agenda(tmp_path, server,
                          [{'name': 'idle', 'id': 'first', 'params': {'duration': 0.2}},
                           {'name': 'idle', 'id': 'long', 'params': {'duration': 30}},
                           {'name': 'idle', 'id': 'after', 'params': {'duration': 0.2}}],
                          retry_on_status=[], reconnect_attempts=attempts,
                          reconnect_delay=delay)
    proc, out = start_run(tmp_path, agenda)
    wait_for_running(out, 'long')
    time.sleep(1)
    if hang:
        server.freeze()
    else:
        server.stop()
    if restart_after is not None:
        time.sleep(restart_after)
        if hang:
            server.thaw()
        else:
            server.start()
    _, stderr = proc.communicate(timeout=120)
    result = json.loads((out / 'result.json').read_text())
    return proc.returncode, stderr, result, {j['id']: j['status'] for j in result['jobs']}


def test_lost_connection_fails_the_job_reconnects_and_goes_on(tmp_path, server):
    code, stderr, result, statuses = stop_server_during_long_job(tmp_path, server, 10, 1,
                                                                 restart_after=2)
    assert code == 1, stderr
    assert statuses == {'first': 'OK', 'long': 'FAILED', 'after': 'OK'}
    long_job = next(j for j in result['jobs'] if j['id'] == 'long')
    assert any('connection' in e['message'].lower() for e in long_job['events'])
    assert 'Reconnected to the target' in stderr
    assert 'Traceback' not in stderr


def test_target_that_never_comes_back_skips_the_rest_and_keeps_finished_jobs(tmp_path, server):
    code, stderr, result, statuses = stop_server_during_long_job(tmp_path, server, 2, 0.5)
    assert code == 1
    assert statuses == {'first': 'OK', 'long': 'FAILED', 'after': 'SKIPPED'}
    first = next(j for j in result['jobs'] if j['id'] == 'first')
    assert any(m['name'] == 'execution_time' for m in first['metrics'])
    assert 'recovery not possible' in stderr
    assert 'Traceback' not in stderr
    out = tmp_path / 'out'
    assert (out / 'results.csv').read_text().count('\n') == 2  # header + the finished job


def test_hung_target_fails_the_job_instead_of_blocking_and_the_run_goes_on(tmp_path, server):
    code, stderr, result, statuses = stop_server_during_long_job(
        tmp_path, server, 10, 1, restart_after=6, hang=True)
    assert statuses == {'first': 'OK', 'long': 'FAILED', 'after': 'OK'}, stderr
    assert 'has not answered for 2 seconds' in stderr
    assert 'Reconnected to the target' in stderr
    long_job = next(j for j in result['jobs'] if j['id'] == 'long')
    assert long_job['duration'] < 25
    assert code == 1 and 'Traceback' not in stderr


def test_unreachable_host_fails_with_one_clear_line(tmp_path, server):
    server.stop()
    agenda = write_agenda(tmp_path, server, ['idle'])
    proc, out = start_run(tmp_path, agenda)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1
    errors = [line for line in stderr.splitlines() if line.startswith('ERROR')]
    assert 'over SSH' in errors[0] and str(server.port) in errors[0]
    assert 'Traceback' not in stderr
    assert json.loads((out / 'result.json').read_text())['status'] == 'FAILED'

"""shellscript's output cut before the script's exit status: when the target no longer answers
(the SSH connection dropped) the job is a lost connection, so the run's reconnect logic runs
and what is left is SKIPPED for --resume; when the target still answers (the script killed its
own shell) it is the job's failure and the run goes on."""
import json
import os
import subprocess
import sys
import time

import pytest
import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from sshd import SshServer, sshd_available  # noqa: E402  pylint: disable=wrong-import-position


def start(tmp_path, script, config):
    (tmp_path / 'script.sh').write_text(script)
    agenda = {'config': dict({'max_retries': 0}, **config), 'workloads': [
        {'name': 'shellscript', 'id': 'cut', 'params': {'script_file': 'script.sh'}},
        {'name': 'idle', 'id': 'after', 'params': {'duration': 0}}]}
    (tmp_path / 'agenda.yaml').write_text(yaml.safe_dump(agenda))
    return subprocess.Popen([sys.executable, '-m', 'wa', 'run', 'agenda.yaml', '-d', 'out'],
                            cwd=str(tmp_path), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user')))


def jobs(tmp_path):
    result = json.loads((tmp_path / 'out' / 'result.json').read_text())
    return {job['id']: job for job in result['jobs']}


def test_a_script_that_kills_its_shell_fails_alone(tmp_path):
    run = start(tmp_path, 'echo partial\nkill -9 $PPID\n', {})
    output, _ = run.communicate(timeout=300)
    assert run.returncode == 1, output
    found = jobs(tmp_path)
    assert found['cut']['status'] == 'FAILED'
    assert 'its shell was killed (the target still answers)' in \
        found['cut']['events'][-1]['message']
    assert found['after']['status'] == 'OK', output


@pytest.mark.skipif(not sshd_available(), reason='needs openssh-server and openssh-client')
def test_a_connection_dropped_mid_script_is_a_lost_target(tmp_path):
    server = SshServer(tmp_path / 'board')
    server.start()
    started = tmp_path / 'started'
    try:
        run = start(tmp_path, 'touch {}\nsleep 60\n'.format(started), {
            'device': 'linux', 'reconnect_attempts': 0, 'reconnect_delay': 0,
            'device_config': dict(server.connection_settings(),
                                  working_directory=str(tmp_path / 'wd'))})
        deadline = time.monotonic() + 120
        while not started.exists():     # the event: the script runs on the target
            assert run.poll() is None and time.monotonic() < deadline, run.stdout.read()
            time.sleep(0.05)
        server.stop()
        output, _ = run.communicate(timeout=300)
    finally:
        server.close()
    assert run.returncode == 1, output
    assert 'Lost the connection to the target while running workload' in \
        (tmp_path / 'out' / 'run.log').read_text(), output
    found = jobs(tmp_path)
    assert found['cut']['status'] == 'FAILED'
    assert found['after']['status'] == 'SKIPPED', output   # left for --resume

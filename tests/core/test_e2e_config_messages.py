"""Config mistakes found by a new user: each is one line with the right file:line, exit 2."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest


def wa(args, tmp_path, user_config=None, **kwargs):
    user = tmp_path / 'user'
    user.mkdir(exist_ok=True)
    if user_config:
        (user / 'config.yaml').write_text(user_config)
    env = dict(os.environ, WA_USER_DIRECTORY=str(user))
    return subprocess.run([sys.executable, '-m', 'wa'] + args, cwd=str(tmp_path),
                          capture_output=True, text=True, env=env, timeout=120, **kwargs)


CASES = [
    ('config:\n  iterations: 2\n  iterations: 3\nworkloads: [idle]\n',
     'agenda.yaml:3: "iterations" is given twice (also at line 2)'),
    ('config:\n  device: local\n  iterations: 0\nworkloads:\n  - idle\n',
     'agenda.yaml:3: "iterations" must be a whole number of at least 1'),
    ('config: {idle: {duraton: 1}}\nworkloads:\n  - idle\n',
     'agenda.yaml:1: Unexpected config "duraton" for "idle"; did you mean "duration"?'),
    ('config: {id: x}\nworkloads: [idle]\n', 'agenda.yaml:1: "id" is not allowed in config'),
    ('config: {device: locall}\nworkloads: [idle]\n',
     'agenda.yaml:1: Unknown target "locall"; did you mean "local"?'),
    ('workloads:\n  - {name: idle, label: "a/b"}\n', 'agenda.yaml:2: invalid label "a/b"'),
    ('config: {max_retries: -1}\nworkloads: [idle]\n',
     'agenda.yaml:1: Value -1 for parameter "max_retries" of "config" is not valid: it must '
     'satisfy "v >= 0"'),
]


@pytest.mark.parametrize('text, message', CASES)
def test_agenda_mistakes(tmp_path, text, message):
    (tmp_path / 'agenda.yaml').write_text(text)
    proc = wa(['run', 'agenda.yaml', '-d', 'out'], tmp_path)
    assert proc.returncode == 2
    errors = [l for l in proc.stderr.splitlines() if l.startswith('ERROR')]
    assert len(errors) == 1 and message in errors[0], proc.stderr
    assert not (tmp_path / 'out').exists()


def test_user_config_mistake_points_at_config_yaml(tmp_path):
    proc = wa(['run', 'idle', '--dry-run'], tmp_path, user_config='idle: {duraton: 1}\n')
    assert proc.returncode == 2
    assert 'config.yaml:1: Unexpected config "duraton"' in proc.stderr


def test_config_file_wrapped_in_config_says_so(tmp_path):
    (tmp_path / 'extra.yaml').write_text('config:\n  iterations: 2\n')
    proc = wa(['run', 'idle', '-c', 'extra.yaml', '--dry-run'], tmp_path)
    assert proc.returncode == 2 and 'remove the "config:" level' in proc.stderr


def test_clearing_processors_keeps_instruments(tmp_path):
    (tmp_path / 'agenda.yaml').write_text(
        'config: {result_processors: ["~~", csv]}\n'
        'workloads: [{name: idle, params: {duration: 0.1}}]\n')
    proc = wa(['run', 'agenda.yaml', '-d', 'out'], tmp_path)
    assert proc.returncode == 0, proc.stderr
    config = json.loads((tmp_path / 'out' / '__meta' / 'config.json').read_text())
    assert config['instrumentation'] == ['execution_time']
    assert config['result_processors'] == ['csv']
    assert not (tmp_path / 'out' / 'status.txt').exists()


def test_killed_run_lists_running_and_queued_jobs(tmp_path):
    (tmp_path / 'agenda.yaml').write_text(
        'workloads: [{name: idle, params: {duration: 5}, iterations: 3}]\n')
    env = dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user'))
    proc = subprocess.Popen([sys.executable, '-m', 'wa', 'run', 'agenda.yaml', '-d', 'out'],
                            cwd=str(tmp_path), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    result_file = tmp_path / 'out' / 'result.json'
    deadline = time.time() + 60
    jobs = []
    while time.time() < deadline and not any(j['status'] == 'RUNNING' for j in jobs):
        time.sleep(0.1)
        try:
            jobs = json.loads(result_file.read_text())['jobs']
        except (OSError, ValueError):
            jobs = []
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    result = json.loads(result_file.read_text())
    assert result['status'] == 'RUNNING'
    assert [(j['iteration'], j['status']) for j in result['jobs']] == \
        [(1, 'RUNNING'), (2, 'NOT_STARTED'), (3, 'NOT_STARTED')]
    assert oct(os.stat(result_file).st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_logging_settings_shape_the_console_and_run_log(tmp_path):
    (tmp_path / 'agenda.yaml').write_text(
        'config:\n'
        '  logging: {regular_format: "%(levelname)s| %(message)s", file_format: "F %(message)s"}\n'
        'workloads: [{name: idle, params: {duration: 0.1}}]\n')
    proc = wa(['run', 'agenda.yaml', '-d', 'out'], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert 'INFO| [1/1] wk1 idle iteration 1' in proc.stderr
    assert 'F [1/1] wk1 idle iteration 1' in (tmp_path / 'out' / 'run.log').read_text()

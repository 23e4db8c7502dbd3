"""A real multi-target ``wa run``: three sshd "boards" on 127.0.0.1, one stopped in the middle
of the run; bad fleets refused before anything is created; dry run; resume."""
import json
import os
import subprocess
import sys

import pytest
import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from sshd import SshServer, sshd_available  # noqa: E402  pylint: disable=wrong-import-position

BOARDS = ('board1', 'board2', 'board3')


def wa(*args, cwd=None):
    return subprocess.Popen([sys.executable, '-m', 'wa'] + [str(a) for a in args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, universal_newlines=True, cwd=cwd)


def wa_run(*args):
    process = wa(*args)
    output, _ = process.communicate(timeout=300)
    return process.returncode, output


def fleet_file(tmp_path, servers, **extra):
    targets = [{'name': name, 'device': 'linux',
                'device_config': dict(server.connection_settings(),
                                      working_directory=str(tmp_path / ('wd-' + name)),
                                      hang_check_interval=1, hang_timeout=2)}
               for name, server in zip(BOARDS, servers)]
    path = tmp_path / 'fleet.yaml'
    path.write_text(yaml.safe_dump(dict({'targets': targets}, **extra)))
    return path


def agenda_file(tmp_path, seconds, iterations=2):
    script = tmp_path / 'work.sh'
    script.write_text('sleep {}\necho done\n'.format(seconds))
    agenda = {'config': {'iterations': iterations, 'reconnect_attempts': 0,
                         'reconnect_delay': 0, 'max_retries': 0},
              'workloads': [{'name': 'shellscript', 'params': {'script_file': str(script)}}]}
    path = tmp_path / 'agenda.yaml'
    path.write_text(yaml.safe_dump(agenda))
    return path


@pytest.fixture
def boards(tmp_path):
    if not sshd_available():
        pytest.skip('needs openssh-server and openssh-client')
    servers = [SshServer(tmp_path / name) for name in BOARDS]
    for server in servers:
        server.start()
    yield servers
    for server in servers:
        server.close()


def read_result(out):
    return json.loads((out / 'result.json').read_text())


def test_fleet_with_a_board_lost_mid_run(tmp_path, boards):
    out = tmp_path / 'out'
    process = wa('run', agenda_file(tmp_path, 2), '--targets', fleet_file(tmp_path, boards),
                 '-d', out)
    first_job = out / 'board3' / 'wk1-shellscript-1'
    lines = []
    for line in process.stdout:          # the event: board3's first job has started
        lines.append(line)
        if first_job.is_dir():
            boards[2].stop()
            break
    lines.extend(process.stdout)
    process.wait(timeout=300)
    console = ''.join(lines)
    assert process.returncode == 1, console
    assert '[board1] ' in console and '[board3] ' in console
    result = read_result(out)
    by_target = {}
    for job in result['jobs']:
        target = job['classifiers']['target']
        assert job['id'].startswith(target + ':')
        by_target.setdefault(target, {})[(job['id'], job['iteration'])] = job['status']
        for metric in job['metrics']:
            assert metric['classifiers']['target'] == target
    assert set(by_target) == set(BOARDS)
    for name in ('board1', 'board2'):
        assert sorted(by_target[name].values()) == ['OK'] * 2, console
    lost = by_target['board3']
    # FAILED while the board dies; SKIPPED for what is left once it is known lost (when the
    # sshd stops relative to the second job decides which)
    assert len(lost) == 2 and set(lost.values()) <= {'FAILED', 'SKIPPED'}, console
    rows = (out / 'results.csv').read_text().splitlines()
    assert rows[0].split(',')[5] == 'target'
    assert {row.split(',')[5] for row in rows[1:]} >= {'board1', 'board2'}
    assert 'board3:wk1' in (out / 'status.txt').read_text()
    for name in BOARDS:   # each target's run is a run output directory of its own
        assert read_result(out / name)['jobs']

    boards[2].start()   # --resume runs the jobs board3 never started; the rest are kept
    code, console = wa_run('run', '--resume', out)
    assert '[board1] ' not in console, console
    if 'SKIPPED' in lost.values():
        assert '[board3] ' in console, console
    after = {(j['id'], j['iteration']): j['status'] for j in read_result(out)['jobs']}
    for key, job_status in lost.items():
        assert after[key] == ('OK' if job_status == 'SKIPPED' else job_status), console
    assert sum(1 for key in after if key[0].startswith('board1:')) == 2


def test_dry_run_lists_jobs_per_target(tmp_path):
    fleet = tmp_path / 'fleet.yaml'
    fleet.write_text(yaml.safe_dump({'targets': [
        {'name': 'a', 'device': 'local'}, {'name': 'b', 'device': 'local'}]}))
    code, console = wa_run('run', 'idle', '--targets', fleet, '--dry-run', '-d', tmp_path / 'o')
    assert code == 0, console
    assert console.splitlines()[0].startswith('a (local)')
    assert 'b (local):' in console and console.count('wk1') == 2
    assert not (tmp_path / 'o').exists()


@pytest.mark.parametrize('targets, message', [
    ([{'name': '../x', 'device': 'local'}], 'invalid target name "../x"'),
    ([{'name': 'a'}, {'name': 'a'}], 'target name "a" is used twice'),
    ([{'device': 'local'}], 'every target needs a "name"'),
    ([{'name': 'a', 'devcie': 'local'}], 'unknown key "devcie" in a target; did you mean "device"?'),
    ([{'name': 'a', 'device': 'linux'}], 'target a:'),
])
def test_bad_fleets_are_refused_before_anything_is_created(tmp_path, targets, message):
    agenda = tmp_path / 'agenda.yaml'
    agenda.write_text(yaml.safe_dump({'config': {'targets': targets},
                                      'workloads': [{'name': 'idle'}]}))
    code, console = wa_run('run', agenda, '-d', tmp_path / 'o')
    assert code == 2, console
    assert message in console
    assert 'Traceback' not in console
    assert not (tmp_path / 'o').exists()


def test_target_option_runs_one_target_alone(tmp_path):
    agenda = tmp_path / 'agenda.yaml'
    agenda.write_text(yaml.safe_dump({'config': {'targets': [
        {'name': 'here', 'device': 'local'}]}, 'workloads': [{'name': 'idle',
                                                              'params': {'duration': 0}}]}))
    code, console = wa_run('run', agenda, '--target', 'hre', '-d', tmp_path / 'o')
    assert code == 2 and 'no such target; did you mean "here"?' in console
    code, console = wa_run('run', agenda, '--target', 'here', '-d', tmp_path / 'o')
    assert code == 0, console
    assert read_result(tmp_path / 'o')['jobs'][0]['status'] == 'OK'


def test_keys_with_the_same_name_get_distinct_private_copies(tmp_path):
    from wa.target.sshkey import unique_keyfile
    keys = []
    for board in ('one', 'two'):
        (tmp_path / board).mkdir()
        key = tmp_path / board / 'id_ed25519'
        key.write_text('key of ' + board)
        key.chmod(0o644)
        keys.append(key)
    copies = [unique_keyfile(str(key)) for key in keys]
    assert copies[0] != copies[1]
    assert os.path.basename(copies[0]) != os.path.basename(copies[1])
    for key, copy in zip(keys, copies):
        assert open(copy).read() == key.read_text()
        assert os.stat(copy).st_mode & 0o777 == 0o600
    assert unique_keyfile(str(keys[0])) == copies[0]

"""``wa lava`` against a real LAVA 2023.01 on 127.0.0.1 (see conftest.py): one agenda on three
``ssh`` devices merged into one output directory; the same jobs collected again from LAVA's
test cases alone; a dead board reported Incomplete while the others are merged."""
import json
import os
import subprocess
import sys

import yaml

CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def agenda(tmp_path):
    script = tmp_path / 'work.sh'
    script.write_text('echo "work on $(hostname)"\n')
    path = tmp_path / 'agenda.yaml'
    path.write_text(yaml.safe_dump({
        'config': {'device': 'local', 'augmentations': ['execution_time']},
        'workloads': [{'name': 'shellscript', 'params': {'script_file': str(script)}}]}))
    return path


def wa_lava(farm, *args):
    wa_on_device = 'env PYTHONPATH={} {} -m wa'.format(CHECKOUT, sys.executable)
    argv = [sys.executable, '-m', 'wa', 'lava'] + [str(a) for a in args] + farm.server_args()
    if args[0] == 'submit':
        argv += ['--wa-command', wa_on_device, '--prompt', farm.prompt]
    process = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
    return process.returncode, process.stdout


def jobs_by_target(out):
    result = json.loads((out / 'result.json').read_text())
    by_target = {}
    for job in result['jobs']:
        by_target.setdefault(job['classifiers']['target'], []).append(job)
        for metric in job['metrics']:
            assert metric['classifiers']['target'] == job['classifiers']['target']
    return result, by_target


def lava_job_ids(console):
    line = next(l for l in console.splitlines() if l.startswith('LAVA jobs:'))
    return line.split(':', 1)[1].split()


def metrics(jobs):
    return {m['name']: m['value'] for job in jobs for m in job['metrics']}


def test_one_agenda_on_three_devices(lava_farm, tmp_path):
    out, returned = tmp_path / 'out', tmp_path / 'returned'
    code, console = wa_lava(lava_farm, 'submit', agenda(tmp_path), '--devices',
                            ','.join(lava_farm.devices), '--return-dir', returned, '-d', out)
    assert code == 0, console
    result, by_target = jobs_by_target(out)
    assert sorted(by_target) == lava_farm.devices
    for device, jobs in by_target.items():
        assert [j['status'] for j in jobs] == ['OK'], console
        assert {'exit_code', 'runtime', 'execution_time'} <= set(metrics(jobs))
        own = json.loads((out / device / 'result.json').read_text())   # the device's own run
        assert own['jobs'][0]['id'] == 'wk1'
        assert (out / device / 'wk1-shellscript-1' / 'script-output.txt').read_text().startswith(
            'work on ')
    assert result['metadata']['targets']['ssh01']['source'] == 'output directory'
    header = (out / 'results.csv').read_text().splitlines()[0]
    assert header.split(',')[5] == 'target'
    token = lava_farm.token()
    for root, _, files in os.walk(out):
        for name in files:
            with open(os.path.join(root, name), 'rb') as fh:
                assert token.encode() not in fh.read(), name

    # The same jobs again, with nothing but LAVA's own test results to go on.
    again = tmp_path / 'again'
    code, console = wa_lava(lava_farm, 'collect', *lava_job_ids(console), '-d', again)
    assert code == 0, console
    rebuilt, rebuilt_by_target = jobs_by_target(again)
    assert rebuilt['metadata']['targets']['ssh02']['source'] == 'LAVA test cases'
    for device in lava_farm.devices:
        first, second = metrics(by_target[device]), metrics(rebuilt_by_target[device])
        assert set(first) == set(second)
        for name, value in first.items():   # LAVA's Decimal strings, rounded back
            assert abs(second[name] - value) <= 1e-12 * max(1, abs(value))
            assert len(repr(second[name])) <= 20


def test_a_dead_board_is_reported_and_the_others_merged(lava_farm, tmp_path):
    lava_farm.kill_board('ssh03')
    try:
        out = tmp_path / 'out'
        code, console = wa_lava(lava_farm, 'submit', agenda(tmp_path), '--devices',
                                ','.join(lava_farm.devices), '-d', out)
    finally:
        lava_farm.revive_board('ssh03')
    assert code == 1, console
    result, by_target = jobs_by_target(out)
    assert [j['status'] for j in by_target['ssh01'] + by_target['ssh02']] == ['OK', 'OK']
    dead = by_target['ssh03'][0]
    assert dead['status'] == 'SKIPPED'
    reason = result['metadata']['targets']['ssh03']['reason']
    assert 'Incomplete' in reason and 'InfrastructureError' in reason, reason
    assert reason in dead['events'][0]['message']
    assert 'Device ssh03: LAVA job' in console and 'Incomplete' in console
    assert 'ssh03:wk1' in (out / 'status.txt').read_text()

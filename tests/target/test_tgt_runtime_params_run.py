"""runtime_params through a real ``wa run`` on the local target."""
import json
import os
import subprocess
import sys

import yaml


def run_agenda(tmp_path, agenda):
    path = tmp_path / 'agenda.yaml'
    path.write_text(yaml.safe_dump(agenda))
    out = tmp_path / 'out'
    env = dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user'))
    proc = subprocess.run([sys.executable, '-m', 'wa', 'run', str(path), '-d', str(out)],
                          capture_output=True, text=True, env=env, timeout=120)
    result = json.loads((out / 'result.json').read_text())
    return proc, out, result


def test_sysfile_values_are_written_before_the_job_and_restored_after_the_run(tmp_path):
    controlled = tmp_path / 'knob'
    controlled.write_text('7\n')
    script = tmp_path / 'show.sh'
    script.write_text('cat "$1"\n')
    agenda = {'config': {'runtime_params': {'sysfile_values': {str(controlled): 42}}},
              'workloads': [{'name': 'shellscript',
                             'params': {'script_file': str(script),
                                        'argstring': str(controlled)}}]}
    proc, out, result = run_agenda(tmp_path, agenda)
    assert proc.returncode == 0, proc.stderr
    assert (out / 'wk1-shellscript-1' / 'script-output.txt').read_text().strip() == '42'
    assert controlled.read_text().strip() == '7'
    specs = json.loads((out / '__meta' / 'jobs.json').read_text())
    assert specs[0]['runtime_parameters'] == {'sysfile_values': {str(controlled): 42}}


def test_missing_cpufreq_is_said_once_and_skipped_by_default(tmp_path):
    if os.path.isdir('/sys/devices/system/cpu/cpufreq/policy0'):
        import pytest
        pytest.skip('this machine has cpufreq: the skip path cannot be shown here')
    agenda = {'config': {'runtime_params': {'governor': 'performance'}, 'iterations': 2},
              'workloads': [{'name': 'idle', 'params': {'duration': 0.1}}]}
    proc, _, result = run_agenda(tmp_path, agenda)
    assert proc.returncode == 0, proc.stderr
    assert [j['status'] for j in result['jobs']] == ['OK', 'OK']
    warnings = [line for line in proc.stderr.splitlines() if 'no cpufreq support' in line]
    assert len(warnings) == 1 and warnings[0].startswith('WARNING')


def test_missing_capability_fails_the_spec_when_asked_and_the_others_run(tmp_path):
    if os.path.isdir('/sys/devices/system/cpu/cpufreq/policy0'):
        import pytest
        pytest.skip('this machine has cpufreq')
    agenda = {'config': {'unsupported_runtime_params': 'fail'},
              'workloads': [{'name': 'idle', 'id': 'gov', 'params': {'duration': 0.1},
                             'runtime_params': {'governor': 'performance'}},
                            {'name': 'idle', 'id': 'plain', 'params': {'duration': 0.1}}]}
    proc, _, result = run_agenda(tmp_path, agenda)
    assert proc.returncode == 1
    statuses = {j['id']: j['status'] for j in result['jobs']}
    assert statuses == {'gov': 'FAILED', 'plain': 'OK'}
    gov = next(j for j in result['jobs'] if j['id'] == 'gov')
    assert 'cpufreq' in gov['events'][0]['message']


def test_unknown_runtime_parameter_is_rejected_before_the_first_job(tmp_path):
    agenda = {'workloads': [{'name': 'idle', 'params': {'duration': 0.1},
                             'runtime_params': {'govenor': 'performance'}}]}
    proc, _, result = run_agenda(tmp_path, agenda)
    assert proc.returncode == 1
    assert result['jobs'][0]['status'] == 'FAILED'
    assert 'did you mean "governor"' in result['jobs'][0]['events'][0]['message']
    assert 'Traceback' not in proc.stderr

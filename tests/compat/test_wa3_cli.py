"""WA3's command-line options: wa -c/-v before the command, wa list all/augmentations/-n,
wa create package / workload -k / agenda with augmentations and -i."""
import os
import subprocess
import sys

import pytest
import yaml

from wa_compat_testlib import wa


def test_list_all_augmentations_and_name_filter():
    every = wa('list', 'all').stdout
    for heading in ('workloads:', 'instruments:', 'result processors:', 'commands:'):
        assert heading in every
    augmentations = wa('list', 'augmentations').stdout
    assert 'workloads:' not in augmentations and 'perf' in augmentations
    named = wa('list', 'instruments', '-n', 'trace').stdout.split()
    assert named[0] == 'trace_cmd' and 'perf' not in named


def test_options_before_the_command(tmp_path):
    config = tmp_path / 'extra.yaml'
    config.write_text('perf_events: [task-clock]\n')
    process = wa('-v', '-c', config, 'run', 'idle', '-d', tmp_path / 'out', '--dry-run')
    assert process.returncode == 0, process.stdout
    config.write_text('perf_events: [task-clock]\nbogus: 1\n')
    process = wa('-v', '-c', config, 'run', 'idle', '-d', tmp_path / 'out', '--dry-run')
    assert process.returncode == 2 and 'extra.yaml:2: Unknown key "bogus"' in process.stdout
    process = wa('-c', config, 'list', 'all')
    assert process.returncode == 2 and '"wa run" only' in process.stdout


def test_create_agenda_with_augmentations_and_iterations(tmp_path):
    out = tmp_path / 'agenda.yaml'
    process = wa('create', 'agenda', 'idle', 'perf', 'csv', '-i', '3', '-o', out)
    assert process.returncode == 0, process.stdout
    agenda = yaml.safe_load(out.read_text())
    assert agenda['config']['iterations'] == 3
    augmentations = agenda['config']['augmentations']
    assert 'perf' in augmentations and augmentations.count('csv') == 1
    assert agenda['workloads'] == [{'name': 'idle', 'workload_parameters': {'duration': 20}}]
    assert wa('run', out, '-d', tmp_path / 'out', '--dry-run').returncode == 0


def test_create_shell_workload_runs(user_dir, tmp_path):
    process = wa('create', 'workload', '-k', 'shell', 'myshell')
    assert process.returncode == 0, process.stdout
    process = wa('run', 'myshell', '-d', tmp_path / 'out')
    assert process.returncode == 0, process.stdout
    assert 'myshell,1,score,1.0' in (tmp_path / 'out' / 'results.csv').read_text()


def test_create_package_installs_with_pip_and_runs(tmp_path):
    process = wa('create', 'package', 'my_wa_plugins', '-p', tmp_path)
    assert process.returncode == 0, process.stdout
    site = tmp_path / 'site'
    install = subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-deps',
                              '--target', str(site), str(tmp_path / 'my_wa_plugins')],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True, timeout=600)
    if install.returncode:
        pytest.skip('pip could not build the package (no package index for setuptools?): '
                    '{}'.format(install.stdout.strip().splitlines()[-1:]))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.environ['PYTHONPATH'], str(site)]))
    process = subprocess.run([sys.executable, '-m', 'wa', 'run', 'my_wa_plugins', '-d',
                              str(tmp_path / 'out')], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
    assert process.returncode == 0, process.stdout
    assert 'my_wa_plugins,1,duration,5' in (tmp_path / 'out' / 'results.csv').read_text()

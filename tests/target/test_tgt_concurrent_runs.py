"""Runs on one host do not trample each other (issue 9, class 6; case
r08-concurrent-local-runs-share-devlib-bin): each run works in a directory of its own under the
configured working directory, with its own bin/, pid files and outputs, and a tool is stopped
only if its pid still names the process that run started."""
import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest
import yaml

from wa.utils.processes import record_pid, stop_recorded


def start_run(tmp_path, name, agenda, config=None):
    path = tmp_path / '{}.yaml'.format(name)
    path.write_text(yaml.safe_dump(agenda))
    argv = [sys.executable, '-m', 'wa', 'run', str(path), '-d', str(tmp_path / name)]
    if config:
        config_path = tmp_path / '{}-config.yaml'.format(name)
        config_path.write_text(yaml.safe_dump(config))
        argv += ['-c', str(config_path)]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            stdin=subprocess.DEVNULL)


def finish(process, tmp_path, name):
    output, _ = process.communicate(timeout=600)
    result = json.loads((tmp_path / name / 'result.json').read_text())
    return process.returncode, output, result


def target_path(tmp_path, name):
    """The PATH devlib gave the run's commands (its executables directory)."""
    log = (tmp_path / name / 'run.log').read_text()
    return re.search(r'export PATH=([^:]*):', log).group(1)


@pytest.mark.skipif(not (shutil.which('sysbench') and shutil.which('stress-ng')),
                    reason='needs the Debian packages sysbench and stress-ng')
def test_two_runs_of_the_same_tools_at_once_both_succeed(tmp_path):
    agenda = {'config': {'max_retries': 0}, 'workloads': [
        {'id': 'sb', 'name': 'sysbench', 'params': {'test': 'cpu', 'threads': 1, 'duration': 2}},
        {'id': 'st', 'name': 'stress_ng', 'params': {'stressor': 'cpu', 'threads': 1,
                                                     'duration': 2}}]}
    runs = [start_run(tmp_path, name, agenda) for name in ('a', 'b')]
    for name, process in zip(('a', 'b'), runs):
        code, output, result = finish(process, tmp_path, name)
        assert code == 0, output
        assert [job['status'] for job in result['jobs']] == ['OK', 'OK'], output


def test_concurrent_runs_with_their_own_working_directories_never_share_bin(tmp_path):
    """The case's repro: same agenda, distinct working_directory, started together."""
    agenda = {'config': {'max_retries': 0}, 'workloads': [
        {'name': 'idle', 'id': 'j{}'.format(i), 'params': {'duration': 0}} for i in (1, 2, 3)]}
    runs = {name: start_run(tmp_path, name, agenda, {'device_config': {
        'working_directory': str(tmp_path / 'wd-{}'.format(name))}}) for name in ('a', 'b')}
    paths = {}
    for name, process in runs.items():
        code, output, result = finish(process, tmp_path, name)
        assert code == 0, output
        assert {job['status'] for job in result['jobs']} == {'OK'}
        paths[name] = target_path(tmp_path, name)
        # bin/ is in a directory of this run's, under the configured working directory
        assert paths[name].startswith(str(tmp_path / 'wd-{}'.format(name)) + '/wa-run-')
        assert paths[name].endswith('/bin')


def test_runs_with_the_default_working_directory_get_one_each(tmp_path):
    agenda = {'workloads': [{'name': 'idle', 'params': {'duration': 0}}]}
    runs = {name: start_run(tmp_path, name, agenda) for name in ('a', 'b')}
    paths = set()
    for name, process in runs.items():
        code, output, _ = finish(process, tmp_path, name)
        assert code == 0, output
        paths.add(target_path(tmp_path, name))
    assert len(paths) == 2
    assert all(path.startswith('/tmp/devlib-target/wa-run-') for path in paths)


def test_teardown_signals_the_tool_it_started(tmp_path):
    pid_file = str(tmp_path / 'tool.pid')
    tool = subprocess.Popen(['sh', '-c', 'sleep 60 & {} wait $!'.format(record_pid(pid_file))])
    try:
        while not os.path.exists(pid_file) or len(open(pid_file).read().split()) < 2:
            time.sleep(0.01)
        pid = int(open(pid_file).read().split()[0])
        subprocess.run(['sh', '-c', stop_recorded(pid_file)], check=True)
        assert tool.wait(timeout=30) == 143  # the shell's ``wait`` reports sleep's SIGTERM
        with pytest.raises(OSError):
            os.kill(pid, 0)
    finally:
        tool.kill()


def test_teardown_never_signals_a_pid_reused_by_another_process(tmp_path):
    pid_file = tmp_path / 'tool.pid'
    other = subprocess.Popen(['sleep', '60'])
    try:
        # The pid file names the same pid but another start time: the tool it recorded is gone
        # and the kernel gave its pid to an unrelated process.
        pid_file.write_text('{} 1\n'.format(other.pid))
        subprocess.run(['sh', '-c', stop_recorded(str(pid_file))], check=True)
        assert other.poll() is None
        pid_file.write_text('{}\n'.format(other.pid))  # no start time recorded: not signalled
        subprocess.run(['sh', '-c', stop_recorded(str(pid_file))], check=True)
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()

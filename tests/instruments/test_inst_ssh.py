"""The instruments on an SSH target (``device: linux``): an OpenSSH server on 127.0.0.1.

Background collection (perf, the proc_stat and file_poller loops) goes through devlib's SSH
background commands here instead of local processes. Skipped when sshd is not installed.
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from sshd import SshServer, sshd_available  # noqa: E402  pylint: disable=wrong-import-position
from warun import run_agenda  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.skipif(not sshd_available(),
                                reason='needs openssh-server and openssh-client')


@pytest.fixture(scope='module')
def ssh_job(tmp_path_factory):
    base = tmp_path_factory.mktemp('inst_ssh')
    value = base / 'value'
    value.write_text('7\n')
    server = SshServer(base / 'sshd')
    server.start()
    try:
        device_config = dict(server.connection_settings(),
                             working_directory=str(base / 'target-wd'))
        agenda = {'config': {'device': 'linux', 'device_config': device_config,
                             'instrumentation': ['interrupts', 'perf', 'proc_stat',
                                                 'file_poller', 'dmesg', 'sysfs_extractor'],
                             'file_poller': {'files': [str(value)], 'labels': ['value'],
                                             'sample_interval': 200},
                             'sysfs_extractor': {'paths': ['/proc/meminfo']},
                             'proc_stat': {'period': 0.3}},
                  'workloads': [{'name': 'idle', 'params': {'duration': 1}}]}
        out, result, process = run_agenda(base, agenda)
    finally:
        server.close()
    return out, result, process, base


def test_every_instrument_reports_over_ssh(ssh_job):
    out, result, process, base = ssh_job
    assert result['status'] == 'OK', process.stdout
    job = result['jobs'][0]
    assert job['status'] == 'OK' and not job['events'], job['events']
    names = {a['name'] for a in job['artifacts']}
    assert {'interrupts_diff', 'proc-stat', 'file_poller', 'dmesg',
            'sysfs_extractor_diff'} <= names
    for artifact in job['artifacts']:
        assert (out / artifact['path']).exists(), artifact
    by_name = {}
    for metric in job['metrics']:
        if metric['classifiers'].get('cpu', 'total') == 'total':
            by_name[metric['name']] = metric['value']
    assert by_name['interrupts'] > 0
    assert sum(by_name['cpu_util_' + c] for c in ('user', 'sys', 'idle', 'iowait', 'steal')) \
        == pytest.approx(100, abs=0.1)
    assert by_name['value_min'] == by_name['value_max'] == 7
    if 'perf' in names or 'perf_stat' in names:
        assert by_name['task-clock'] > 900
    # the background loops cleaned up after themselves on the target
    # (in the run's own directory under the working directory)
    runs = [base / 'target-wd' / name for name in os.listdir(str(base / 'target-wd'))]
    assert [run.name.startswith('wa-run-') for run in runs] == [True]
    leftovers = [name for name in os.listdir(str(runs[0])) if name.startswith('wa-')]
    assert not leftovers

"""Workloads on an SSH target (``device: linux``): an OpenSSH server on 127.0.0.1.

The same plugins as on the local target, but every file goes through devlib's transfers: the
memcpy source is pushed and built there, a prebuilt binary is installed, a fio job file is
pushed, and the raw outputs are pulled back. Skipped when sshd is not installed.
"""
import os
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from sshd import SshServer, sshd_available  # noqa: E402  pylint: disable=wrong-import-position
from warun import ok_job_metrics, run_agenda  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.skipif(not sshd_available(),
                                reason='needs openssh-server and openssh-client')

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'data',
                    'workloads')


# rt-app, Apache and iperf3, when installed (their pushes, servers and pulls over SSH).
ISSUE13_JOBS = [] if any(shutil.which(tool) is None for tool in ('rt-app', 'ab', 'iperf3')) \
    else [{'id': 'rtapp', 'name': 'rt_app', 'params': {'duration': 1, 'calibration': '100'}},
          {'id': 'ab', 'name': 'apache', 'params': {'total_requests': 1000,
                                                    'parallel_requests': 5, 'port': 18091}},
          {'id': 'iperf', 'name': 'iperf3', 'params': {'duration': 1, 'port': 15311}}]
needs_issue13_tools = pytest.mark.skipif(not ISSUE13_JOBS,
                                         reason='needs rt-app, apache2-utils and iperf3')


@pytest.fixture(scope='module')
def ssh_run(tmp_path_factory):
    base = tmp_path_factory.mktemp('wl_ssh')
    server = SshServer(base / 'sshd')
    server.start()
    try:
        standin = base / 'dhry_standin'
        subprocess.run(['gcc', '-O2', '-o', str(standin),
                        os.path.join(DATA, 'dhrystone', 'standin', 'dhry_standin.c')],
                       check=True)
        device_config = dict(server.connection_settings(),
                             working_directory=str(base / 'target-wd'))
        agenda = {'config': {'device': 'linux', 'device_config': device_config},
                  'workloads': [
                      {'id': 'mcpy', 'name': 'memcpy', 'params': {'buffer_sizes': [1048576],
                                                                  'loops': 100}},
                      {'id': 'dhry', 'name': 'dhrystone', 'params': {'binary': str(standin),
                                                                     'mloops': 1}},
                      {'id': 'stress', 'name': 'stress_ng', 'params': {'duration': 1,
                                                                      'threads': 1}},
                      {'id': 'fiojob', 'name': 'fio', 'params': {
                          'job_file': os.path.join(DATA, 'fio', 'two_jobs.fio')}},
                  ] + ISSUE13_JOBS}
        out, result, process = run_agenda(base, agenda)
    finally:
        server.close()
    return out, {job['id']: job for job in result['jobs']}, process, base


def test_memcpy_built_over_ssh(ssh_run):
    metrics = ok_job_metrics(ssh_run, 'mcpy')
    assert metrics['bandwidth']['units'] == 'MB/s'
    assert metrics['bandwidth']['value'] > 100


def test_dhrystone_binary_installed_over_ssh(ssh_run):
    metrics = ok_job_metrics(ssh_run, 'dhry')
    assert metrics['dhrystones_per_second']['value'] > 1000
    assert metrics['dmips']['value'] > 0


def test_stress_ng_over_ssh(ssh_run):
    metrics = ok_job_metrics(ssh_run, 'stress')
    assert metrics['bogo_ops']['value'] > 0


def test_fio_job_file_over_ssh(ssh_run):
    metrics = ok_job_metrics(ssh_run, 'fiojob')
    assert metrics['randread_read_iops']['value'] > 0
    _, _, _, base = ssh_run
    # The job file's data files were laid out in the scratch directory and removed with it.
    assert not list((base / 'target-wd').glob('**/seqwrite.*'))


@needs_issue13_tools
def test_rt_app_over_ssh(ssh_run):
    metrics = ok_job_metrics(ssh_run, 'rtapp')
    assert 80 <= metrics['activations']['value'] <= 110     # 1 s at 10 ms
    assert metrics['error_count']['value'] == 0


@needs_issue13_tools
def test_apache_over_ssh(ssh_run):
    metrics = ok_job_metrics(ssh_run, 'ab')
    assert metrics['complete_requests']['value'] == 1000
    assert metrics['failed_requests']['value'] == 0
    assert metrics['requests_per_second']['value'] > 100


@needs_issue13_tools
def test_iperf3_over_ssh(ssh_run):
    metrics = ok_job_metrics(ssh_run, 'iperf')
    assert metrics['throughput_received']['value'] > 100
    assert not subprocess.run(['pgrep', '-f', 'iperf3 -s'], stdout=subprocess.PIPE).stdout

"""rt_app, apache and iperf3: their parsers on captured output, then each run for real with
``wa run`` on the local target and compared with the same tool run by hand.

Needs the Debian packages rt-app, apache2, apache2-utils and iperf3 (skipped without them).
Captured data: tests/data/workloads/rt_app (rt-app 1.0 console and a thread log),
iperf3/*.json (iperf 3.12 ``-J``, TCP and UDP at 10M over loopback, 1 s),
apache/ab_keepalive.txt (ab 2.3 ``-k -c 10 -n 2000`` against the workload's Apache).
"""
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from wa.workloads._rt_app_logs import parse_rt_app_console, parse_rt_app_logs
from wa.workloads.apache import httpd_conf, parse_ab_output
from wa.workloads.iperf3 import parse_iperf3_json
from wa.workloads.rt_app import periodic_tasks

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(HERE), 'data', 'workloads')
sys.path.insert(0, os.path.dirname(HERE))
from warun import ok_job_metrics, run_agenda  # noqa: E402  pylint: disable=wrong-import-position


def read(*parts):
    with open(os.path.join(DATA, *parts)) as fh:
        return fh.read()


def named(metrics):
    return {metric.name: metric for metric in metrics}


# -- parsers ----------------------------------------------------------------------------------
def test_rt_app_console():
    metrics = named(parse_rt_app_console(read('rt_app', 'console_calibrated.txt')))
    assert metrics['pLoad'].value == 82.0 and metrics['pLoad'].units == 'ns'
    assert metrics['calib_cpu'].value == 0
    assert metrics['error_count'].value == metrics['crit_count'].value == 0
    assert 'calib_cpu' not in named(parse_rt_app_console(read('rt_app', 'console.txt')))


def test_rt_app_thread_log():
    log = read('rt_app', 'rt-app-periodic_0-0.log')
    metrics = named(parse_rt_app_logs({'rt-app-periodic_0-0.log': log, 'other.txt': ''},
                                      'rt-app'))
    assert metrics['periodic_0-0_activations'].value == 20 == metrics['activations'].value
    assert metrics['periodic_0-0_period_avg'].units == 'us'
    assert metrics['missed_deadlines'].value == 0
    assert metrics['slack_min'].value == metrics['periodic_0-0_slack_min'].value > 0
    assert metrics['periodic_0-0_slack_min'].classifiers == {'task': 'periodic_0-0'}


def test_rt_app_unsigned_negative_values():
    log = ('#idx perf run period start end rel_st slack c_duration c_period wu_lat\n'
           '0 1 900 1000 0 1000 0 18446744073709551516 800 1000 0\n')
    metrics = named(parse_rt_app_logs({'x-t-0.log': log}, 'x'))
    assert metrics['t-0_slack_min'].value == -100
    assert metrics['missed_deadlines'].value == 1


def test_rt_app_generated_tasks():
    tasks = periodic_tasks(3, 10000, 2000, 'SCHED_FIFO', 10, cpus=[0, 1])
    assert sorted(tasks) == ['periodic_0', 'periodic_1', 'periodic_2']
    assert tasks['periodic_2']['cpus'] == [0] and tasks['periodic_1']['timer']['period'] == 10000
    assert tasks['periodic_0']['priority'] == 10


def test_iperf3_tcp():
    metrics = named(parse_iperf3_json(read('iperf3', 'tcp.json')))
    assert metrics['throughput_sent'].value == pytest.approx(5482.518, rel=1e-4)
    assert metrics['throughput_sent'].units == 'Mbit/s'
    assert metrics['retransmits'].value == 8 and metrics['retransmits'].lower_is_better
    assert 'jitter' not in metrics


def test_iperf3_udp():
    metrics = named(parse_iperf3_json(read('iperf3', 'udp.json')))
    assert metrics['throughput'].value == pytest.approx(10.223, rel=1e-3)
    assert metrics['jitter'].units == 'ms' and metrics['packets'].value == 39
    assert metrics['lost_percent'].value == 0


def test_iperf3_error_is_reported():
    with pytest.raises(ValueError, match='unable to connect'):
        parse_iperf3_json('{"start": {}, "error": "unable to connect to server"}')


def test_ab_report():
    metrics = named(parse_ab_output(read('apache', 'ab_keepalive.txt')))
    assert metrics['complete_requests'].value == 2000
    assert metrics['failed_request'].value == 0 and metrics['failed_request'].units == 'percent'
    assert metrics['requests_per_second'].units == 'requests/s'
    assert metrics['request_99percentile'].value >= metrics['request_50percentile'].value
    assert metrics['longest_request'].value >= metrics['request_99percentile'].value


# -- for real on the local target --------------------------------------------------------------
TOOLS = ['rt-app', 'ab', 'iperf3']
needs_tools = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS) or not os.path.exists('/usr/sbin/apache2'),
    reason='needs the Debian packages rt-app, apache2, apache2-utils and iperf3')

WORKLOADS = [
    {'id': 'rtapp', 'name': 'rt_app', 'params': {'duration': 1, 'tasks': 2, 'period': 10000,
                                                 'runtime': 1000, 'calibration': '100'}},
    {'id': 'ab', 'name': 'apache', 'params': {'total_requests': 2000, 'parallel_requests': 10,
                                              'port': 18081}},
    {'id': 'tcp', 'name': 'iperf3', 'params': {'duration': 1, 'port': 15301}},
    {'id': 'udp', 'name': 'iperf3', 'params': {'duration': 1, 'port': 15301,
                                               'protocol': 'udp', 'bandwidth': '10M'}},
]


@pytest.fixture(scope='module')
def local_run(tmp_path_factory):
    base = tmp_path_factory.mktemp('wl_rtapp_net')
    out, result, process = run_agenda(base, {'workloads': WORKLOADS})
    return out, {job['id']: job for job in result['jobs']}, process, base


def metrics_of(run, job_id):
    return {name: metric['value'] for name, metric in ok_job_metrics(run, job_id).items()}


def by_hand(command, timeout=60):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=timeout, check=True).stdout


@needs_tools
def test_rt_app_for_real(local_run, tmp_path):
    metrics = metrics_of(local_run, 'rtapp')
    # two threads, 1 s at a 10 ms period: about 100 activations each
    assert 150 <= metrics['activations'] <= 210
    assert metrics['periodic_0-0_period_avg'] == pytest.approx(10000, rel=0.2)
    out, jobs, _, _ = local_run
    job_dir = out / os.path.dirname(jobs['rtapp']['artifacts'][0]['path'])
    assert len(list((job_dir / 'rt-app-logs').glob('*.log'))) == 2
    # the same description run by hand gives the same count
    config = json.loads((job_dir / 'rt-app.json').read_text())
    config['global']['logdir'] = str(tmp_path)
    (tmp_path / 'rt.json').write_text(json.dumps(config))
    by_hand(['rt-app', str(tmp_path / 'rt.json')])
    logs = {p.name: p.read_text() for p in tmp_path.glob('*.log')}
    hand = named(parse_rt_app_logs(logs, 'rt-app'))
    assert hand['activations'].value == pytest.approx(metrics['activations'], rel=0.1)


@needs_tools
def test_apache_for_real(local_run, tmp_path):
    metrics = metrics_of(local_run, 'ab')
    assert metrics['complete_requests'] == 2000 and metrics['failed_requests'] == 0
    assert metrics['requests_per_second'] > 100
    # ab by hand against Apache started by hand with the workload's configuration
    (tmp_path / 'www').mkdir()
    (tmp_path / 'www' / 'index.html').write_text('x' * 4096)
    (tmp_path / 'httpd.conf').write_text(httpd_conf(str(tmp_path), 18082))
    server = subprocess.Popen(['/usr/sbin/apache2', '-f', str(tmp_path / 'httpd.conf'),
                               '-DFOREGROUND'])
    try:
        log = tmp_path / 'error.log'
        for _ in range(200):        # until Apache logs "resuming normal operations"
            if log.exists() and 'AH00489' in log.read_text():
                break
            time.sleep(0.05)
        hand = named(parse_ab_output(by_hand(['ab', '-k', '-c', '10', '-n', '2000',
                                              'http://127.0.0.1:18082/'])))
    finally:
        server.terminate()
        server.wait(10)
    ratio = metrics['requests_per_second'] / hand['requests_per_second'].value
    assert 0.1 < ratio < 10
    # nothing left running, the server's files gone
    assert not subprocess.run(['pgrep', '-f', 'wa-apache'], stdout=subprocess.PIPE).stdout


@needs_tools
def test_iperf3_for_real(local_run):
    tcp = metrics_of(local_run, 'tcp')
    udp = metrics_of(local_run, 'udp')
    assert tcp['throughput_received'] > 100         # Mbit/s over loopback
    assert tcp['retransmits'] >= 0
    assert udp['throughput'] == pytest.approx(10, rel=0.2)
    assert udp['jitter'] >= 0 and udp['lost_percent'] < 50
    server = subprocess.Popen(['iperf3', '-s', '-1', '-B', '127.0.0.1', '-p', '15302'],
                              stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                hand = named(parse_iperf3_json(by_hand(
                    ['iperf3', '-c', '127.0.0.1', '-p', '15302', '-t', '1', '--json'])))
                break
            except subprocess.CalledProcessError:
                time.sleep(0.05)
    finally:
        server.wait(30)
    ratio = tcp['throughput_received'] / hand['throughput_received'].value
    assert 0.1 < ratio < 10
    assert not subprocess.run(['pgrep', '-f', 'iperf3 -s'], stdout=subprocess.PIPE).stdout

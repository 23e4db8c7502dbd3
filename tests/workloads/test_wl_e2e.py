"""The built-in workloads run for real with ``wa run`` on the local target.

Needs (Debian packages): stress-ng, sysbench, openssl, rt-tests (hackbench, cyclictest), fio,
gcc, util-linux (taskset); cyclictest needs root for its real-time priority. Two runs are
shared by the tests: one agenda with every workload (short durations), and one where specs
cannot run (missing binary, missing compiler, a tool hidden from the PATH) next to one that
can.
"""
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(HERE), 'data', 'workloads')

WORKLOADS = [
    {'id': 'stress', 'name': 'stress_ng', 'params': {'stressor': 'cpu', 'threads': 2,
                                                    'duration': 1}},
    {'id': 'sbcpu', 'name': 'sysbench', 'params': {'test': 'cpu', 'threads': 2,
                                                   'duration': 1}},
    {'id': 'sbmem', 'name': 'sysbench', 'params': {'test': 'memory', 'threads': 2,
                                                   'duration': 1}},
    {'id': 'sbfile', 'name': 'sysbench', 'params': {'test': 'fileio', 'threads': 2,
                                                    'duration': 1, 'file_total_size': '8M',
                                                    'cpus': [0]}},
    {'id': 'ssl', 'name': 'openssl', 'params': {'algorithms': ['aes-128-cbc', 'rsa2048'],
                                                'seconds': 1, 'block_size': 1024}},
    {'id': 'hack', 'name': 'hackbench', 'params': {'groups': 2, 'loops': 50, 'fds': 10}},
    {'id': 'mcpy', 'name': 'memcpy', 'params': {'buffer_sizes': [65536, 4194304],
                                                'loops': 200}},
    {'id': 'dhry', 'name': 'dhrystone', 'params': {
        'source': [os.path.join(DATA, 'dhrystone', 'standin')], 'cflags': '-O2',
        'mloops': 2, 'threads': 2}},
    {'id': 'dhrytime', 'name': 'dhrystone', 'params': {
        'source': [os.path.join(DATA, 'dhrystone', 'standin')], 'cflags': '-O2',
        'duration': 1, 'threads': 2, 'delay': 0.5}},
    {'id': 'fio', 'name': 'fio', 'params': {'rw': 'randrw', 'size': '8M', 'runtime': 1}},
    {'id': 'fiojob', 'name': 'fio', 'params': {
        'job_file': os.path.join(DATA, 'fio', 'two_jobs.fio')}},
    {'id': 'cyclic', 'name': 'cyclictest', 'params': {'threads': 2, 'duration': 1,
                                                      'interval': 1000}},
    {'id': 'man', 'name': 'manual', 'params': {'duration': 1, 'user_triggered': True}},
]

MISSING = [
    {'id': 'nodhry', 'name': 'dhrystone', 'params': {'binary': '/nonexistent/dhrystone'}},
    {'id': 'nocc', 'name': 'memcpy', 'params': {'compiler': 'no-such-cc'}},
    {'id': 'nohack', 'name': 'hackbench', 'params': {'groups': 1, 'loops': 10, 'fds': 5}},
    {'id': 'badopt', 'name': 'stress_ng', 'params': {'duration': 1,
                                                    'extra_args': '--no-such-option'}},
    {'id': 'ok', 'name': 'sysbench', 'params': {'test': 'cpu', 'threads': 1, 'duration': 1}},
]


def path_without(directory, *tools):
    """A PATH of one directory that links every command on the current PATH but ``tools``:
    on it, the local target really lacks them."""
    directory.mkdir()
    for entry in os.environ.get('PATH', '').split(os.pathsep):
        if not os.path.isdir(entry):
            continue
        for name in os.listdir(entry):
            link = directory / name
            if name in tools or os.path.lexists(str(link)):
                continue
            os.symlink(os.path.join(entry, name), str(link))
    return str(directory)


def wa_run(tmp_path_factory, name, workloads, hide=()):
    base = tmp_path_factory.mktemp(name)
    agenda = base / 'agenda.yaml'
    agenda.write_text(json.dumps({'workloads': workloads}))  # JSON is YAML
    out = base / 'out'
    env = dict(os.environ)
    if hide:
        env['PATH'] = path_without(base / 'bin', *hide)
    process = subprocess.run([sys.executable, '-m', 'wa', 'run', str(agenda), '-d', str(out)],
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True, timeout=300,
                             env=env)
    result_path = out / 'result.json'
    assert result_path.exists(), process.stdout
    with open(str(result_path)) as fh:
        result = json.load(fh)
    jobs = {job['id']: job for job in result['jobs']}
    return out, result, jobs, process


@pytest.fixture(scope='module')
def full_run(tmp_path_factory):
    return wa_run(tmp_path_factory, 'wl_all', WORKLOADS)


@pytest.fixture(scope='module')
def missing_run(tmp_path_factory):
    return wa_run(tmp_path_factory, 'wl_missing', MISSING, hide=('hackbench',))


def job_of(full_run, job_id):
    out, _, jobs, process = full_run
    job = jobs[job_id]
    assert job['status'] == 'OK', '{}: {}\n{}'.format(job_id, job['events'], process.stdout)
    return out, job, {metric['name']: metric for metric in job['metrics']}


def check(metric, units, lower_is_better, minimum=0.0, allow_zero=False):
    assert metric['units'] == units, metric
    assert metric['lower_is_better'] is lower_is_better, metric
    if allow_zero:
        assert metric['value'] >= minimum, metric
    else:
        assert metric['value'] > minimum, metric


def check_artifacts(out, job, *filenames):
    paths = {os.path.basename(artifact['path']): artifact for artifact in job['artifacts']}
    for filename in filenames:
        assert filename in paths, job['artifacts']
        artifact = paths[filename]
        assert artifact['kind'] == 'raw'
        full = out / artifact['path']
        assert full.is_file() and full.stat().st_size > 0, full


def test_whole_run_ok(full_run):
    _, result, jobs, process = full_run
    assert result['status'] == 'OK', process.stdout
    assert set(jobs) == {entry['id'] for entry in WORKLOADS}
    assert process.returncode == 0


def test_stress_ng(full_run):
    out, job, metrics = job_of(full_run, 'stress')
    check(metrics['bogo_ops'], 'ops', False, minimum=10)
    check(metrics['bogo_ops_per_second_real_time'], 'ops/s', False, minimum=10)
    check(metrics['bogo_ops_per_second_usr_sys_time'], 'ops/s', False, minimum=10)
    assert 0.5 < metrics['wall_clock_time']['value'] < 10
    check_artifacts(out, job, 'stress-ng.yaml', 'stress_ng-output.txt')


def test_sysbench_cpu(full_run):
    out, job, metrics = job_of(full_run, 'sbcpu')
    check(metrics['events_per_second'], 'events/s', False, minimum=10)
    check(metrics['total_time'], 'seconds', True, minimum=0.5)
    assert metrics['total_time']['value'] < 10
    for name in ('latency_min', 'latency_avg', 'latency_max', 'latency_95th'):
        check(metrics[name], 'ms', True, allow_zero=True)
    assert metrics['latency_max']['value'] >= metrics['latency_avg']['value'] \
        >= metrics['latency_min']['value']
    check_artifacts(out, job, 'sysbench-output.txt')


def test_sysbench_memory(full_run):
    _, _, metrics = job_of(full_run, 'sbmem')
    check(metrics['throughput'], 'MiB/s', False, minimum=10)
    check(metrics['events_per_second'], 'events/s', False)


def test_sysbench_fileio(full_run):
    _, _, metrics = job_of(full_run, 'sbfile')
    check(metrics['read_throughput'], 'MiB/s', False)
    check(metrics['write_throughput'], 'MiB/s', False)
    check(metrics['reads_per_second'], 'ops/s', False)


def test_openssl(full_run):
    out, job, metrics = job_of(full_run, 'ssl')
    check(metrics['aes-128-cbc_1024'], 'MB/s', False, minimum=1)
    check(metrics['rsa2048_sign'], 'ops/s', False, minimum=1)
    check(metrics['rsa2048_verify'], 'ops/s', False, minimum=1)
    assert metrics['rsa2048_verify']['value'] > metrics['rsa2048_sign']['value']
    assert metrics['aes-128-cbc_1024']['classifiers']['block_size'] == 1024
    check_artifacts(out, job, 'openssl-output.txt')


def test_hackbench(full_run):
    out, job, metrics = job_of(full_run, 'hack')
    check(metrics['test_time'], 'seconds', True)
    assert metrics['test_time']['value'] < 30
    assert metrics['total_groups']['value'] == 2
    assert metrics['total_messages']['value'] == 2 * 10 * 10 * 50
    check_artifacts(out, job, 'hackbench-output.txt')


def test_wa3_artifact_names_next_to_this_projects(full_run):
    """Where WA3's workload of the same name calls its output otherwise, the artifact has
    both names (sysbench_output and stress_ng_results are already WA3's)."""
    for job_id, name, wa3_name in (('hack', 'hackbench_output', 'hackbench-results'),
                                   ('ssl', 'openssl_output', 'openssl-output'),
                                   ('stress', 'stress_ng_output', 'stress_ng_log'),
                                   ('dhry', 'dhrystone_output', 'dhrystone-output')):
        _, job, _ = job_of(full_run, job_id)
        paths = {artifact['name']: artifact['path'] for artifact in job['artifacts']}
        assert paths[wa3_name] == paths[name], job['artifacts']
    _, job, _ = job_of(full_run, 'sbcpu')
    assert 'sysbench_output' in {artifact['name'] for artifact in job['artifacts']}


def test_memcpy(full_run):
    out, job, metrics = job_of(full_run, 'mcpy')
    for size in (65536, 4194304):
        # Plausible for any machine that runs these tests: 100 MB/s to 10 TB/s.
        check(metrics['bandwidth_{}'.format(size)], 'MB/s', False, minimum=100)
        assert metrics['bandwidth_{}'.format(size)]['value'] < 1e7
        check(metrics['time_{}'.format(size)], 'seconds', True)
    assert metrics['bandwidth_65536']['classifiers']['buffer_size'] == 65536
    check_artifacts(out, job, 'memcpy-output.txt')


def test_dhrystone_built_from_source(full_run):
    out, job, metrics = job_of(full_run, 'dhry')
    check(metrics['dhrystones_per_second'], 'dhrystones/s', False, minimum=1000)
    check(metrics['dmips'], 'DMIPS', False)
    assert metrics['dmips']['value'] == pytest.approx(
        metrics['dhrystones_per_second']['value'] / 1757, rel=1e-3)
    check(metrics['thread_0_dhrystones_per_second'], 'dhrystones/s', False)
    check(metrics['thread_1_dmips'], 'DMIPS', False)
    check(metrics['time'], 'seconds', True)
    check_artifacts(out, job, 'dhrystone-output.txt')


def test_dhrystone_for_a_duration(full_run):
    out, job, metrics = job_of(full_run, 'dhrytime')
    check(metrics['thread_1_dhrystones_per_second'], 'dhrystones/s', False, minimum=1000)
    # each copy ran for at least its second, the second copy starting half a second later
    assert metrics['time']['value'] >= 1.5
    text = (out / job['artifacts'][0]['path']).read_text()
    assert text.count('== dhrystone copy') == 2


def test_fio_parameters(full_run):
    out, job, metrics = job_of(full_run, 'fio')
    for direction in ('read', 'write'):
        check(metrics[direction + '_iops'], 'iops', False, minimum=1)
        check(metrics[direction + '_bandwidth'], 'MiB/s', False)
        check(metrics[direction + '_lat_mean'], 'us', True)
        check(metrics[direction + '_clat_p99'], 'us', True)
        assert metrics[direction + '_clat_p99']['value'] >= \
            metrics[direction + '_clat_p50']['value']
    check_artifacts(out, job, 'fio.json')


def test_fio_job_file(full_run):
    _, _, metrics = job_of(full_run, 'fiojob')
    check(metrics['seqwrite_write_iops'], 'iops', False, minimum=1)
    check(metrics['randread_read_iops'], 'iops', False, minimum=1)
    check(metrics['randread_read_clat_p95'], 'us', True)


def test_cyclictest(full_run):
    out, job, metrics = job_of(full_run, 'cyclic')
    check(metrics['latency_avg'], 'us', True, allow_zero=True)
    check(metrics['latency_max'], 'us', True)
    assert metrics['latency_min']['value'] <= metrics['latency_avg']['value'] <= \
        metrics['latency_max']['value']
    # 1 s at 1000 us and 1500 us intervals: about 1000 + 667 wake-ups.
    assert 500 < metrics['cycles']['value'] < 3000
    assert 'thread1_max' in metrics
    check_artifacts(out, job, 'cyclictest-output.txt')


def test_manual_with_closed_stdin(full_run):
    _, job, metrics = job_of(full_run, 'man')
    # Nobody can press Enter: it waits for the duration instead, and adds no metrics of its own.
    assert set(metrics) <= {'execution_time'}
    if 'execution_time' in metrics:
        assert 0.9 < metrics['execution_time']['value'] < 5
    assert any('Standard input is closed' in event['message'] for event in job['events'])


def test_missing_tools_fail_only_their_spec(missing_run):
    _, result, jobs, process = missing_run
    assert jobs['ok']['status'] == 'OK', process.stdout
    assert result['status'] == 'PARTIAL'
    assert process.returncode == 1
    assert jobs['nodhry']['status'] == 'FAILED'
    message = ' '.join(event['message'] for event in jobs['nodhry']['events'])
    assert '/nonexistent/dhrystone' in message and 'does not exist' in message
    assert jobs['nocc']['status'] == 'FAILED'
    message = ' '.join(event['message'] for event in jobs['nocc']['events'])
    assert 'no-such-cc' in message and 'Debian package "gcc"' in message
    assert jobs['nohack']['status'] == 'FAILED'
    message = ' '.join(event['message'] for event in jobs['nohack']['events'])
    assert 'hackbench is not installed on the target' in message
    assert 'install the Debian package "rt-tests"' in message
    assert any(metric['name'] == 'events_per_second' for metric in jobs['ok']['metrics'])


def test_failing_tool_reports_its_output(missing_run):
    _, _, jobs, _ = missing_run
    job = jobs['badopt']
    assert job['status'] == 'FAILED'
    message = ' '.join(event['message'] for event in job['events'])
    assert 'stress-ng exited with status' in message
    assert "unrecognized option '--no-such-option'" in message

"""Parsers of the built-in workloads, on real outputs captured under tests/data/workloads."""
import os

import pytest

from wa.workloads.cyclictest import parse_cyclictest_output
from wa.workloads.dhrystone import parse_dhrystone_output
from wa.workloads.fio import parse_fio_json
from wa.workloads.hackbench import parse_hackbench_output
from wa.workloads.memcpy import parse_memcpy_output
from wa.workloads.openssl import is_public_key_algorithm, parse_openssl_speed
from wa.workloads.stress_ng import parse_stress_ng_yaml
from wa.workloads.sysbench import parse_sysbench_output

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'data',
                    'workloads')


def read(*parts):
    with open(os.path.join(DATA, *parts)) as fh:
        return fh.read()


def by_name(metrics):
    named = {metric.name: metric for metric in metrics}
    assert len(named) == len(metrics), 'metric names must be unique'
    return named


# -- stress-ng -------------------------------------------------------------------------------
def test_stress_ng_cpu_yaml():
    metrics = by_name(parse_stress_ng_yaml(read('stress_ng', 'cpu.yaml'), primary='cpu'))
    assert metrics['bogo_ops'].value == 6911
    assert metrics['bogo_ops'].units == 'ops'
    assert metrics['bogo_ops_per_second_real_time'].value == pytest.approx(3452.205251)
    assert metrics['bogo_ops_per_second_real_time'].units == 'ops/s'
    assert metrics['bogo_ops_per_second_usr_sys_time'].value == pytest.approx(1756.021061)
    assert metrics['wall_clock_time'].units == 'seconds'
    assert metrics['wall_clock_time'].lower_is_better
    assert not metrics['bogo_ops'].lower_is_better
    assert metrics['bogo_ops'].classifiers == {'stressor': 'cpu'}


def test_stress_ng_other_stressors_are_prefixed():
    metrics = by_name(parse_stress_ng_yaml(read('stress_ng', 'matrix_vm.yaml'),
                                           primary='matrix'))
    assert metrics['bogo_ops'].value == 4378
    assert metrics['vm_bogo_ops'].value == 1024
    assert metrics['vm_bogo_ops'].classifiers == {'stressor': 'vm'}
    assert metrics['vm_bogo_ops_per_second_real_time'].value == pytest.approx(1011.518277)


def test_stress_ng_yaml_without_metrics():
    with pytest.raises(ValueError, match='no metrics'):
        parse_stress_ng_yaml('---\nsystem-info:\n  cpus: 2\n...\n', primary='cpu')


# -- sysbench --------------------------------------------------------------------------------
def test_sysbench_cpu():
    metrics = by_name(parse_sysbench_output(read('sysbench', 'cpu.txt')))
    assert metrics['events_per_second'].value == pytest.approx(8651.12)
    assert metrics['events_per_second'].units == 'events/s'
    assert metrics['total_time'].value == pytest.approx(2.0002)
    assert metrics['total_time'].lower_is_better
    assert metrics['total_events'].value == 17309
    expected = {'latency_min': 0.21, 'latency_avg': 0.23, 'latency_max': 11.41,
                'latency_95th': 0.24}
    for name, value in expected.items():
        assert metrics[name].value == pytest.approx(value)
        assert metrics[name].units == 'ms'
        assert metrics[name].lower_is_better
    assert metrics['fairness_events_avg'].value == pytest.approx(8654.5)
    assert metrics['fairness_time_stddev'].value == 0


def test_sysbench_memory_throughput():
    metrics = by_name(parse_sysbench_output(read('sysbench', 'memory.txt')))
    assert metrics['throughput'].value == pytest.approx(4353.87)
    assert metrics['throughput'].units == 'MiB/s'
    assert not metrics['throughput'].lower_is_better
    assert metrics['operations_per_second'].value == pytest.approx(4458366.75)
    # Not printed by the memory test: derived from total events / total time.
    assert metrics['events_per_second'].value == pytest.approx(4461782 / 1.0001, rel=1e-4)


def test_sysbench_fileio_throughput():
    metrics = by_name(parse_sysbench_output(read('sysbench', 'fileio.txt')))
    assert metrics['read_throughput'].value == pytest.approx(1276.05)
    assert metrics['write_throughput'].value == pytest.approx(850.73)
    assert metrics['reads_per_second'].value == pytest.approx(81667.27)
    assert metrics['writes_per_second'].units == 'ops/s'
    assert metrics['fsyncs_per_second'].value == pytest.approx(5450.54)
    assert 'throughput' not in metrics


@pytest.mark.parametrize('test', ['threads', 'mutex'])
def test_sysbench_threads_and_mutex(test):
    metrics = by_name(parse_sysbench_output(read('sysbench', test + '.txt')))
    assert metrics['events_per_second'].value > 0
    assert metrics['latency_max'].value >= metrics['latency_min'].value > 0


def test_sysbench_0_4_wording():
    text = """
Test execution summary:
    total time:                          10.0012s
    total number of events:              10000
    total time taken by event execution: 9.9952
    per-request statistics:
         min:                                  0.97ms
         avg:                                  1.00ms
         max:                                  2.01ms
         approx.  95 percentile:               1.02ms

Threads fairness:
    events (avg/stddev):           10000.0000/0.00
    execution time (avg/stddev):   9.9952/0.00
"""
    metrics = by_name(parse_sysbench_output(text))
    assert metrics['latency_95th'].value == pytest.approx(1.02)
    assert metrics['latency_min'].value == pytest.approx(0.97)
    assert metrics['events_per_second'].value == pytest.approx(10000 / 10.0012, rel=1e-4)


def test_sysbench_garbage():
    with pytest.raises(ValueError, match='General statistics'):
        parse_sysbench_output('FATAL: invalid test')


# -- openssl ---------------------------------------------------------------------------------
def test_openssl_cipher_all_block_sizes():
    metrics = by_name(parse_openssl_speed(read('openssl', 'evp_aes-128-cbc.txt')))
    assert sorted(metrics, key=lambda name: int(name.rsplit('_', 1)[1])) == [
        'aes-128-cbc_{}'.format(size) for size in (16, 64, 256, 1024, 8192, 16384)]
    metric = metrics['aes-128-cbc_16']
    assert metric.value == pytest.approx(1144.014, rel=1e-6)  # 1144013921.65 B/s
    assert metric.units == 'MB/s'
    assert not metric.lower_is_better
    assert metric.classifiers == {'algorithm': 'aes-128-cbc', 'block_size': 16}


def test_openssl_digest_and_public_key():
    metrics = by_name(parse_openssl_speed(
        read('openssl', 'sha256_rsa2048_ecdsap256_ecdhp256.txt')))
    assert metrics['sha256_16384'].value == pytest.approx(1784.578, rel=1e-6)
    assert metrics['rsa2048_sign'].value == pytest.approx(4098.0)
    assert metrics['rsa2048_verify'].value == pytest.approx(61440.0)
    assert metrics['rsa2048_sign'].units == 'ops/s'
    assert metrics['rsa2048_sign'].classifiers == {'algorithm': 'rsa2048', 'key_bits': 2048,
                                                  'operation': 'sign'}
    assert metrics['ecdsa256_verify'].value == pytest.approx(16499.0)
    assert metrics['ecdh256_op'].value == pytest.approx(20881.0)


def test_openssl_named_curves_dsa_ffdh():
    metrics = by_name(parse_openssl_speed(read('openssl', 'dsa2048_ed25519_ffdh2048.txt')))
    assert set(metrics) == {'dsa2048_sign', 'dsa2048_verify', 'ed25519_sign', 'ed25519_verify',
                            'ffdh2048_op'}
    assert metrics['ed25519_sign'].classifiers['key_bits'] == 253


def test_openssl_single_block_size():
    metrics = by_name(parse_openssl_speed(read('openssl', 'evp_sha256_bytes4096.txt')))
    assert list(metrics) == ['sha256_4096']
    assert metrics['sha256_4096'].value == pytest.approx(1698.164736)


def test_openssl_multi_uses_parent_totals():
    metrics = by_name(parse_openssl_speed(read('openssl', 'multi2_aes-256-cbc.txt')))
    assert list(metrics) == ['aes-256-cbc_1024']
    assert metrics['aes-256-cbc_1024'].value == pytest.approx(2036.192256)
    metrics = by_name(parse_openssl_speed(read('openssl', 'multi2_rsa2048.txt')))
    assert metrics['rsa2048_sign'].value == pytest.approx(8194.0)


def test_openssl_no_results():
    with pytest.raises(ValueError):
        parse_openssl_speed('speed: nosuchalg is an unknown cipher or digest\n')


def test_openssl_public_key_names():
    assert is_public_key_algorithm('rsa2048')
    assert is_public_key_algorithm('ecdhp256')
    assert is_public_key_algorithm('ed25519')
    assert not is_public_key_algorithm('aes-256-cbc')
    assert not is_public_key_algorithm('sha256')


# -- hackbench -------------------------------------------------------------------------------
@pytest.mark.parametrize('name, mode', [('process.txt', 'process'), ('threads.txt', 'threaded')])
def test_hackbench(name, mode):
    metrics = by_name(parse_hackbench_output(read('hackbench', name)))
    assert metrics['test_time'].units == 'seconds'
    assert metrics['test_time'].lower_is_better
    assert metrics['test_time'].value > 0
    assert metrics['total_groups'].value == 4
    assert metrics['total_fd'].value == 80
    assert metrics['total_tasks'].value == 80
    # 4 groups x 10 senders x 10 receivers x 200 loops
    assert metrics['total_messages'].value == 80000
    assert metrics['total_bytes'].value == 8000000
    assert metrics['test_time'].classifiers == {'mode': mode}


def test_hackbench_time_only():
    metrics = parse_hackbench_output('Running with 10*40 (== 400) tasks.\nTime: 0.421\n')
    assert [(m.name, m.value) for m in metrics] == [('test_time', 0.421)]


def test_hackbench_no_time():
    with pytest.raises(ValueError, match='Time:'):
        parse_hackbench_output('hackbench: error\n')


# -- cyclictest ------------------------------------------------------------------------------
def test_cyclictest():
    metrics = by_name(parse_cyclictest_output(read('cyclictest', 'two_threads.txt')))
    assert metrics['latency_min'].value == 9
    assert metrics['latency_max'].value == 76
    # (14 * 2000 + 15 * 1334) / 3334
    assert metrics['latency_avg'].value == pytest.approx(14.4, abs=0.01)
    assert metrics['cycles'].value == 3334
    for name in ('latency_min', 'latency_avg', 'latency_max', 'thread1_max'):
        assert metrics[name].units == 'us'
        assert metrics[name].lower_is_better
    assert metrics['thread1_max'].value == 76
    assert metrics['thread0_avg'].classifiers == {'thread': 0, 'priority': 80}


def test_cyclictest_no_summary():
    with pytest.raises(ValueError):
        parse_cyclictest_output('# /dev/cpu_dma_latency set to 0us\n')


# -- fio -------------------------------------------------------------------------------------
def test_fio_randrw():
    metrics = by_name(parse_fio_json(read('fio', 'randrw.json')))
    assert metrics['read_iops'].value == pytest.approx(15077.961, rel=1e-6)
    assert metrics['read_iops'].units == 'iops'
    assert metrics['read_bandwidth'].value == pytest.approx(61759328 / 1048576.0, rel=1e-4)
    assert metrics['read_bandwidth'].units == 'MiB/s'
    assert metrics['read_clat_p99'].value == pytest.approx(93.696)
    assert metrics['read_clat_p50'].value == pytest.approx(52.48)
    assert metrics['read_lat_mean'].value == pytest.approx(55.504, rel=1e-4)
    assert metrics['read_lat_mean'].units == 'us'
    assert metrics['read_lat_mean'].lower_is_better
    assert metrics['write_iops'].value > 0
    assert metrics['write_clat_p99.9'].value > 0
    assert not any(name.startswith('trim') for name in metrics)
    assert metrics['write_iops'].classifiers == {'job': 'wa', 'direction': 'write'}


def test_fio_two_jobs_prefixed():
    metrics = by_name(parse_fio_json(read('fio', 'two_jobs.json')))
    assert 'seqwrite_write_iops' in metrics
    assert 'randread_read_iops' in metrics
    assert 'seqwrite_read_iops' not in metrics
    assert metrics['randread_read_clat_p95'].units == 'us'


def test_fio_leading_notes_and_errors():
    text = 'fio: some note\n' + read('fio', 'randrw.json')
    assert parse_fio_json(text)
    with pytest.raises(ValueError, match='error 5'):
        parse_fio_json('{"jobs": [{"jobname": "x", "error": 5}]}')
    with pytest.raises(ValueError):
        parse_fio_json('fio: failed to open file')


# -- memcpy ----------------------------------------------------------------------------------
def test_memcpy_one_size():
    metrics = by_name(parse_memcpy_output(read('memcpy', 'one_size.txt')))
    assert set(metrics) == {'bandwidth', 'time'}
    assert metrics['bandwidth'].units == 'MB/s'
    assert metrics['bandwidth'].value == pytest.approx(47991.978)
    assert metrics['time'].lower_is_better
    assert metrics['time'].classifiers == {'buffer_size': 1048576, 'iterations': 200}


def test_memcpy_several_sizes():
    metrics = by_name(parse_memcpy_output(read('memcpy', 'three_sizes.txt')))
    assert set(metrics) == {'bandwidth_4096', 'time_4096', 'bandwidth_65536', 'time_65536',
                            'bandwidth_5242880', 'time_5242880'}


# -- dhrystone -------------------------------------------------------------------------------
def test_dhrystone_report():
    metrics = by_name(parse_dhrystone_output(read('dhrystone', 'dhry21_report.txt')))
    assert metrics['dhrystones_per_second'].value == pytest.approx(16666667.0)
    assert metrics['dhrystones_per_second'].units == 'dhrystones/s'
    assert metrics['dmips'].value == pytest.approx(16666667.0 / 1757, abs=0.01)
    assert metrics['dmips'].units == 'DMIPS'
    assert metrics['microseconds_per_run'].value == pytest.approx(0.1)
    assert not any(name.startswith('thread_') for name in metrics)


def test_dhrystone_copies_add_up():
    report = read('dhrystone', 'dhry21_report.txt')
    text = '== dhrystone copy 0 ==\n{}== dhrystone copy 1 ==\n{}'.format(
        report, report.replace('16666667.0', '10000000.0'))
    metrics = by_name(parse_dhrystone_output(text))
    assert metrics['dhrystones_per_second'].value == pytest.approx(26666667.0)
    assert metrics['thread_1_dhrystones_per_second'].value == pytest.approx(10000000.0)
    assert metrics['thread_0_dmips'].classifiers == {'thread': 0}


def test_dhrystone_copy_run_in_batches_scores_their_mean():
    report = read('dhrystone', 'dhry21_report.txt')
    half = report.replace('16666667.0', '8333333.0')
    metrics = by_name(parse_dhrystone_output(report + half))
    assert metrics['dhrystones_per_second'].value == pytest.approx(12500000.0, rel=1e-6)


def test_dhrystone_too_small():
    with pytest.raises(ValueError, match='increase mloops'):
        parse_dhrystone_output(read('dhrystone', 'dhry21_too_small.txt'))

"""Unit tests of the instruments' parsers and helpers, on samples in the kernel's documented
formats (tests/data/instruments/README.md says which document each follows). No target."""
import os

import pytest

from wa.instruments.interrupts import parse_interrupts, interrupt_deltas
from wa.instruments.proc_stat import parse_proc_stat, utilisation, write_timeline
from wa.instruments.cpufreq import parse_time_in_state, time_in_state_deltas, mean_frequency
from wa.instruments.perf import parse_perf_stat, explain_failure
from wa.instruments.dmesg import parse_raw_dmesg, between_markers, after_last_line
from wa.instruments.energy_measurement import (parse_powercap, rapl_energy, zone_label,
                                               energy_metrics)
from wa.instruments.hwmon import hwmon_metrics
from wa.instruments.file_poller import samples_to_rows, column_stats, label_for

DATA = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data',
                                     'instruments'))


def read(name):
    with open(os.path.join(DATA, name)) as fh:
        return fh.read()


def read_tree(root, prefix):
    """``{prefix + relative path: text}`` for every file under ``root``."""
    files = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path) as fh:
                files[prefix + os.path.relpath(path, root)] = fh.read()
    return files


# --- interrupts ----------------------------------------------------------------------------

def test_parse_interrupts():
    cpus, counts = parse_interrupts(read('proc_interrupts_before.txt'))
    assert cpus == ['cpu0', 'cpu1', 'cpu2', 'cpu3']
    assert counts['25'] == [20101, 0, 5042, 7]
    assert counts['NMI'] == [3, 2, 2, 1]
    assert counts['ERR'] == [0]


def test_interrupt_deltas_per_cpu_and_total():
    deltas = interrupt_deltas(read('proc_interrupts_before.txt'),
                              read('proc_interrupts_after.txt'))
    # cpu0: xhci +60, ahci +200, LOC +500, RES +10; cpu1: i8042 +3, eth0 (new) +5, LOC +400,
    # RES +10; cpu2: LOC +100, RES +10; cpu3: acpi +4, LOC +100, RES +10. ERR has no per-CPU
    # counts and is left out.
    assert deltas == {'cpu0': 770, 'cpu1': 418, 'cpu2': 110, 'cpu3': 114, 'total': 1412}


# --- proc_stat -----------------------------------------------------------------------------

def test_parse_proc_stat():
    cpus = parse_proc_stat(read('proc_stat_before.txt'))
    assert sorted(cpus) == ['cpu0', 'cpu1', 'cpu2', 'cpu3', 'total']
    assert cpus['cpu2']['user'] == 3688790 and cpus['cpu2']['guest'] == 52580


def test_utilisation_from_samples():
    util = utilisation(read('proc_stat_before.txt'), read('proc_stat_after.txt'))
    assert util['total'] == pytest.approx({'user': 30.0, 'sys': 20.0, 'idle': 42.5,
                                           'iowait': 5.0, 'steal': 2.5})
    assert util['cpu0'] == pytest.approx({'user': 80.0, 'sys': 10.0, 'idle': 10.0,
                                          'iowait': 0.0, 'steal': 0.0})
    assert util['cpu1']['idle'] == pytest.approx(100.0)
    assert util['cpu3']['sys'] == pytest.approx(50.0)       # system + softirq
    for values in util.values():
        assert sum(values.values()) == pytest.approx(100.0)


def test_utilisation_skips_cpus_without_elapsed_time():
    text = read('proc_stat_before.txt')
    assert utilisation(text, text) == {}


def test_proc_stat_timeline_csv(tmp_path):
    stat = '/proc/stat'
    samples = [(10.0, {stat: read('proc_stat_before.txt')}),
               (11.0, {stat: read('proc_stat_after.txt')})]
    path = tmp_path / 'p.csv'
    write_timeline(samples, str(path))
    lines = path.read_text().splitlines()
    assert lines[0].startswith('time,cpu,cpu_util_user')
    assert lines[1] == '1.00,total,30.00,20.00,42.50,5.00,2.50'
    assert len(lines) == 1 + 5


# --- cpufreq -------------------------------------------------------------------------------

def test_parse_time_in_state():
    text = read('cpufreq/before/cpufreq/policy0/stats/time_in_state')
    assert parse_time_in_state(text) == {800000: 1000, 1400000: 500, 2000000: 300,
                                         2400000: 200}


def test_time_in_state_deltas_and_mean_frequency():
    seconds = time_in_state_deltas(read('cpufreq/before/cpufreq/policy0/stats/time_in_state'),
                                   read('cpufreq/after/cpufreq/policy0/stats/time_in_state'),
                                   user_hz=100)
    assert seconds == {800000: 0.5, 1400000: 0.0, 2000000: 1.0, 2400000: 0.5}
    assert mean_frequency(seconds) == pytest.approx(1800000)
    assert mean_frequency({800000: 0.0}) is None


# --- perf ----------------------------------------------------------------------------------

def test_parse_perf_stat_total():
    counts = parse_perf_stat(read('perf_stat_total.csv'))
    by_event = {c['event']: c for c in counts}
    assert by_event['task-clock'] == {'event': 'task-clock', 'value': 2091.49, 'units': 'msec',
                                      'cpu': 'total', 'status': 'ok'}
    assert by_event['context-switches']['value'] == 3776
    assert by_event['context-switches']['units'] == ''
    assert by_event['cycles']['value'] is None
    assert by_event['cycles']['status'] == 'not supported'
    assert by_event['instructions']['status'] == 'not counted'


def test_parse_perf_stat_per_cpu():
    counts = parse_perf_stat(read('perf_stat_per_cpu.csv'))
    switches = {c['cpu']: c['value'] for c in counts if c['event'] == 'context-switches'}
    assert switches == {'cpu0': 367, 'cpu1': 325}


def test_perf_failure_messages():
    denied = ('Error:\nAccess to performance monitoring and observability operations is '
              'limited.\nConsider adjusting /proc/sys/kernel/perf_event_paranoid setting')
    assert 'perf_event_paranoid' in explain_failure(denied)
    assert 'not permitted' in explain_failure(denied)
    bad = "event syntax error: 'bogus'\n  \\___ parser error"
    assert explain_failure(bad).startswith('perf does not know one of the events')


# --- dmesg ---------------------------------------------------------------------------------

def test_parse_raw_dmesg_levels_and_continuations():
    records = parse_raw_dmesg(read('dmesg_raw.txt'))
    assert records[0] == (6, '[    0.000000] Linux version 6.1.0-13-amd64 '
                             '(debian-kernel@lists.debian.org)')
    assert records[3][0] == 4          # <12> is facility user (1), level warning (4)
    levels = {text.split('] ', 1)[-1][:9]: level for level, text in records}
    assert levels['EXT4-fs e'] == 3
    assert (4, 'continuation of the previous message') in records


def test_between_markers():
    records = parse_raw_dmesg(read('dmesg_raw.txt'))
    selected, found = between_markers(records, 'wa: wk1-1 start 0a1b2c3d',
                                      'wa: wk1-1 end 0a1b2c3d')
    assert found
    assert len(selected) == 5
    assert 'NIC Link is Up' in selected[0][1]
    assert 'USB device' in selected[-1][1]
    selected, found = between_markers(records, 'wa: lost start', 'wa: wk1-1 end 0a1b2c3d')
    assert not found and len(selected) == 9


def test_after_last_line():
    records = parse_raw_dmesg(read('dmesg_raw.txt'))
    selected, found = after_last_line(records, records[-3][1])
    assert found and [text for _, text in selected] == [records[-2][1], records[-1][1]]
    assert after_last_line(records, 'never logged') == (records, False)


# --- powercap / RAPL -----------------------------------------------------------------------

def powercap(when):
    return read_tree(os.path.join(DATA, 'powercap', when), '/sys/class/powercap/')


def test_parse_powercap():
    zones = parse_powercap(powercap('before'))
    assert sorted(zones) == ['intel-rapl:0', 'intel-rapl:0:0', 'intel-rapl:0:1',
                             'intel-rapl:0:2', 'intel-rapl:1']      # dtpm:0 has no counter
    assert zones['intel-rapl:0'] == {'name': 'package-0', 'energy_uj': 100000000,
                                     'max_energy_range_uj': 262143328850}
    assert zone_label('intel-rapl:0:1', zones) == 'package-0/uncore'
    assert zone_label('intel-rapl:1', zones) == 'package-1'


def test_rapl_energy_with_a_wrapped_counter():
    energy = rapl_energy(parse_powercap(powercap('before')), parse_powercap(powercap('after')))
    assert energy == pytest.approx({'package-0': 12.5, 'package-0/core': 8.0,
                                    'package-0/uncore': 0.5, 'package-0/dram': 3.0,
                                    'package-1': 6.0})


def test_energy_metrics():
    metrics = energy_metrics({'package-0': 12.5}, 2.5)
    assert metrics == [('energy', 12.5, 'J', {'site': 'package-0'}),
                       ('mean_power', 5.0, 'W', {'site': 'package-0'})]


# --- hwmon ---------------------------------------------------------------------------------

def test_hwmon_metrics():
    before = {('acpitz', 'temperature'): 45.0, ('soc', 'energy'): 1000.0,
              ('soc', 'power'): 2.5}
    after = {('acpitz', 'temperature'): 47.5, ('soc', 'energy'): 1012.5,
             ('soc', 'power'): 3.0, ('new', 'voltage'): 1.05}
    metrics = hwmon_metrics(before, after)
    assert ('energy', 12.5, 'J', {'sensor': 'soc'}) in metrics
    assert ('temperature', 45.0, 'C', {'sensor': 'acpitz', 'when': 'before'}) in metrics
    assert ('temperature', 47.5, 'C', {'sensor': 'acpitz', 'when': 'after'}) in metrics
    assert ('power', 3.0, 'W', {'sensor': 'soc', 'when': 'after'}) in metrics
    assert ('voltage', 1.05, 'V', {'sensor': 'new', 'when': 'after'}) in metrics
    assert len(metrics) == 6


# --- file_poller and the sampler -----------------------------------------------------------

def test_label_for():
    assert label_for('/sys/class/thermal/thermal_zone0/temp') == 'thermal_zone0_temp'


def test_rows_and_stats():
    samples = [(100.0, {'/t': '45000\n', '/s': 'on\n'}),
               (100.5, {'/t': '47000\n', '/s': 'off\n'}),
               (101.0, {'/s': 'on\n'})]
    rows = samples_to_rows(samples, ['/t', '/s'])
    assert rows == [[0.0, '45000', 'on'], [0.5, '47000', 'off'], [1.0, '', 'on']]
    assert column_stats(rows, ['t', 's']) == {'t': (45000, 46000.0, 47000)}



"""The cpustates processor on a hand-written trace (tests/data/processors, see its README),
then in a real run where ftrace starts (skipped with the reason elsewhere)."""
import csv
import os
import sys

import pytest

from wa.processors._power_states import parse_trace, power_state_times
from wa.processors.cpustates import parallel_rows, state_rows

HERE = os.path.dirname(os.path.abspath(__file__))
TRACE = os.path.join(os.path.dirname(HERE), 'data', 'processors', 'cpustates_two_cpus.txt')
sys.path.insert(0, os.path.dirname(HERE))
from warun import run_agenda  # noqa: E402  pylint: disable=wrong-import-position


def sample():
    with open(TRACE) as fh:
        return parse_trace(fh)


def test_window_from_the_markers_and_power_events_only():
    window, events = sample()
    assert window == (100.0, 110.0)
    assert len(events) == 10
    assert (104.0, 'freq', 1, 800000) in events      # emitted on CPU0, about CPU1


def test_residency_per_cpu():
    window, events = sample()
    residency, parallel = power_state_times(window, events, [0, 1])
    approx = lambda d: {k: pytest.approx(v) for k, v in d.items()}  # noqa: E731
    # CPU0: 800 MHz 100-102 and 105-106, idle1 102-105, 1.6 GHz 106-110
    assert residency[0] == approx({'800000': 3.0, 'idle1': 3.0, '1600000': 4.0})
    # CPU1: unknown until its first idle event, running before its first frequency event
    assert residency[1] == approx({'unknown': 1.0, 'idle0': 2.0, 'running': 1.0,
                                   '800000': 4.0, 'idle1': 2.0})
    assert parallel == approx({0: 1.0, 1: 6.0, 2: 3.0})


def test_no_idle_and_split_wfi():
    window, events = sample()
    residency, _ = power_state_times(window, events, [0, 1], no_idle=True,
                                     split_wfi_states=True)
    assert residency[1]['running'] == pytest.approx(2.0)       # 100-101 too
    assert 'unknown' not in residency[1]
    # idle0 at an unknown frequency stays idle0
    assert residency[1]['idle0'] == pytest.approx(2.0)


def test_csv_rows():
    window, events = sample()
    residency, parallel = power_state_times(window, events, [0, 1])
    rows = state_rows(residency, 10.0)
    assert rows[0] == ['state', 'CPU0', 'CPU1']
    assert [row[0] for row in rows[1:]] == ['idle0', 'idle1', '800000', '1600000', 'running',
                                            'unknown']
    assert rows[3] == ['800000', 30.0, 40.0]
    together = parallel_rows(parallel, 10.0)
    assert together[1:] == [['all', 1, 6.0, 60.0, 66.67], ['all', 2, 3.0, 30.0, 33.33]]
    assert state_rows(residency, 10.0, use_ratios=True)[3] == ['800000', 0.3, 0.4]


def test_in_a_run_with_trace_cmd(tmp_path):
    agenda = {'config': {'instrumentation': ['trace_cmd'], 'result_processors': ['cpustates'],
                         'trace_cmd': {'events': ['cpu_idle', 'cpu_frequency']}},
              'workloads': [{'name': 'idle', 'params': {'duration': 0.5}}]}
    out, result, process = run_agenda(tmp_path, agenda)
    assert result['status'] == 'OK', process.stdout
    names = {a['name'] for a in result['jobs'][0]['artifacts']}
    if 'trace-cmd-txt' not in names:
        assert 'Instrument "trace_cmd" is disabled' in process.stdout
        assert 'cpustates: job wk1 has no text trace' in process.stdout
        pytest.skip('ftrace does not start here: {}'.format(
            [l for l in process.stdout.splitlines() if 'trace_cmd' in l][:1]))
    assert {'power-state-stats', 'parallel-stats'} <= names
    with open(str(out / 'power-state-stats.csv')) as fh:
        header = next(csv.reader(fh))
    assert header[:4] == ['id', 'workload', 'iteration', 'state']

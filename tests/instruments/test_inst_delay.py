"""The ``delay`` instrument in real runs: pauses measured between jobs in result.json."""
import os
import sys
from datetime import datetime

import pytest

from wa import ConfigError
from wa.instruments.delay import Delay

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from warun import run_agenda  # noqa: E402  pylint: disable=wrong-import-position


def stamps(result, key):
    return [datetime.fromisoformat(job[key]) for job in result['jobs']]


def test_nothing_to_wait_for_is_refused():
    with pytest.raises(ConfigError, match='no delay is set'):
        Delay(None).validate()


def test_wa3_names_are_accepted():
    delay = Delay(None, fixed_between_iterations=3, temperature_between_iterations=45000)
    assert (delay.fixed_between_jobs, delay.temperature_between_jobs) == (3, 45000)


def test_fixed_delay_between_jobs_and_thermal_wait(tmp_path):
    """Two idle jobs 1.5 s apart (fixed); then a spec change waits on a temperature file
    that stays too hot until the 1 s timeout. On this target the file is one of ours."""
    hot = tmp_path / 'temp'
    hot.write_text('90000\n')
    agenda = {'config': {'instrumentation': ['delay'], 'execution_order': 'by_spec',
                         'delay': {'fixed_between_jobs': 1.5, 'temperature_file': str(hot),
                                   'temperature_between_specs': 40000,
                                   'temperature_poll_period': 1, 'temperature_timeout': 1}},
              'workloads': [{'id': 'a', 'name': 'idle', 'params': {'duration': 0.1},
                             'iterations': 2},
                            {'id': 'b', 'name': 'idle', 'params': {'duration': 0.1}}]}
    out, result, process = run_agenda(tmp_path, agenda)
    assert result['status'] == 'OK', process.stdout
    assert [job['id'] for job in result['jobs']] == ['a', 'a', 'b']
    ends = stamps(result, 'end_time')
    assert result['jobs'][0]['duration'] < 1.5
    # the second iteration of a: the fixed 1.5 s
    assert (ends[1] - ends[0]).total_seconds() >= 1.5
    # b: a new spec, so the thermal wait (timed out after 1 s), not the fixed one
    assert (ends[2] - ends[1]).total_seconds() >= 1.0
    assert 'the temperature is still 90000' in (out / 'run.log').read_text()


def test_without_thermal_zone_fixed_mode_still_works(tmp_path):
    agenda = {'config': {'instrumentation': ['delay'],
                         'delay': {'fixed_between_jobs': 1,
                                   'temperature_file': str(tmp_path / 'no-such-zone'),
                                   'temperature_between_jobs': 40000}},
              'workloads': [{'name': 'idle', 'params': {'duration': 0.1}, 'iterations': 2}]}
    out, result, process = run_agenda(tmp_path, agenda)
    assert result['status'] == 'OK', process.stdout
    ends = stamps(result, 'end_time')
    assert (ends[1] - ends[0]).total_seconds() >= 1.0
    assert 'so the temperature waits are skipped; the fixed delays still apply' in process.stdout

"""Unit tests of the guarded call and of a job's status as a pure function of its outcomes
(signals.md §7), without a run."""
import sys

import pytest

from wa import WorkloadError
from wa.core import status as st
from wa.core.outcome import (INTERRUPTED, RESULT_UPDATED, UNCHANGED, Outcome, guarded,
                             job_status, run_status)


def failed(stage, lost=False):
    return Outcome(stage, 'p', ok=False, error=RuntimeError('x'), connection_lost=lost)


def ok(stage):
    return Outcome(stage, 'p')


def test_no_outcome_is_running():
    assert job_status([]) == st.RUNNING


def test_finished_without_failure_is_ok():
    assert job_status([ok('setup'), ok('run')], finished=True) == st.OK


def test_result_updated_makes_ok():
    assert job_status([ok('setup'), ok('run'), ok('update_result'), ok(RESULT_UPDATED)]) == st.OK


@pytest.mark.parametrize('stage, expected', [
    ('runtime_params', st.FAILED), ('setup', st.FAILED), ('run', st.FAILED),
    ('update_result', st.PARTIAL), ('teardown', st.NONCRITICAL),
    ('after-workload-execution-signal', st.PARTIAL), ('process_iteration_result', st.PARTIAL)])
def test_failure_of_each_stage(stage, expected):
    assert job_status([ok('setup'), failed(stage)], finished=True) == expected


def test_worst_failure_wins_whatever_the_order():
    outcomes = [failed('teardown'), failed('run'), failed('update_result')]
    assert job_status(outcomes) == job_status(outcomes[::-1]) == st.FAILED


def test_teardown_never_overwrites_failed():
    assert job_status([failed('run'), failed('teardown')]) == st.FAILED


def test_later_success_does_not_hide_a_failure():
    assert job_status([failed('stop-signal'), ok(RESULT_UPDATED)]) == st.PARTIAL


def test_lost_connection_is_failed_even_in_teardown():
    assert job_status([failed('teardown', lost=True)]) == st.FAILED


def test_interrupted_is_aborted():
    assert job_status([failed('run'), Outcome(INTERRUPTED, 'user', ok=False)]) == st.ABORTED


def test_guarded_contains_exceptions_and_sys_exit():
    def exits():
        sys.exit(3)

    outcome = guarded('run', 'exiter', exits)
    assert not outcome.ok and isinstance(outcome.error, SystemExit)
    assert 'sys.exit(3)' in outcome.message
    outcome = guarded('run', 'w', lambda: (_ for _ in ()).throw(WorkloadError('bad')))
    assert not outcome.ok and outcome.message == 'bad' and not outcome.wants_traceback
    assert guarded('run', 'w', lambda x: x, 1).ok


def test_guarded_lets_ctrl_c_through():
    def interrupted():
        raise KeyboardInterrupt()

    with pytest.raises(KeyboardInterrupt):
        guarded('run', 'w', interrupted)


def test_guarded_propagates_what_it_is_told_to():
    def lost():
        raise ConnectionError('gone')

    with pytest.raises(ConnectionError):
        guarded('stop', 'i', lost, propagate=lambda e: isinstance(e, ConnectionError))
    assert guarded('stop', 'i', lost, lost=lambda e: True).connection_lost


@pytest.mark.parametrize('finals, interrupted, initialised, errors, expected', [
    ([st.OK, st.OK], False, True, False, st.OK),
    ([st.OK, st.OK], False, True, True, st.PARTIAL),
    ([st.OK, st.SKIPPED], False, True, False, st.PARTIAL),
    ([st.FAILED, st.FAILED], False, True, False, st.FAILED),
    ([st.OK], False, False, False, st.FAILED),
    ([st.OK], True, True, False, st.ABORTED)])
def test_run_status(finals, interrupted, initialised, errors, expected):
    assert run_status(finals, interrupted, initialised, errors) == expected


def test_a_status_decided_by_the_caller_replaces_the_stage_rule():
    """WA3's rules for a WA3 instrument: a target error leaves the job as it is, a
    WorkloadError fails it (wa.framework.callbacks)."""
    leaves = Outcome('start', 'p', ok=False, error=RuntimeError('x'), status=UNCHANGED)
    fails = Outcome('start', 'p', ok=False, error=RuntimeError('x'), status=st.FAILED)
    assert job_status([ok('setup'), leaves, ok(RESULT_UPDATED)]) == st.OK
    assert job_status([ok('setup'), fails, ok(RESULT_UPDATED)]) == st.FAILED
    assert job_status([ok('setup'), failed('start'), ok(RESULT_UPDATED)]) == st.PARTIAL

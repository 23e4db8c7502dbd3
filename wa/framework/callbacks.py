"""How WA3 connects an instrument's methods and contains their failures, for instruments
written for WA3.

WA3 names some hooks differently (``update_output``, ``before_job``, ``on_job_start``, ...):
``WA3_METHODS`` maps each name this project's own map lacks to the signal sent at the same
point of a job here. An instrument written for WA3 (``written_for_wa3``) is treated as WA3
treats it when one of its callbacks fails within a job: it stays on for the rest of the job,
and the job becomes FAILED for a WorkloadError, stays as it is for a target error (a command
that failed on the target: the error is only logged, and kept as a job event), and becomes
PARTIAL for anything else (WA3's ``ManagedCallback``).
"""
from wa.core import signal
from wa.core import status as st
from wa.core.exceptions import TargetError, WorkloadError

# WA3 hook -> this project's signal (WA3's BEFORE_JOB, JOB_STARTED, ... here are one signal
# each: a job's start and end). WA3's ``update_output`` is the Instrument base's alias of
# ``update_result`` (wa.core.instrument).
WA3_METHODS = {
    'process_workload_output': signal.SUCCESSFUL_WORKLOAD_RESULT_UPDATE,
    'before_job': signal.ITERATION_START,
    'on_job_start': signal.ITERATION_START,
    'after_job': signal.ITERATION_END,
    'on_job_end': signal.ITERATION_END,
    'before_processing_job_output': signal.BEFORE_WORKLOAD_RESULT_UPDATE,
    'on_successfully_processing_job': signal.SUCCESSFUL_WORKLOAD_RESULT_UPDATE,
    'after_processing_job_output': signal.AFTER_WORKLOAD_RESULT_UPDATE,
    'before_job_queue_execution': signal.RUN_INIT,
    'after_job_queue_execution': signal.RUN_FIN,
    'before_reboot': signal.BEFORE_BOOT,
    'on_successful_reboot': signal.SUCCESSFUL_BOOT,
    'after_reboot': signal.AFTER_BOOT,
}
_WA3_ONLY = frozenset(WA3_METHODS) | {'update_output'}


def written_for_wa3(instrument):
    """True if ``instrument``'s class defines a hook only WA3 has (``update_output``,
    ``before_job``, ...) or a method with one of WA3's priority decorators (``@slow``...)."""
    for klass in type(instrument).__mro__:
        if klass.__module__.startswith('wa.core'):
            break
        for name, value in vars(klass).items():
            if name in _WA3_ONLY or hasattr(value, 'priority'):
                return True
    return False


def failure_status(error):
    """The status WA3 gives the current job when an instrument callback raised ``error``;
    None to leave it as it is."""
    if isinstance(error, WorkloadError):
        return st.FAILED
    if isinstance(error, TargetError) or any(
            cls.__name__ == 'TargetError' and cls.__module__.startswith('devlib')
            for cls in type(error).__mro__):
        return None
    return st.PARTIAL

"""One guarded call: run a plugin method, contain its failure, and say what happened.

Every place that calls plugin code (the Runner's stages, instrument callbacks, result
processors) goes through ``guarded``; a job's status is then ``job_status`` of its outcomes.
"""
import time

from wa.core import status as st
from wa.core.exceptions import WAError, first_line, is_connection_lost

# The status a failure in each workload stage gives its job (signals.md §7); a failure in any
# other stage (an instrument callback, a result processor) makes the job PARTIAL.
FAILURE_STATUS = {'runtime_params': st.FAILED, 'setup': st.FAILED, 'run': st.FAILED,
                  'update_result': st.PARTIAL, 'teardown': st.NONCRITICAL}
INTERRUPTED = 'interrupted'
RESULT_UPDATED = 'update_result'
UNCHANGED = 'unchanged'   # an Outcome.status: this failure leaves its job's status as it is


class Outcome:
    """What one call of plugin code did.

    ``stage`` is the workload stage (``setup``, ``run``...) or the signal or processor method;
    ``plugin`` the plugin's name; ``error`` the exception (None if ``ok``); ``duration`` in
    seconds; ``connection_lost`` is True when the error means the target stopped answering;
    ``status``, when set, is what a failure gives its job instead of the stage's rule (a
    status, or UNCHANGED), as the caller decided (WA3's rules for a WA3 instrument).
    """

    __slots__ = ('stage', 'plugin', 'ok', 'error', 'duration', 'connection_lost', 'status')

    def __init__(self, stage, plugin, ok=True, error=None, duration=0.0, connection_lost=False,
                 status=None):
        self.stage = stage
        self.plugin = plugin
        self.ok = ok
        self.error = error
        self.duration = duration
        self.connection_lost = connection_lost
        self.status = status

    @property
    def message(self):
        """One line about the error ('' when ok); a ``sys.exit()`` is named as such."""
        return describe(self.error) if self.error is not None else ''

    @property
    def wants_traceback(self):
        """True for errors that are not WA's own, whose traceback helps find the bug."""
        return self.error is not None and not isinstance(self.error, (WAError, SystemExit))

    def __repr__(self):
        return '<Outcome {} {} {}>'.format(self.stage, self.plugin,
                                           'ok' if self.ok else self.message)


def describe(error):
    """The message of ``error``; a SystemExit says that the plugin tried to end the process."""
    if isinstance(error, SystemExit):
        return 'called sys.exit({!r}), which a plugin may not do'.format(error.code)
    return str(error).strip() or type(error).__name__


def guarded(stage, plugin, method, *args, propagate=None, lost=None):
    """Calls ``method(*args)`` and returns its Outcome.

    Any ``Exception`` and ``SystemExit`` is contained; KeyboardInterrupt passes through, and so
    does an error for which ``propagate(error)`` is true. ``lost(error)``, if given, is asked
    whether an error that does not name a lost connection still hides one.
    """
    start = time.monotonic()
    try:
        method(*args)
    except (Exception, SystemExit) as error:  # pylint: disable=broad-except
        if propagate is not None and propagate(error):
            raise
        connection_lost = is_connection_lost(error) or bool(lost and lost(error))
        return Outcome(stage, plugin, False, error, time.monotonic() - start, connection_lost)
    return Outcome(stage, plugin, True, None, time.monotonic() - start)


def outcome_status(outcome):
    """The status one outcome alone gives a job: None if it changes nothing."""
    if outcome.stage == INTERRUPTED:
        return st.ABORTED
    if outcome.ok:
        return st.OK if outcome.stage == RESULT_UPDATED else None
    if outcome.status is not None:
        return None if outcome.status == UNCHANGED else outcome.status
    if outcome.connection_lost or type(outcome.error).__name__ == 'JobTimeout':
        return st.FAILED
    return FAILURE_STATUS.get(outcome.stage, st.PARTIAL)


def job_status(outcomes, finished=False):
    """A job attempt's status from its outcomes, in the order they happened.

    The worst failure wins (OK < NONCRITICAL < PARTIAL < FAILED < ABORTED). With no failure the
    job is OK once its result was updated (or once ``finished``), else still RUNNING.
    """
    current = st.RUNNING
    for outcome in outcomes:
        found = outcome_status(outcome)
        if found is not None:
            current = st.worse(current, found)
    if finished and current == st.RUNNING:
        return st.OK
    return current


def run_status(final_statuses, interrupted, initialised, errors_logged):
    """The run's status from the final status of each job and what happened around them:
    ABORTED if interrupted; FAILED if it never initialised or no job got a result; PARTIAL
    if an error was logged outside the jobs or some job did not succeed; else OK."""
    if interrupted:
        return st.ABORTED
    if not initialised or not any(s in (st.OK, st.NONCRITICAL, st.PARTIAL)
                                  for s in final_statuses):
        return st.FAILED
    if errors_logged or any(s in (st.PARTIAL, st.FAILED, st.SKIPPED) for s in final_statuses):
        return st.PARTIAL
    return st.OK


def first_line_of(outcome):
    """The first line of the outcome's error, for messages that must fit on one line."""
    return first_line(outcome.error) if not isinstance(outcome.error, SystemExit) \
        else outcome.message

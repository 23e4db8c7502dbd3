"""One job's stages: runtime parameters, then setup, run, update_result and teardown, each in
its before/successful/after signal triple (signals.md §6), under the spec's ``job_timeout``.

Plugin code is called through ``outcome.guarded``; every outcome goes to the job's result, whose
status follows from them. A failure that hides a dropped connection raises ``TargetLost`` for
the Runner to reconnect.
"""
import logging

from wa.core import signal, status
from wa.core.exceptions import TargetError, WAError
from wa.core.interrupts import JobTimeout, JobTimer
from wa.core.outcome import RESULT_UPDATED, Outcome, first_line_of, guarded

logger = logging.getLogger('runner')


class TargetLost(Exception):
    """The target stopped answering during a job."""


class JobInterrupted(BaseException):
    """The user's first Ctrl-C, already noted, on its way out of the job's stages."""


class JobStages:
    """The stages of one attempt of ``job`` (its JobResult is ``result``) for ``runner``."""

    def __init__(self, runner, job, result):
        self.runner = runner
        self.job = job
        self.result = result
        self.timer = JobTimer(job.spec.job_timeout)

    def run(self):
        """Runtime parameters, then the four stages; False if runtime params or setup failed.
        The job's ``job_timeout`` covers everything before teardown, which always runs."""
        job, result = self.job, self.result
        workload = job.spec.workload
        target_lost = setup_done = False
        try:
            self.timer.start()
            if job.spec.runtime_parameters and not self._attempt(
                    'runtime_params', 'applying runtime parameters',
                    lambda _: self.runner.runtime_params.apply(job.spec.runtime_parameters)):
                return False
            if not self._stage('workload-setup', 'setup', 'setting up workload',
                               workload.setup):
                return False
            setup_done = True
            ran = self._stage('workload-execution', 'run', 'running workload', workload.run)
            update = workload.update_result if ran and result.status != status.FAILED else None
            self._stage('iteration-result-update', 'update_result', 'updating result', update,
                        on_success=lambda: result.record(Outcome(RESULT_UPDATED, job.id)))
        except TargetLost:
            target_lost = True
            raise
        except JobTimeout as error:
            self._timed_out(error)
        finally:
            self.timer.stop()
            if setup_done and not target_lost:
                self._stage('workload-teardown', 'teardown', 'tearing down workload',
                            workload.teardown)
        return setup_done

    def _timed_out(self, error):
        """The job overran outside a guarded call (between signals): it is FAILED."""
        logger.error('Job %s: %s', self.result.id, error)
        self.result.record(Outcome('run', self.result.workload, ok=False, error=error))

    def _stage(self, name, stage, action, method, on_success=None):
        """One before/successful/after triple around ``method(context)``; False if it failed.

        With ``method`` None the triple is sent without a call and without ``successful``.
        """
        before, successful, after = signal.stage_signals(name)
        ok = False
        self.runner.send(before)
        try:
            if method is not None:
                ok = self._attempt(stage, action, method)
            if ok:
                self.runner.send(successful)
                if on_success:
                    on_success()
        finally:
            self.runner.send(after)
        return ok

    def _attempt(self, stage, action, method):
        """A guarded ``method(context)``; its outcome goes to the job's result. A failure is
        logged as ``Error while <action>``; a lost target raises TargetLost."""
        result = self.result
        if self.timer.expired and stage != 'teardown':
            return False
        try:
            outcome = guarded(stage, result.workload, method, self.runner.context,
                              lost=self._hides_lost_target)
        except KeyboardInterrupt:
            self.runner.note_interrupt()
            raise JobInterrupted()
        result.record(outcome)
        if outcome.ok:
            return True
        if outcome.connection_lost:
            logger.error('Lost the connection to the target while %s: %s', action,
                         first_line_of(outcome))
            logger.debug('The error was: %s', outcome.error)
            raise TargetLost(str(outcome.error))
        logger.error('Error while %s: %s', action, outcome.message,
                     exc_info=outcome.error if outcome.wants_traceback else None)
        return False

    def _hides_lost_target(self, error):
        """After a failure that may hide a dropped connection, checks the target still answers."""
        if isinstance(error, WAError) and not isinstance(error, TargetError):
            return False
        if 'devlib' not in type(error).__module__ and not isinstance(error, (OSError, EOFError)):
            return False
        try:
            self.runner.context.target.check_responsive()
            return False
        except Exception:  # pylint: disable=broad-except
            return True

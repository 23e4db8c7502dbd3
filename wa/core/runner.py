"""The Runner: walks the job queue through setup, run, result processing and teardown, sending a
signal at every transition (signals.md §5-§7 give the exact order).

It only walks states. One job's stages are ``JobStages`` (job_stages.py), which calls plugin
code through ``outcome.guarded``; a job's status follows from its outcomes
(``outcome.job_status``); the JobQueue decides retries, skips and spec ends; listeners (the
Journal writing result.json, the Console) are told of job and run events.
"""
import logging

from wa.core import signal, status
from wa.core.exceptions import OutputError
from wa.core.interrupts import AbortRun, Interrupts
from wa.core.job_stages import JobInterrupted, JobStages, TargetLost
from wa.core.jobqueue import JobQueue
from wa.core.outcome import INTERRUPTED, Outcome
from wa.core.results import JobResult, utc_now
from wa.core.run_end import RunEnd
from wa.core.run_init import RunStart

logger = logging.getLogger('runner')


class Runner:
    """Runs the queue of jobs of one run; the Executor prepares everything it is given.

    ``queue`` is a JobQueue (or a list of jobs); ``listeners`` get ``run_started()``,
    ``job_started(job, result)``, ``job_ended(job, result, retried)``, ``jobs_not_run()``
    and ``run_ended()``, each only if they define it.
    """

    def __init__(self, context, instrumentation, processing, queue, listeners=()):
        self.context = context
        self.instrumentation = instrumentation
        self.processing = processing
        self.settings = context.run_config.settings
        self.queue = queue if isinstance(queue, JobQueue) else JobQueue(queue, self.settings)
        self.specs = context.specs
        self.listeners = list(listeners)
        self.runtime_params = None
        self.interrupted = False
        self.run_init_sent = False
        self.output_failed = False
        self._open_spec = None
        self._current = None  # the attempt under way, until the journal has recorded it
        self.interrupts = Interrupts()

    def send(self, signal_):
        self.context.bus.send(signal_, self, self.context)

    def tell(self, event, *args):
        """Passes a job or run event to every listener that handles it."""
        for listener in self.listeners:
            handler = getattr(listener, event, None)
            if handler is not None:
                handler(*args)

    # -- the run ------------------------------------------------------------------------------
    def run(self):
        """Runs everything; returns normally even when interrupted (the run is then ABORTED)."""
        run_result = self.context.run_result
        try:
            try:
                self.tell('run_started')
                start = RunStart(self)
                if start.init_resources() and start.initialise():
                    self._run_queue()
                else:
                    self._not_run(status.SKIPPED, 'the run stopped during initialisation')
            except OutputError as error:
                self._output_failed(error)
            RunEnd(self).finish()
        except (KeyboardInterrupt, AbortRun):
            logger.info('Got %s. Aborting.', self.interrupts.last)
            self.interrupted = True
            self._abort_rest()
            run_result.status = status.ABORTED
        run_result.end_time = utc_now()
        try:
            self.tell('run_ended')
        except OutputError as error:
            logger.error('%s', error)

    def _output_failed(self, error):
        """The output directory cannot be written: the current job fails, the rest of the
        queue is not run, and the run is FAILED."""
        logger.error('%s; stopping the run.', error)
        self.output_failed = True
        current, self._current = self._current, None
        if current is not None:
            current.set_status(status.FAILED)
            current.add_event(str(error))
        self.context.job, self.context.job_result = None, None
        try:
            self._not_run(status.SKIPPED, 'the output directory could not be written')
        except OutputError:
            pass

    def _run_queue(self):
        while self.queue:
            job = self.queue.pop()
            if not job.spec.enabled:
                self._record_not_run(job, job.spec.disabled_status, job.spec.disabled_reason)
                self.tell('jobs_not_run')
                continue
            try:
                self._run_job(job)
            except TargetLost:
                if not self._recover():
                    self._not_run(status.SKIPPED, 'the target was lost')
                    return
            if self.interrupts.take() and not self.interrupted:
                # A Ctrl-C that library code swallowed: it still ends the run.
                self.interrupted = True
                logger.info('Got %s. Finalizing run...', self.interrupts.last)
                job.result.record(Outcome(INTERRUPTED, 'user', ok=False))
            if self.interrupted:
                self._abort_rest()
                return
            if self.queue.bails_after(job, job.result.status):
                logger.error('Job %s failed and bail_on_job_failure is set: skipping the rest of '
                             'the run.', job.id)
                self._not_run(status.SKIPPED, 'an earlier job failed (bail_on_job_failure)')
                return

    def _recover(self):
        attempts = self.settings['reconnect_attempts']
        if attempts and self.context.connection.reconnect(attempts,
                                                          self.settings['reconnect_delay']):
            return True
        logger.error('Device unresponsive and recovery not possible. Skipping the rest of the run.')
        return False

    def _new_result(self, job):
        result = JobResult(job.id, job.spec, job.iteration, job.retry, self.context.output.root)
        job.result = result
        self.context.run_result.iteration_results.append(result)
        return result

    def _record_not_run(self, job, job_status, reason):
        result = self._new_result(job)
        result.status = job_status
        result.add_event(reason)

    def _not_run(self, job_status, reason):
        """Records every queued job as not run because of the run (not of its spec), with
        ``job_status`` and ``reason``; ``--resume`` runs them again."""
        for job in self.queue.drain():
            self._record_not_run(job, job_status, reason)
            job.result.resumable = True
        self.tell('jobs_not_run')

    def _abort_rest(self):
        for job in self.queue.drain():
            self._record_not_run(job, status.ABORTED, 'the run was interrupted')
        for result in self.context.run_result.iteration_results:
            if result.status in (status.RUNNING, status.NOT_STARTED):
                result.status = status.ABORTED
        self.tell('jobs_not_run')

    # -- one job ------------------------------------------------------------------------------
    def _run_job(self, job):
        context = self.context
        result = self._new_result(job)
        result.status = status.RUNNING
        result.start_time = utc_now()
        self._current = result
        result.output_dir = context.output.job_directory(job)
        context.job, context.job_result = job, result
        self.tell('job_started', job, result)
        lost = None
        setup_failed = False
        try:
            self.instrumentation.enable_only(job.spec.instruments)
            if self._open_spec is not job.spec:
                self.send(signal.WORKLOAD_SPEC_START)
                self._open_spec = job.spec
            self.send(signal.ITERATION_START)
            with context.connection.watch():
                setup_failed = not JobStages(self, job, result).run()
        except TargetLost as error:
            lost = error
        except (KeyboardInterrupt, JobInterrupted) as interrupt:
            if isinstance(interrupt, KeyboardInterrupt):
                self.note_interrupt()
            result.record(Outcome(INTERRUPTED, 'user', ok=False))
            result.add_event('interrupted by the user ({})'.format(
                'Ctrl-C' if self.interrupts.last == 'CTRL-C' else self.interrupts.last))
        try:
            self._end_job(job, result, setup_failed)
        except KeyboardInterrupt:
            raise AbortRun()
        self._current = None
        if lost is not None:
            raise lost

    def note_interrupt(self):
        """The first Ctrl-C finishes the current job and ends the run; a second one aborts."""
        self.interrupts.take()
        if self.interrupted:
            raise AbortRun()
        self.interrupted = True
        logger.info('Got %s. Finalizing run... (CTRL-C again to abort).', self.interrupts.last)

    def _end_job(self, job, result, setup_failed):
        """(P), iteration-end, the retry decision and spec-end, whatever happened in the job."""
        if result.status == status.RUNNING:
            result.status = status.OK
        self.processing.iteration(result, self.context)
        self.send(signal.ITERATION_END)
        result.end_time = utc_now()
        self.context.job, self.context.job_result = None, None
        retried = self.queue.should_retry(job, result.status, self.interrupted)
        if retried:
            self.context.output.move_failed_attempt(result, job.directory_name)
            self.queue.retry(job)
        elif setup_failed:
            job.spec.disable(status.SKIPPED, 'setup of an earlier iteration failed')
        self.tell('job_ended', job, result, retried)
        if self.queue.spec_ends_after(job, self.interrupted):
            self.send(signal.WORKLOAD_SPEC_END)
            self._open_spec = None

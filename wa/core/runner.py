"""The Runner: walks the job queue through setup, run, result processing and teardown, sending a
signal at every transition (see ``doc/signals`` and the contract for the exact order)."""
import logging
import os

from wa.core import signal, status
from wa.core.exceptions import (NotSupportedError, TargetError, WAError, first_line,
                                is_connection_lost, must_propagate)
from wa.core.output import write_json
from wa.core.results import JobResult, utc_now
from wa.core.runtime_params import RuntimeParams
from wa.core.target import summary_line

logger = logging.getLogger('runner')


class TargetLost(Exception):
    """The target stopped answering during a job."""


class JobInterrupted(BaseException):
    """The user's first Ctrl-C, already noted, on its way out of the job's stages."""


class AbortRun(BaseException):
    """Stop at once: a second Ctrl-C, or one outside the job loop."""


class Runner:
    """Runs the queue of jobs of one run; the Executor prepares everything it is given."""

    def __init__(self, context, instrumentation, processing, queue):
        self.context = context
        self.instrumentation = instrumentation
        self.processing = processing
        self.queue = list(queue)
        self.settings = context.run_config.settings
        self.specs = context.run_config.specs
        self.runtime_params = None
        self.interrupted = False
        self.run_init_sent = False
        self._open_spec = None

    def send(self, signal_):
        signal.send(signal_, self, self.context)

    def write_results(self):
        """Rewrites result.json: every attempt so far, and the queued jobs as NOT_STARTED,
        so that a run killed at any point leaves a complete record."""
        pending = [JobResult(job.id, job.spec, job.iteration, job.retry) for job in self.queue]
        write_json(self.context.output.result_file,
                   self.context.run_result.to_dict(pending=pending))

    # -- the run ------------------------------------------------------------------------------
    def run(self):
        """Runs everything; returns normally even when interrupted (the run is then ABORTED)."""
        run_result = self.context.run_result
        try:
            if self._init_resources() and self._initialise():
                self._run_queue()
            else:
                self._skip_queue('the run stopped during initialisation')
            self._finish()
        except (KeyboardInterrupt, AbortRun):
            logger.info('Got CTRL-C. Aborting.')
            self.interrupted = True
            self._abort_queue()
            run_result.status = status.ABORTED
        run_result.end_time = utc_now()
        self.write_results()

    def _init_resources(self):
        """Lets each workload find its host-side files, before any signal is sent."""
        for spec in self.specs:
            try:
                spec.workload.init_resources(self.context)
            except Exception as error:  # pylint: disable=broad-except
                if must_propagate(error):
                    raise
                logger.error('Error while finding resources of workload %s (%s): %s',
                             spec.workload_name, spec.id, error,
                             exc_info=not isinstance(error, WAError))
                if self.settings['bail_on_init_failure']:
                    return False
                self._disable_spec(spec, 'resources not found: {}'.format(error),
                                   status.SKIPPED)
        return True

    def _initialise(self):
        """Connects and initialises plugins; False if the run must not run any job."""
        self.send(signal.RUN_START)
        try:
            self.context.connection.connect()
        except TargetError as error:
            logger.error(str(error))
            self.context.run_result.add_event(str(error))
            return False
        target = self.context.target
        for plugin in (self.instrumentation.installed + self.processing.processors
                       + [spec.workload for spec in self.specs]):
            plugin.target = target
        self._record_target_info()
        self._setup_runtime_params()
        bail = self.settings['bail_on_init_failure']
        ok = self._initialise_processors(bail) and self._initialise_workloads(bail)
        if not ok:
            return False
        self.send(signal.RUN_INIT)
        self.run_init_sent = True
        for instrument, error in self.instrumentation.init_failures:
            if bail:
                logger.error('Instrument "%s" failed to initialise; stopping the run '
                             '(bail_on_init_failure is set).', instrument.name)
                return False
            self.instrumentation.broken.add(instrument.name)
        return True

    def _record_target_info(self):
        info = self.context.connection.info()
        write_json(self.context.output.path('__meta', 'target_info.json'), info)
        self.context.run_result.metadata['target'] = summary_line(info)
        logger.info('Target: %s', summary_line(info))

    def _setup_runtime_params(self):
        self.runtime_params = RuntimeParams(self.context.target,
                                            on_missing=self.settings['unsupported_runtime_params'])
        for spec in self.specs:
            if not spec.runtime_parameters:
                continue
            try:
                self.runtime_params.validate(spec.runtime_parameters)
            except WAError as error:
                self._disable_spec(spec, 'Invalid runtime parameters for {}: {}'.format(
                    spec.id, error))

    def _initialise_processors(self, bail):
        failed = self.processing.initialize(self.context)
        if failed and bail:
            logger.error('Result processor "%s" failed to initialise; stopping the run '
                         '(bail_on_init_failure is set).', failed[0].name)
            return False
        return True

    def _initialise_workloads(self, bail):
        for spec in self.specs:
            if not spec.enabled:
                continue
            try:
                spec.workload.initialize(self.context)
            except Exception as error:  # pylint: disable=broad-except
                if must_propagate(error):
                    raise
                if isinstance(error, NotSupportedError):
                    self._disable_spec(spec, 'Workload "{}" ({}) cannot run here: {}'.format(
                        spec.workload_name, spec.id, error))
                    continue
                logger.error('Error while initialising workload %s (%s): %s',
                             spec.workload_name, spec.id, error,
                             exc_info=not isinstance(error, WAError))
                if bail:
                    return False
                self._disable_spec(spec, 'initialisation failed: {}'.format(error),
                                   status.SKIPPED)
        return True

    @staticmethod
    def _disable_spec(spec, reason, job_status=status.FAILED):
        """Logs why a spec cannot run; each of its jobs is recorded with ``job_status``."""
        logger.error(reason)
        spec.disable(job_status, reason)

    # -- the queue ----------------------------------------------------------------------------
    def _run_queue(self):
        while self.queue:
            job = self.queue.pop(0)
            if not job.spec.enabled:
                self._record_not_run(job, job.spec.disabled_status, job.spec.disabled_reason)
                continue
            try:
                self._run_job(job)
            except TargetLost:
                if not self._recover():
                    self._skip_queue('the target was lost')
                    return
            if self.interrupted:
                self._abort_queue()
                return
            if self._bail_after(job):
                return

    def _bail_after(self, job):
        """With bail_on_job_failure, ends the run once a job has failed for good: its status
        is one that is retried, and no retry of it is next in the queue."""
        if not self.settings['bail_on_job_failure']:
            return False
        failed = job.result.status in self.settings['retry_on_status']
        retry_queued = bool(self.queue) and self.queue[0].spec is job.spec \
            and self.queue[0].iteration == job.iteration
        if failed and not retry_queued:
            logger.error('Job %s failed and bail_on_job_failure is set: skipping the rest of '
                         'the run.', job.id)
            self._skip_queue('an earlier job failed (bail_on_job_failure)')
            return True
        return False

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

    def _skip_queue(self, reason):
        while self.queue:
            self._record_not_run(self.queue.pop(0), status.SKIPPED, reason)

    def _abort_queue(self):
        while self.queue:
            self._record_not_run(self.queue.pop(0), status.ABORTED, 'the run was interrupted')
        for result in self.context.run_result.iteration_results:
            if result.status in (status.RUNNING, status.NOT_STARTED):
                result.status = status.ABORTED

    # -- one job ------------------------------------------------------------------------------
    def _run_job(self, job):
        context = self.context
        result = self._new_result(job)
        result.status = status.RUNNING
        result.start_time = utc_now()
        result.output_dir = context.output.job_directory(job)
        context.job, context.job_result = job, result
        logger.info('Running job %s iteration %d%s (%s)', job.id, job.iteration,
                    ' retry {}'.format(job.retry) if job.retry else '', job.spec.workload_name)
        self.write_results()
        lost = None
        setup_failed = False
        try:
            self.instrumentation.enable_only(job.spec.instruments)
            if self._open_spec is not job.spec:
                self.send(signal.WORKLOAD_SPEC_START)
                self._open_spec = job.spec
            self.send(signal.ITERATION_START)
            with context.connection.watch():
                setup_failed = not self._execute_stages(job, result)
        except TargetLost as error:
            lost = error
        except (KeyboardInterrupt, JobInterrupted) as interrupt:
            if isinstance(interrupt, KeyboardInterrupt):
                self._note_interrupt()
            result.status = status.ABORTED
            result.add_event('interrupted by the user (Ctrl-C)')
        try:
            self._end_job(job, result, setup_failed)
        except KeyboardInterrupt:
            raise AbortRun()
        if lost is not None:
            raise lost

    def _execute_stages(self, job, result):
        """Runtime parameters, then the four stages; False if runtime params or setup failed."""
        workload = job.spec.workload
        if job.spec.runtime_parameters and not self._attempt(
                'applying runtime parameters', status.FAILED,
                lambda: self.runtime_params.apply(job.spec.runtime_parameters)):
            return False
        if not self._stage('workload-setup', 'setting up workload', status.FAILED,
                           workload.setup):
            return False
        target_lost = False
        try:
            ran = self._stage('workload-execution', 'running workload', status.FAILED,
                              workload.run)
            update = workload.update_result if ran and result.status != status.FAILED else None
            self._stage('iteration-result-update', 'updating result', status.PARTIAL, update,
                        on_success=self._mark_ok)
        except TargetLost:
            target_lost = True
            raise
        finally:
            if not target_lost:
                self._stage('workload-teardown', 'tearing down workload', status.NONCRITICAL,
                            workload.teardown)
        return True

    def _mark_ok(self):
        if self.context.job_result.status == status.RUNNING:
            self.context.job_result.status = status.OK

    def _stage(self, name, action, failure_status, method, on_success=None):
        """One before/successful/after triple around ``method(context)``; False if it failed.

        With ``method`` None the triple is sent without a call and without ``successful``.
        """
        before, successful, after = signal.stage_signals(name)
        ok = False
        self.send(before)
        try:
            if method is not None:
                ok = self._attempt(action, failure_status, lambda: method(self.context))
            if ok:
                self.send(successful)
                if on_success:
                    on_success()
        finally:
            self.send(after)
        return ok

    def _attempt(self, action, failure_status, call):
        """Calls ``call``; a failure is logged as ``Error while <action>`` and worsens the job.
        A lost target raises TargetLost."""
        try:
            call()
            return True
        except KeyboardInterrupt:
            self._note_interrupt()
            raise JobInterrupted()
        except Exception as error:  # pylint: disable=broad-except
            if is_connection_lost(error) or not self._target_responds(error):
                self.context.job_result.set_status(status.FAILED)
                logger.error('Lost the connection to the target while %s: %s', action,
                             first_line(error))
                logger.debug('The error was: %s', error)
                raise TargetLost(str(error))
            self.context.job_result.set_status(failure_status)
            logger.error('Error while %s: %s', action, str(error).strip(),
                         exc_info=not isinstance(error, WAError))
            return False

    def _note_interrupt(self):
        """The first Ctrl-C finishes the current job and ends the run; a second one aborts."""
        if self.interrupted:
            raise AbortRun()
        self.interrupted = True
        logger.info('Got CTRL-C. Finalizing run... (CTRL-C again to abort).')

    def _target_responds(self, error):
        """After a failure that may hide a dropped connection, checks the target still answers."""
        if isinstance(error, WAError) and not isinstance(error, TargetError):
            return True
        if 'devlib' not in type(error).__module__ and not isinstance(error, (OSError, EOFError)):
            return True
        try:
            self.context.target.check_responsive()
            return True
        except Exception:  # pylint: disable=broad-except
            return False

    def _end_job(self, job, result, setup_failed):
        """(P), iteration-end, the retry decision and spec-end, whatever happened in the job."""
        if result.status == status.RUNNING:
            result.status = status.OK
        self.processing.iteration(result, self.context)
        self.send(signal.ITERATION_END)
        result.end_time = utc_now()
        self.context.job, self.context.job_result = None, None
        self._write_job_result(result)
        retry = self._should_retry(job, result)
        if retry:
            logger.error('Job %s iteration %d completed with status %s. retrying...',
                         job.id, job.iteration, result.status)
            self.context.output.move_failed_attempt(result, job.directory_name)
            self.queue.insert(0, job.retried())
        elif result.status in self.settings['retry_on_status'] and result.status != status.ABORTED:
            logger.error('Job %s iteration %d completed with status %s. Max retries exceeded.',
                         job.id, job.iteration, result.status)
        else:
            logger.info('Job completed with status %s', result.status)
        if setup_failed and not retry:
            job.spec.disable(status.SKIPPED, 'setup of an earlier iteration failed')
        next_job = self.queue[0] if self.queue else None
        if self.interrupted or next_job is None or next_job.spec is not job.spec \
                or not job.spec.enabled:
            self.send(signal.WORKLOAD_SPEC_END)
            self._open_spec = None
        self.write_results()

    def _should_retry(self, job, result):
        return (not self.interrupted and result.status != status.ABORTED
                and result.status in self.settings['retry_on_status']
                and job.retry < self.settings['max_retries'])

    @staticmethod
    def _write_job_result(result):
        if result.output_dir:
            write_json(os.path.join(result.output_dir, 'result.json'), result.to_dict())

    # -- the end ------------------------------------------------------------------------------
    def _finish(self):
        """The normal ending, after the last job (or a bailed or interrupted run)."""
        context = self.context
        self.instrumentation.enable_all()
        for spec in self.specs:
            if spec.workload.target is not None:
                self._safely('finalising workload {}'.format(spec.workload_name),
                             lambda w=spec.workload: w.finalize(context))
        if self.run_init_sent:
            self.send(signal.RUN_FIN)
        if self.runtime_params is not None:
            self._safely('restoring runtime parameters', self.runtime_params.restore)
        if self.run_init_sent and self.settings['clean_up']:
            self._safely('removing WA\'s files from the target',
                         lambda: context.target.remove(context.target.working_directory))
        context.connection.disconnect()
        context.run_result.end_time = utc_now()
        self._set_run_status()
        with signal.wrap('overall-results-process', self, context):
            self.processing.run(context.run_result, context)
        self._set_run_status()
        self.processing.finalize(context)
        self.send(signal.RUN_END)

    def _safely(self, action, call):
        try:
            call()
        except KeyboardInterrupt:
            raise AbortRun()
        except Exception as error:  # pylint: disable=broad-except
            logger.error('Error while %s: %s', action, error,
                         exc_info=not isinstance(error, WAError))
            self.context.run_error_logged = True

    def _set_run_status(self):
        run_result = self.context.run_result
        finals = [r.status for r in run_result.final_attempts()]
        if self.interrupted:
            run_result.status = status.ABORTED
        elif not self.run_init_sent or not any(
                s in (status.OK, status.NONCRITICAL, status.PARTIAL) for s in finals):
            run_result.status = status.FAILED
        elif self.context.run_error_logged or any(
                s in (status.PARTIAL, status.FAILED, status.SKIPPED) for s in finals):
            run_result.status = status.PARTIAL
        else:
            run_result.status = status.OK

"""The end of a run (signals.md §5, from "enable all instruments"): finalising workloads,
run-fin, restoring runtime parameters, the overall results, the processors' finalize and
end-signal, and the run's status, set again after each step that can fail."""
import logging

from wa.core import signal, status
from wa.core.exceptions import OutputError
from wa.core.interrupts import AbortRun
from wa.core.outcome import guarded, run_status
from wa.core.results import utc_now

logger = logging.getLogger('runner')


class RunEnd:
    """Brings a run from its last job to ``end-signal``; ``runner`` sends the signals."""

    def __init__(self, runner):
        self.runner = runner
        self.context = runner.context

    def finish(self):
        """The normal ending, after the last job (or a bailed or interrupted run)."""
        runner, context = self.runner, self.context
        runner.instrumentation.enable_all()
        for spec in runner.specs:
            if spec.workload.target is not None:
                self._safely('finalising workload {}'.format(spec.workload_name),
                             spec.workload.finalize, context)
        if runner.run_init_sent:
            runner.send(signal.RUN_FIN)
        if runner.runtime_params is not None:
            self._safely('restoring runtime parameters', runner.runtime_params.restore)
        if runner.run_init_sent and runner.settings['clean_up']:
            self._safely('removing WA\'s files from the target', context.target.remove,
                         context.target.working_directory)
        context.connection.disconnect()
        context.run_result.end_time = utc_now()
        exported = self._set_run_status()
        try:
            runner.tell('results_processing')
        except OutputError as error:
            logger.error('%s', error)
            runner.output_failed = True
        with signal.wrap('overall-results-process', runner, context):
            runner.processing.run(context.run_result, context)
        self._set_run_status()
        runner.processing.finalize(context)
        runner.send(signal.RUN_END)
        if self._set_run_status() != exported:
            runner.processing.status_changed(context.run_result, context)

    def _safely(self, action, method, *args):
        try:
            outcome = guarded(action, 'runner', method, *args)
        except KeyboardInterrupt:
            raise AbortRun()
        if not outcome.ok:
            logger.error('Error while %s: %s', action, outcome.message,
                         exc_info=outcome.error if outcome.wants_traceback else None)
            self.context.run_error_logged = True

    def _set_run_status(self):
        runner = self.runner
        run_result = self.context.run_result
        run_result.status = run_status([r.status for r in run_result.final_attempts()],
                                       runner.interrupted, runner.run_init_sent,
                                       self.context.run_error_logged)
        if runner.output_failed and run_result.status != status.ABORTED:
            run_result.status = status.FAILED
        return run_result.status

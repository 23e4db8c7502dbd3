"""The start of a run, before the first job: workloads' resources, connecting the target,
target info, runtime parameter checks, and initialising processors, workloads and instruments
(signals.md §5). A failure here disables a spec or, with bail_on_init_failure, the whole run."""
import logging

from wa.core import signal, status
from wa.core.exceptions import NotSupportedError, TargetError, must_propagate
from wa.core.outcome import guarded
from wa.output.directory import write_json
from wa.target.runtime_params import RuntimeParams
from wa.target.connection import summary_line

logger = logging.getLogger('runner')


def disable_spec(spec, reason, job_status=status.FAILED):
    """Logs why a spec cannot run; each of its jobs is recorded with ``job_status``."""
    logger.error(reason)
    spec.disable(job_status, reason)


class RunStart:
    """Brings a run from nothing to ``run-init-signal``; ``runner`` sends the signals."""

    def __init__(self, runner):
        self.runner = runner
        self.context = runner.context
        self.settings = runner.settings
        self.bail = self.settings['bail_on_init_failure']

    def init_resources(self):
        """Lets each workload find its host-side files, before any signal is sent."""
        for spec in self.runner.specs:
            outcome = guarded('init_resources', spec.workload_name, spec.workload.init_resources,
                              self.context, propagate=must_propagate)
            if outcome.ok:
                continue
            logger.error('Error while finding resources of workload %s (%s): %s',
                         spec.workload_name, spec.id, outcome.message,
                         exc_info=outcome.error if outcome.wants_traceback else None)
            if self.bail:
                return False
            disable_spec(spec, 'resources not found: {}'.format(outcome.message), status.SKIPPED)
        return True

    def initialise(self):
        """Connects and initialises plugins; False if the run must not run any job."""
        runner = self.runner
        runner.send(signal.RUN_START)
        try:
            self.context.connection.connect()
        except TargetError as error:
            logger.error(str(error))  # also the run's event (ExecutionContext)
            return False
        target = self.context.target
        for plugin in (runner.instrumentation.installed + runner.processing.processors
                       + [spec.workload for spec in runner.specs]):
            plugin.target = target
        self._record_target_info()
        self._setup_runtime_params()
        if not (self._initialise_processors() and self._initialise_workloads()):
            return False
        runner.send(signal.RUN_INIT)
        runner.run_init_sent = True
        for instrument, _ in runner.instrumentation.init_failures:
            if self.bail:
                logger.error('Instrument "%s" failed to initialise; stopping the run '
                             '(bail_on_init_failure is set).', instrument.name)
                return False
            runner.instrumentation.broken.add(instrument.name)
        return True

    def _record_target_info(self):
        info = self.context.connection.info()
        write_json(self.context.output.path('__meta', 'target_info.json'), info)
        self.context.run_result.metadata['target'] = summary_line(info)
        logger.info('Target: %s', summary_line(info))

    def _setup_runtime_params(self):
        params = RuntimeParams(self.context.target,
                               on_missing=self.settings['unsupported_runtime_params'])
        self.runner.runtime_params = params
        for spec in self.runner.specs:
            if spec.runtime_parameters:
                outcome = guarded('runtime_params', spec.id, params.validate,
                                  spec.runtime_parameters, propagate=_not_wa_error)
                if not outcome.ok:
                    disable_spec(spec, 'Invalid runtime parameters for {}: {}'.format(
                        spec.id, outcome.message))

    def _initialise_processors(self):
        failed = self.runner.processing.initialize(self.context)
        if failed and self.bail:
            logger.error('Result processor "%s" failed to initialise; stopping the run '
                         '(bail_on_init_failure is set).', failed[0].name)
            return False
        return True

    def _initialise_workloads(self):
        for spec in self.runner.specs:
            if not spec.enabled:
                continue
            outcome = guarded('initialize', spec.workload_name, spec.workload.initialize,
                              self.context, propagate=must_propagate)
            if outcome.ok:
                continue
            if isinstance(outcome.error, NotSupportedError):
                disable_spec(spec, 'Workload "{}" ({}) cannot run here: {}'.format(
                    spec.workload_name, spec.id, outcome.message))
                continue
            logger.error('Error while initialising workload %s (%s): %s',
                         spec.workload_name, spec.id, outcome.message,
                         exc_info=outcome.error if outcome.wants_traceback else None)
            if self.bail:
                return False
            disable_spec(spec, 'initialisation failed: {}'.format(outcome.message),
                         status.SKIPPED)
        return True


def _not_wa_error(error):
    """Runtime parameter validation reports WA errors; anything else is a bug to raise."""
    from wa.core.exceptions import WAError  # pylint: disable=import-outside-toplevel
    return not isinstance(error, WAError)

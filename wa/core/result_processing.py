"""Running the enabled result processors, each failure contained to its processor."""
import logging
from collections import Counter

from wa.core.exceptions import must_propagate
from wa.core.outcome import guarded

logger = logging.getLogger('result_processing')


class ResultProcessing:
    """The run's processors. Every ``process_*`` runs before any ``export_*``; a processor that
    fails is logged, worsens the result it was given, and is finalised and dropped."""

    def __init__(self, processors):
        self.processors = list(processors)
        self.failed = []
        self.timings = Counter()  # processor name -> seconds spent in its methods

    def _call(self, processor, method, result, context, *args):
        outcome = guarded(method, processor.name, getattr(processor, method), *args,
                          propagate=must_propagate)
        self.timings[processor.name] += outcome.duration
        if outcome.ok:
            return True
        logger.error('Error in result processor %s (%s): %s', processor.name, method,
                     outcome.message, exc_info=outcome.error if outcome.wants_traceback else None)
        if result is not None:
            result.record(outcome)
        else:
            context.run_error_logged = True
        self.failed.append(processor.name)
        self._drop(processor, context, method)
        return False

    def _drop(self, processor, context, failed_method):
        self.processors.remove(processor)
        if failed_method == 'finalize':
            return
        outcome = guarded('finalize', processor.name, processor.finalize, context,
                          propagate=must_propagate)
        if not outcome.ok:
            logger.debug('Error while finalising %s: %s', processor.name, outcome.message)

    def initialize(self, context):
        """Initialises each processor; returns those that failed (already dropped)."""
        failed = []
        for processor in list(self.processors):
            if not self._call(processor, 'initialize', None, context, context):
                failed.append(processor)
        return failed

    def iteration(self, result, context):
        """``process_iteration_result`` of every processor, then every export."""
        for method in ('process_iteration_result', 'export_iteration_result'):
            for processor in list(self.processors):
                self._call(processor, method, result, context, result, context)

    def run(self, result, context):
        """``process_run_result`` of every processor, then every export."""
        for method in ('process_run_result', 'export_run_result'):
            for processor in list(self.processors):
                self._call(processor, method, None, context, result, context)

    def finalize(self, context):
        for processor in list(self.processors):
            self._call(processor, 'finalize', None, context, context)

    def status_changed(self, result, context):
        """The run's status changed after the exports (a late failure): processors that write
        it (``records_run_status``) export the run again, so every file agrees."""
        for processor in list(self.processors):
            if getattr(processor, 'records_run_status', False):
                self._call(processor, 'export_run_result', None, context, result, context)

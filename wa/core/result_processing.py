"""Running the enabled result processors, each failure contained to its processor."""
import logging

from wa.core import status
from wa.core.exceptions import WAError, must_propagate

logger = logging.getLogger('result_processing')


class ResultProcessing:
    """The run's processors. Every ``process_*`` runs before any ``export_*``; a processor that
    fails is logged, worsens the result it was given, and is finalised and dropped."""

    def __init__(self, processors):
        self.processors = list(processors)
        self.failed = []

    def _call(self, processor, method, result, context, *args):
        try:
            getattr(processor, method)(*args)
            return True
        except Exception as error:  # pylint: disable=broad-except
            if must_propagate(error):
                raise
            logger.error('Error in result processor %s (%s): %s', processor.name, method, error,
                         exc_info=not isinstance(error, WAError))
            if result is not None:
                result.set_status(status.PARTIAL)
            else:
                context.run_error_logged = True
            self.failed.append(processor.name)
            self._drop(processor, context)
            return False

    def _drop(self, processor, context):
        self.processors.remove(processor)
        try:
            processor.finalize(context)
        except Exception as error:  # pylint: disable=broad-except
            logger.debug('Error while finalising %s: %s', processor.name, error)

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

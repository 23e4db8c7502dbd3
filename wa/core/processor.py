"""The ResultProcessor base: turns results into files, after each job and at the end."""
from wa.core.plugin import Plugin


class ResultProcessor(Plugin):
    """Receives each job's result and then the run's. Every ``process_*`` of every processor runs
    before any ``export_*``, so a processor can add metrics that exporters then see.
    """

    kind = 'result_processor'
    #: True for a processor whose exported files show the run's status: if a later failure
    #: (a processor's ``finalize``, an ``on_run_end``) changes that status, its
    #: ``export_run_result`` is called once more, after ``finalize``, so the files agree.
    records_run_status = False

    def initialize(self, context):
        """Called once, after the target is connected and before the first job."""

    def process_iteration_result(self, result, context):
        """Looks at (and may add to) one job attempt's result."""

    def export_iteration_result(self, result, context):
        """Writes one job attempt's result somewhere."""

    def process_run_result(self, result, context):
        """Looks at (and may add to) the run's result."""

    def export_run_result(self, result, context):
        """Writes the run's result somewhere."""

    def finalize(self, context):
        """Called once, at the very end of the run."""

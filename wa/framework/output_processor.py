"""WA3's OutputProcessor: processes job and run *outputs* instead of results.

WA3 calls ``process_job_output(output, target_info, run_output)``, then
``export_job_output(...)`` after each job, and ``process_run_output(output, target_info)`` /
``export_run_output(...)`` at the end. Here these are the ResultProcessor stages, with the
result wrapped in WA3's output objects (``wa.framework.output_objects``).
"""
from wa.core.processor import ResultProcessor
from wa.framework.output_objects import JobOutput, RunOutput, TargetInfo


class OutputProcessor(ResultProcessor):
    """Subclass and define any of the WA3 methods below."""

    def process_job_output(self, output, target_info, run_output):
        """Looks at (and may add to) one job's output."""

    def export_job_output(self, output, target_info, run_output):
        """Writes one job's output somewhere."""

    def process_run_output(self, output, target_info):
        """Looks at (and may add to) the run's output."""

    def export_run_output(self, output, target_info):
        """Writes the run's output somewhere."""

    def process_iteration_result(self, result, context):
        self.process_job_output(JobOutput(result, context), TargetInfo(context),
                                RunOutput(context.run_result, context))

    def export_iteration_result(self, result, context):
        self.export_job_output(JobOutput(result, context), TargetInfo(context),
                               RunOutput(context.run_result, context))

    def process_run_result(self, result, context):
        self.process_run_output(RunOutput(result, context), TargetInfo(context))

    def export_run_result(self, result, context):
        self.export_run_output(RunOutput(result, context), TargetInfo(context))

"""html: one self-contained HTML report of the run."""
import os

from wa import ResultProcessor, write_text


class HtmlProcessor(ResultProcessor):
    name = 'html'
    description = """Writes report.html: one self-contained file (no external resources) with
    the run's summary, each job's status and events, the statistics of every metric and a chart
    of each metric's values across iterations with their spread (95% CI of the mean).

    ``wa report DIR --html FILE`` writes the same report for an existing run.
    """

    def export_run_result(self, result, context):
        from wa import RunOutput  # noqa  (the results API only when the run ends)
        from wa.results.html import render_run  # noqa
        root = context.run_output_directory
        path = os.path.join(root, 'report.html')
        write_text(path, render_run(RunOutput.from_result(root, result.to_dict())))
        if not any(a.name == 'run_report_html' for a in result.artifacts):
            result.add_artifact('run_report_html', path, 'export', 'HTML report of the run')

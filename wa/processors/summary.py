"""summary: the per-metric statistics over iterations, as a table in summary.txt."""
import os

from wa import ResultProcessor, write_text


class SummaryProcessor(ResultProcessor):
    name = 'summary'
    description = """Writes summary.txt: for each spec and metric, the statistics over its
    iterations (count, mean, standard deviation, coefficient of variation, min, median, max
    and the 95% confidence interval of the mean by Student's t), and which metrics vary too
    much to trust with how many iterations would narrow them.
    """

    def export_run_result(self, result, context):
        from wa import RunOutput  # noqa  (the results API only when the run ends)
        from wa.results.stats import variation_warning  # noqa
        from wa.results.text import statistics_table  # noqa
        root = context.run_output_directory
        stats = RunOutput.from_result(root, result.to_dict()).statistics
        lines = ['Run status: {}'.format(result.status), '']
        if stats:
            lines += [statistics_table(stats), ''] + variation_warning(stats)
        else:
            lines.append('No numeric metrics.')
        path = os.path.join(root, 'summary.txt')
        write_text(path, '\n'.join(lines).rstrip('\n') + '\n')
        if not any(a.name == 'run_summary' for a in result.artifacts):
            result.add_artifact('run_summary', path, 'export', 'metric statistics table')

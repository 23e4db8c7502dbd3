"""csv: every metric of the run in one CSV file."""
import csv
import io
import os

from wa import ConfigError, Parameter, ResultProcessor, types, write_text


class CsvProcessor(ResultProcessor):
    name = 'csv'
    description = """Writes results.csv: one row per metric of each job's latest attempt.

    Columns: id, workload, label, iteration, metric, [classifiers...], value, units. Run-level
    metrics have empty id, label and iteration. Whenever two rows would otherwise be identical
    in id, iteration and metric (per-CPU metrics, say), the classifiers that tell them apart
    (``cpu``) are added as columns, whatever the parameters say.
    """
    parameters = [
        Parameter('use_all_classifiers', bool, False, global_alias='use_all_classifiers',
                  description='Add a column for every classifier seen in the run.'),
        Parameter('extra_columns', types.list_of_str, [],
                  description='Classifiers to add as columns.'),
    ]

    def validate(self):
        if self.use_all_classifiers and self.extra_columns:
            raise ConfigError('csv: give either use_all_classifiers or extra_columns, not both')

    def export_run_result(self, result, context):
        rows = []
        for job in result.final_attempts():
            rows.extend((job, metric) for metric in job.metrics)
        rows.extend((None, metric) for metric in result.metrics)
        columns = list(self.extra_columns)
        if self.use_all_classifiers:
            columns = sorted({name for _, metric in rows for name in metric.classifiers})
        columns += [name for name in distinguishing_classifiers(rows) if name not in columns]
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(['id', 'workload', 'label', 'iteration', 'metric'] + columns +
                        ['value', 'units'])
        for job, metric in rows:
            head = [job.id, job.workload, job.label, job.iteration] if job else ['', '', '', '']
            writer.writerow(head + [metric.name] +
                            [metric.classifiers.get(c, '') for c in columns] +
                            [metric.value, metric.units or ''])
        path = os.path.join(context.run_output_directory, 'results.csv')
        write_text(path, text.getvalue())
        if not any(a.name == 'run_result_csv' for a in result.artifacts):
            result.add_artifact('run_result_csv', path, 'export', 'every metric, as CSV')


def distinguishing_classifiers(rows):
    """The classifier names whose values differ between rows that share (id, iteration,
    metric), sorted: the columns without which those rows could not be told apart."""
    groups = {}
    for job, metric in rows:
        key = (job.id, job.iteration, metric.name) if job else (None, None, metric.name)
        groups.setdefault(key, []).append(metric.classifiers)
    names = set()
    for group in groups.values():
        if len(group) > 1:
            for name in set().union(*group):
                if len({str(c.get(name)) for c in group}) > 1:
                    names.add(name)
    return sorted(names)

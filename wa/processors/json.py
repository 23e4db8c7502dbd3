"""json: every metric of the run as a flat JSON list."""
import os

from wa import ResultProcessor, write_json


class JsonProcessor(ResultProcessor):
    name = 'json'
    description = """Writes results.json: a flat list with one object per metric.

    Each job's latest attempt comes first, then run-level metrics. Each object has id, workload,
    label, iteration, name, value, units, lower_is_better and classifiers.
    """

    def export_run_result(self, result, context):
        entries = []
        for job in result.final_attempts():
            for metric in job.metrics:
                entries.append(dict(id=job.id, workload=job.workload, label=job.label,
                                    iteration=job.iteration, **metric.to_dict()))
        for metric in result.metrics:
            entries.append(dict(id=None, workload=None, label=None, iteration=None,
                                **metric.to_dict()))
        path = os.path.join(context.run_output_directory, 'results.json')
        write_json(path, entries)
        if not any(a.name == 'run_result_json' for a in result.artifacts):
            result.add_artifact('run_result_json', path, 'export', 'every metric, as JSON')

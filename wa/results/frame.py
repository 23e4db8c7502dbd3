"""Runs as pandas DataFrames (pandas is imported here only, when asked for)."""


def job_rows(jobs):
    """One dict per metric of each job: id, label, workload, iteration, retry, status, metric,
    value, units, lower_is_better, then every classifier as a column of its own."""
    for job in jobs:
        for metric in job.metrics:
            row = dict(id=job.id, label=job.label, workload=job.workload_name,
                       iteration=job.iteration, retry=job.retry, status=str(job.status),
                       metric=metric.name, value=metric.value, units=metric.units,
                       lower_is_better=metric.lower_is_better)
            for key, value in metric.classifiers.items():
                row.setdefault(key, value)
            yield row


def jobs_dataframe(jobs):
    import pandas  # noqa
    return pandas.DataFrame.from_records(list(job_rows(jobs)))

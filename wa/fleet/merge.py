"""Merging the runs of several targets into one run output directory.

Each target's run is a normal run output directory ``OUT/<target>/`` (from a ``wa run`` worker,
or brought back from a LAVA job). The merge writes, in ``OUT/``, a ``result.json`` of the same
format as a single run's, where every job and every metric carries the classifier
``target: <name>``, job ids are ``<target>:<id>`` (unique over the fleet) and artifact paths
are relative to ``OUT/``; then ``results.csv`` (with a ``target`` column), ``results.json``
and ``status.txt``, written by the usual result processors.
"""
import os
from types import SimpleNamespace

from wa.core import status as st
from wa.output.directory import RESULT_FILE, read_json, write_json
from wa.core.results import Event, JobResult, RunResult, utc_now

TARGET_CLASSIFIER = 'target'
# Statuses of a job that never finished: on a lost target they become SKIPPED.
_UNFINISHED = (st.NOT_STARTED, st.RUNNING)


class TargetRun:
    """What one target produced: ``result`` (its RunResult, or None when nothing came back),
    the ``jobs`` it was to run (dicts with id, label, workload, iteration), and ``reason``,
    why it has no or unfinished results (None when it ran)."""

    def __init__(self, name, result=None, jobs=(), reason=None, info=None):
        self.name = name
        self.result = result
        self.jobs = list(jobs)
        self.reason = reason
        self.info = dict(info or {})


def job_dicts(jobs):
    """The jobs of a run's queue (wa.core.jobs.Job) as the dicts a TargetRun keeps."""
    return [{'id': job.id, 'label': job.label, 'workload': job.spec.workload_name,
             'iteration': job.iteration} for job in jobs]


def read_target_run(root, name, jobs=(), reason=None, info=None):
    """The TargetRun of directory ``root/name``; its result is None if it holds no readable
    result.json."""
    directory = os.path.join(root, name)
    try:
        result = RunResult.from_dict(read_json(os.path.join(directory, RESULT_FILE)), directory)
    except (OSError, ValueError, KeyError):
        result = None
    return TargetRun(name, result, jobs, reason, info)


def _placeholder(job, reason):
    result = JobResult(job['id'], None, job['iteration'])
    result.label, result.workload = job.get('label'), job.get('workload')
    result.status = st.SKIPPED
    result.events.append(Event(reason))
    return result


def _target_jobs(run):
    """The job attempts of ``run``, with a SKIPPED placeholder for each job it has no result
    for and unfinished jobs turned SKIPPED."""
    why = 'target {} {}'.format(run.name, run.reason or 'did not finish this job')
    attempts = list(run.result.iteration_results) if run.result else []
    for attempt in attempts:
        if attempt.status in _UNFINISHED:
            attempt.status = st.SKIPPED
            attempt.events.append(Event(why))
    seen = {(a.id, a.iteration) for a in attempts}
    attempts += [_placeholder(job, why) for job in run.jobs
                 if (job['id'], job['iteration']) not in seen]
    return attempts


def _claim(item, name):
    """Marks a job attempt or run-level result as the target ``name``'s."""
    item.classifiers[TARGET_CLASSIFIER] = name
    for metric in item.metrics:
        metric.classifiers[TARGET_CLASSIFIER] = name
    for artifact in item.artifacts:
        artifact.path = os.path.join(name, artifact.path)


def merge_runs(root, runs, metadata=None):
    """One RunResult for the TargetRuns ``runs`` (in order), written to ``root``: see the
    module docstring. Returns the RunResult."""
    merged = RunResult(root)
    merged.metadata = dict(metadata or {}, targets={})
    merged.status = st.OK
    for run in runs:
        for attempt in _target_jobs(run):
            _claim(attempt, run.name)
            attempt.id = '{}:{}'.format(run.name, attempt.id)
            merged.iteration_results.append(attempt)
        if run.result is not None:
            _add_run_level(merged, run)
        if run.reason:
            merged.events.append(Event('target {}: {}'.format(run.name, run.reason)))
        run_status = run.result.status if run.result and not run.reason else st.FAILED
        merged.status = st.worse(merged.status, run_status)
        merged.metadata['targets'][run.name] = dict(run.info, status=run_status,
                                                    reason=run.reason)
    starts = [r.result.start_time for r in runs if r.result and r.result.start_time]
    ends = [r.result.end_time for r in runs if r.result and r.result.end_time]
    merged.start_time = min(starts) if starts else utc_now()
    merged.end_time = max(ends) if ends else utc_now()
    write_merged(root, merged)
    return merged


def _add_run_level(merged, run):
    """The run-level metrics, artifacts and events of a target, as the merged run's."""
    _claim(run.result, run.name)
    merged.metrics.extend(run.result.metrics)
    merged.artifacts.extend(run.result.artifacts)
    merged.events.extend(Event('[{}] {}'.format(run.name, e.message), e.timestamp)
                         for e in run.result.events)


def write_merged(root, merged):
    """Writes result.json, then results.csv, results.json and status.txt of ``merged``."""
    from wa.processors.csv import CsvProcessor  # noqa
    from wa.processors.json import JsonProcessor  # noqa
    from wa.processors.status import StatusProcessor  # noqa
    context = SimpleNamespace(run_output_directory=root)
    for processor in (CsvProcessor(extra_columns=[TARGET_CLASSIFIER]), JsonProcessor(),
                      StatusProcessor()):
        processor.export_run_result(merged, context)
    write_json(os.path.join(root, RESULT_FILE), merged.to_dict())

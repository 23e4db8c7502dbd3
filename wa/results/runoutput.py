"""Reading a run's output directory: ``RunOutput(path)`` and ``discover_wa_outputs(path)``.

Reads this project's output directories (result.json, __meta/; see CONTRACT.md "Output
directory") and WA3's (see wa/results/wa3.py), also while a run is still going.
"""
import json
import os
from datetime import timedelta

from wa.core.exceptions import NotFoundError
from wa.core.results import Artifact, Event, Metric, parse_iso
from wa.results.model import JobOutput, Output, Pod, TargetInfo
from wa.results.wa3 import is_wa3_output, load_wa3

META_DIR = '__meta'
FAILED_DIR = '__failed'


def _read(path, default=None):
    try:
        with open(path) as fh:
            return json.load(fh)
    except FileNotFoundError:
        return default


def is_output(path):
    return os.path.isdir(os.path.join(path, META_DIR)) and (
        os.path.isfile(os.path.join(path, 'result.json')) or is_wa3_output(path))


def load_native(basepath, data=None):
    """This project's directory as the common shape RunOutput is built from; ``data`` is
    result.json's content when the caller already has it (a processor during the run)."""
    if data is None:
        data = _read(os.path.join(basepath, 'result.json'))
        if data is None:
            raise NotFoundError('"{}" is not a WA output directory: it has no result.json'
                                .format(basepath))
    meta = os.path.join(basepath, META_DIR)
    metadata = data.get('metadata') or {}
    info = dict(run_name=metadata.get('run_name'), project=metadata.get('project'),
                project_stage=metadata.get('project_stage'),
                start_time=data.get('start_time'), end_time=data.get('end_time'),
                duration=data.get('duration'), uuid=None)
    info.update(_read(os.path.join(meta, 'run_info.json'), {}))
    config = _read(os.path.join(meta, 'config.json'), {})
    run_config = dict(config.get('settings') or {}, augmentations=(
        list(config.get('instrumentation') or []) + list(config.get('result_processors') or [])),
        result_processors=config.get('result_processors'),
        instrumentation=config.get('instrumentation'), plugin_config=config.get('plugin_config'))
    jobs = [dict(job) for job in data.get('jobs') or []]      # the caller's data stays as is
    finals = {(j['id'], j.get('iteration')): index for index, j in enumerate(jobs)}
    for index, job in enumerate(jobs):
        name = '{}-{}-{}'.format(job['id'], job.get('label'), job.get('iteration'))
        job['final'] = finals[(job['id'], job.get('iteration'))] == index
        job['path'] = os.path.join(basepath, name) if job['final'] else os.path.join(
            basepath, FAILED_DIR, '{}-attempt{:02d}'.format(name, job.get('retry', 0) + 1))
    return dict(format='wa', status=data.get('status'), metrics=data.get('metrics', []),
                artifacts=data.get('artifacts', []), events=data.get('events', []),
                classifiers={}, info=info, run_config=run_config,
                target_info=_read(os.path.join(meta, 'target_info.json'), {}),
                job_specs=_read(os.path.join(meta, 'jobs.json'), []), jobs=jobs,
                metadata=metadata, statistics=data.get('statistics'), artifact_root=None)


def _time(value):
    return parse_iso(value) if isinstance(value, str) else value


def _seconds(value):
    if isinstance(value, timedelta) or value is None:
        return value
    return timedelta(seconds=value)


class RunOutput(Output):
    """A run's output directory, read: ``basepath``, ``status``, ``info`` (uuid, run_name,
    project, project_stage, start_time, end_time, duration), ``run_config``, ``target_info``,
    ``job_specs``, ``jobs`` (the latest attempt of each job, in run order), ``all_attempts``,
    run-level ``metrics``/``artifacts``/``events``, ``statistics`` and the getters.

    Raises NotFoundError when ``path`` holds no run."""

    def __init__(self, path, _data=None):
        self._given = _data
        super().__init__(os.path.abspath(path), None, [], [], [])
        self.reload()

    @classmethod
    def from_result(cls, path, result_dict):
        """A RunOutput of a run still in memory (``RunResult.to_dict()``), for processors."""
        return cls(path, _data=result_dict)

    def reload(self):
        """Reads the directory again (a run still going has moved on)."""
        if self._given is None and is_wa3_output(self.basepath):
            data = load_wa3(self.basepath)
        else:
            data = load_native(self.basepath, self._given)
        self.format = data['format']
        super().__init__(self.basepath, data['status'], *_results(data), data['classifiers'])
        info = data['info']
        self.info = Pod(info, start_time=_time(info.get('start_time')),
                        end_time=_time(info.get('end_time')),
                        duration=_seconds(info.get('duration')))
        self.run_config = Pod(data['run_config'])
        self.target_info = TargetInfo(data['target_info'] or {})
        self.job_specs = [Pod(spec) for spec in data['job_specs']]
        self.metadata = data.get('metadata') or {}
        self._statistics = data.get('statistics')
        specs = {spec.id: spec for spec in self.job_specs}
        self.all_attempts = [self._job(job, specs.get(job['id']), data) for job in data['jobs']]
        self.jobs = [job for job, raw in zip(self.all_attempts, data['jobs']) if raw['final']]

    def _job(self, job, spec, data):
        path = job['path']
        root = path if data['artifact_root'] == 'job' else self.basepath
        job = dict(job, start_time=_time(job.get('start_time')),
                   end_time=_time(job.get('end_time')))
        return JobOutput(job, spec, basepath=path, status=job.get('status'),
                         metrics=[Metric.from_dict(m) for m in job.get('metrics', [])],
                         artifacts=[Artifact.from_dict(a) for a in job.get('artifacts', [])],
                         events=[_event(e) for e in job.get('events', [])],
                         classifiers=job.get('classifiers'), artifact_root=root)

    @property
    def statistics(self):
        """Per spec and metric, the statistics over iterations (a list of MetricStatistics)."""
        from wa.results.stats import run_statistics  # noqa
        return run_statistics(self.jobs)

    def to_dataframe(self):
        """Every job metric as a pandas DataFrame, one row per metric (pandas imported here)."""
        from wa.results.frame import jobs_dataframe  # noqa
        return jobs_dataframe(self.jobs)

    def __repr__(self):
        return '<RunOutput {} {}>'.format(self.basepath, self.status)


def _event(data):
    return Event.from_dict(dict(data, timestamp=data.get('timestamp')
                                if isinstance(data.get('timestamp'), str) else None))


def _results(data):
    return ([Metric.from_dict(m) for m in data['metrics']],
            [Artifact.from_dict(a) for a in data['artifacts']],
            [_event(e) for e in data['events']])


def discover_wa_outputs(path):
    """Every run output directory at or under ``path`` (a generator of RunOutput, in path
    order); the job directories inside a run are not searched."""
    for root, dirs, _ in os.walk(path):
        dirs.sort()
        if is_output(root):
            dirs[:] = []
            yield RunOutput(root)

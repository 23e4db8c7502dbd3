"""WA3's output objects (JobOutput, RunOutput, target info) as views of this project's results.

Attributes are those WA3's output processors read: ``kind``, ``id``, ``label``, ``iteration``,
``status``, ``metrics``, ``artifacts``, ``classifiers``, ``events``, ``basepath``, ``info``,
``jobs``; ``add_metric``/``add_artifact`` add to the underlying result (paths relative to
``basepath``), ``get_path``/``get_artifact_path`` give absolute paths.
"""
import os


class OutputBase:
    kind = None

    def __init__(self, result, context):
        self._result = result
        self._context = context

    @property
    def result(self):
        return self

    @property
    def status(self):
        return self._result.status

    @property
    def metrics(self):
        return self._result.metrics

    @property
    def artifacts(self):
        return self._result.artifacts

    @property
    def events(self):
        return self._result.events

    @property
    def event_summary(self):
        return '; '.join(event.message for event in self._result.events)[:80]

    @property
    def classifiers(self):
        return self._result.classifiers

    @property
    def metadata(self):
        return getattr(self._result, 'metadata', {})

    def get_path(self, subpath):
        return os.path.join(self.basepath, subpath)

    def add_metric(self, name, value, units=None, lower_is_better=False, classifiers=None):
        return self._result.add_metric(name, value, units, lower_is_better, classifiers)

    def add_artifact(self, name, path, kind='data', description=None, classifiers=None):  # noqa
        return self._result.add_artifact(name, self.get_path(path), kind, description)

    def get_artifact_path(self, name):
        for artifact in self._result.artifacts:
            if artifact.name == name:
                return os.path.join(self._context.run_output_directory, artifact.path)
        raise KeyError('no artifact called "{}"'.format(name))

    def get_metric(self, name):
        return next((m for m in self._result.metrics if m.name == name), None)


class JobOutput(OutputBase):
    kind = 'job'

    @property
    def id(self):
        return self._result.id

    @property
    def label(self):
        return self._result.label

    @property
    def iteration(self):
        return self._result.iteration

    @property
    def spec(self):
        return self._result.spec

    @property
    def basepath(self):
        return self._result.output_dir or self._context.run_output_directory


class RunInfo:
    """WA3's ``RunOutput.info``: the run's name, project and times."""

    def __init__(self, result):
        metadata = result.metadata or {}
        self.run_name = metadata.get('run_name')
        self.project = metadata.get('project')
        self.project_stage = metadata.get('project_stage')
        self.start_time = result.start_time
        self.end_time = result.end_time
        self.duration = result.duration

    def to_pod(self):
        return dict(vars(self))


class RunOutput(OutputBase):
    kind = 'run'

    @property
    def basepath(self):
        return self._context.run_output_directory

    @property
    def info(self):
        return RunInfo(self._result)

    @property
    def jobs(self):
        return [JobOutput(result, self._context) for result in self._result.final_attempts()]


class TargetInfo:
    """What WA3's processors read of the target: ``os``, ``abi``, ``hostname``."""

    def __init__(self, context):
        target = context.target
        self.os = getattr(target, 'os', None)
        self.abi = getattr(target, 'abi', None)
        self.hostname = getattr(target, 'hostname', None)

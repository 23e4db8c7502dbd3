"""What a run produces: metrics, artifacts and events, per job attempt and for the whole run."""
import json
import os
from datetime import datetime, timezone

from wa.core import status as st
from wa.core.exceptions import InvalidNameError
from wa.core.naming import shown
from wa.core.outcome import FAILURE_STATUS, outcome_status
from wa.core.pathnames import name_problem

ARTIFACT_KINDS = ('log', 'meta', 'data', 'export', 'raw')


def utc_now():
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


def iso(moment):
    """ISO-8601 text of a datetime, or None."""
    return moment.isoformat() if moment else None


def parse_iso(text):
    """The datetime of ISO-8601 text, or None."""
    return datetime.fromisoformat(text) if text else None


class Metric:
    """One measured value."""

    __slots__ = ('name', 'value', 'units', 'lower_is_better', 'classifiers')

    def __init__(self, name, value, units=None, lower_is_better=False, classifiers=None):
        self.name = name
        self.value = value
        self.units = units
        self.lower_is_better = bool(lower_is_better)
        self.classifiers = dict(classifiers or {})

    def to_dict(self):
        return {'name': self.name, 'value': self.value, 'units': self.units,
                'lower_is_better': self.lower_is_better, 'classifiers': self.classifiers}

    @classmethod
    def from_dict(cls, data):
        return cls(data['name'], data['value'], data.get('units'),
                   data.get('lower_is_better', False), data.get('classifiers'))

    def __repr__(self):
        return '<{} {}{}>'.format(self.name, self.value, ' ' + self.units if self.units else '')


class Artifact:
    """A file produced by the run; ``path`` is relative to the run's output directory."""

    __slots__ = ('name', 'path', 'kind', 'description')

    def __init__(self, name, path, kind='data', description=None):
        if kind not in ARTIFACT_KINDS:
            raise ValueError('Artifact kind "{}" is not one of {}'.format(
                kind, ', '.join(ARTIFACT_KINDS)))
        self.name = name
        self.path = path
        self.kind = kind
        self.description = description

    def to_dict(self):
        data = {'name': self.name, 'path': self.path, 'kind': self.kind}
        if self.description:
            data['description'] = self.description
        return data

    @classmethod
    def from_dict(cls, data):
        return cls(data['name'], data['path'], data.get('kind', 'data'), data.get('description'))


class Event:
    """Something worth telling the user about a job or the run, such as why it failed."""

    __slots__ = ('timestamp', 'message')

    def __init__(self, message, timestamp=None):
        self.message = str(message)
        self.timestamp = timestamp or utc_now()

    def to_dict(self):
        return {'timestamp': iso(self.timestamp), 'message': self.message}

    @classmethod
    def from_dict(cls, data):
        return cls(data['message'], parse_iso(data.get('timestamp')))


def _check_name(what, name, in_paths=True):
    problem = name_problem(name, in_paths)
    if problem:
        raise InvalidNameError('invalid {} name {}: {}'.format(what, shown(name), problem))


class ResultBase:
    """Metrics, artifacts and events shared by job and run results."""

    def __init__(self, output_root):
        self.output_root = output_root
        self.status = st.NOT_STARTED
        self.metrics = []
        self.artifacts = []
        self.events = []
        self.start_time = None
        self.end_time = None
        self.classifiers = {}

    def add_metric(self, name, value, units=None, lower_is_better=False, classifiers=None):
        """Records a metric; the job's classifiers are merged in, the metric's own winning.
        A name that cannot be a line of a results file is refused (InvalidNameError)."""
        _check_name('metric', name, in_paths=False)
        merged = dict(self.classifiers)
        merged.update(classifiers or {})
        metric = Metric(name, value, units, lower_is_better, merged)
        self.metrics.append(metric)
        return metric

    def add_artifact(self, name, path, kind='data', description=None):
        """Records a file; an absolute ``path`` is stored relative to the output directory.
        A name that cannot be a line of a results file, or with a ``.``/``..`` part that reads
        as a way out of where it is, is refused (InvalidNameError); other "/", even leading,
        are allowed: WA3's sysfs_extractor names its artifacts ``/sys/... [before]``."""
        _check_name('artifact', name, in_paths=False)
        if any(part.strip() in ('.', '..') for part in name.split('/')):
            raise InvalidNameError('invalid artifact name {}: it may not have a "." or ".." '
                                   'part'.format(shown(name)))
        if os.path.isabs(path) and self.output_root:
            path = os.path.relpath(path, self.output_root)
        artifact = Artifact(name, path, kind, description)
        self.artifacts.append(artifact)
        return artifact

    def add_event(self, message):
        self.events.append(Event(message))

    def set_status(self, new_status):
        """Moves to ``new_status`` only if it is worse (or leaves RUNNING/NOT_STARTED)."""
        self.status = st.worse(self.status, new_status)

    @property
    def duration(self):
        if self.start_time and self.end_time:
            return (self.end_time - self.start_time).total_seconds()
        return None


class JobResult(ResultBase):
    """One attempt of one iteration of one spec (WA's "iteration result")."""

    def __init__(self, job_id, spec, iteration, retry=0, output_root=None, output_dir=None):
        super().__init__(output_root)
        self.id = job_id
        self.spec = spec
        self.label = spec.label if spec else None
        self.workload = spec.workload_name if spec else None
        self.iteration = iteration
        self.retry = retry
        self.classifiers = dict(spec.classifiers) if spec else {}
        self.output_dir = output_dir
        self.outcomes = []
        self.stages = {}
        # True for an attempt not run because of the run (target unreachable or lost, init
        # failure, bail), not its spec: ``wa run --resume`` runs it again.
        self.resumable = False

    def record(self, outcome):
        """Notes one guarded call of this attempt: its status follows (see outcome.job_status)
        and a workload stage's duration goes into ``stages`` (seconds)."""
        self.outcomes.append(outcome)
        found = outcome_status(outcome)
        if found is not None:
            self.set_status(found)
        if outcome.stage in FAILURE_STATUS:
            self.stages[outcome.stage] = round(
                self.stages.get(outcome.stage, 0.0) + outcome.duration, 6)

    def add_artifact(self, name, path, kind='data', description=None):
        """Like ResultBase's; a relative ``path`` is taken as relative to the job's directory."""
        if not os.path.isabs(path) and self.output_dir:
            path = os.path.join(self.output_dir, path)
        return super().add_artifact(name, path, kind, description)

    def to_dict(self):
        return {'id': self.id, 'label': self.label, 'workload': self.workload,
                'iteration': self.iteration, 'status': self.status, 'retry': self.retry,
                'classifiers': self.classifiers, 'start_time': iso(self.start_time),
                'end_time': iso(self.end_time), 'duration': self.duration,
                'stages': self.stages,
                'metrics': [m.to_dict() for m in self.metrics],
                'artifacts': [a.to_dict() for a in self.artifacts],
                'events': [e.to_dict() for e in self.events],
                **({'resumable': True} if self.resumable else {})}

    @classmethod
    def from_dict(cls, data, spec=None, output_root=None):
        result = cls(data['id'], spec, data['iteration'], data.get('retry', 0), output_root)
        result.label = data.get('label')
        result.workload = data.get('workload')
        result.status = data.get('status', st.NOT_STARTED)
        result.classifiers = data.get('classifiers') or {}
        result.start_time = parse_iso(data.get('start_time'))
        result.end_time = parse_iso(data.get('end_time'))
        result.stages = data.get('stages') or {}
        result.resumable = bool(data.get('resumable'))
        result.metrics = [Metric.from_dict(m) for m in data.get('metrics', [])]
        result.artifacts = [Artifact.from_dict(a) for a in data.get('artifacts', [])]
        result.events = [Event.from_dict(e) for e in data.get('events', [])]
        return result


class RunResult(ResultBase):
    """The whole run: its status, timings, every job attempt, and run-level results."""

    FORMAT_VERSION = 1

    def __init__(self, output_root=None):
        super().__init__(output_root)
        self.iteration_results = []
        self.metadata = {}

    def final_attempts(self):
        """The last attempt of each (job id, iteration), in the order jobs first ran."""
        latest = {}
        for result in self.iteration_results:
            latest[(result.id, result.iteration)] = result
        return list(latest.values())

    def header_dict(self):
        """Everything result.json holds about the run except its ``jobs``."""
        return {'format_version': self.FORMAT_VERSION, 'status': self.status,
                'start_time': iso(self.start_time), 'end_time': iso(self.end_time),
                'duration': self.duration, 'metadata': self.metadata,
                'metrics': [m.to_dict() for m in self.metrics],
                'artifacts': [a.to_dict() for a in self.artifacts],
                'events': [e.to_dict() for e in self.events]}

    def to_dict(self, pending=()):
        """The run as result.json holds it; ``pending`` job results (not yet run) follow the
        attempts made so far."""
        return dict(self.header_dict(), jobs=[
            r.to_dict() for r in list(self.iteration_results) + list(pending)])

    @classmethod
    def from_dict(cls, data, output_root=None):
        result = cls(output_root)
        result.status = data.get('status', st.NOT_STARTED)
        result.start_time = parse_iso(data.get('start_time'))
        result.end_time = parse_iso(data.get('end_time'))
        result.metadata = data.get('metadata', {})
        result.metrics = [Metric.from_dict(m) for m in data.get('metrics', [])]
        result.artifacts = [Artifact.from_dict(a) for a in data.get('artifacts', [])]
        result.events = [Event.from_dict(e) for e in data.get('events', [])]
        result.iteration_results = [JobResult.from_dict(j, output_root=output_root)
                                    for j in data.get('jobs', [])]
        return result


def fragment(job_result, text=None):
    """A job entry as the text of one item of the ``jobs`` list of result.json (indented as
    ``json.dumps(run, indent=2)`` would); ``text``: the entry's own ``json.dumps(indent=2)``,
    if already made."""
    if text is None:
        text = json.dumps(job_result.to_dict(), indent=2, default=str)
    return '    ' + text.replace('\n', '\n    ')

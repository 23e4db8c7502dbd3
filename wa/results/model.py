"""The objects a run is read into: attribute bags, kernel versions, and job/run outputs.

Their attributes follow WA3's ``wa.framework.output`` so that code written against WA3
(LISA's ``lisa.wa``) keeps working; see doc/results.rst.
"""
import os
import re
from datetime import timedelta

from wa.core.exceptions import NotFoundError
from wa.results.status import Status


class Pod(dict):
    """A dict whose keys are also attributes (``spec.workload_name``); a missing one is None."""

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return self.get(name)

    def to_pod(self):
        return dict(self)


class KernelVersion:
    """A kernel's release and build version, parsed like devlib's ``KernelVersion``:
    ``release`` (``5.10.0-rc3-00042-gabc1234``), ``version`` (``#1 SMP ...``), ``version_number``,
    ``major``, ``minor``, ``rc``, ``sha1`` (the ``-g<sha1>`` suffix of git-built kernels)."""

    _RELEASE = re.compile(r'(?P<version>\d+)(\.(?P<major>\d+)(\.(?P<minor>\d+))?)?'
                          r'(-rc(?P<rc>\d+))?')
    _SHA1 = re.compile(r'-g(?P<sha1>[0-9a-fA-F]{7,40})')

    def __init__(self, release, version=''):
        self.release = release or ''
        self.version = version or ''
        match = self._RELEASE.match(self.release)
        groups = match.groupdict() if match else {}
        self.version_number = _int(groups.get('version'))
        self.major = _int(groups.get('major'))
        self.minor = _int(groups.get('minor'))
        self.rc = _int(groups.get('rc'))
        sha1 = self._SHA1.search(self.release)
        self.sha1 = sha1.group('sha1') if sha1 else None
        self.parts = (self.version_number, self.major, self.minor)

    def __str__(self):
        return ' '.join(p for p in (self.release, self.version) if p)

    __repr__ = __str__


def _int(text):
    return int(text) if text is not None else None


class TargetInfo(Pod):
    """``__meta/target_info.json`` with ``kernel_version`` as a :class:`KernelVersion`."""

    @property
    def kernel_version(self):
        return KernelVersion(self.get('kernel_release'), self.get('kernel_version'))


class Output:
    """What runs and jobs share: a directory, a status, metrics, artifacts and events.

    ``artifact_root`` is the directory that artifact paths are relative to (the run's directory
    for this project's output, the job's own for WA3's)."""

    def __init__(self, basepath, status, metrics, artifacts, events, classifiers=None,
                 artifact_root=None):
        self.basepath = basepath
        self.status = Status(status) if status in Status else Status.UNKNOWN
        self.metrics = metrics
        self.artifacts = artifacts
        self.events = events
        self.classifiers = dict(classifiers or {})
        self.artifact_root = artifact_root or basepath

    def get_metric(self, name):
        """The first metric called ``name``, or None (as WA3)."""
        return next((m for m in self.metrics if m.name == name), None)

    def get_artifact(self, name):
        """The artifact called ``name``; NotFoundError if there is none."""
        for artifact in self.artifacts:
            if artifact.name == name:
                return artifact
        raise NotFoundError('Artifact "{}" not found in {}'.format(name, self.basepath))

    def get_artifact_path(self, name):
        """The absolute path of artifact ``name``."""
        return os.path.join(self.artifact_root, self.get_artifact(name).path)

    def get_path(self, subpath):
        return os.path.join(self.basepath, subpath)


class JobOutput(Output):
    """One attempt of one iteration of one spec: ``id``, ``label``, ``iteration``, ``retry``,
    ``status``, ``classifiers``, ``spec``, ``basepath``, ``metrics``, ``artifacts``, ``events``,
    ``start_time``/``end_time`` (datetimes or None) and ``duration`` (a timedelta or None)."""

    def __init__(self, data, spec, **outputs):
        super().__init__(**outputs)
        self.id = data['id']
        self.label = data.get('label')
        self.iteration = data.get('iteration')
        self.retry = data.get('retry', 0)
        self.workload_name = data.get('workload') or (spec or {}).get('workload_name')
        self.spec = spec
        self.start_time = data.get('start_time')
        self.end_time = data.get('end_time')
        seconds = data.get('duration')
        self.duration = timedelta(seconds=seconds) if seconds is not None else None

    @property
    def output_name(self):
        return os.path.basename(self.basepath)

    def __repr__(self):
        return '<JobOutput {}-{}-{} {}>'.format(self.id, self.label, self.iteration, self.status)

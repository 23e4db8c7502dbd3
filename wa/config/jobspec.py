"""A job spec (what the configuration asks for) and a spec's state in one run (what happened).

Configuration holds intent, the run holds state: a JobSpec is an immutable record built once by
RunConfiguration; whether a spec is still enabled, and its workload instance, live in a SpecRun
that the run creates and changes.
"""
from dataclasses import dataclass, field, replace
from typing import Any, Optional

from wa.core.exceptions import ConfigError
from wa.core.secrets import masked


@dataclass(frozen=True)
class JobSpec:
    """One workload entry in one section, fully merged. ``source`` is the agenda entry it came
    from; ``origins`` maps ``(key,)`` and ``(key, subkey)`` to the ``file:line`` that set the
    merged value."""

    id: str
    section_id: Optional[str]
    workload_id: str
    workload_name: str
    label: str
    iterations: int = 1
    job_timeout: Optional[float] = None  # seconds a job may take (setup to update_result)
    workload_parameters: dict = field(default_factory=dict)
    runtime_parameters: dict = field(default_factory=dict)
    boot_parameters: dict = field(default_factory=dict)
    classifiers: dict = field(default_factory=dict)
    instruments: list = field(default_factory=list)
    source: Any = field(default=None, compare=False, repr=False)
    origins: dict = field(default_factory=dict, compare=False, repr=False)

    def where(self, *path):
        """``file:line`` where the merged value at ``path`` (``'workload_parameters',
        'duration'``) was set; else where its mapping was set; else the spec's entry."""
        for candidate in (tuple(path), tuple(path[:1])):
            if candidate in self.origins:
                return self.origins[candidate]
        return self.source.where('name') if self.source is not None else None

    def without(self, instruments):
        """This spec with the named instruments taken out of its list."""
        return replace(self, instruments=[i for i in self.instruments if i not in instruments])

    def to_dict(self, workload=None):
        """The spec as written to ``__meta/jobs.json``: with ``workload`` (its instance), the
        workload's resolved parameters; secrets masked."""
        parameters = masked(workload.parameter_values(), workload.parameters) if workload else \
            masked(self.workload_parameters)
        return {'id': self.id, 'section_id': self.section_id, 'workload_id': self.workload_id,
                'workload_name': self.workload_name, 'label': self.label,
                'iterations': self.iterations, 'job_timeout': self.job_timeout,
                'workload_parameters': parameters,
                'runtime_parameters': self.runtime_parameters,
                'boot_parameters': self.boot_parameters,
                'augmentations': self.instruments, 'classifiers': self.classifiers}


def job_timeout(layers, default, where):
    """The ``job_timeout`` of a spec (seconds, or None for no limit) from its section and
    entry (``layers``) or the config's ``default``; ConfigError at the key's file:line."""
    layer = next((l for l in reversed(layers) if 'job_timeout' in l.values), None)
    value = layer.values['job_timeout'] if layer else default
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if isinstance(value, bool) or not seconds > 0 or seconds == float('inf'):
        place = layer.where('job_timeout') if layer else where('job_timeout')
        raise ConfigError('{}: "job_timeout" must be a number of seconds above 0, got '
                          '{!r}'.format(place, value))
    return seconds


class SpecRun:
    """One spec in one run: its workload instance and whether its remaining jobs still run.
    Reads of the spec's own fields (``id``, ``label``, ...) go to the JobSpec."""

    def __init__(self, spec, workload=None):
        self.spec = spec
        self.workload = workload
        self.enabled = True
        self.disabled_status = None
        self.disabled_reason = None

    def __getattr__(self, name):
        if name == 'spec':  # not yet set (copying, unpickling)
            raise AttributeError(name)
        return getattr(self.spec, name)

    def disable(self, job_status, reason):
        """Stops this spec's remaining jobs from running: each is recorded with ``job_status``
        and ``reason``."""
        self.enabled = False
        self.disabled_status = job_status
        self.disabled_reason = reason

    def to_dict(self):
        return self.spec.to_dict(self.workload)

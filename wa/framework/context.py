"""The parts of WA3's execution context that WA3 plugins use, on this project's context.

``context.output`` is the run's output object that also acts as WA3's current job output
(``add_metric``, ``add_artifact``, ``classifiers``, ``metrics``, ``basepath``);
``get_resource``/``resolver`` find host files (wa.framework.resource); ``get_artifact_path``,
``update_metadata``, ``spec_changed``, ``current_job`` and ``run_output`` are as in WA3.
"""
import os

from wa.framework import resource as resources
from wa.framework.output_objects import OutputBase


class OutputView(OutputBase):
    """The run output (every attribute of it) seen as WA3's output of the current job, or of
    the run with ``whole_run``."""

    def __init__(self, context, run_output, whole_run=False):  # pylint: disable=super-init-not-called
        self._context = context
        self._run_output = run_output
        self._whole_run = whole_run

    def __getattr__(self, name):
        return getattr(self._run_output, name)

    @property
    def _result(self):
        context = self._context
        return context.run_result if self._whole_run else context.result

    @property
    def basepath(self):
        return self._run_output.root if self._whole_run else self._context.output_directory


class _Resolver:
    @staticmethod
    def get(resource, strict=True):
        return resources.get_resource(resource, strict)


class WA3Context:
    """Mixed into ExecutionContext."""

    resolver = _Resolver()

    @property
    def output(self):
        return self._output_view

    @output.setter
    def output(self, run_output):
        self._output_view = OutputView(self, run_output) if run_output is not None else None

    @property
    def run_output(self):
        return OutputView(self, self._output_view._run_output, whole_run=True)  # noqa

    @property
    def current_job(self):
        return self.job

    @property
    def spec_changed(self):
        """True for the first iteration of a spec (WA3: the spec differs from the last job's)."""
        return self.job is not None and self.job.iteration == 1

    @staticmethod
    def get_resource(resource, strict=True):
        return resources.get_resource(resource, strict)

    get = get_resource

    def get_artifact_path(self, name):
        """The absolute path of the current result's artifact called ``name``."""
        for result in (self.result, self.run_result):
            for artifact in result.artifacts:
                if artifact.name == name:
                    return os.path.join(self._output_view.root, artifact.path)
        raise KeyError('no artifact called "{}"'.format(name))

    def update_metadata(self, key, *args):
        """Sets ``run metadata[key][args[0]]...[args[-2]] = args[-1]`` (WA3's form)."""
        if not args:
            raise ValueError('update_metadata needs a value')
        node, path, value = self.run_result.metadata, (key,) + args[:-1], args[-1]
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value

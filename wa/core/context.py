"""ExecutionContext: what plugins see of the run, and where they put results."""
import logging

from wa.core import signal
from wa.framework.context import WA3Context


class ExecutionContext(WA3Context):
    """The state of the run as it goes: the current job, its result and directories.

    Passed to every workload, instrument and processor method. ``result`` is the current job
    attempt's result during a job and the run's result outside one, so ``add_metric`` and
    ``add_artifact`` always land in the right place.
    """

    def __init__(self, run_config, output, run_result, bus=None, specs=()):
        self.run_config = run_config
        self.specs = list(specs)  # the run's SpecRun of every spec (jobspec.py)
        self.output = output
        self.run_result = run_result
        self.connection = None
        self.job = None
        self.job_result = None
        self.errors_logged = False
        self.warnings_logged = False
        self.run_error_logged = False
        self.bus = bus or signal.SignalBus()
        self.bus.connect(self._on_log_record, signal.ERROR_LOGGED, priority=100)
        self.bus.connect(self._on_log_record, signal.WARNING_LOGGED, priority=100)

    def close(self):
        """Disconnects everything the run connected (its SignalBus)."""
        self.bus.close()

    def _on_log_record(self, record):
        if record.levelno >= logging.ERROR:
            self.errors_logged = True
        else:
            self.warnings_logged = True
        # During a job the message is the job's event; outside one (an instrument disabled
        # at start-up, a failed finalize) the run's, so the end-of-run summary lists it too.
        self.result.add_event(record.getMessage())

    @property
    def target(self):
        return self.connection.target if self.connection else None

    @property
    def spec(self):
        return self.job.spec if self.job else None

    @property
    def workload(self):
        return self.job.spec.workload if self.job else None

    @property
    def job_id(self):
        return self.job.id if self.job else None

    @property
    def current_iteration(self):
        return self.job.iteration if self.job else None

    @property
    def result(self):
        return self.job_result if self.job_result is not None else self.run_result

    @property
    def output_directory(self):
        """The current job's directory during a job, the run's directory outside one."""
        if self.job_result is not None and self.job_result.output_dir:
            return self.job_result.output_dir
        return self.output.root

    @property
    def run_output_directory(self):
        return self.output.root

    def add_metric(self, name, value, units=None, lower_is_better=False, classifiers=None):
        return self.result.add_metric(name, value, units, lower_is_better, classifiers)

    def add_artifact(self, name, path, kind='data', description=None, classifiers=None):  # noqa
        return self.result.add_artifact(name, path, kind, description)

    def add_event(self, message):
        """Notes something about the current job (or the run) without changing its status."""
        self.result.add_event(message)

    def add_classifier(self, name, value):
        """Adds a classifier to the current job (and so to its metrics added from now on)."""
        self.job_result.classifiers[name] = value

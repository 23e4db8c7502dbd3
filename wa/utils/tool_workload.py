"""A base for workloads that run one command-line tool on the target and turn what it prints
into metrics (``ToolWorkload``), and the ``Metric`` tuple their parsers return.

Most of the built-in Linux workloads (hackbench, sysbench, stress-ng, fio, ...) are a
``ToolWorkload`` with a parser function. Cheap to import: devlib is only imported when a tool
runs.
"""
import os
import shlex
import time
from collections import namedtuple

from wa import ConfigError, Parameter, Workload, WorkloadError, types
from wa.utils.processes import record_pid, stop_recorded
from wa.utils.shell import shell_join, split_args
from wa.utils.tools import execute, require_tool, tail, taskset_prefix

Metric = namedtuple('Metric', 'name value units lower_is_better classifiers')
Metric.__new__.__defaults__ = (None, False, None)
Metric.__doc__ = ('One parsed measurement, ready for ``add_metrics``: ``name``, ``value`` (a '
                  'number), ``units`` (a string or None), ``lower_is_better`` (default False) '
                  'and ``classifiers`` (a dict or None).')


def cpus_parameter():
    """A ``cpus`` parameter (a list of CPU numbers) for a workload's ``parameters``: a
    ``ToolWorkload`` that has one pins its tool to those CPUs with taskset."""
    return Parameter('cpus', kind=types.list_of_ints, default=None,
                     constraint=lambda cpus: all(cpu >= 0 for cpu in cpus),
                     description='CPUs (numbers) the benchmark is pinned to with ``taskset``; '
                                 'all CPUs when not set.')


class ToolWorkload(Workload):
    """A workload that runs one command-line tool on the target and parses what it prints.

    Subclasses set ``tool`` (the executable looked up on the target) and ``package`` (the
    Debian package that provides it), and implement:

    * ``build_command(context)`` -- the argument list to run (``self.tool_path`` is the tool);
    * ``parse(text)`` -- a list of ``Metric`` from the saved output (usually a module-level
      parser function).

    The tool runs in ``run`` with its stdout and stderr sent to a file in ``target_dir``
    (``wa-<name>`` in the target's working directory, made at each setup and removed at
    finalize); ``update_result`` pulls that file into the job's directory as a ``raw`` artifact
    (``<name>_output``) and adds the parsed metrics. Tools that write a separate results file
    (YAML, JSON) name it in ``result_file`` and it is pulled too (``<name>_results``), and
    parsed instead of the console output.

    A tool missing on the target raises NotSupportedError naming ``package`` (the job is
    skipped); a command that fails or times out, WorkloadError with the end of its output; a
    ``ValueError`` from ``parse``, WorkloadError saying the results could not be read.
    """

    tool = None
    package = None
    #: Parameters holding free-form arguments for the tool (checked by ``validate``).
    argument_parameters = ()
    #: Name of a results file the tool writes in the target's working directory (or None).
    result_file = None
    #: Whether the tool needs root (priority, locked memory): run with sudo where available.
    run_as_root = False
    #: More names for the artifacts ``output`` and ``results`` (``{'output': 'x-output'}``),
    #: such as the names WA3's plugin of the same name gives them, for tools that look for those.
    artifact_aliases = {}

    def validate(self):
        for name in self.argument_parameters:
            try:
                split_args(getattr(self, name))
            except ValueError as error:
                raise ConfigError('{}: bad {}: {}'.format(self.name, name, error))

    def initialize(self, context):
        self.tool_path = self.find_tool(context)
        self.target_dir = self.target.get_workpath('wa-{}'.format(self.name))
        # ``taskset -c <cpus>`` for workloads with a ``cpus`` parameter that is set.
        self.pin = taskset_prefix(self.target, getattr(self, 'cpus', None))

    @property
    def run_directory(self):
        """The directory the tool runs in (``target_dir`` unless a workload says otherwise)."""
        return self.target_dir

    # -- subclass hooks -------------------------------------------------------------------
    def find_tool(self, context):
        """The path of the tool on the target (workloads that install or build it override)."""
        return require_tool(self.target, self.tool, self.package)

    def build_command(self, context):
        raise NotImplementedError

    def parse(self, text):
        raise NotImplementedError

    def run_timeout(self):
        """Seconds the tool may run before it is considered hung."""
        return getattr(self, 'timeout', None) or 300

    # -- stages ---------------------------------------------------------------------------
    @property
    def output_name(self):
        return '{}-output.txt'.format(self.name)

    @property
    def pid_name(self):
        return '{}.pid'.format(self.name)

    def _target_path(self, filename):
        return self.target.path.join(self.target_dir, filename)

    def setup(self, context):
        stale = [self._target_path(self.output_name)]
        if self.result_file:
            stale.append(self._target_path(self.result_file))
        self.target.execute('mkdir -p {} {} && rm -f {}'.format(
            shlex.quote(self.target_dir), shlex.quote(self.run_directory), shell_join(stale)))
        self.run_time = None

    def run(self, context):
        command = self.build_command(context)
        # The tool's pid is kept so that teardown can stop it if the run was interrupted (or
        # timed out) while it ran: it must not go on loading the target after the job.
        shell = 'cd {} && {{ {} > {} 2>&1 & {} wait $!; }}'.format(
            shlex.quote(self.run_directory), shell_join(command),
            shlex.quote(self._target_path(self.output_name)),
            record_pid(self._target_path(self.pid_name)))
        self.logger.debug('Running: %s', shell)
        as_root = self.run_as_root and self.target.is_rooted
        start = time.monotonic()
        try:
            execute(self.target, shell, timeout=self.run_timeout(), as_root=as_root,
                    what=self.tool)
        except WorkloadError as error:
            # The tool's output went to a file: quote its end in the error.
            output = self._read_target_output()
            if output.strip() and 'its output ends with' not in str(error):
                raise WorkloadError('{}; its output ends with:\n{}'.format(error, tail(output)))
            raise
        finally:
            self.run_time = time.monotonic() - start

    def _read_target_output(self):
        try:
            return self.target.execute('cat {}'.format(
                shlex.quote(self._target_path(self.output_name))), check_exit_code=False)
        except Exception:  # pylint: disable=broad-except
            return ''

    def update_result(self, context):
        text = self.collect_file(context, self.output_name, 'output',
                                 'What {} printed'.format(self.tool))
        if self.result_file:
            text = self.collect_file(context, self.result_file, 'results',
                                     'Results file written by {}'.format(self.tool))
        try:
            metrics = self.parse(text)
        except ValueError as error:
            raise WorkloadError('could not read {}\'s results: {}'.format(self.tool, error))
        add_metrics(context, metrics)

    def collect_file(self, context, filename, name, description):
        """Pulls ``filename`` from the target's working dir into the job dir; returns its text."""
        local = os.path.join(context.output_directory, filename)
        remote = self._target_path(filename)
        if not self.target.file_exists(remote):
            raise WorkloadError('{} wrote no {} on the target'.format(self.tool, remote))
        self.target.pull(remote, local)
        names = ['{}_{}'.format(self.name, name)]
        if name in self.artifact_aliases:
            names.append(self.artifact_aliases[name])
        for artifact in names:
            context.add_artifact(artifact, filename, 'raw', description=description)
        with open(local, encoding='utf-8', errors='replace') as fh:
            return fh.read()

    def teardown(self, context):
        files = [self._target_path(self.output_name), self._target_path(self.pid_name)]
        if self.result_file:
            files.append(self._target_path(self.result_file))
        self.target.execute('{} rm -f {}'.format(
            stop_recorded(self._target_path(self.pid_name)), shell_join(files)),
            check_exit_code=False, as_root=self.run_as_root and self.target.is_rooted)

    def finalize(self, context):
        if getattr(self, 'target_dir', None):
            self.target.execute('rm -rf {}'.format(shlex.quote(self.target_dir)),
                                check_exit_code=False)


def add_metrics(context, metrics):
    """Adds every ``Metric`` of the iterable ``metrics`` to the current job's result."""
    for metric in metrics:
        context.add_metric(metric.name, metric.value, units=metric.units,
                           lower_is_better=metric.lower_is_better,
                           classifiers=metric.classifiers)

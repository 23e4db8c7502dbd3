"""Helpers shared by the built-in Linux workloads.

The plugin loader skips modules whose name starts with ``_``, so nothing here is a plugin.
Everything stays cheap to import: devlib is only imported inside functions.

The pieces:

* ``Metric`` -- what every parser returns: ``(name, value, units, lower_is_better, classifiers)``.
* ``require_tool`` -- find a tool on the target, or raise ``NotSupportedError`` naming the Debian
  package that provides it.
* ``shell_join`` / ``taskset_prefix`` -- build target command lines with every value quoted.
* ``ToolWorkload`` -- a ``Workload`` base for "run one tool on the target, keep its raw output,
  parse it into metrics".
"""
import hashlib
import os
import re
import shlex
import time
from collections import namedtuple

from wa import (ConfigError, NotSupportedError, Parameter, Workload, WorkloadError,
                target_shell, types)

Metric = namedtuple('Metric', 'name value units lower_is_better classifiers')
Metric.__new__.__defaults__ = (None, False, None)
Metric.__doc__ = 'One parsed measurement, ready for ``context.add_metric``.'


def shell_join(args):
    """A command line for the target shell, with every argument quoted."""
    return ' '.join(shlex.quote(str(arg)) for arg in args)


def split_args(text):
    """Splits a user's free-form argument string (``extra_args``) into words, shell-style."""
    if not text:
        return []
    if isinstance(text, (list, tuple)):
        return [str(item) for item in text]
    try:
        return shlex.split(str(text))
    except ValueError as error:
        raise ValueError('cannot split "{}" into arguments: {}'.format(text, error))


def missing_tool_message(tool, package):
    """The one line a user sees when ``tool`` is missing on the target."""
    return ('{} is not installed on the target; install the Debian package "{}"'
            .format(tool, package))


def which(target, tool):
    """The path of ``tool`` on the target's PATH (devlib's executables directory included), or
    None. One ``command -v`` on the target: devlib's own ``which`` lists every PATH directory,
    a command each, which is slow over SSH."""
    try:
        output = target.execute('command -v {}'.format(shlex.quote(tool)),
                                check_exit_code=False)
    except Exception:  # pylint: disable=broad-except
        return target.which(tool)
    lines = [line.strip() for line in (output or '').splitlines() if line.strip()]
    return lines[-1] if lines and lines[-1].startswith('/') else None


def require_tool(target, tool, package):
    """The path of ``tool`` on ``target``; NotSupportedError naming ``package`` if it is absent."""
    path = which(target, tool)
    if not path:
        raise NotSupportedError(missing_tool_message(tool, package))
    return path


def taskset_prefix(target, cpus):
    """``['taskset', '-c', '0,1']`` to pin a command to ``cpus``; ``[]`` when none are given."""
    if not cpus:
        return []
    require_tool(target, 'taskset', 'util-linux')
    return ['taskset', '-c', ','.join(str(cpu) for cpu in cpus)]


_SIZE = re.compile(r'^\s*([0-9]+)\s*([kKmMgG]?)(?:i?[bB])?\s*$')
_SIZE_FACTORS = {'': 1, 'k': 1024, 'm': 1024 ** 2, 'g': 1024 ** 3}


def byte_size(value):
    """Bytes from ``4096``, ``'64K'``, ``'5M'`` or ``'1GiB'`` (K, M, G: powers of 1024)."""
    if isinstance(value, bool):
        raise ValueError('"{}" is not a size'.format(value))
    if isinstance(value, int):
        return value
    match = _SIZE.match(str(value))
    if not match:
        raise ValueError('"{}" is not a size such as 4096, 64K or 5M'.format(value))
    return int(match.group(1)) * _SIZE_FACTORS[match.group(2).lower()]


def cpus_parameter():
    """The ``cpus`` parameter several workloads share (pin the tool with taskset)."""
    return Parameter('cpus', kind=types.list_of_ints, default=None,
                     constraint=lambda cpus: all(cpu >= 0 for cpu in cpus),
                     description='CPUs (numbers) the benchmark is pinned to with ``taskset``; '
                                 'all CPUs when not set.')


def execute(target, command, timeout=None, as_root=False, what='command'):
    """Runs ``command`` on the target; turns a failed or timed-out command into WorkloadError
    that says how it ended and what it printed last."""
    from devlib.exception import TargetStableError, TimeoutError as DevlibTimeoutError
    try:
        return target.execute(command, timeout=timeout, as_root=as_root)
    except DevlibTimeoutError:
        raise WorkloadError('{} did not finish within {} s'.format(what, timeout))
    except TargetStableError as error:
        code = getattr(error, 'returncode', None)
        if code is None:
            raise WorkloadError('{} failed: {}'.format(what, tail(str(error), 20)))
        output = '\n'.join(_text(part) for part in (getattr(error, 'output', None),
                                                    getattr(error, 'stderr', None)))
        message = '{} exited with status {}'.format(what, code)
        if output.strip():
            message += '; its output ends with:\n' + tail(output)
        raise WorkloadError(message)


def _text(value):
    if value is None:
        return ''
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    return str(value)


def tail(text, lines=15):
    """The last ``lines`` non-empty lines of ``text`` (for error messages)."""
    kept = [line for line in (text or '').splitlines() if line.strip()]
    return '\n'.join(kept[-lines:])


def to_number(text):
    """An int or float from a number as a tool prints it (``'1,234.5'`` too)."""
    text = str(text).strip().replace(',', '')
    try:
        return int(text)
    except ValueError:
        return float(text)


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
    and adds the parsed metrics. Tools that write a separate results file (YAML, JSON) name it
    in ``result_file`` and it is pulled too, and parsed instead of the console output.
    """

    tool = None
    package = None
    #: Parameters holding free-form arguments for the tool (checked by ``validate``).
    argument_parameters = ()
    #: Name of a results file the tool writes in the target's working directory (or None).
    result_file = None
    #: Whether the tool needs root (priority, locked memory): run with sudo where available.
    run_as_root = False

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
        context.add_artifact('{}_{}'.format(self.name, name), filename, 'raw',
                             description=description)
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


def record_pid(pid_file):
    """Shell (ending in ``;``) run right after ``tool &``: writes ``<pid> <start time>`` of
    the tool to ``pid_file`` (a target path), for ``stop_recorded``."""
    return 'p=$!; echo "$p $({})" > {};'.format(target_shell.start_time('"$p"'),
                                                shlex.quote(pid_file))


def stop_recorded(pid_file):
    """Shell (ending in ``;``) that sends SIGTERM to the process ``record_pid`` wrote to
    ``pid_file`` only if it still runs: same pid and same start time. A pid the kernel has
    since given to another process (another run's tool, anything) is never signalled."""
    return 'if [ -f {f} ]; then read pid start < {f}; {kill} fi;'.format(
        f=shlex.quote(pid_file),
        kill=target_shell.if_same_process('"$pid"', '"$start"', 'kill -TERM "$pid" 2>/dev/null'))


def add_metrics(context, metrics):
    """Adds every parsed ``Metric`` to the current job's result."""
    for metric in metrics:
        context.add_metric(metric.name, metric.value, units=metric.units,
                           lower_is_better=metric.lower_is_better,
                           classifiers=metric.classifiers)


# -- building C programs on the target ------------------------------------------------------
_BUILD_CACHE = {}
COMPILERS = ('cc', 'gcc', 'clang')


def find_compiler(target, compiler=None, what='the program'):
    """The path of a C compiler on the target: ``compiler`` if given, else cc, gcc or clang."""
    for candidate in ([compiler] if compiler else COMPILERS):
        path = which(target, candidate)
        if path:
            return path
    raise NotSupportedError(
        '{} is not installed on the target, so {} cannot be built there; install the Debian '
        'package "gcc" (or give a prebuilt binary)'.format(
            compiler or 'no C compiler (cc, gcc or clang)', what))


def build_on_target(target, sources, name, compiler=None, cflags='', ldflags='', timeout=300,
                    what=None):
    """Compiles the host files ``sources`` (.c and headers) with the target's own compiler.

    Returns the path of the binary on the target, in its executables directory, named
    ``<name>-<hash>`` after the sources and flags. A build is done once per target, sources
    and flags within a run (a cache in this process); a later spec that asks for the same
    build reuses the binary while it is still on the target.
    """
    digest = hashlib.sha256()
    for path in sorted(sources):
        digest.update(os.path.basename(path).encode())
        with open(path, 'rb') as fh:
            digest.update(fh.read())
    digest.update('\0'.join([compiler or '', cflags or '', ldflags or '']).encode())
    tag = digest.hexdigest()[:12]
    key = (id(target), name, tag)
    cached = _BUILD_CACHE.get(key)
    if cached and target.file_exists(cached):
        return cached
    what = what or name
    cc = find_compiler(target, compiler, what=what)
    c_files = [os.path.basename(path) for path in sources if path.endswith('.c')]
    if not c_files:
        raise WorkloadError('no .c file among the sources of {}: {}'.format(
            what, ', '.join(sources)))
    build_dir = target.get_workpath('wa-build-{}-{}'.format(name, tag))
    binary = target.path.join(target.executables_directory, '{}-{}'.format(name, tag))
    target.execute('mkdir -p {}'.format(shlex.quote(build_dir)))
    try:
        for path in sources:
            target.push(path, target.path.join(build_dir, os.path.basename(path)))
        command = 'cd {} && {}'.format(shlex.quote(build_dir), shell_join(
            [cc] + split_args(cflags) + ['-o', binary] + c_files + split_args(ldflags)))
        execute(target, command, timeout=timeout, what='building {} with {}'.format(what, cc))
    finally:
        target.execute('rm -rf {}'.format(shlex.quote(build_dir)), check_exit_code=False)
    _BUILD_CACHE[key] = binary
    return binary


def install_binary(target, host_path, name, what=None):
    """Installs a prebuilt binary from the host with devlib; returns its path on the target."""
    if not os.path.isfile(host_path):
        raise NotSupportedError('the {} binary "{}" does not exist on the host'.format(
            what or name, host_path))
    return target.install(host_path, with_name=name)

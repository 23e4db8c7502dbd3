"""Builds the run's devlib target so that connecting costs only what the run uses.

* devlib's default modules (hotplug, cpufreq, cpuidle, cgroups, hwmon, and ``bl`` with a big
  core) are probed and loaded the first time something asks for them (``target.cpufreq``,
  ``target.has('hotplug')``), not at connect: a run that never changes a frequency never probes
  cpufreq. Modules named in ``device_config: modules`` are loaded at connect, as asked.
* Each run works in a directory of its own under the configured ``working_directory``, with
  its own ``bin`` (the ``executables_directory`` default), so that two runs on one target never
  rewrite each other's binaries, pid files or outputs.
* With ``WA_TARGET_COMMAND_LOG=<file>`` in the environment, every command, push and pull the
  framework and its plugins send to the target is appended to that file, one line each
  (``execute<TAB>command``); tests and ``bench/`` count commands with it.
"""
import logging
import os
import uuid

logger = logging.getLogger('target')

COMMAND_LOG = 'WA_TARGET_COMMAND_LOG'
RECORDED = ('execute', 'background', 'push', 'pull')


def run_directory_name():
    """A name no other run on the same target will pick: ``wa-run-<pid>-<8 hex digits>``."""
    return 'wa-run-{}-{}'.format(os.getpid(), uuid.uuid4().hex[:8])


def target_class(base, lazy_modules, executables_configured):
    """A subclass of the devlib target class ``base`` that works in a directory of the run's
    own and loads each module named in ``lazy_modules`` when it is first looked up; a module
    the target does not support stays absent (``has()`` is False, the attribute raises
    AttributeError)."""

    class RunTarget(base):  # pylint: disable=too-few-public-methods
        _lazy_modules = frozenset(lazy_modules)

        def __getattr__(self, name):
            state = self.__dict__
            if (name not in self._lazy_modules or name in state.get('_lazy_tried', ())
                    or not state.get('_lazy_ready')):
                raise AttributeError(name)
            state.setdefault('_lazy_tried', set()).add(name)
            try:
                self.install_module(name)
            except Exception as error:  # pylint: disable=broad-except
                logger.debug('devlib module "%s" is not available: %s', name, error)
            if name in state:
                return state[name]
            raise AttributeError(name)

        def _resolve_paths(self):
            super()._resolve_paths()
            if not self.__dict__.get('_run_directory'):  # not again on a reconnection
                self._run_directory = True
                _use_run_directory(self, executables_configured)

        def loaded_modules(self):
            """Names of the modules loaded so far."""
            return list(self._installed_modules)

    RunTarget.__name__ = base.__name__
    RunTarget.__qualname__ = base.__qualname__
    return RunTarget


def create(devlib, target_type, platform, **kwargs):
    """A devlib target of ``target_type`` (a TargetType), not yet connected."""
    base = getattr(devlib, target_type.devlib_class)
    lazy = ()
    if target_type.load_default_modules:
        lazy = list(base.default_modules) + (['bl'] if platform.big_core else [])
        lazy = [name for name in lazy if name not in (target_type.modules or ())]
    cls = target_class(base, lazy, bool(target_type.executables_directory))
    target = cls(platform=platform, modules=target_type.modules or None,
                 load_default_modules=False, connect=False,
                 working_directory=target_type.working_directory,
                 executables_directory=target_type.executables_directory, **kwargs)
    log = os.environ.get(COMMAND_LOG)
    if log:
        record_commands(target, log)
    return target


def ready(target):
    """Lets lazy modules load from now on (connect has put busybox on the target)."""
    target.__dict__['_lazy_ready'] = True


def _use_run_directory(target, executables_configured):
    """Points ``target`` at a directory of this run's under the working directory devlib
    resolved (the configured one or devlib's default), with ``bin`` inside it unless
    ``executables_directory`` was configured."""
    base = target.working_directory
    target.working_directory = target.path.join(base, run_directory_name())
    target._file_transfer_cache = target.path.join(  # pylint: disable=protected-access
        target.working_directory, '.file-cache')
    if not executables_configured:
        target.executables_directory = target.path.join(target.working_directory, 'bin')
    logger.debug('Working directory on the target: %s', target.working_directory)


def record_commands(target, path):
    """Wraps every connection ``target`` opens so that each command, push and pull is
    appended to ``path``."""
    original = target.get_connection

    def get_connection(*args, **kwargs):
        connection = original(*args, **kwargs)
        for name in RECORDED:
            method = getattr(connection, name, None)
            if method is not None:
                setattr(connection, name, _recording(method, name, path))
        return connection

    target.get_connection = get_connection


def _recording(method, name, path):
    def call(*args, **kwargs):
        what = args[0] if args else kwargs.get('command', kwargs.get('sources', ''))
        if isinstance(what, (list, tuple)):
            what = ' '.join(str(item) for item in what)
        with open(path, 'a', encoding='utf-8') as fh:
            fh.write('{}\t{}\n'.format(name, str(what).replace('\n', '\\n')))
        return method(*args, **kwargs)
    return call

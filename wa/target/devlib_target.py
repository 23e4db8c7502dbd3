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
import importlib
import importlib.machinery
import importlib.util
import logging
import os
import sys
import types
import uuid
import warnings

logger = logging.getLogger('target')

COMMAND_LOG = 'WA_TARGET_COMMAND_LOG'
RECORDED = ('execute', 'background', 'push', 'pull')


# Loaded only when first used instead of at ``import devlib``: pandas and numpy (for an
# instrument WA never uses, baylibre_acme: about half of the time of ``import devlib``),
# invoke (paramiko's, only for ``Match exec`` in an OpenSSH config file: 50 ms), lxml (for
# devlib's APK parser) and the standard library's modules that python-future imports (for
# devlib's netstats instrument) only to be sure that they are loaded: 20-30 ms.
_DEFERRED = ('pandas', 'numpy', 'invoke', 'lxml.etree', 'html', 'http', 'socketserver',
             'test', 'tkinter', 'xmlrpc', '_markupbase')


class _Deferred(types.ModuleType):
    """Stands in ``sys.modules`` for a module not loaded yet; the first attribute read loads
    the real module, which then takes its place (this object keeps a copy of its names)."""

    def __getattr__(self, attr):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        self.__dict__.update(real.__dict__)
        return getattr(real, attr)


# devlib's SSH transport: ``import devlib`` imports it (and paramiko, scp and pexpect with it:
# 60-130 ms) only to bind these classes; a run on another transport never uses them.
_SSH_MODULE = 'devlib.utils.ssh'
_SSH_CLASSES = ('SshConnection', 'TelnetConnection', 'Gem5Connection', 'AndroidGem5Connection',
                'LinuxGem5Connection')


class _LazyClass:
    """Stands for a class of a module not imported yet: calling it, reading an attribute of
    it or deriving a class from it imports the module and acts on the real class;
    ``isinstance``/``issubclass`` answer False while the module is not imported (nothing can
    be an instance yet)."""

    def __init__(self, module, name):
        self._where = (module, name)

    def _real(self):
        module, name = self._where
        return getattr(importlib.import_module(module), name)

    def __call__(self, *args, **kwargs):
        return self._real()(*args, **kwargs)

    def __getattr__(self, attr):
        if attr == '_where' or attr.startswith('__') and attr not in ('__name__', '__doc__'):
            raise AttributeError(attr)
        return getattr(self._real(), attr)

    def __instancecheck__(self, obj):
        return self._where[0] in sys.modules and isinstance(obj, self._real())

    def __subclasscheck__(self, cls):
        return self._where[0] in sys.modules and issubclass(cls, self._real())

    def __mro_entries__(self, bases):
        return (self._real(),)

    def __repr__(self):
        return '<class {}.{} (not imported yet)>'.format(*self._where)


class _LazySshModule(types.ModuleType):
    """``devlib.utils.ssh`` while devlib is imported: its classes as _LazyClass; any other
    name imports the real module."""

    def __getattr__(self, name):
        if name in _SSH_CLASSES:
            return _LazyClass(_SSH_MODULE, name)
        if name.startswith('__'):
            raise AttributeError(name)
        return getattr(_import_real(_SSH_MODULE), name)


def _import_real(name):
    if isinstance(sys.modules.get(name), _LazySshModule):
        del sys.modules[name]
    return importlib.import_module(name)


def import_devlib():
    """``import devlib`` without paying at start-up for what a run does not use: pandas, numpy
    and invoke load when first used, devlib's SSH transport (paramiko) when an SSH connection
    is made, and devlib's ``distutils`` is Python's own where it still exists (setuptools'
    copy, put first by its start-up hook, costs half a second). Local commands are spawned
    without forking the interpreter (_spawn_without_fork), also when something (a WA3 plugin,
    say) imported devlib before."""
    devlib = sys.modules.get('devlib') or _import_lightly()
    _spawn_without_fork(sys.modules['devlib.utils.misc'], sys.modules.get('devlib.utils.android'))
    return devlib


def _import_lightly():
    """``import devlib`` with the stand-ins above, which leave sys.modules afterwards."""
    for name in _DEFERRED:
        if name not in sys.modules and importlib.util.find_spec(name) is not None:
            sys.modules[name] = _Deferred(name)
            sys.modules[name].__spec__ = importlib.machinery.ModuleSpec(name, None)
    hack = getattr(sys.modules.get('_distutils_hack'), 'DISTUTILS_FINDER', None)
    moved = sys.version_info < (3, 12) and hack in sys.meta_path
    if moved:
        sys.meta_path.remove(hack)
    if _SSH_MODULE not in sys.modules:
        sys.modules[_SSH_MODULE] = _LazySshModule(_SSH_MODULE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)
            import devlib  # pylint: disable=import-outside-toplevel
    finally:
        if moved:
            sys.meta_path.insert(0, hack)
        # from now on, ``import`` of any of them is the real one (devlib keeps its stand-ins)
        for name in _DEFERRED + (_SSH_MODULE,):
            if isinstance(sys.modules.get(name), (_Deferred, _LazySshModule)):
                del sys.modules[name]
    return devlib


def _spawn_without_fork(misc, *importers):
    """devlib starts each local command (and each adb or scp helper) with
    ``preexec_fn=os.setpgrp``, which makes Python fork the whole interpreter: 5-15 ms per
    command once a run has loaded its plugins. ``process_group=0`` (Python 3.11) makes the
    child the same process group leader without a Python callback, so that Python can use
    vfork (about 1 ms). Done only where devlib's callback is that ``os.setpgrp()`` and nothing
    else; ``importers`` are the modules that imported devlib's function by name."""
    preexec = getattr(misc, 'preexec_function', None)
    if sys.version_info < (3, 11) or preexec is None or \
            preexec.__code__.co_names != ('os', 'setpgrp'):
        return
    original = misc.get_subprocess
    if getattr(original, 'spawns_without_fork', False):
        return
    import subprocess  # pylint: disable=import-outside-toplevel

    def get_subprocess(command, **kwargs):
        if 'stdout' in kwargs:
            raise ValueError('stdout argument not allowed, it will be overridden.')
        with misc.check_output_lock:
            return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    stdin=subprocess.PIPE, process_group=0, **kwargs)

    get_subprocess.spawns_without_fork = True
    for module in (misc,) + importers:
        if module is not None and getattr(module, 'get_subprocess', None) is original:
            module.get_subprocess = get_subprocess


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
    ``executables_directory`` was configured. On Android the working directory is on external
    storage, where nothing may be executed: binaries go to a directory of the run's under
    devlib's own executables directory (``/data/local/tmp/bin``)."""
    name = run_directory_name()
    target.working_directory = target.path.join(target.working_directory, name)
    target._file_transfer_cache = target.path.join(  # pylint: disable=protected-access
        target.working_directory, '.file-cache')
    if target.os == 'android' and not executables_configured:
        target.executables_directory = target.path.join(target.executables_directory, name)
    elif not executables_configured:
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

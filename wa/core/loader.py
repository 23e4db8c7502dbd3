"""Finding plugins: built-in packages, the user directory, extra paths and installed packages.

Modules are imported on first use, so commands that need no plugins (``wa --version``) pay nothing.
A module that fails to import is reported with its path and skipped; the others still load.
"""
import hashlib
import importlib
import importlib.machinery
import importlib.util
import inspect
import logging
import os
import pkgutil
import sys

from wa.core.exceptions import NotFoundError
from wa.core.naming import did_you_mean, identifier
from wa.core.plugin import Plugin
from wa.core.settings import user_plugin_paths

logger = logging.getLogger('loader')

BUILTIN_PACKAGES = ('wa.commands', 'wa.workloads', 'wa.instruments', 'wa.processors')
BUILTIN_MODULES = ('wa.target.connection',)
ENTRY_POINT_GROUP = 'wa.plugins'
KINDS = ('workload', 'instrument', 'result_processor', 'command', 'target')
KIND_ALIASES = {'workloads': 'workload', 'instruments': 'instrument',
                'result_processors': 'result_processor', 'processors': 'result_processor',
                'output_processors': 'result_processor', 'commands': 'command',
                'targets': 'target', 'devices': 'target'}


def kind_of(name):
    """``'workloads'`` -> ``'workload'``; None for an unknown kind."""
    key = identifier(name)
    return key if key in KINDS else KIND_ALIASES.get(key)


def may_declare_entry_points(group):
    """False only when no distribution installed on ``sys.path`` can declare an entry point of
    ``group``: the ``entry_points.txt`` of every ``*.dist-info`` and ``*.egg-info`` directory
    is searched for the group's name. This spares importing ``importlib.metadata`` and its
    e-mail parser (about 30 ms) when there is nothing to find. What this scan does not read (a
    zip archive or ``.egg`` on ``sys.path``, a finder of distributions other than Python's
    path finder) counts as "maybe", and ``importlib.metadata`` decides."""
    if any(hasattr(finder, 'find_distributions') and finder is not importlib.machinery.PathFinder
           for finder in sys.meta_path):
        return True
    for entry in sys.path:
        path = entry or '.'
        if not os.path.isdir(path) or path.lower().endswith('.egg'):
            if os.path.exists(path):
                return True
            continue
        try:
            names = os.listdir(path)
        except OSError:
            continue
        for name in names:
            if name.lower().endswith(('.dist-info', '.egg-info')) and \
                    group in _read_text(os.path.join(path, name, 'entry_points.txt')):
                return True
    return False


def _read_text(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as fh:
            return fh.read()
    except OSError:
        return ''


class PluginLoader:
    """Knows every plugin class by kind and name (names compared with ``-`` equal to ``_``)."""

    def __init__(self, extra_paths=(), use_user_directory=True, use_entry_points=True,
                 packages=BUILTIN_PACKAGES, modules=BUILTIN_MODULES):
        self.paths = (user_plugin_paths() if use_user_directory else []) + list(extra_paths)
        self.use_entry_points = use_entry_points
        self.packages = packages
        self.modules = modules
        self._registry = None
        self.errors = []

    @property
    def registry(self):
        if self._registry is None:
            self._registry = {kind: {} for kind in KINDS}
            self._load_all()
        return self._registry

    def _load_all(self):
        for package_name in self.packages:
            package = importlib.import_module(package_name)
            for info in pkgutil.iter_modules(package.__path__):
                if not info.name.startswith('_'):
                    self._import_module('{}.{}'.format(package_name, info.name))
        for module_name in self.modules:
            self._import_module(module_name)
        for path in self.paths:
            self._load_path(path)
        if self.use_entry_points:
            self._load_entry_points()

    def _import_module(self, module_name):
        try:
            module = importlib.import_module(module_name)
        except Exception as error:  # pylint: disable=broad-except
            self._report(module_name, error)
            return
        self._register_module(module)

    def _load_path(self, path):
        if os.path.isfile(path) and path.endswith('.py'):
            self._load_file(path)
            return
        if not os.path.isdir(path):
            return
        for entry in sorted(os.listdir(path)):
            full = os.path.join(path, entry)
            if entry.startswith(('_', '.')):
                continue
            if entry.endswith('.py') and os.path.isfile(full):
                self._load_file(full)
            elif os.path.isfile(os.path.join(full, '__init__.py')):
                self._load_file(os.path.join(full, '__init__.py'), package_dir=full)

    def _load_file(self, path, package_dir=None):
        digest = hashlib.sha1(os.path.abspath(path).encode()).hexdigest()[:10]
        stem = os.path.basename(package_dir or path[:-3])
        module_name = 'wa_user_plugins.{}_{}'.format(identifier(stem), digest)
        try:
            spec = importlib.util.spec_from_file_location(
                module_name, path,
                submodule_search_locations=[package_dir] if package_dir else None)
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        except Exception as error:  # pylint: disable=broad-except
            sys.modules.pop(module_name, None)
            self._report(path, error)
            return
        self._register_module(module)

    def _load_entry_points(self):
        if not may_declare_entry_points(ENTRY_POINT_GROUP):
            return
        from importlib.metadata import entry_points  # pylint: disable=import-outside-toplevel
        for entry in entry_points(group=ENTRY_POINT_GROUP):
            try:
                loaded = entry.load()
            except Exception as error:  # pylint: disable=broad-except
                self._report('entry point {}'.format(entry.value), error)
                continue
            if inspect.ismodule(loaded):
                self._register_module(loaded)
            else:
                self._register(loaded, entry.value)

    def _report(self, where, error):
        if isinstance(error, SyntaxError):
            message = 'Could not load plugins from {}: syntax error at line {}: {}'.format(
                where, error.lineno, error.msg)
        else:
            message = 'Could not load plugins from {}: {}: {}'.format(
                where, type(error).__name__, error)
        self.errors.append(message)
        logger.warning(message)

    def _register_module(self, module):
        """Registers the plugins a module defines (a package: also those it imports from its
        own submodules)."""
        is_package = hasattr(module, '__path__')
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__ or (
                    is_package and obj.__module__.startswith(module.__name__ + '.')):
                self._register(obj, getattr(module, '__file__', module.__name__))

    def _register(self, cls, source):
        if not (issubclass(cls, Plugin) and cls.name and cls.kind in KINDS):
            return
        table = self._registry[cls.kind]
        for name in (cls.name,) + tuple(cls.aliases):
            key = identifier(name)
            existing = table.get(key)
            if existing is not None and existing is not cls:
                message = '{} "{}" from {} is ignored: that name is already taken by {}'.format(
                    cls.kind, name, source, existing.__module__)
                self.errors.append(message)
                logger.warning(message)
                continue
            table[key] = cls

    @classmethod
    def commands_only(cls):
        """A loader of the built-in commands alone, for building the command line quickly."""
        return cls(use_user_directory=False, use_entry_points=False,
                   packages=('wa.commands',), modules=())

    def list(self, kind):
        """Every plugin class of ``kind``, sorted by name, each once."""
        unique = {cls.name: cls for cls in self.registry[kind].values()}
        return [unique[name] for name in sorted(unique)]

    def has(self, kind, name):
        return identifier(name) in self.registry[kind]

    def get_class(self, kind, name):
        """The class of the ``kind`` plugin called ``name``; NotFoundError suggests the closest."""
        cls = self.registry[kind].get(identifier(name))
        if cls is None:
            label = kind.replace('_', ' ')
            raise NotFoundError('Unknown {} "{}"{}'.format(
                label, name, did_you_mean(name, [c.name for c in self.list(kind)])))
        return cls

    def find(self, name):
        """The plugin class called ``name``, whatever its kind; NotFoundError if none."""
        for kind in KINDS:
            cls = self.registry[kind].get(identifier(name))
            if cls is not None:
                return cls
        every = [c.name for kind in KINDS for c in self.list(kind)]
        raise NotFoundError('Unknown plugin "{}"{}'.format(name, did_you_mean(name, every)))

    def kind_of_name(self, name):
        """The kind of the plugin called ``name``, or None."""
        return next((kind for kind in KINDS if identifier(name) in self.registry[kind]), None)

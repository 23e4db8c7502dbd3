"""The Plugin base: a named class with declared parameters that users can configure."""
import inspect
import logging

from wa.core.exceptions import ConfigError
from wa.core.naming import identifier, shown
from wa.core.parameter import Parameter, inherit, resolve


_RESERVED = ('name', 'kind', 'description', 'parameters', 'aliases', 'target', 'logger')


def _is_reserved(namespace, name):
    """True if ``name`` in a class namespace is a method, property or framework attribute that
    a parameter value must not replace."""
    if name in _RESERVED:
        return True
    attr = namespace.get(name)
    return callable(attr) or isinstance(attr, (property, classmethod, staticmethod))


class Alias(str):
    """Another name for a plugin, optionally with parameter values it implies (WA3):
    ``aliases = [Alias('dhrystone_long', duration=60)]``."""

    def __new__(cls, name, **params):
        alias = super().__new__(cls, name)
        alias.params = params
        return alias


class Plugin:
    """Every workload, instrument, result processor, command and target type is a Plugin.

    Subclasses set ``name``, ``description`` and ``parameters``. Parameters are inherited: a
    subclass lists only what it adds; redeclaring an inherited one needs ``override=True`` and
    changes only the attributes it gives (WA3's rules).
    """

    kind = None
    name = None
    description = ''
    parameters = []
    aliases = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        merged = {}
        for base in reversed(cls.__mro__[1:]):
            for param in base.__dict__.get('_merged_parameters', []):
                merged[param.name] = param
        for param in cls.__dict__.get('parameters', []):
            if not isinstance(param, Parameter):
                raise TypeError('{}: parameters must be Parameter objects, got {!r}'.format(
                    cls.__name__, param))
            merged[param.name] = inherit(param, merged.get(param.name), cls.__name__)
        cls._merged_parameters = list(merged.values())
        cls.parameters = cls._merged_parameters
        for name in merged:
            clash = next((base for base in cls.__mro__ if _is_reserved(base.__dict__, name)), None)
            if clash is not None:
                raise TypeError('{}: parameter "{}" would hide the attribute of that name '
                                'defined by {}; rename the parameter'.format(
                                    cls.__name__, name, clash.__name__))

    def __init__(self, target=None, **config):
        self.target = target
        self.logger = logging.getLogger(self.name or type(self).__name__)
        values = self.resolve_config(config)
        for param in self.parameters:
            setattr(self, identifier(param.name), values[param.name])

    @property
    def device(self):
        """The connected target (WA2's name for it)."""
        return self.target

    @classmethod
    def resolve_config(cls, config):
        """Maps user config (names or aliases) onto converted values for every parameter."""
        return resolve(cls.parameters, config, cls.name)

    @classmethod
    def get_parameter(cls, name):
        """The parameter called ``name`` (or one of its aliases), or None."""
        for param in cls.parameters:
            if identifier(name) in (identifier(n) for n in param.names()):
                return param
        return None

    def validate(self):
        """Checks the configuration as a whole; raise ConfigError to reject it before the run."""

    def parameter_values(self):
        """This plugin's parameter values, as written to ``__meta/config.json``."""
        return {param.name: getattr(self, identifier(param.name), None)
                for param in self.parameters}

    def __str__(self):
        return self.name or type(self).__name__


def create(cls, config):
    """An instance of plugin class ``cls`` configured by the mapping ``config``, not yet bound to
    a target. A constructor written the WA3 way, ``__init__(self, target, **kwargs)``, is given
    ``target=None``. Raises ConfigError: a setting name that is not a string (``key`` set to it),
    a rejected value, or one line naming the class, its file and the cause when the constructor
    itself fails."""
    bad = next((key for key in config if not isinstance(key, str)), None)
    if bad is not None:
        error = ConfigError('Unexpected config {} for "{}": setting names are words'.format(
            shown(bad), cls.name))
        error.key = bad
        raise error
    try:
        if _takes_target(cls):
            return cls(None, **config)
        return cls(**config)
    except ConfigError:
        raise
    except (Exception, SystemExit) as error:  # pylint: disable=broad-except
        raise ConfigError('{} "{}" (class {} in {}) cannot be created: {}: {}'.format(
            (cls.kind or 'plugin').replace('_', ' '), cls.name, cls.__qualname__,
            _source_file(cls), type(error).__name__, error))


def configured(cls, config):
    """``create``, then the plugin's own ``validate``; any error either raises is a ConfigError
    naming the plugin."""
    plugin = create(cls, config)
    try:
        plugin.validate()
    except ConfigError:
        raise
    except AttributeError:
        if plugin.target is not None:
            raise
        validate_when_connected(plugin)
    except (Exception, SystemExit) as error:  # pylint: disable=broad-except
        raise ConfigError('{} "{}" rejected its configuration: {}: {}'.format(
            plugin.kind.replace('_', ' '), plugin.name, type(error).__name__, error))
    return plugin


def create_configured(loader, run_config, kind, name):
    """The ``kind`` plugin called ``name``, configured with its run-wide block of ``run_config``
    (a RunConfiguration) and validated, the way every command builds the plugins of a run;
    a ConfigError points at the block's file and line, else where the plugin was enabled."""
    try:
        return configured(loader.get_class(kind, name), run_config.plugin_config.get(name, {}))
    except ConfigError as error:
        raise plugin_error(run_config.where(name, error.key) or run_config.where(name) or
                           run_config.enabled_at.get(name), error)


def plugin_error(where, error):
    """``error`` prefixed with ``file:line``, when it is known."""
    return ConfigError('{}: {}'.format(where, error)) if where else ConfigError(str(error))


def _takes_target(cls):
    """True if the constructor accepts a positional argument (the target, as in WA3)."""
    try:
        parameters = list(inspect.signature(cls).parameters.values())
    except (TypeError, ValueError):
        return False
    return bool(parameters) and parameters[0].kind in (
        inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.VAR_POSITIONAL)


def _source_file(cls):
    try:
        return inspect.getsourcefile(cls) or cls.__module__
    except TypeError:
        return cls.__module__


def validate_when_connected(plugin):
    """Runs ``plugin.validate()`` again at the start of its ``initialize``, once the target is
    connected: WA3 plugins may use ``self.target`` in ``validate``, which here runs before
    connecting (where it raised AttributeError)."""
    initialize = plugin.initialize

    def validate_then_initialize(context):
        plugin.validate()
        return initialize(context)
    plugin.initialize = validate_then_initialize

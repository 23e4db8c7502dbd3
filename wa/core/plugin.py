"""The Plugin base: a named class with declared parameters that users can configure."""
import logging

from wa.core.naming import identifier
from wa.core.parameter import Parameter, resolve


_RESERVED = ('name', 'kind', 'description', 'parameters', 'aliases', 'target', 'logger')


def _is_reserved(namespace, name):
    """True if ``name`` in a class namespace is a method, property or framework attribute that
    a parameter value must not replace."""
    if name in _RESERVED:
        return True
    attr = namespace.get(name)
    return callable(attr) or isinstance(attr, (property, classmethod, staticmethod))


class Plugin:
    """Every workload, instrument, result processor, command and target type is a Plugin.

    Subclasses set ``name``, ``description`` and ``parameters``. Parameters are inherited: a
    subclass lists only what it adds, and a parameter with an inherited name replaces it.
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
            merged[param.name] = param
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
            setattr(self, param.name, values[param.name])

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

    def config(self):
        """This plugin's parameter values, as written to ``__meta/config.json``."""
        return {param.name: getattr(self, param.name, None) for param in self.parameters}

    def __str__(self):
        return self.name or type(self).__name__

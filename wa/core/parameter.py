"""``Parameter``: one named, typed, validated setting of a plugin."""
import copy
import inspect
import re

from wa.core import types
from wa.core.exceptions import ConfigError, ParameterError
from wa.core.naming import did_you_mean, identifier, shown
from wa.core.secrets import MASK, is_secret_name

_KIND_CONVERTERS = {bool: types.boolean, int: types.integer, list: types.list_of_str,
                    dict: types.dict_of_str}


class Parameter:
    """Describes a plugin setting: how to convert it and what makes a value acceptable.

    ``kind`` is any callable that turns a raw value into the right type (``int``, ``float``,
    ``bool``, ``str``, ``wa.types.list_of_str``, ...). ``global_alias`` names a top-level config
    key that sets this parameter too. ``secret`` (a password, a token) keeps the value out of
    the files a run writes and out of messages.
    """

    def __init__(self, name, kind=None, default=None, mandatory=None, allowed_values=None,
                 constraint=None, aliases=None, description=None, global_alias=None,
                 override=False, secret=False):
        self.name = name
        self.kind = kind if kind is not None else (type(default) if default is not None else str)
        self.default = default
        self.mandatory = bool(mandatory)
        self.allowed_values = allowed_values
        self.constraint = constraint
        self.aliases = list(aliases or [])
        self.description = description or ''
        self.global_alias = global_alias
        self.override = override
        self.secret = secret
        self.given = {key for key, value in (('default', default), ('mandatory', mandatory))
                      if value is not None}
        self.given |= {key for key, value in (
            ('kind', kind),
            ('allowed_values', allowed_values), ('constraint', constraint), ('aliases', aliases),
            ('description', description), ('global_alias', global_alias)) if value}
        if allowed_values and default is not None:
            defaults = default if isinstance(default, list) else [default]
            if any(value not in allowed_values for value in defaults):
                raise TypeError('Parameter "{}": default {!r} is not one of its allowed values '
                                '{!r}'.format(name, default, allowed_values))

    def names(self):
        """The name and every alias: any of them may set this parameter."""
        return [self.name] + self.aliases

    def convert(self, value, owner='plugin'):
        """Returns ``value`` converted to this parameter's kind, or raises ParameterError."""
        if value is None:
            return None
        converter = _KIND_CONVERTERS.get(self.kind, self.kind)
        try:
            converted = converter(value)
        except (ValueError, TypeError) as error:
            raise ParameterError('Bad value {} for parameter "{}" of "{}": expected {} ({})'.format(
                self._shown(value), self.name, owner, types.kind_name(self.kind),
                MASK if self._is_secret() else error))
        self._check_allowed(converted, owner)
        if self.constraint is not None and not self.constraint(converted):
            raise ParameterError('Value {} for parameter "{}" of "{}" is not valid: it must '
                                 'satisfy {}'.format(self._shown(converted), self.name, owner,
                                                     describe_constraint(self.constraint)))
        return converted

    def _check_allowed(self, value, owner):
        if not self.allowed_values:
            return
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item not in self.allowed_values:
                raise ParameterError('Value {} for parameter "{}" of "{}" is not allowed; '
                                     'allowed values: {}'.format(
                                         self._shown(item), self.name, owner,
                                         ', '.join(str(v) for v in self.allowed_values)))

    def _is_secret(self):
        return self.secret or is_secret_name(self.name)

    def _shown(self, value):
        """``value`` for a message: escaped, cut short, or masked if this parameter is secret."""
        return MASK if self._is_secret() else shown(value)

    def __repr__(self):
        return 'Parameter({!r}, kind={}, default={!r})'.format(
            self.name, types.kind_name(self.kind), self.default)


def inherit(param, inherited, owner):
    """``param`` as declared in class ``owner``, given the ``inherited`` parameter of that name
    (or None). Redeclaring without ``override=True`` is a TypeError; an override keeps every
    attribute of the inherited parameter that it does not set itself."""
    if inherited is None:
        if param.override:
            raise TypeError('{}: parameter "{}" has override=True but no base class declares '
                            'it'.format(owner, param.name))
        return param
    if not param.override:
        raise TypeError('{}: parameter "{}" is already declared by a base class; redeclare it '
                        'with override=True to change it'.format(owner, param.name))
    merged = copy.copy(inherited)
    for attribute in param.given:
        setattr(merged, attribute, getattr(param, attribute))
    merged.given = inherited.given | param.given
    merged.override = True
    return merged


def describe_constraint(constraint):
    """The condition a constraint checks, as written (``v >= 0``), for error messages."""
    described = getattr(constraint, 'description', None)
    if described:
        return described
    try:
        source = inspect.getsource(constraint)
    except (OSError, TypeError):
        return 'its constraint'
    match = re.search(r'lambda\s*\w*\s*:', source)
    if not match:
        return '{}()'.format(getattr(constraint, '__name__', 'its constraint'))
    depth, end = 0, len(source)
    for index in range(match.end(), len(source)):
        char = source[index]
        if char in '([{':
            depth += 1
        elif char in ')]}':
            if depth == 0:
                end = index
                break
            depth -= 1
        elif (char == ',' and depth == 0) or char == '\n':
            end = index
            break
    return '"{}"'.format(' '.join(source[match.end():end].split()))


def resolve(parameters, config, owner):
    """Maps ``config`` (keyed by parameter names or aliases, ``-`` equal to ``_``) onto a converted
    value for every parameter, applying defaults; raises ConfigError naming ``owner``."""
    by_name = {}
    for param in parameters:
        for alias in param.names():
            by_name[identifier(alias)] = param
    given = {}
    for key, value in (config or {}).items():
        param = by_name.get(identifier(key))
        if param is None:
            error = ConfigError('Unexpected config "{}" for "{}"{}'.format(
                key, owner, did_you_mean(key, [p.name for p in parameters])))
            error.key = key
            raise error
        if param.name in given:
            raise ConfigError('Parameter "{}" of "{}" is given twice (through an alias)'.format(
                param.name, owner))
        given[param.name] = value
    values = {}
    for param in parameters:
        if given.get(param.name) is not None:
            try:
                values[param.name] = param.convert(given[param.name], owner)
            except ParameterError as error:
                error.key = next(k for k in config if by_name.get(identifier(k)) is param)
                raise
        elif param.mandatory:
            raise ParameterError('Mandatory parameter "{}" of "{}" is not set'.format(
                param.name, owner))
        else:
            values[param.name] = _default_value(param)
    return values


def _default_value(param):
    """A copy of ``param``'s default; a default that is not yet of a class kind (WA3's
    ``kind=cpu_mask, default=0``) is converted, as WA3 does."""
    value = copy.deepcopy(param.default)
    kind = param.kind
    if (value is not None and isinstance(kind, type) and kind.__module__ != 'builtins'
            and not isinstance(value, kind)):
        value = kind(value)
    return value

"""Kind converters for plugin parameters: each takes a raw value and returns a clean one."""
import re


def boolean(value):
    """``True``/``False`` from YAML booleans, numbers and words like ``yes``/``off``."""
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ('yes', 'y', 'true', 't', 'on', '1'):
            return True
        if lowered in ('no', 'n', 'false', 'f', 'off', '0', ''):
            return False
        raise ValueError('"{}" is not a boolean'.format(value))
    return bool(value)


def integer(value):
    """An int; refuses fractions instead of silently truncating them."""
    if isinstance(value, bool):
        raise ValueError('"{}" is not an integer'.format(value))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError('"{}" is not an integer'.format(value))
        return int(value)
    return int(str(value).strip(), 0) if isinstance(value, str) else int(value)


def numeric(value):
    """An int where the value is whole, a float otherwise."""
    number = float(value)
    return int(number) if number.is_integer() and not isinstance(value, float) else number


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in re.split(r'\s*,\s*', value.strip()) if part]
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


def list_of_str(value):
    """A list of strings; a comma-separated string or a single value becomes a list."""
    return [str(item) for item in _as_list(value)]


list_of_strings = list_of_str


def list_of_paths(value):
    """A list of paths: one path or a list of them, each a string (a number is not a path)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError('expected a path or a list of paths')
    return list(items)


def list_of_ints(value):
    """A list of ints; accepts ``"1,2,3"`` too."""
    return [integer(item) for item in _as_list(value)]


list_of_integers = list_of_ints


def list_of_numbers(value):
    """A list of ints or floats."""
    return [numeric(item) for item in _as_list(value)]


def list_of(kind, name=None):
    """A converter for a list whose items are each converted by ``kind``."""
    def convert(value):
        return [kind(item) for item in _as_list(value)]
    convert.__name__ = name or 'list_of_{}'.format(getattr(kind, '__name__', 'values'))
    return convert


def dict_of_str(value):
    """A mapping with string keys."""
    if not isinstance(value, dict):
        raise ValueError('expected a mapping, got "{}"'.format(value))
    return {str(key): item for key, item in value.items()}


def kind_name(kind):
    """How a kind is shown to users: ``int``, ``list_of_str``, ..."""
    return getattr(kind, '__name__', str(kind))

"""Parameter kinds under the names WA3 plugins use (``wa.utils.types``).

Most are this project's converters (``wa.core.types``) under WA3's names; ``cpu_mask`` and
``caseless_string`` are WA3 value types of their own.
"""
import re

from wa.core.types import (boolean, dict_of_str, integer, list_of, list_of_ints,  # noqa: F401
                           list_of_integers, list_of_numbers, list_of_str, list_of_strings,
                           numeric)
from wa.core.naming import identifier  # noqa: F401

list_of_strs = list_of_str
list_of_bools = list_of(boolean, 'list_of_bools')


def list_or_string(value):
    """A list stays a list (of strings); anything else becomes one string."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value)


def list_or_integer(value):
    """A list of ints, or one int."""
    if isinstance(value, (list, tuple)):
        return [integer(v) for v in value]
    return integer(value)


def list_or_bool(value):
    if isinstance(value, (list, tuple)):
        return [boolean(v) for v in value]
    return boolean(value)


def list_or(kind):
    def convert(value):
        if isinstance(value, (list, tuple)):
            return [kind(v) for v in value]
        return kind(value)
    convert.__name__ = 'list_or_{}'.format(getattr(kind, '__name__', 'value'))
    return convert


class caseless_string(str):  # pylint: disable=invalid-name
    """A string that compares equal ignoring case."""

    def __eq__(self, other):
        return self.lower() == str(other).lower()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self.lower())


class cpu_mask:  # pylint: disable=invalid-name
    """A set of CPUs from a bit mask (``3``, ``"0x3"``), a list (``[0, 1]``) or a list string
    (``"0,1"``, ``"0-3"``). ``mask()`` gives ``0x..``, ``list()`` the CPU numbers."""

    def __init__(self, cpus):
        if isinstance(cpus, cpu_mask):
            self._mask = cpus._mask
        elif isinstance(cpus, int):
            self._mask = cpus
        elif isinstance(cpus, (list, tuple, set)):
            self._mask = sum(1 << integer(c) for c in cpus)
        elif isinstance(cpus, str):
            self._mask = self._parse(cpus.strip())
        else:
            raise ValueError('cannot make a CPU mask of {!r}'.format(cpus))

    @staticmethod
    def _parse(text):
        if not text:
            return 0
        if text.startswith('0x'):
            return int(text, 16)
        mask = 0
        for part in re.split(r'\s*,\s*', text):
            low, _, high = part.partition('-')
            for cpu in range(int(low), int(high or low) + 1):
                mask |= 1 << cpu
        return mask

    def mask(self, prefix=True):
        return '{}{:x}'.format('0x' if prefix else '', self._mask)

    def list(self):
        return [cpu for cpu in range(self._mask.bit_length()) if self._mask >> cpu & 1]

    def __bool__(self):
        return self._mask != 0

    def __str__(self):
        return self.mask()

    __repr__ = __str__

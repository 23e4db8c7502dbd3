"""Numbers and sizes as tools and kernel files print them (text in, number out).

Pure functions: no target, no devlib.
"""
import re

_THOUSANDS = re.compile(r'^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$')
_SIZE = re.compile(r'^\s*([0-9]+)\s*([kKmMgG]?)(?:i?[bB])?\s*$')
_SIZE_FACTORS = {'': 1, 'k': 1024, 'm': 1024 ** 2, 'g': 1024 ** 3}
_RAISE = object()


def to_number(text, default=_RAISE):
    """An int where ``text`` is a whole number, else a float.

    ``' 42\\n'`` -> ``42``, ``'-1.5'`` -> ``-1.5``, ``'1,234.5'`` -> ``1234.5`` (commas are
    taken as thousands separators only where they group digits by three, so ``'0,1'`` is no
    number). An int or float is returned as it is. When ``text`` is no number: ``default`` if
    one is given (``to_number(word, None)`` to test a word), else ValueError.
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return text
    text = str(text).strip()
    if _THOUSANDS.match(text):
        text = text.replace(',', '')
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        if default is _RAISE:
            raise ValueError('"{}" is not a number'.format(text)) from None
        return default


def byte_size(value):
    """Bytes (an int) from ``4096``, ``'64K'``, ``'5M'`` or ``'1GiB'``: K, M and G are powers
    of 1024, a trailing ``B``/``iB`` is allowed. ValueError for anything else (a bool, a
    negative or fractional size, an unknown suffix)."""
    if isinstance(value, bool):
        raise ValueError('"{}" is not a size'.format(value))
    if isinstance(value, int):
        return value
    match = _SIZE.match(str(value))
    if not match:
        raise ValueError('"{}" is not a size such as 4096, 64K or 5M'.format(value))
    return int(match.group(1)) * _SIZE_FACTORS[match.group(2).lower()]

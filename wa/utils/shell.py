"""Command lines for the target's shell, with every value quoted (POSIX ``sh``).

Anything a user or a file gives reaches the target's shell only through these (or
``shlex.quote``), so that it is never run as code. Pure functions: no target, no devlib.
"""
import re
import shlex

# Only plain bracket expressions ([0-9], [!a-c]) stay unquoted: anything else in brackets
# (spaces, ;, $, quotes) is quoted with the rest, so it never reaches the shell as code.
_GLOB_CHARS = re.compile(r'([*?]|\[!?[A-Za-z0-9_.,:-]+\])')


def shell_join(args):
    """One command line from the argument list ``args`` (any values, made strings), each
    quoted: ``['echo', 'a b']`` -> ``"echo 'a b'"``."""
    return ' '.join(shlex.quote(str(arg)) for arg in args)


def split_args(text):
    """The words of a user's free-form argument string (an ``extra_args`` parameter), split
    shell-style; a list or tuple is kept (as strings), None or ``''`` gives ``[]``.
    ValueError naming the string when it cannot be split (an unclosed quote)."""
    if not text:
        return []
    if isinstance(text, (list, tuple)):
        return [str(item) for item in text]
    try:
        return shlex.split(str(text))
    except ValueError as error:
        raise ValueError('cannot split "{}" into arguments: {}'.format(text, error)) from None


def quote_glob(pattern):
    """``pattern`` quoted for the shell with ``*``, ``?`` and plain ``[...]`` left free to
    expand: ``'/tmp/a b/c[0-9]'`` -> ``"'/tmp/a b/c'[0-9]"``."""
    parts = _GLOB_CHARS.split(pattern)
    quoted = []
    for index, part in enumerate(parts):
        if not part:
            continue
        if index % 2:           # a glob token captured by the split
            quoted.append(part)
        else:
            quoted.append(shlex.quote(part))
    return ''.join(quoted) or "''"

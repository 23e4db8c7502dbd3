"""Comparing names the way users type them, and suggesting the one they meant."""
import difflib


def identifier(name):
    """The form used to compare names: lower case, ``-`` and ``_`` alike."""
    return str(name).strip().lower().replace('-', '_')


def closest(name, candidates):
    """The candidate closest to ``name``, or None when nothing is close."""
    by_identifier = {identifier(c): c for c in candidates}
    matches = difflib.get_close_matches(identifier(name), list(by_identifier), n=1, cutoff=0.6)
    return by_identifier[matches[0]] if matches else None


def did_you_mean(name, candidates):
    """``'; did you mean "x"?'`` or an empty string."""
    hint = closest(name, candidates)
    return '; did you mean "{}"?'.format(hint) if hint else ''


def shown(value, limit=80):
    """``value`` for a one-line message: strings in double quotes with their escapes (a newline
    shows as ``\\n``), anything else as its repr, cut to about ``limit`` characters."""
    try:
        text = repr(value)
    except ValueError:  # an int too long to convert to text
        text = '<a number of {} bits>'.format(value.bit_length())
    if isinstance(value, str):
        text = '"{}"'.format(text[1:-1])
    if len(text) > limit:
        text = text[:limit - 4] + '...' + text[-1]
    return text


def one_line(text):
    """``text`` with line breaks and other control characters escaped, so a message stays on
    one line whatever values it quotes."""
    if text.isprintable():
        return text
    return ''.join(char if char.isprintable() else repr(char)[1:-1] for char in text)

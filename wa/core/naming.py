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

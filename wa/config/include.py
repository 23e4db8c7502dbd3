"""``include#``: WA3's way of splitting an agenda or a config file into several files.

A mapping that holds ``include#: PATH`` (or a list of paths) gets the keys of the YAML mapping in
PATH, relative to the including file's directory; keys written next to ``include#`` win over
included ones (mappings merge key by key, lists are joined, included items first). Included files
may include others; a file that includes itself, directly or not, is refused with the file and
line of the ``include#`` that closes the cycle. Errors about included values name the file they
were written in.
"""
import os

from wa.config import yamlfile
from wa.core.exceptions import ConfigError

INCLUDE_KEY = 'include#'


class IncludedLocated(yamlfile.Located):
    """A Located whose values may come from several files: ``where(path)`` names the right one."""

    def __init__(self, filename, places):
        super().__init__(filename, {path: line for path, (_, line) in places.items()})
        self._places = places

    def where(self, path=()):
        path = tuple(path)
        while path and path not in self._places:
            path = path[:-1]
        filename, line = self._places.get(path, (self.filename, None))
        return '{}:{}'.format(filename, line) if line else str(filename)


def load(path):
    """``(data, located)`` like ``yamlfile.load``, with every ``include#`` replaced by what it
    includes. Raises ConfigError for a missing file, a non-mapping include or a cycle."""
    data, places = _load(os.path.abspath(path), path, ())
    return data, IncludedLocated(path, places)


def _load(real_path, shown_path, chain):
    data, located = yamlfile.load(shown_path)
    places = {p: (located.filename, line) for p, line in located._lines.items()}  # noqa
    data = _expand(data, (), places, os.path.dirname(real_path), chain + (real_path,))
    return data, places


def _expand(node, path, places, base_dir, chain):
    """``node`` with its includes (and those of every value under it) expanded; ``places`` gets
    the file and line of every included value, under ``path``."""
    if isinstance(node, list):
        return [_expand(item, path + (i,), places, base_dir, chain) for i, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    expanded = {key: _expand(value, path + (key,), places, base_dir, chain)
                for key, value in node.items() if key != INCLUDE_KEY}
    if INCLUDE_KEY not in node:
        return expanded
    where = '{}:{}'.format(*places.get(path + (INCLUDE_KEY,), places.get(path, ('?', '?'))))
    targets = node[INCLUDE_KEY]
    targets = targets if isinstance(targets, list) else [targets]
    for target in reversed(targets):
        included, included_places = _include(target, where, base_dir, chain)
        expanded = _merge(included, expanded, path, places, included_places)
    places.pop(path + (INCLUDE_KEY,), None)
    return expanded


def _include(target, where, base_dir, chain):
    if not isinstance(target, str) or not target.strip():
        raise ConfigError('{}: "include#" must name a file (or a list of files), got {!r}'.format(
            where, target))
    real = os.path.abspath(os.path.join(base_dir, os.path.expanduser(target)))
    if real in chain:
        raise ConfigError('{}: "include#: {}" includes a file that is already being included '
                          '(a cycle: {})'.format(where, target, ' -> '.join(
                              os.path.basename(p) for p in chain + (real,))))
    if not os.path.isfile(real):
        raise ConfigError('{}: "include#: {}": no such file ({})'.format(where, target, real))
    data, places = _load(real, real, chain)
    if not isinstance(data, dict):
        raise ConfigError('{}: "include#: {}" must hold a mapping of keys, not {}'.format(
            where, target, type(data).__name__))
    return data, places


def _merge(included, local, path, places, included_places):
    """``included`` overridden by ``local``; included values' places are recorded under
    ``path`` (local ones keep theirs)."""
    merged = dict(included)
    for key in included:
        if key not in local:
            _rebase(included_places, (key,), path + (key,), places)
    for key, value in local.items():
        if key in included and isinstance(value, dict) and isinstance(included[key], dict):
            merged[key] = dict(included[key], **value)
        elif key in included and isinstance(value, list) and isinstance(included[key], list):
            _shift(places, path + (key,), len(included[key]))
            _rebase(included_places, (key,), path + (key,), places)
            merged[key] = included[key] + value
        else:
            merged[key] = value
    return merged


def _rebase(source_places, prefix, target_prefix, places):
    for sub, place in source_places.items():
        if sub[:len(prefix)] == prefix:
            places[target_prefix + sub[len(prefix):]] = place


def _shift(places, list_path, offset):
    """Moves the places of the items of the list at ``list_path`` down by ``offset``."""
    depth = len(list_path)
    moved = {sub: place for sub, place in places.items()
             if len(sub) > depth and sub[:depth] == list_path}
    for sub in moved:
        del places[sub]
    for sub, place in moved.items():
        places[list_path + (sub[depth] + offset,) + sub[depth + 1:]] = place

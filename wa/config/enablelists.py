"""Enable lists: ``instrumentation``, ``result_processors`` and ``augmentations`` items
(``name``, ``~name`` to disable, ``~~`` to clear) folded into the plugins enabled for a spec or
for the run."""
from wa.core import types
from wa.config.agenda import ENABLE_LIST_KEYS
from wa.core.exceptions import ConfigError
from wa.core.naming import did_you_mean, shown


class EnableList:
    """The enabled state of named plugins after folding lists of ``name`` / ``~name`` items."""

    def __init__(self, names=()):
        self.state = {name: True for name in names}

    def copy(self):
        other = EnableList()
        other.state = dict(self.state)
        return other

    def apply(self, names):
        for name in names:
            if name == '~~':
                self.state = {}
            elif name.startswith('~'):
                self.state[name[1:]] = False
            else:
                self.state[name] = True

    def enabled(self):
        return [name for name, on in self.state.items() if on]


def enable_items(loader, source, allow_clear, enabled_at=None):
    """(instrument items, processor items) from a source's enable lists, checked; records in
    ``enabled_at`` ({name: 'file:line'}) where each plugin was first enabled."""
    instruments, processors = [], []
    seen = {}
    for key in ENABLE_LIST_KEYS:
        if key not in source.values:
            continue
        for item in _enable_list(source, key):
            if item == '~~':
                if not allow_clear:
                    raise source.error(key, '"~~" is only allowed in the top-level config')
                if key != 'result_processors':
                    instruments.append(item)
                if key != 'instrumentation':
                    processors.append(item)
                continue
            name = item.lstrip('~')
            kind = _augmentation_kind(loader, source, key, name)
            canonical = loader.get_class(kind, name).name
            marked = ('~' if item.startswith('~') else '') + canonical
            previous = seen.get(canonical)
            if previous and previous[1] != marked and previous[0] != key:
                raise source.error(key, '"{}" and "{}" have conflicting entries: "{}"'.format(
                    source.raw_keys[previous[0]], source.raw_keys[key], canonical))
            seen[canonical] = (key, marked)
            if enabled_at is not None and marked == canonical:
                enabled_at.setdefault(canonical, source.where(key))
            (instruments if kind == 'instrument' else processors).append(marked)
    return instruments, processors


def _enable_list(source, key):
    """The names of an enable list; a mapping in it is someone configuring a plugin there,
    which is told where plugin settings go."""
    value = source.values[key]
    items = value if isinstance(value, list) else [value] if isinstance(value, dict) else \
        types.list_of_str(value)
    for item in items:
        if isinstance(item, dict):
            raise source.error(key, '"{}" takes plugin names (name or ~name), not their '
                               'settings: set {} in config, at the top level (plugin '
                               'settings are run-wide)'.format(
                                   source.raw_keys[key], ', '.join(
                                       '"{}: {{...}}"'.format(k) for k in item)))
        if not isinstance(item, str):
            raise source.error(key, '"{}" takes plugin names (name or ~name), got {}'.format(
                source.raw_keys[key], shown(item)))
    return items


def _augmentation_kind(loader, source, key, name):
    wanted = {'instrumentation': ('instrument',),
              'result_processors': ('result_processor',),
              'augmentations': ('instrument', 'result_processor')}[key]
    for kind in wanted:
        if loader.has(kind, name):
            return kind
    candidates = [c.name for kind in wanted for c in loader.list(kind)]
    label = ' or '.join(k.replace('_', ' ') for k in wanted)
    raise source.error(key, 'Unknown {} "{}"{}'.format(label, name,
                                                       did_you_mean(name, candidates)))


def check_disabled(loader, names):
    """The canonical names of ``--disable`` NAMEs; an unknown one is a ConfigError."""
    checked = set()
    for name in names:
        kind = next((k for k in ('instrument', 'result_processor')
                     if loader.has(k, name)), None)
        if kind is None:
            every = [c.name for k in ('instrument', 'result_processor')
                     for c in loader.list(k)]
            raise ConfigError('--disable: unknown instrument or result processor "{}"{}'.format(
                name, did_you_mean(name, every)))
        checked.add(loader.get_class(kind, name).name)
    return checked

"""Reading agendas and config files into normalised entries, with a file and line for every error.

An agenda has ``config`` (alias ``global``), ``sections`` and ``workloads``. Entry keys are
canonicalised here (``workload_params`` -> ``workload_parameters``, ...) so that the configuration
layer deals with one spelling of each key.
"""
import os

from wa.config import include

from wa.config import yamlfile
from wa.core.exceptions import ConfigError
from wa.core.naming import did_you_mean, identifier, shown
from wa.core.pathnames import name_problem

ENABLE_LIST_KEYS = ('instrumentation', 'result_processors', 'augmentations')

# canonical key -> aliases, valid in config, sections and workload entries alike
_COMMON_KEYS = {
    'label': (),
    'iterations': (),
    'job_timeout': (),
    'workload_parameters': ('workload_params', 'parameters'),
    'runtime_parameters': ('runtime_params',),
    'boot_parameters': ('boot_params',),
    'classifiers': (),
    'instrumentation': ('instruments',),
    'result_processors': ('processors', 'output_processors'),
    'augmentations': ('augment',),
}
_PLACE_KEYS = {
    'config': {'runtime_parameters': ('params',)},
    'section': {'id': (), 'workloads': (), 'group': (), 'runtime_parameters': ('params',)},
    'workload': {'id': (), 'name': ('workload_name',), 'workload_parameters': ('params',)},
}
_FORBIDDEN = {'flash': 'flashing is not supported by any target type'}


def _key_table(place):
    table = {key: tuple(aliases) for key, aliases in _COMMON_KEYS.items()}
    for key, aliases in _PLACE_KEYS[place].items():
        table[key] = table.get(key, ()) + tuple(aliases)
    return table


def entry_keys(place):
    """Every key (canonical and alias) valid in a ``place`` entry: ``config``, ``section`` or
    ``workload``."""
    return [name for key, aliases in _key_table(place).items() for name in (key,) + aliases]


class Source:
    """Normalised settings from one place, with the means to point at their lines."""

    def __init__(self, values, located, path):
        self.values = values
        self.located = located
        self.path = tuple(path)
        self.raw_keys = {}

    def where(self, key=None):
        return self.located.where(self.path + ((self.raw_keys.get(key, key),) if key else ()))

    def error(self, key, message):
        return ConfigError('{}: {}'.format(self.where(key), message))


def normalise(raw, located, path, place, extra_keys=()):
    """Turns one raw entry into a Source with canonical keys.

    Keys in ``extra_keys`` (run settings, plugin names) are kept as they are; any other unknown
    key is an error that suggests the closest valid key.
    """
    if not isinstance(raw, dict):
        raise located.error(path, 'expected a mapping, got {!r}'.format(raw))
    table = _key_table(place)
    alias_to_key = {identifier(n): key for key, aliases in table.items() for n in (key,) + aliases}
    extra = {identifier(k): k for k in extra_keys}
    source = Source({}, located, path)
    for raw_key, value in raw.items():
        key_id = identifier(raw_key)
        if key_id in _FORBIDDEN:
            raise located.error(path + (raw_key,), '"{}" is not allowed: {}'.format(
                raw_key, _FORBIDDEN[key_id]))
        key = alias_to_key.get(key_id) or extra.get(key_id)
        if key is None:
            valid = entry_keys(place) + list(extra_keys)
            raise located.error(path + (raw_key,), 'Unknown key "{}" in {}{}'.format(
                raw_key, _place_name(place), did_you_mean(raw_key, valid)))
        if key in source.values:
            raise located.error(path + (raw_key,), '"{}" and "{}" are the same setting; give '
                                'only one'.format(source.raw_keys[key], raw_key))
        if value is None and key in ('workloads', 'label', 'name', 'id'):
            raise located.error(path + (raw_key,), '"{}" is empty'.format(raw_key))
        source.values[key] = value
        source.raw_keys[key] = raw_key
    return source


def _place_name(place):
    return {'config': 'config', 'section': 'a section', 'workload': 'a workload entry'}[place]


class Agenda:
    """A parsed agenda: its config sources, sections and workload entries, all normalised."""

    def __init__(self, path=None, config=None, sections=None, workloads=None):
        self.path = path
        self.config = config or []      # list of raw (dict, located, path) for 'config'/'global'
        self.sections = sections or []  # list of Source
        self.workloads = workloads or []  # list of Source

    @classmethod
    def from_workload_name(cls, name):
        """The agenda of ``wa run NAME``: one workload with default settings."""
        located = yamlfile.Located('<command line>', {})
        entry = normalise({'name': name}, located, (), 'workload')
        return cls(None, [], [], [entry]).with_ids()

    def with_ids(self):
        """This agenda, every section and workload entry given an id: explicit ones are
        checked (they become parts of job directory names), the rest get ``s<N>``/``wk<N>``."""
        entries = list(self.workloads)
        for section in self.sections:
            entries.extend(section.values['workloads'])
        _number(entries, 'wk', 'workload')
        _number(self.sections, 's', 'section')
        return self


def load_agenda(path):
    """Reads and checks the structure of an agenda file."""
    if not os.path.isfile(path):
        raise ConfigError('Agenda "{}" does not exist (and is not a workload name)'.format(path))
    data, located = include.load(path)
    if data is None:
        raise located.error((), 'the agenda is empty')
    if not isinstance(data, dict):
        raise located.error((), 'an agenda must be a mapping with "config", "sections" and '
                            '"workloads"')
    agenda = Agenda(path)
    valid = ('config', 'global', 'sections', 'workloads')
    for key, value in data.items():
        if key not in valid:
            raise located.error((key,), 'Unknown top-level key "{}"{}'.format(
                key, did_you_mean(key, valid)))
        if value is None:
            raise located.error((key,), '"{}" is empty'.format(key))
    for key in ('config', 'global'):
        if key in data:
            if not isinstance(data[key], dict):
                raise located.error((key,), '"{}" must be a mapping'.format(key))
            agenda.config.append((data[key], located, (key,)))
    agenda.workloads = _workload_entries(data.get('workloads', []), located, ('workloads',))
    sections = data.get('sections', [])
    if not isinstance(sections, list):
        raise located.error(('sections',), '"sections" must be a list')
    for index, raw in enumerate(sections):
        section = normalise(raw, located, ('sections', index), 'section')
        section.values['workloads'] = _workload_entries(
            section.values.get('workloads', []), located,
            ('sections', index, section.raw_keys.get('workloads', 'workloads')))
        agenda.sections.append(section)
    if not agenda.workloads and not any(s.values['workloads'] for s in agenda.sections):
        raise located.error((), 'the agenda has no workloads')
    return agenda.with_ids()


def _workload_entries(raw_list, located, path):
    if not isinstance(raw_list, list):
        raise located.error(path, 'workloads must be a list')
    entries = []
    for index, raw in enumerate(raw_list):
        if isinstance(raw, str):
            raw = {'name': raw}
        entry = normalise(raw, located, path + (index,), 'workload')
        if 'name' not in entry.values:
            raise located.error(path + (index,), 'a workload entry needs a "name"')
        entries.append(entry)
    return entries


def _number(entries, prefix, what):
    """Gives every entry an id: explicit ones are checked, the rest get ``<prefix><N>``."""
    taken = {}
    for entry in entries:
        if 'id' not in entry.values:
            continue
        entry_id = str(entry.values['id'])
        problem = name_problem(entry_id)
        if problem or '-' in entry_id or entry_id == 'global':
            raise entry.error('id', 'invalid {} id {}: {}'.format(
                what, shown(entry_id), problem or 'ids may not contain "-" or be "global"'))
        if entry_id in taken:
            raise entry.error('id', 'duplicate {} id "{}" (also at {})'.format(
                what, entry_id, taken[entry_id].where('id')))
        taken[entry_id] = entry
        entry.values['id'] = entry_id
    counter = 1
    for entry in entries:
        if 'id' in entry.values:
            continue
        while '{}{}'.format(prefix, counter) in taken:
            counter += 1
        entry.values['id'] = '{}{}'.format(prefix, counter)
        taken[entry.values['id']] = entry
        counter += 1

"""Runtime parameter names: ``cpu0_frequency``, ``big_governor``, ``num_a53_cores``,
``sysfile_values``..., parsed into items (group, field, scope, value) and resolved to CPUs.

A prefix is ``cpu<N>`` (one CPU), a core name (compared in lower case with runs of other
characters than letters and digits read as ``_``) or ``big``/``little``; no prefix means
every CPU. The most specific name wins for a CPU: ``cpu<N>_`` over a kind of core over none.
"""
import re
from collections import OrderedDict

from wa.core.exceptions import ConfigError
from wa.core.naming import did_you_mean, identifier

# Checked in this order, so that ``min_frequency`` is not read as ``min`` + ``frequency``.
CPUFREQ_FIELDS = OrderedDict([
    ('governor_tunables', 'tunables'),
    ('gov_tunables', 'tunables'),
    ('min_frequency', 'min_frequency'),
    ('max_frequency', 'max_frequency'),
    ('frequency', 'frequency'),
    ('governor', 'governor'),
])
IDLE_FIELD = 'idle_states'
SYSFILE_NAME = 'sysfile_values'

NUM_CORES_RE = re.compile(r'^num_(?:(.+)_)?cores$')
CPU_ONLINE_RE = re.compile(r'^cpu(\d+)_online$')
CPU_PREFIX_RE = re.compile(r'^cpu(\d+)$')

TRUE_WORDS = ('1', 'true', 'yes', 'y', 'on', 'online')
FALSE_WORDS = ('0', 'false', 'no', 'n', 'off', 'offline')

# How specific a scope is: a CPU over a kind of core over every CPU.
RANK = {None: 0, 'core': 1, 'cpu': 2}


def core_identifier(name):
    """A core name as used in a parameter prefix: ``'AMD EPYC'`` -> ``'amd_epyc'``."""
    return re.sub(r'[^a-z0-9]+', '_', str(name).lower()).strip('_')


def to_bool(value, name):
    """``value`` as a boolean (true/false words, 0/1); ConfigError naming ``name`` otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ConfigError('Runtime parameter "{}": expected true or false, got {!r}'.format(name, value))


def sysfs_text(value):
    """The text written for a value: booleans as 1/0."""
    if isinstance(value, bool):
        return '1' if value else '0'
    return str(value)


def short(values, limit=12):
    """``values`` joined with commas, cut after ``limit`` of them."""
    values = [str(v) for v in values]
    if len(values) > limit:
        values = values[:limit] + ['...']
    return ', '.join(values)


class Item(object):
    """One runtime parameter, parsed: its group, what it sets, for which CPUs, and the value."""

    def __init__(self, name, group, field, scope, value):
        self.name = name      # as the user wrote it
        self.group = group    # 'sysfile', 'hotplug', 'cpufreq' or 'cpuidle'
        self.field = field    # e.g. 'governor', 'num_cores', 'online', 'sysfile'
        self.scope = scope    # None (all CPUs), ('cpu', n) or ('core', core identifier / big / little)
        self.value = value

    @property
    def rank(self):
        return RANK[self.scope[0] if self.scope else None]


class Topology(object):
    """The target's CPUs and kinds of core, as names see them."""

    def __init__(self, target):
        self.cpus = list(range(target.number_of_cpus))
        names = list(target.core_names or [])
        self.core_names = names
        self.cores = OrderedDict()
        for cpu, name in enumerate(names):
            self.cores.setdefault(core_identifier(name), []).append(cpu)
        for alias in ('big', 'little'):
            core = getattr(target, alias + '_core', None)
            if core:
                self.cores[alias] = [cpu for cpu, name in enumerate(names) if name == core]

    def known_names(self):
        """Every name this target could take, for did-you-mean suggestions."""
        fields = list(CPUFREQ_FIELDS) + [IDLE_FIELD]
        names = [SYSFILE_NAME, IDLE_FIELD, 'num_cores'] + list(CPUFREQ_FIELDS)
        for prefix in ['cpu{}'.format(c) for c in self.cpus] + list(self.cores):
            names.extend('{}_{}'.format(prefix, f) for f in fields)
        names.extend('num_{}_cores'.format(c) for c in self.cores)
        names.extend('cpu{}_online'.format(c) for c in self.cpus)
        return names

    def scope(self, prefix, name):
        """Parse a name's prefix into a scope; ConfigError when the target has no such CPU/core."""
        if prefix is None:
            return None
        last = len(self.cpus) - 1
        match = CPU_PREFIX_RE.match(prefix)
        if match:
            cpu = int(match.group(1))
            if cpu not in self.cpus:
                raise ConfigError('Runtime parameter "{}": the target has no cpu{} '
                                  '(it has cpu0-cpu{})'.format(name, cpu, last))
            return ('cpu', cpu)
        if prefix in self.cores:
            return ('core', prefix)
        if prefix in ('big', 'little'):
            raise ConfigError('Runtime parameter "{}": the target has no {} cores '
                              '(it is not big.LITTLE; core names: {})'.format(name, prefix, short(self.cores)))
        raise ConfigError('Unknown runtime parameter "{}": "{}" is not a CPU or core name of the target '
                          '(cpu0-cpu{}; cores: {}){}'.format(name, prefix, last, short(self.cores),
                                                            did_you_mean(name, self.known_names())))

    def scope_cpus(self, scope):
        """The CPUs a scope covers."""
        if scope is None:
            return self.cpus
        if scope[0] == 'cpu':
            return [scope[1]]
        return self.cores[scope[1]]

    def per_cpu(self, items):
        """{cpu: {field: item}}, the most specific item winning; ConfigError on a tie that disagrees."""
        chosen = OrderedDict()
        for item in items:
            for cpu in self.scope_cpus(item.scope):
                fields = chosen.setdefault(cpu, {})
                previous = fields.get(item.field)
                if previous is not None:
                    if previous.rank > item.rank:
                        continue
                    if previous.rank == item.rank and previous.value != item.value:
                        raise ConfigError('Runtime parameters "{}" and "{}" give cpu{} different values '
                                          '({!r} and {!r})'.format(previous.name, item.name, cpu,
                                                                   previous.value, item.value))
                fields[item.field] = item
        return chosen

    def parse(self, params):
        """The items of a ``runtime_params`` mapping; ConfigError for a name the target cannot take."""
        if not isinstance(params, dict):
            raise ConfigError('runtime_params must be a mapping of names to values, not {!r}'.format(params))
        return [self._item(name, value) for name, value in params.items()]

    def _item(self, name, value):
        key = identifier(name)
        if key == SYSFILE_NAME:
            return Item(name, 'sysfile', 'sysfile', None, value)
        match = CPU_ONLINE_RE.match(key)
        if match:
            return Item(name, 'hotplug', 'online', self.scope('cpu' + match.group(1), name), value)
        match = NUM_CORES_RE.match(key)
        if match:
            return Item(name, 'hotplug', 'num_cores', self.scope(match.group(1), name), value)
        for suffix, field in list(CPUFREQ_FIELDS.items()) + [(IDLE_FIELD, IDLE_FIELD)]:
            group = 'cpuidle' if field == IDLE_FIELD else 'cpufreq'
            if key == suffix:
                return Item(name, group, field, None, value)
            if key.endswith('_' + suffix):
                return Item(name, group, field, self.scope(key[:-len(suffix) - 1], name), value)
        raise ConfigError('Unknown runtime parameter "{}"{}'.format(name, did_you_mean(key, self.known_names())))


class Group(object):
    """A group of runtime parameters on one target: ``resolve(items)`` checks their values and
    returns what to set (ConfigError), ``validate(resolved)`` checks it further against the
    target, ``apply(resolved, undo_log)`` sets it, logging each change (TargetError).
    ``needs`` names what the target must have: devlib modules and/or ``'root'``."""

    group = None
    needs = ('root',)

    def __init__(self, target, topology):
        self.target = target
        self.topology = topology

    def validate(self, resolved):
        """Nothing by default: resolve checked the values against the target."""

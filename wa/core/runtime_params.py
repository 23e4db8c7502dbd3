"""Runtime parameters: settings applied to a connected devlib target before each job.

An agenda's ``runtime_params`` is a flat dict. The names understood here are:

``sysfile_values``
    ``{path: value}``, written in order. Each write is read back and checked, unless the
    path ends in ``!`` (the ``!`` is dropped): such a file is written without reading back.
cpufreq (devlib module ``cpufreq``)
    ``governor``, ``gov_tunables`` (alias ``governor_tunables``), ``frequency``,
    ``min_frequency``, ``max_frequency``. A frequency is a value from the CPU's table, or
    ``min``/``max``. A fixed ``frequency`` needs the ``userspace`` governor, which is selected
    when no governor is given.
cpuidle (devlib module ``cpuidle``)
    ``idle_states``: the idle states to leave enabled (names or ids, a list or a single one,
    or ``all``/``none``); the others are disabled.
hotplug (devlib module ``hotplug``)
    ``num_cores`` (CPUs kept online, lowest numbers first), ``num_<core>_cores`` (the same
    within one kind of core, ``<core>`` as for the prefixes below), ``cpu<N>_online``.

The cpufreq and cpuidle names may be prefixed ``cpu<N>_`` (one CPU), ``<core name>_``
(e.g. ``a53_``; a core name is compared in lower case with runs of other characters than
letters and digits read as ``_``, so ``AMD EPYC`` is ``amd_epyc_``) or ``big_``/``little_``.
No prefix means every CPU. The most specific name wins for a CPU: ``cpu<N>_`` over a kind of
core over no prefix.

Everything needs root on the target. Where the target lacks what a group of names needs
(a devlib module, or root), ``on_missing='skip'`` logs one warning naming what is missing
and skips those names; ``on_missing='fail'`` makes :meth:`RuntimeParams.validate` raise.

devlib is only imported inside functions, so that importing this module stays cheap.
"""
import logging
import re
from collections import OrderedDict

from wa.core.exceptions import ConfigError, TargetError, TargetNotRespondingError
from wa.core.naming import did_you_mean, identifier

logger = logging.getLogger('runtime_params')

ON_MISSING = ('skip', 'fail')

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

# What each group of names needs from the target, and how a missing need is described.
NEEDS = OrderedDict([
    ('sysfile', ('root',)),
    ('cpufreq', ('cpufreq', 'root')),
    ('cpuidle', ('cpuidle', 'root')),
    ('hotplug', ('hotplug', 'root')),
])
NEED_TEXT = {
    'root': 'root access',
    'cpufreq': "cpufreq support (devlib module 'cpufreq' not loaded)",
    'cpuidle': "cpuidle support (devlib module 'cpuidle' not loaded)",
    'hotplug': "CPU hotplug support (devlib module 'hotplug' not loaded)",
}

TRUE_WORDS = ('1', 'true', 'yes', 'y', 'on', 'online')
FALSE_WORDS = ('0', 'false', 'no', 'n', 'off', 'offline')


def core_identifier(name):
    """A core name as used in a parameter prefix: ``'AMD EPYC'`` -> ``'amd_epyc'``."""
    return re.sub(r'[^a-z0-9]+', '_', str(name).lower()).strip('_')


def _to_bool(value, name):
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


def _sysfs_text(value):
    """The text written for a value: booleans as 1/0."""
    if isinstance(value, bool):
        return '1' if value else '0'
    return str(value)


def _short(values, limit=12):
    values = [str(v) for v in values]
    if len(values) > limit:
        values = values[:limit] + ['...']
    return ', '.join(values)


def _is_devlib_error(exc):
    from devlib.exception import DevlibError  # pylint: disable=import-outside-toplevel
    return isinstance(exc, (DevlibError, ValueError, OSError))


def _is_lost(exc):
    """True for devlib's TargetNotRespondingError."""
    from devlib.exception import TargetNotRespondingError as Lost  # pylint: disable=import-outside-toplevel
    return isinstance(exc, Lost)


def _target_error(message, exc):
    """A wa TargetError (or TargetNotRespondingError) for a failure reported by devlib."""
    detail = ' '.join(str(exc).split()) or type(exc).__name__
    if _is_lost(exc):
        return TargetNotRespondingError('{}: {}'.format(message, detail))
    return TargetError('{}: {}'.format(message, detail))


class _Item(object):
    """One runtime parameter, parsed: its group, what it sets, for which CPUs, and the value."""

    def __init__(self, name, group, field, scope, value):
        self.name = name      # as the user wrote it
        self.group = group    # a key of NEEDS
        self.field = field    # e.g. 'governor', 'num_cores', 'online', 'sysfile'
        self.scope = scope    # None (all CPUs), ('cpu', n) or ('core', core identifier / big / little)
        self.value = value


class _Plan(object):
    """Runtime parameters resolved against the target: what to set on which CPU."""

    def __init__(self):
        self.online = OrderedDict()     # cpu -> bool
        self.cpufreq = OrderedDict()    # cpu -> {field: value} (frequencies as ints)
        self.idle = OrderedDict()       # cpu -> set of state ids to leave enabled
        self.sysfiles = []              # [(path, text, verify)]
        self.skipped = []               # names skipped because the target lacks something


class RuntimeParams(object):
    """Validates, applies and restores runtime parameters on a connected devlib target.

    ``validate(params)`` checks names and values against the target before the first job
    (raising ConfigError), ``apply(params)`` sets them before a job (raising TargetError),
    ``restore()`` puts back, at the end of the run, the value each setting had before
    ``apply`` first changed it.
    """

    def __init__(self, target, on_missing='skip'):
        if on_missing not in ON_MISSING:
            raise ConfigError('on_missing must be one of {}, not {!r}'.format(
                ', '.join(ON_MISSING), on_missing))
        self.target = target
        self.on_missing = on_missing
        self._plans = {}
        self._warned = set()
        self._rooted = None
        self._hotpluggable = None
        # (kind, ...) -> original value, in the order first changed.
        self._originals = OrderedDict()

    # ------------------------------------------------------------------ public interface

    def validate(self, params):
        """Raise ConfigError for a name or value the target cannot take, or a sysfile (other
        than a write-only ``!`` one) that does not exist on it."""
        plan = self._plan(params or {})
        for path, _, read_back in plan.sysfiles:
            if read_back and not self.target.file_exists(path):
                raise ConfigError('sysfile_values: {} does not exist on the target'.format(path))

    def apply(self, params):
        """Set ``params`` on the target; raise TargetError when that fails."""
        if not params:
            return
        try:
            plan = self._plan(params)
        except ConfigError:
            raise
        except Exception as exc:  # pylint: disable=broad-except
            if _is_devlib_error(exc):
                raise _target_error('Could not read the target to apply runtime parameters', exc)
            raise
        self._apply_hotplug(plan)
        self._apply_cpufreq(plan)
        self._apply_idle(plan)
        self._apply_sysfiles(plan)

    def restore(self):
        """Put back every value that apply() changed; raise TargetError if one could not be."""
        originals, self._originals = self._originals, OrderedDict()
        if not originals:
            return
        failures = []
        lost = []

        def attempt(description, action, quiet=False):
            try:
                action()
            except Exception as exc:  # pylint: disable=broad-except
                if not _is_devlib_error(exc):
                    raise
                text = '{}: {}'.format(description, ' '.join(str(exc).split()))
                if _is_lost(exc):
                    lost.append(text)
                if quiet:
                    logger.warning('Could not restore %s', text)
                else:
                    failures.append(text)

        # 1. CPUs that were online come back first, so that their settings can be restored.
        for key, was_online in originals.items():
            if key[0] == 'online' and was_online:
                attempt('cpu{} online'.format(key[1]), lambda c=key[1]: self.target.hotplug.online(c))
        # 2. cpufreq, per CPU: governor tunables while the governor is still the one they
        #    belong to, then the governor, frequency limits and fixed frequency.
        for cpu in sorted({key[1] for key in originals if key[0].startswith('cpufreq')}):
            self._restore_cpufreq(cpu, originals, attempt)
        # 3. idle states.
        for key, enabled in originals.items():
            if key[0] == 'idle':
                cpu, state_id = key[1], key[2]
                attempt('cpu{} idle state {}'.format(cpu, state_id),
                        lambda c=cpu, s=state_id, e=enabled: self._set_idle_state(c, s, e))
        # 4. files, last written first.
        for key, original in reversed(list(originals.items())):
            if key[0] == 'sysfile':
                path, verify = key[1], original[1]
                attempt(path, lambda p=path, v=original[0], f=verify: self.target.write_value(p, v, verify=f),
                        quiet=not verify)
        # 5. CPUs that were offline go back offline.
        for key, was_online in originals.items():
            if key[0] == 'online' and not was_online:
                attempt('cpu{} offline'.format(key[1]), lambda c=key[1]: self.target.hotplug.offline(c))
        if failures:
            error = TargetNotRespondingError if lost else TargetError
            raise error('Could not restore runtime parameters: {}'.format('; '.join(failures)))

    # ------------------------------------------------------------------ parsing

    @property
    def _cpus(self):
        return list(range(self.target.number_of_cpus))

    def _core_map(self):
        """core identifier (and big/little) -> CPUs of that kind."""
        names = list(self.target.core_names or [])
        cores = OrderedDict()
        for cpu, name in enumerate(names):
            cores.setdefault(core_identifier(name), []).append(cpu)
        for alias, core in (('big', getattr(self.target, 'big_core', None)),
                            ('little', getattr(self.target, 'little_core', None))):
            if core:
                cores[alias] = [cpu for cpu, name in enumerate(names) if name == core]
        return cores

    def _prefixes(self):
        return ['cpu{}'.format(c) for c in self._cpus] + list(self._core_map())

    def _known_names(self):
        """Every name this target could take, for did-you-mean suggestions."""
        prefixes = self._prefixes()
        names = [SYSFILE_NAME, IDLE_FIELD, 'num_cores'] + list(CPUFREQ_FIELDS)
        for prefix in prefixes:
            names.extend('{}_{}'.format(prefix, f) for f in list(CPUFREQ_FIELDS) + [IDLE_FIELD])
        names.extend('num_{}_cores'.format(c) for c in self._core_map())
        names.extend('cpu{}_online'.format(c) for c in self._cpus)
        return names

    def _scope(self, prefix, name):
        """Parse a name's prefix into a scope; ConfigError when the target has no such CPU/core."""
        if prefix is None:
            return None
        match = CPU_PREFIX_RE.match(prefix)
        if match:
            cpu = int(match.group(1))
            if cpu not in self._cpus:
                raise ConfigError('Runtime parameter "{}": the target has no cpu{} '
                                  '(it has cpu0-cpu{})'.format(name, cpu, len(self._cpus) - 1))
            return ('cpu', cpu)
        cores = self._core_map()
        if prefix in cores:
            return ('core', prefix)
        if prefix in ('big', 'little'):
            raise ConfigError('Runtime parameter "{}": the target has no {} cores '
                              '(it is not big.LITTLE; core names: {})'.format(
                                  name, prefix, _short(c for c in cores)))
        raise ConfigError('Unknown runtime parameter "{}": "{}" is not a CPU or core name of the target '
                          '(cpu0-cpu{}; cores: {}){}'.format(
                              name, prefix, len(self._cpus) - 1, _short(cores),
                              did_you_mean(name, self._known_names())))

    def _parse(self, params):
        if not isinstance(params, dict):
            raise ConfigError('runtime_params must be a mapping of names to values, not {!r}'.format(params))
        items = []
        for name, value in params.items():
            key = identifier(name)
            if key == SYSFILE_NAME:
                items.append(_Item(name, 'sysfile', 'sysfile', None, value))
                continue
            match = CPU_ONLINE_RE.match(key)
            if match:
                scope = self._scope('cpu' + match.group(1), name)
                items.append(_Item(name, 'hotplug', 'online', scope, value))
                continue
            match = NUM_CORES_RE.match(key)
            if match:
                scope = self._scope(match.group(1), name)
                items.append(_Item(name, 'hotplug', 'num_cores', scope, value))
                continue
            for suffix, field in list(CPUFREQ_FIELDS.items()) + [(IDLE_FIELD, IDLE_FIELD)]:
                group = 'cpuidle' if field == IDLE_FIELD else 'cpufreq'
                if key == suffix:
                    items.append(_Item(name, group, field, None, value))
                    break
                if key.endswith('_' + suffix):
                    scope = self._scope(key[:-len(suffix) - 1], name)
                    items.append(_Item(name, group, field, scope, value))
                    break
            else:
                raise ConfigError('Unknown runtime parameter "{}"{}'.format(
                    name, did_you_mean(key, self._known_names())))
        return items

    # ------------------------------------------------------------------ capabilities

    def _is_rooted(self):
        if self._rooted is None:
            try:
                self._rooted = bool(self.target.is_rooted)
            except Exception as exc:  # pylint: disable=broad-except
                if not _is_devlib_error(exc):
                    raise
                self._rooted = False
        return self._rooted

    def _missing(self, group):
        missing = []
        for need in NEEDS[group]:
            if need == 'root':
                if not self._is_rooted():
                    missing.append(need)
            elif not self.target.has(need):
                missing.append(need)
        return missing

    def _check_capabilities(self, items):
        """Drop the items the target cannot take (warning once), or raise in 'fail' mode."""
        kept, skipped = [], []
        by_missing = OrderedDict()
        for item in items:
            missing = tuple(self._missing(item.group))
            if missing:
                by_missing.setdefault(missing, []).append(item.name)
                skipped.append(item.name)
            else:
                kept.append(item)
        for missing, names in by_missing.items():
            what = ' and '.join(NEED_TEXT[m] for m in missing)
            if self.on_missing == 'fail':
                raise ConfigError('Runtime parameter{} {} need{} {}, which the target does not have'.format(
                    's' if len(names) > 1 else '', ', '.join(names), '' if len(names) > 1 else 's', what))
            if missing not in self._warned:
                self._warned.add(missing)
                logger.warning('The target has no %s; skipping runtime parameters that need it: %s',
                               what, ', '.join(names))
            else:
                logger.debug('Skipping runtime parameters %s (target has no %s)', ', '.join(names), what)
        return kept, skipped

    # ------------------------------------------------------------------ resolution and validation

    def _plan(self, params):
        key = repr(params)
        plan = self._plans.get(key)
        if plan is None:
            items = self._parse(params)
            items, skipped = self._check_capabilities(items)
            plan = _Plan()
            plan.skipped = skipped
            self._resolve_sysfiles(plan, [i for i in items if i.group == 'sysfile'])
            self._resolve_hotplug(plan, [i for i in items if i.group == 'hotplug'])
            self._resolve_cpufreq(plan, [i for i in items if i.group == 'cpufreq'])
            self._resolve_idle(plan, [i for i in items if i.group == 'cpuidle'])
            self._plans[key] = plan
        return plan

    def _scope_cpus(self, scope):
        if scope is None:
            return self._cpus
        if scope[0] == 'cpu':
            return [scope[1]]
        return self._core_map()[scope[1]]

    def _per_cpu(self, items):
        """{cpu: {field: item}}, the most specific item winning; ConfigError on a tie that disagrees."""
        rank = {None: 0, 'core': 1, 'cpu': 2}
        chosen = OrderedDict()
        for item in items:
            level = rank[item.scope[0] if item.scope else None]
            for cpu in self._scope_cpus(item.scope):
                fields = chosen.setdefault(cpu, {})
                previous = fields.get(item.field)
                if previous is not None:
                    previous_level = rank[previous.scope[0] if previous.scope else None]
                    if previous_level > level:
                        continue
                    if previous_level == level and previous.value != item.value:
                        raise ConfigError('Runtime parameters "{}" and "{}" give cpu{} different values '
                                          '({!r} and {!r})'.format(previous.name, item.name, cpu,
                                                                   previous.value, item.value))
                fields[item.field] = item
        return chosen

    def _resolve_sysfiles(self, plan, items):
        for item in items:
            if not isinstance(item.value, dict):
                raise ConfigError('Runtime parameter "{}" must be a mapping of file paths to values, '
                                  'not {!r}'.format(item.name, item.value))
            for path, value in item.value.items():
                path = str(path)
                verify = True
                if path.endswith('!'):
                    path, verify = path[:-1], False
                if not path.startswith('/'):
                    raise ConfigError('Runtime parameter "{}": "{}" is not an absolute path'.format(
                        item.name, path))
                if value is None or isinstance(value, (dict, list, tuple)):
                    raise ConfigError('Runtime parameter "{}": the value for {} must be a single value, '
                                      'not {!r}'.format(item.name, path, value))
                plan.sysfiles.append((path, _sysfs_text(value), verify))

    def _hotpluggable_cpus(self):
        if self._hotpluggable is None:
            self._hotpluggable = list(self.target.hotplug.list_hotpluggable_cpus())
        return self._hotpluggable

    def _resolve_hotplug(self, plan, items):
        if not items:
            return
        wanted = {}
        rank = {}
        for item in items:
            if item.field == 'online':
                cpus = self._scope_cpus(item.scope)
                states = {cpus[0]: _to_bool(item.value, item.name)}
                level = 2
            else:
                cpus = self._scope_cpus(item.scope)
                try:
                    count = int(item.value)
                    if isinstance(item.value, bool) or str(count) != str(item.value).strip():
                        raise ValueError(item.value)
                except (TypeError, ValueError):
                    raise ConfigError('Runtime parameter "{}": expected a number of cores, got {!r}'.format(
                        item.name, item.value))
                if not 0 <= count <= len(cpus):
                    raise ConfigError('Runtime parameter "{}": {} is out of range; there are {} such '
                                      'cores (cpu{})'.format(item.name, count, len(cpus),
                                                             ', cpu'.join(str(c) for c in cpus)))
                states = {cpu: index < count for index, cpu in enumerate(cpus)}
                level = 0 if item.scope is None else 1
            for cpu, online in states.items():
                if rank.get(cpu, -1) > level:
                    continue
                if rank.get(cpu) == level and wanted[cpu][0] != online:
                    raise ConfigError('Runtime parameters "{}" and "{}" disagree on whether cpu{} is '
                                      'online'.format(wanted[cpu][1], item.name, cpu))
                wanted[cpu] = (online, item.name)
                rank[cpu] = level
        if not any(wanted[cpu][0] if cpu in wanted else True for cpu in self._cpus):
            raise ConfigError('Runtime parameters {} would take every CPU offline'.format(
                ', '.join(i.name for i in items)))
        hotpluggable = self._hotpluggable_cpus()
        for cpu in sorted(wanted):
            online, name = wanted[cpu]
            if cpu not in hotpluggable:
                if online:
                    continue  # cannot be switched off, so it is online
                raise ConfigError('Runtime parameter "{}": cpu{} cannot be taken offline on this target '
                                  '(hotpluggable: {})'.format(name, cpu,
                                                              _short('cpu{}'.format(c) for c in hotpluggable)
                                                              or 'none'))
            plan.online[cpu] = online

    def _table_cpu(self, cpu):
        """The CPU whose sysfs tells about ``cpu``: itself if online, else an online one of its kind."""
        try:
            online = self.target.list_online_cpus()
        except Exception:  # pylint: disable=broad-except
            return cpu
        if cpu in online:
            return cpu
        names = list(self.target.core_names or [])
        for other in online:
            if cpu < len(names) and other < len(names) and names[other] == names[cpu]:
                return other
        return cpu

    def _frequency(self, item, cpu, table):
        value = item.value
        text = str(value).strip().lower()
        if text in ('min', 'max'):
            if not table:
                raise ConfigError('Runtime parameter "{}": cpu{} has no frequency table, so "{}" '
                                  'cannot be resolved; give a frequency in kHz'.format(item.name, cpu, text))
            return table[0] if text == 'min' else table[-1]
        try:
            if isinstance(value, bool):
                raise ValueError(value)
            frequency = int(value)
        except (TypeError, ValueError):
            raise ConfigError('Runtime parameter "{}": {!r} is not a frequency (kHz) nor min/max'.format(
                item.name, value))
        if table and frequency not in table:
            raise ConfigError('Runtime parameter "{}": {} is not in the frequency table of cpu{} '
                              '(available: {})'.format(item.name, frequency, cpu, _short(table, 40)))
        return frequency

    def _resolve_cpufreq(self, plan, items):
        if not items:
            return
        cpufreq = self.target.cpufreq
        for cpu, fields in self._per_cpu(items).items():
            source = self._table_cpu(cpu)
            settings = {}
            governor_item = fields.get('governor')
            if governor_item is not None or 'frequency' in fields:
                governors = list(cpufreq.list_governors(source))
                if governor_item is not None:
                    governor = str(governor_item.value).strip()
                    if governor not in governors:
                        raise ConfigError('Runtime parameter "{}": governor "{}" is not available on cpu{} '
                                          '(available: {}){}'.format(governor_item.name, governor, cpu,
                                                                     _short(governors),
                                                                     did_you_mean(governor, governors)))
                    settings['governor'] = governor
                if 'frequency' in fields:
                    freq_item = fields['frequency']
                    if governor_item is None:
                        if 'userspace' not in governors:
                            raise ConfigError('Runtime parameter "{}": a fixed frequency needs the userspace '
                                              'governor, which cpu{} does not have (available: {})'.format(
                                                  freq_item.name, cpu, _short(governors)))
                        settings['governor'] = 'userspace'
                    elif settings['governor'] != 'userspace':
                        raise ConfigError('Runtime parameter "{}": a fixed frequency needs the userspace '
                                          'governor, but "{}" sets {}'.format(
                                              freq_item.name, governor_item.name, settings['governor']))
            if any(f in fields for f in ('frequency', 'min_frequency', 'max_frequency')):
                table = sorted(int(f) for f in cpufreq.list_frequencies(source))
                for field in ('frequency', 'min_frequency', 'max_frequency'):
                    if field in fields:
                        settings[field] = self._frequency(fields[field], cpu, table)
                if settings.get('min_frequency', 0) > settings.get('max_frequency', float('inf')):
                    raise ConfigError('Runtime parameters "{}" and "{}": the minimum frequency {} is above '
                                      'the maximum {} on cpu{}'.format(
                                          fields['min_frequency'].name, fields['max_frequency'].name,
                                          settings['min_frequency'], settings['max_frequency'], cpu))
            if 'tunables' in fields:
                item = fields['tunables']
                if not isinstance(item.value, dict) or any(
                        v is None or isinstance(v, (dict, list, tuple)) for v in item.value.values()):
                    raise ConfigError('Runtime parameter "{}" must be a mapping of tunable names to '
                                      'values, not {!r}'.format(item.name, item.value))
                settings['tunables'] = OrderedDict((str(k), _sysfs_text(v)) for k, v in item.value.items())
            plan.cpufreq[cpu] = settings

    def _resolve_idle(self, plan, items):
        if not items:
            return
        cpuidle = self.target.cpuidle
        for cpu, fields in self._per_cpu(items).items():
            item = fields[IDLE_FIELD]
            states = list(cpuidle.get_states(cpu))
            if not states:
                raise ConfigError('Runtime parameter "{}": cpu{} has no idle states'.format(item.name, cpu))
            value = item.value
            if isinstance(value, str) and value.strip().lower() in ('all', 'none'):
                enabled = {s.id for s in states} if value.strip().lower() == 'all' else set()
            else:
                wanted = value if isinstance(value, (list, tuple)) else [value]
                enabled = set()
                for name in wanted:
                    key = identifier(name)
                    found = [s for s in states
                             if key in (identifier(s.id), identifier(s.name), identifier(s.desc))]
                    if not found:
                        choices = [s.name for s in states]
                        raise ConfigError('Runtime parameter "{}": cpu{} has no idle state "{}" '
                                          '(available: {}){}'.format(item.name, cpu, name, _short(choices),
                                                                     did_you_mean(name, choices)))
                    enabled.add(found[0].id)
            plan.idle[cpu] = enabled

    # ------------------------------------------------------------------ applying

    def _remember(self, key, read):
        if key not in self._originals:
            self._originals[key] = read()

    def _apply_hotplug(self, plan):
        if not plan.online:
            return
        try:
            current = set(self.target.list_online_cpus())
        except Exception as exc:  # pylint: disable=broad-except
            if not _is_devlib_error(exc):
                raise
            raise _target_error('Could not list the online CPUs', exc)
        # Bring CPUs online before taking others offline.
        for online in (True, False):
            for cpu, wanted in plan.online.items():
                if wanted != online or (cpu in current) == online:
                    continue
                self._remember(('online', cpu), lambda c=cpu: c in current)
                try:
                    if online:
                        self.target.hotplug.online(cpu)
                    else:
                        self.target.hotplug.offline(cpu)
                except Exception as exc:  # pylint: disable=broad-except
                    if not _is_devlib_error(exc):
                        raise
                    state = 'online' if online else 'offline'
                    raise _target_error('Could not put cpu{} {}'.format(cpu, state), exc)

    def _online_now(self):
        try:
            return set(self.target.list_online_cpus())
        except Exception as exc:  # pylint: disable=broad-except
            if not _is_devlib_error(exc):
                raise
            raise _target_error('Could not list the online CPUs', exc)

    def _apply_cpufreq(self, plan):
        if not plan.cpufreq:
            return
        cpufreq = self.target.cpufreq
        online = self._online_now()
        for cpu, settings in plan.cpufreq.items():
            if cpu not in online:
                logger.debug('cpu%s is offline; not setting its cpufreq parameters', cpu)
                continue
            try:
                self._apply_cpufreq_cpu(cpufreq, cpu, settings)
            except Exception as exc:  # pylint: disable=broad-except
                if not _is_devlib_error(exc):
                    raise
                raise _target_error('Could not set cpufreq parameters on cpu{}'.format(cpu), exc)

    def _apply_cpufreq_cpu(self, cpufreq, cpu, settings):
        current_governor = cpufreq.get_governor(cpu)
        governor = settings.get('governor')
        if governor is not None and governor != current_governor:
            self._remember(('cpufreq_governor', cpu), lambda: current_governor)
            if current_governor == 'userspace':
                self._remember(('cpufreq_setspeed', cpu), lambda: cpufreq.get_frequency(cpu))
            cpufreq.set_governor(cpu, governor)
            current_governor = governor
        tunables = settings.get('tunables')
        if tunables:
            existing = cpufreq.get_governor_tunables(cpu)
            for name in tunables:
                if name in existing:
                    key = ('cpufreq_tunable', cpu, current_governor, name)
                    self._remember(key, lambda n=name: existing[n])
            cpufreq.set_governor_tunables(cpu, current_governor, **tunables)
        low, high = settings.get('min_frequency'), settings.get('max_frequency')
        if low is not None or high is not None:
            if low is not None:
                self._remember(('cpufreq_min', cpu), lambda: cpufreq.get_min_frequency(cpu))
            if high is not None:
                self._remember(('cpufreq_max', cpu), lambda: cpufreq.get_max_frequency(cpu))
            self._set_limits(cpufreq, cpu, low, high, exact=True)
        frequency = settings.get('frequency')
        if frequency is not None:
            if ('cpufreq_governor', cpu) not in self._originals:
                # The governor was userspace already: the fixed frequency is the original.
                self._remember(('cpufreq_setspeed', cpu), lambda: cpufreq.get_frequency(cpu))
            cpufreq.set_frequency(cpu, frequency)

    @staticmethod
    def _set_limits(cpufreq, cpu, low, high, exact):
        """Set min and/or max in an order the kernel accepts (min never above max)."""
        if low is not None and high is not None:
            if low > cpufreq.get_max_frequency(cpu):
                cpufreq.set_max_frequency(cpu, high, exact=exact)
                cpufreq.set_min_frequency(cpu, low, exact=exact)
            else:
                cpufreq.set_min_frequency(cpu, low, exact=exact)
                cpufreq.set_max_frequency(cpu, high, exact=exact)
        elif low is not None:
            cpufreq.set_min_frequency(cpu, low, exact=exact)
        elif high is not None:
            cpufreq.set_max_frequency(cpu, high, exact=exact)

    def _restore_cpufreq(self, cpu, originals, attempt):
        cpufreq = self.target.cpufreq
        governor_key = ('cpufreq_governor', cpu)

        def tunables():
            current = cpufreq.get_governor(cpu)
            values = {key[3]: value for key, value in originals.items()
                      if key[0] == 'cpufreq_tunable' and key[1] == cpu and key[2] == current}
            if values:
                cpufreq.set_governor_tunables(cpu, current, **values)

        attempt('cpu{} governor tunables'.format(cpu), tunables)
        if governor_key in originals:
            attempt('cpu{} governor'.format(cpu), lambda: cpufreq.set_governor(cpu, originals[governor_key]))
        low, high = originals.get(('cpufreq_min', cpu)), originals.get(('cpufreq_max', cpu))
        if low is not None or high is not None:
            attempt('cpu{} frequency limits'.format(cpu),
                    lambda: self._set_limits(cpufreq, cpu, low, high, exact=False))
        setspeed = originals.get(('cpufreq_setspeed', cpu))
        if setspeed is not None:
            def fixed():
                if cpufreq.get_governor(cpu) == 'userspace':
                    cpufreq.set_frequency(cpu, setspeed, exact=False)
            attempt('cpu{} frequency'.format(cpu), fixed)

    def _idle_state(self, cpu, state_id):
        for state in self.target.cpuidle.get_states(cpu):
            if state.id == state_id:
                return state
        raise ValueError('cpu{} has no idle state {}'.format(cpu, state_id))

    def _set_idle_state(self, cpu, state_id, enabled):
        state = self._idle_state(cpu, state_id)
        if enabled:
            state.enable()
        else:
            state.disable()

    def _apply_idle(self, plan):
        online = self._online_now() if plan.idle else set()
        for cpu, enabled in plan.idle.items():
            if cpu not in online:
                logger.debug('cpu%s is offline; not setting its idle states', cpu)
                continue
            try:
                for state in self.target.cpuidle.get_states(cpu):
                    want = state.id in enabled
                    now = state.is_enabled
                    if want != now:
                        self._remember(('idle', cpu, state.id), lambda n=now: n)
                        self._set_idle_state(cpu, state.id, want)
            except Exception as exc:  # pylint: disable=broad-except
                if not _is_devlib_error(exc):
                    raise
                raise _target_error('Could not set the idle states of cpu{}'.format(cpu), exc)

    def _read_original(self, path):
        """The current text of ``path``, or None when it cannot be read (e.g. a write-only file)."""
        try:
            return self.target.read_value(path)
        except Exception as exc:  # pylint: disable=broad-except
            if not _is_devlib_error(exc):
                raise
            logger.debug('Cannot read %s before writing it (%s); it will not be restored', path, exc)
            return None

    def _apply_sysfiles(self, plan):
        for path, text, verify in plan.sysfiles:
            key = ('sysfile', path)
            if key not in self._originals:
                original = self._read_original(path)
                if original is not None:
                    self._originals[key] = (original, verify)
            try:
                self.target.write_value(path, text, verify=verify)
            except Exception as exc:  # pylint: disable=broad-except
                if not _is_devlib_error(exc):
                    raise
                raise _target_error('Could not write {!r} to {}'.format(text, path), exc)

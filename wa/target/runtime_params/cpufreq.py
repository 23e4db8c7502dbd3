"""cpufreq parameters (devlib module ``cpufreq``): ``governor``, ``gov_tunables`` (alias
``governor_tunables``), ``frequency``, ``min_frequency``, ``max_frequency``. A frequency is a
value from the CPU's table, or ``min``/``max``. A fixed ``frequency`` needs the ``userspace``
governor, which is selected when no governor is given. Offline CPUs are left alone."""
import logging
from collections import OrderedDict

from wa.core.exceptions import ConfigError, TargetError
from wa.core.naming import did_you_mean
from wa.target.runtime_params import undo
from wa.target.runtime_params.errors import target_errors
from wa.target.runtime_params.grammar import Group, short, sysfs_text
from wa.target.runtime_params.hotplug import online_cpus

logger = logging.getLogger('runtime_params')
FREQUENCY_FIELDS = ('frequency', 'min_frequency', 'max_frequency')


def frequency(item, cpu, table):
    """``item``'s value as a frequency (kHz) from ``table``; ConfigError otherwise."""
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
        result = int(value)
    except (TypeError, ValueError):
        raise ConfigError('Runtime parameter "{}": {!r} is not a frequency (kHz) nor min/max'.format(
            item.name, value))
    if table and result not in table:
        raise ConfigError('Runtime parameter "{}": {} is not in the frequency table of cpu{} '
                          '(available: {})'.format(item.name, result, cpu, short(table, 40)))
    return result


def tunables(item):
    """The ``gov_tunables`` mapping as {name: text}; ConfigError for anything else."""
    if not isinstance(item.value, dict) or any(
            v is None or isinstance(v, (dict, list, tuple)) for v in item.value.values()):
        raise ConfigError('Runtime parameter "{}" must be a mapping of tunable names to values, '
                          'not {!r}'.format(item.name, item.value))
    return OrderedDict((str(k), sysfs_text(v)) for k, v in item.value.items())


def set_limits(cpufreq, cpu, low, high, exact):
    """Set min and/or max in an order the kernel accepts (min never above max)."""
    if low is not None and high is not None and low > cpufreq.get_max_frequency(cpu):
        cpufreq.set_max_frequency(cpu, high, exact=exact)
        cpufreq.set_min_frequency(cpu, low, exact=exact)
        return
    if low is not None:
        cpufreq.set_min_frequency(cpu, low, exact=exact)
    if high is not None:
        cpufreq.set_max_frequency(cpu, high, exact=exact)


class Cpufreq(Group):
    """Validates, applies and logs for undo the cpufreq settings of each CPU."""

    group = 'cpufreq'
    needs = ('cpufreq', 'root')


    def _table_cpu(self, cpu):
        """The CPU whose sysfs tells about ``cpu``: itself if online, else an online one of its kind."""
        try:
            online = online_cpus(self.target)
        except TargetError:
            return cpu
        if cpu in online:
            return cpu
        names = self.topology.core_names
        for other in sorted(online):
            if cpu < len(names) and other < len(names) and names[other] == names[cpu]:
                return other
        return cpu

    def resolve(self, items):
        """{cpu: {field: value}} (frequencies as ints); ConfigError for a value the CPU cannot take."""
        plan = OrderedDict()
        for cpu, fields in self.topology.per_cpu(items).items():
            source = self._table_cpu(cpu)
            settings = self._governor(cpu, source, fields)
            if any(f in fields for f in FREQUENCY_FIELDS):
                settings.update(self._frequencies(cpu, source, fields))
            if 'tunables' in fields:
                settings['tunables'] = tunables(fields['tunables'])
            plan[cpu] = settings
        return plan

    def _governor(self, cpu, source, fields):
        """{'governor': name} when one is given or a fixed frequency needs userspace."""
        chosen, fixed = fields.get('governor'), fields.get('frequency')
        if chosen is None and fixed is None:
            return {}
        governors = list(self.target.cpufreq.list_governors(source))
        if chosen is None:
            if 'userspace' not in governors:
                raise ConfigError('Runtime parameter "{}": a fixed frequency needs the userspace governor, '
                                  'which cpu{} does not have (available: {})'.format(
                                      fixed.name, cpu, short(governors)))
            return {'governor': 'userspace'}
        governor = str(chosen.value).strip()
        if governor not in governors:
            raise ConfigError('Runtime parameter "{}": governor "{}" is not available on cpu{} '
                              '(available: {}){}'.format(chosen.name, governor, cpu, short(governors),
                                                         did_you_mean(governor, governors)))
        if fixed is not None and governor != 'userspace':
            raise ConfigError('Runtime parameter "{}": a fixed frequency needs the userspace governor, '
                              'but "{}" sets {}'.format(fixed.name, chosen.name, governor))
        return {'governor': governor}

    def _frequencies(self, cpu, source, fields):
        table = sorted(int(f) for f in self.target.cpufreq.list_frequencies(source))
        settings = {f: frequency(fields[f], cpu, table) for f in FREQUENCY_FIELDS if f in fields}
        if settings.get('min_frequency', 0) > settings.get('max_frequency', float('inf')):
            raise ConfigError('Runtime parameters "{}" and "{}": the minimum frequency {} is above '
                              'the maximum {} on cpu{}'.format(
                                  fields['min_frequency'].name, fields['max_frequency'].name,
                                  settings['min_frequency'], settings['max_frequency'], cpu))
        return settings

    def apply(self, plan, log):
        if not plan:
            return
        online = online_cpus(self.target)
        for cpu, settings in plan.items():
            if cpu not in online:
                logger.debug('cpu%s is offline; not setting its cpufreq parameters', cpu)
                continue
            with target_errors('Could not set cpufreq parameters on cpu{}'.format(cpu)):
                governor = self._apply_governor(cpu, settings.get('governor'), log)
                self._apply_tunables(cpu, governor, settings.get('tunables'), log)
                self._apply_frequencies(cpu, settings, log)

    def _apply_governor(self, cpu, governor, log):
        """Set ``governor`` if given; return the governor now in use."""
        cpufreq = self.target.cpufreq
        current = cpufreq.get_governor(cpu)
        if governor is None or governor == current:
            return current
        log.record(('cpufreq_governor', cpu), 'cpu{} governor'.format(cpu), undo.GOVERNOR,
                   lambda: current, lambda original: cpufreq.set_governor(cpu, original))
        if current == 'userspace':
            self._record_setspeed(cpu, log)
        cpufreq.set_governor(cpu, governor)
        return governor

    def _record_setspeed(self, cpu, log):
        cpufreq = self.target.cpufreq

        def put_back(original):
            if cpufreq.get_governor(cpu) == 'userspace':
                cpufreq.set_frequency(cpu, original, exact=False)
        log.record(('cpufreq_setspeed', cpu), 'cpu{} frequency'.format(cpu), undo.SETSPEED,
                   lambda: cpufreq.get_frequency(cpu), put_back)

    def _apply_tunables(self, cpu, governor, values, log):
        if not values:
            return
        cpufreq = self.target.cpufreq
        existing = cpufreq.get_governor_tunables(cpu)

        def put_back(original, name):
            if cpufreq.get_governor(cpu) == governor:
                cpufreq.set_governor_tunables(cpu, governor, **{name: original})
        for name in values:
            if name in existing:
                log.record(('cpufreq_tunable', cpu, governor, name), 'cpu{} governor tunables'.format(cpu),
                           undo.TUNABLES, lambda n=name: existing[n], lambda o, n=name: put_back(o, n))
        cpufreq.set_governor_tunables(cpu, governor, **values)

    def _apply_frequencies(self, cpu, settings, log):
        cpufreq = self.target.cpufreq
        low, high = settings.get('min_frequency'), settings.get('max_frequency')
        if low is not None or high is not None:
            log.record(('cpufreq_limits', cpu), 'cpu{} frequency limits'.format(cpu), undo.LIMITS,
                       lambda: (cpufreq.get_min_frequency(cpu), cpufreq.get_max_frequency(cpu)),
                       lambda original: set_limits(cpufreq, cpu, original[0], original[1], exact=False))
            set_limits(cpufreq, cpu, low, high, exact=True)
        fixed = settings.get('frequency')
        if fixed is not None:
            if ('cpufreq_governor', cpu) not in log:
                # The governor was userspace already: the fixed frequency is the original.
                self._record_setspeed(cpu, log)
            cpufreq.set_frequency(cpu, fixed)

"""``num_cores``, ``num_<core>_cores`` (CPUs kept online, lowest numbers first) and
``cpu<N>_online`` (devlib module ``hotplug``). CPUs are brought online before others are
taken offline; restore brings CPUs back online first and takes them offline last."""
from wa.core.exceptions import ConfigError
from wa.target.runtime_params import undo
from wa.target.runtime_params.errors import target_errors
from wa.target.runtime_params.grammar import Group, short, to_bool


def online_cpus(target):
    """The set of CPUs online now; TargetError when the target cannot tell."""
    with target_errors('Could not list the online CPUs'):
        return set(target.list_online_cpus())


def _count(item, cpus):
    """The number of cores ``item`` keeps online among ``cpus``."""
    try:
        count = int(item.value)
        if isinstance(item.value, bool) or str(count) != str(item.value).strip():
            raise ValueError(item.value)
    except (TypeError, ValueError):
        raise ConfigError('Runtime parameter "{}": expected a number of cores, got {!r}'.format(
            item.name, item.value))
    if not 0 <= count <= len(cpus):
        raise ConfigError('Runtime parameter "{}": {} is out of range; there are {} such cores (cpu{})'.format(
            item.name, count, len(cpus), ', cpu'.join(str(c) for c in cpus)))
    return count


class Hotplug(Group):
    """Validates, applies and logs for undo which CPUs are online."""

    group = 'hotplug'
    needs = ('hotplug', 'root')

    def __init__(self, target, topology):
        super().__init__(target, topology)
        self._hotpluggable = None

    def _states(self, item):
        """({cpu: online}, rank) that ``item`` asks for."""
        cpus = self.topology.scope_cpus(item.scope)
        if item.field == 'online':
            return {cpus[0]: to_bool(item.value, item.name)}, item.rank
        count = _count(item, cpus)
        return {cpu: index < count for index, cpu in enumerate(cpus)}, item.rank

    def _wanted(self, items):
        """{cpu: (online, name)}, the most specific name winning."""
        wanted, rank = {}, {}
        for item in items:
            states, level = self._states(item)
            for cpu, online in states.items():
                if rank.get(cpu, -1) > level:
                    continue
                if rank.get(cpu) == level and wanted[cpu][0] != online:
                    raise ConfigError('Runtime parameters "{}" and "{}" disagree on whether cpu{} is '
                                      'online'.format(wanted[cpu][1], item.name, cpu))
                wanted[cpu], rank[cpu] = (online, item.name), level
        if not any(wanted[cpu][0] if cpu in wanted else True for cpu in self.topology.cpus):
            raise ConfigError('Runtime parameters {} would take every CPU offline'.format(
                ', '.join(i.name for i in items)))
        return wanted

    def resolve(self, items):
        """{cpu: online} for the hotpluggable CPUs named; ConfigError for a CPU that cannot go offline."""
        if not items:
            return {}
        wanted = self._wanted(items)
        if self._hotpluggable is None:
            self._hotpluggable = list(self.target.hotplug.list_hotpluggable_cpus())
        states = {}
        for cpu in sorted(wanted):
            online, name = wanted[cpu]
            if cpu not in self._hotpluggable:
                if online:
                    continue  # cannot be switched off, so it is online
                raise ConfigError('Runtime parameter "{}": cpu{} cannot be taken offline on this target '
                                  '(hotpluggable: {})'.format(
                                      name, cpu, short('cpu{}'.format(c) for c in self._hotpluggable) or 'none'))
            states[cpu] = online
        return states

    def apply(self, states, log):
        if not states:
            return
        current = online_cpus(self.target)
        for online in (True, False):
            for cpu, wanted in states.items():
                if wanted == online and (cpu in current) != online:
                    self._set(cpu, online, current, log)

    def _set(self, cpu, online, current, log):
        was_online = cpu in current
        log.record(('online', cpu), 'cpu{} {}'.format(cpu, 'online' if was_online else 'offline'),
                   undo.ONLINE if was_online else undo.OFFLINE, lambda: was_online,
                   lambda original, c=cpu: self._put(c, original))
        with target_errors('Could not put cpu{} {}'.format(cpu, 'online' if online else 'offline')):
            self._put(cpu, online)

    def _put(self, cpu, online):
        if online:
            self.target.hotplug.online(cpu)
        else:
            self.target.hotplug.offline(cpu)

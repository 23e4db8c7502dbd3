"""``idle_states`` (devlib module ``cpuidle``): the idle states to leave enabled (names or
ids, a list or a single one, or ``all``/``none``); the others are disabled. Offline CPUs are
left alone."""
import logging

from wa.core.exceptions import ConfigError
from wa.core.naming import did_you_mean, identifier
from wa.target.runtime_params import undo
from wa.target.runtime_params.errors import target_errors
from wa.target.runtime_params.grammar import Group, IDLE_FIELD, short
from wa.target.runtime_params.hotplug import online_cpus

logger = logging.getLogger('runtime_params')


def enabled_ids(item, cpu, states):
    """The ids of the states ``item`` leaves enabled on ``cpu``; ConfigError for an unknown one."""
    value = item.value
    if isinstance(value, str) and value.strip().lower() in ('all', 'none'):
        return {s.id for s in states} if value.strip().lower() == 'all' else set()
    enabled = set()
    for name in value if isinstance(value, (list, tuple)) else [value]:
        key = identifier(name)
        found = [s for s in states if key in (identifier(s.id), identifier(s.name), identifier(s.desc))]
        if not found:
            choices = [s.name for s in states]
            raise ConfigError('Runtime parameter "{}": cpu{} has no idle state "{}" (available: {}){}'.format(
                item.name, cpu, name, short(choices), did_you_mean(name, choices)))
        enabled.add(found[0].id)
    return enabled


class Cpuidle(Group):
    """Validates, applies and logs for undo the idle states of each CPU."""

    group = 'cpuidle'
    needs = ('cpuidle', 'root')


    def resolve(self, items):
        """{cpu: set of state ids to leave enabled}."""
        plan = {}
        for cpu, fields in self.topology.per_cpu(items).items():
            item = fields[IDLE_FIELD]
            states = list(self.target.cpuidle.get_states(cpu))
            if not states:
                raise ConfigError('Runtime parameter "{}": cpu{} has no idle states'.format(item.name, cpu))
            plan[cpu] = enabled_ids(item, cpu, states)
        return plan

    def apply(self, plan, log):
        online = online_cpus(self.target) if plan else set()
        for cpu, enabled in plan.items():
            if cpu not in online:
                logger.debug('cpu%s is offline; not setting its idle states', cpu)
                continue
            with target_errors('Could not set the idle states of cpu{}'.format(cpu)):
                for state in self.target.cpuidle.get_states(cpu):
                    want, now = state.id in enabled, state.is_enabled
                    if want != now:
                        log.record(('idle', cpu, state.id), 'cpu{} idle state {}'.format(cpu, state.id),
                                   undo.IDLE, lambda n=now: n,
                                   lambda original, s=state.id: self._set(cpu, s, original))
                        self._set(cpu, state.id, want)

    def _set(self, cpu, state_id, enabled):
        for state in self.target.cpuidle.get_states(cpu):
            if state.id == state_id:
                if enabled:
                    state.enable()
                else:
                    state.disable()
                return
        raise ValueError('cpu{} has no idle state {}'.format(cpu, state_id))

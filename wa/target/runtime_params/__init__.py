"""Runtime parameters: settings applied to a connected devlib target before each job.

An agenda's ``runtime_params`` is a flat dict; its names are parsed by :mod:`.grammar` and
handled by one module per group: :mod:`.sysfile` (``sysfile_values``), :mod:`.hotplug`
(``num_cores``, ``cpu<N>_online``), :mod:`.cpufreq` (governor, tunables, frequencies) and
:mod:`.cpuidle` (``idle_states``). Each change is logged in an :class:`.undo.UndoLog`, which
``restore`` walks at the end of the run; :mod:`.errors` turns devlib's failures into
TargetError.

Everything needs root on the target. Where the target lacks what a group of names needs
(a devlib module, or root), ``on_missing='skip'`` logs one warning naming what is missing
and skips those names; ``on_missing='fail'`` makes :meth:`RuntimeParams.validate` raise.

devlib is only imported inside functions, so that importing this package stays cheap.
"""
import logging
from collections import OrderedDict

from wa.core.exceptions import ConfigError, TargetError
from wa.target.runtime_params.cpufreq import Cpufreq
from wa.target.runtime_params.cpuidle import Cpuidle
from wa.target.runtime_params.errors import target_errors
from wa.target.runtime_params.grammar import Topology, core_identifier
from wa.target.runtime_params.hotplug import Hotplug
from wa.target.runtime_params.sysfile import Sysfile
from wa.target.runtime_params.undo import UndoLog

__all__ = ['RuntimeParams', 'core_identifier', 'ON_MISSING']

logger = logging.getLogger('runtime_params')

ON_MISSING = ('skip', 'fail')
# Resolved in this order; applied hotplug first (so cpufreq and idle states see the final
# set of online CPUs), files last.
GROUPS = (Sysfile, Hotplug, Cpufreq, Cpuidle)
APPLY_ORDER = ('hotplug', 'cpufreq', 'cpuidle', 'sysfile')
NEED_TEXT = {
    'root': 'root access',
    'cpufreq': "cpufreq support (devlib module 'cpufreq' not loaded)",
    'cpuidle': "cpuidle support (devlib module 'cpuidle' not loaded)",
    'hotplug': "CPU hotplug support (devlib module 'hotplug' not loaded)",
}


class RuntimeParams(object):
    """Validates, applies and restores runtime parameters on a connected devlib target.

    ``validate(params)`` checks names and values against the target before the first job
    (raising ConfigError), ``apply(params)`` sets them before a job (raising TargetError),
    ``restore()`` puts back, at the end of the run, the value each setting had before
    ``apply`` first changed it.
    """

    def __init__(self, target, on_missing='skip'):
        if on_missing not in ON_MISSING:
            raise ConfigError('on_missing must be one of {}, not {!r}'.format(', '.join(ON_MISSING), on_missing))
        self.target = target
        self.on_missing = on_missing
        self.undo = UndoLog()
        self._topology = None
        self._groups = None
        self._plans = {}
        self._warned = set()
        self._rooted = None

    def validate(self, params):
        """Raise ConfigError for a name or value the target cannot take, or a sysfile (other
        than a write-only ``!`` one) that does not exist on it."""
        plan = self._plan(params or {})
        for name, part in plan.items():
            self._group(name).validate(part)

    def apply(self, params):
        """Set ``params`` on the target; raise TargetError when that fails."""
        if not params:
            return
        with target_errors('Could not read the target to apply runtime parameters'):
            plan = self._plan(params)
        for name in APPLY_ORDER:
            if name in plan:
                self._group(name).apply(plan[name], self.undo)

    def restore(self):
        """Put back every value that apply() changed; raise TargetError if one could not be."""
        self.undo.restore()

    def _group(self, name):
        if self._groups is None:
            self._topology = Topology(self.target)
            self._groups = OrderedDict((g.group, g(self.target, self._topology)) for g in GROUPS)
        return self._groups[name]

    def _plan(self, params):
        """{group: resolved settings} for ``params``, cached by their text."""
        key = repr(params)
        if key not in self._plans:
            self._group('sysfile')
            items = self._check_capabilities(self._topology.parse(params))
            self._plans[key] = OrderedDict(
                (name, group.resolve([i for i in items if i.group == name]))
                for name, group in self._groups.items())
        return self._plans[key]

    # ------------------------------------------------------------------ capabilities

    def _is_rooted(self):
        if self._rooted is None:
            try:
                with target_errors('Could not tell whether the target is rooted'):
                    self._rooted = bool(self.target.is_rooted)
            except TargetError:
                self._rooted = False
        return self._rooted

    def _missing(self, group):
        """The needs of ``group`` (devlib modules, root) that the target lacks."""
        return tuple(need for need in self._group(group).needs
                     if not (self._is_rooted() if need == 'root' else self.target.has(need)))

    def _check_capabilities(self, items):
        """Drop the items the target cannot take (warning once), or raise in 'fail' mode."""
        kept, by_missing = [], OrderedDict()
        for item in items:
            missing = self._missing(item.group)
            if missing:
                by_missing.setdefault(missing, []).append(item.name)
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
        return kept

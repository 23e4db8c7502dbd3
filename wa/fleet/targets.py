"""The targets of a fleet: the ``targets`` list of the configuration, checked, and one of them
pinned as the target of a single-target run.

A fleet is given as::

    targets:
      - {name: board1, device: linux, device_config: {host: 10.0.0.1, username: root}}
      - {name: board2, device_config: {host: 10.0.0.2}}   # device and device_config default
                                                          # to the run's own
"""
import re

from wa.config.configuration import merge_dicts
from wa.core.exceptions import ConfigError
from wa.core.naming import did_you_mean

TARGET_KEYS = ('name', 'device', 'device_config')
# A name becomes the directory of the target's run inside the output directory.
_NAME = re.compile(r'[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z')


class FleetTarget:
    """One target of a fleet: its name, target type and connection settings."""

    __slots__ = ('name', 'device', 'device_config')

    def __init__(self, name, device, device_config):
        self.name = name
        self.device = device
        self.device_config = device_config

    def describe(self):
        """Name and device, without connection settings (which may hold a password)."""
        return {'name': self.name, 'device': self.device}


def check_name(name, where='target'):
    """``name`` if it is usable as a directory name; ConfigError otherwise."""
    name = str(name)
    if not _NAME.match(name) or '..' in name:
        raise ConfigError('{}: invalid target name "{}": it names a directory of the output, '
                          'so use 1-64 letters, digits, "_", "." and "-", starting with a '
                          'letter or digit'.format(where, name))
    return name


def fleet_targets(run_config):
    """The FleetTargets of ``run_config`` (its ``targets`` setting), in order; [] when it has
    none. Raises ConfigError (``file:line: targets[i]: ...``) for a target without a name, an
    unsafe or repeated name, an unknown key or a ``device_config`` that is not a mapping."""
    settings = run_config.settings
    targets, seen = [], set()
    for index, item in enumerate(settings.get('targets') or []):
        where = '{}: targets[{}]'.format(run_config.where('targets'), index)
        for key in item:
            if key not in TARGET_KEYS:
                raise ConfigError('{}: unknown key "{}" in a target{}'.format(
                    where, key, did_you_mean(key, TARGET_KEYS)))
        if item.get('name') is None:
            raise ConfigError('{}: every target needs a "name"'.format(where))
        name = check_name(item['name'], where)
        if name in seen:
            raise ConfigError('{}: target name "{}" is used twice'.format(where, name))
        seen.add(name)
        device = str(item.get('device') or settings['device'])
        config = item.get('device_config') or {}
        if not isinstance(config, dict):
            raise ConfigError('{}: "device_config" of target "{}" must be a mapping'.format(
                where, name))
        if device == settings['device']:
            config = merge_dicts(settings['device_config'], config)
        targets.append(FleetTarget(name, device, config))
    return targets


def pin_target(run_config, name):
    """Makes ``run_config`` a single-target run on its fleet's target ``name``.

    Returns False when ``run_config`` is a fleet and no ``name`` is given (the fleet
    orchestrator runs it), True when it is now a single-target run. ConfigError when ``name``
    is not one of the fleet's targets."""
    targets = fleet_targets(run_config)
    if name is None:
        return not targets
    by_name = {target.name: target for target in targets}
    if name not in by_name:
        if not targets:
            raise ConfigError('--target {}: no "targets" are configured'.format(name))
        raise ConfigError('--target {}: no such target{}; targets are: {}'.format(
            name, did_you_mean(name, list(by_name)), ', '.join(by_name)))
    target = by_name[name]
    run_config.settings.update(device=target.device, device_config=target.device_config,
                               targets=None)
    return True

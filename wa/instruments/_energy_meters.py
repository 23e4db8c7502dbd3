"""The settings of devlib's power meters, as ``energy_measurement`` takes them and checks them
before the run.

A meter's settings come from ``instrument_parameters`` or, as WA3 3.3.1 wrote them, from a
block named after the meter in the config (``acme_cape: {host: ..., iio_devices: [...]}``,
WA3's energy instrument backends); ``instrument_parameters`` win. Names are devlib's
constructor arguments, written with ``_`` or ``-`` (WA3's ``iio-capture``, ``buffer-size``).
WA3's acme_cape took ``iio_devices``, a list: as in WA3, one devlib meter per IIO device.
WA3's global aliases of the daq settings (``daq_resistor_values``...) are accepted too.
"""
import difflib
import os
import shutil

from wa import ConfigError

# name -> (module, class) of devlib's power instruments.
DEVLIB_METERS = {
    'daq': ('devlib.instrument.daq', 'DaqInstrument'),
    'energy_probe': ('devlib.instrument.energy_probe', 'EnergyProbeInstrument'),
    'arm_energy_probe': ('devlib.instrument.arm_energy_probe', 'ArmEnergyProbeInstrument'),
    'acme_cape': ('devlib.instrument.acmecape', 'AcmeCapeInstrument'),
    'monsoon': ('devlib.instrument.monsoon', 'MonsoonInstrument'),
    'juno_readenergy': ('devlib.platform.arm', 'JunoEnergyInstrument'),
}
# Settings a meter takes beyond devlib's arguments: name -> the argument each value becomes
LISTED = {'acme_cape': {'iio_devices': 'iio_device'}}
# WA3's global aliases of its daq backend's settings -> (meter, setting)
WA3_ALIASES = {'daq_' + alias: ('daq', setting) for alias, setting in (
    ('resistor_values', 'resistor_values'), ('labels', 'labels'), ('server_host', 'host'),
    ('server_port', 'port'), ('device_id', 'device_id'), ('v_range', 'v_range'),
    ('dv_range', 'dv_range'), ('sampling_rate', 'sample_rate_hz'),
    ('channel_map', 'channel_map'))}
# Settings naming something on the host (devlib only finds out when the job starts)
HOST_PROGRAMS = {'acme_cape': 'iio_capture', 'monsoon': 'monsoon_bin'}
HOST_FILES = {'arm_energy_probe': 'config_file'}


def meter_arguments(instrument):
    """``(names, required names)`` that devlib's meter class ``instrument`` takes after the
    target, or None when they cannot be known (its module does not import, or it takes any
    keyword)."""
    import importlib  # pylint: disable=import-outside-toplevel
    import inspect  # pylint: disable=import-outside-toplevel
    module_name, class_name = DEVLIB_METERS[instrument]
    try:
        meter_class = getattr(importlib.import_module(module_name), class_name)
        parameters = list(inspect.signature(meter_class.__init__).parameters.values())[2:]
    except Exception:  # pylint: disable=broad-except
        return None
    if any(p.kind == p.VAR_KEYWORD for p in parameters):
        return None
    names = [p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    return names, [p.name for p in parameters if p.default is p.empty and p.name in names]


def setting_error(key, message):
    """A ConfigError pointing at the setting ``key`` of energy_measurement (its file:line)."""
    error = ConfigError(message)
    error.key = key
    return error


def _named(settings, key):
    if settings is None:
        return {}
    if not isinstance(settings, dict):
        raise setting_error(key, '{}: expected a mapping of the meter\'s settings, got '
                                 '"{}"'.format(key, settings))
    return {str(name).replace('-', '_'): (value, key) for name, value in settings.items()}


def _check(instrument, given):
    """Each name of ``given`` ({name: (value, where set)}) is one the meter takes."""
    accepted = meter_arguments(instrument)
    if accepted is None:
        return
    names, required = accepted
    names = names + list(LISTED.get(instrument, ()))
    for name, (_, key) in given.items():
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            raise setting_error(key, '{}: the {} meter has no setting "{}"{}; its settings: '
                                     '{}'.format(key, instrument, name,
                                                 ' (did you mean "{}"?)'.format(close[0])
                                                 if close else '', ', '.join(names)))
    for listed, argument in LISTED.get(instrument, {}).items():
        if listed in given and argument in given:
            raise setting_error(given[listed][1], '{}: give either "{}" or "{}" of the {} '
                                'meter, not both'.format(given[listed][1], listed, argument,
                                                         instrument))
    _check_host_paths(instrument, given)
    missing = [name for name in required if name not in given]
    if missing:
        key = next((k for _, k in given.values() if k == 'instrument_parameters'),
                   next((k for _, k in given.values()), 'instrument_parameters'))
        raise setting_error(key, '{}: the {} meter needs {}'.format(
            key, instrument, ', '.join('"{}"'.format(name) for name in missing)))


def _check_host_paths(instrument, given):
    for names, found, what in ((HOST_PROGRAMS, shutil.which, 'a program'),
                               (HOST_FILES, os.path.isfile, 'a file')):
        name = names.get(instrument)
        if name in given and given[name][0] is not None and not found(str(given[name][0])):
            raise setting_error(given[name][1], '{}: the {} meter\'s {} "{}" is not {} on this '
                                'host'.format(given[name][1], instrument, name, given[name][0],
                                              what))


def as_given(value):
    """A setting's value as written (the meter checks it)."""
    return value


def meter_settings(instrument, instrument_parameters, block, aliases=None):
    """``[(device or None, {devlib argument: value})]``, one entry per devlib meter to create,
    from WA3's global ``aliases`` ({alias: value}, see WA3_ALIASES), the meter's WA3 ``block``
    and ``instrument_parameters``, the later winning. Raises a ConfigError (its ``key`` says
    where the setting was given) for a name the meter does not take, or a required one
    missing."""
    given = {WA3_ALIASES[alias][1]: (value, alias) for alias, value in (aliases or {}).items()
             if value is not None and WA3_ALIASES[alias][0] == instrument}
    given.update(_named(block, instrument))
    given.update(_named(instrument_parameters, 'instrument_parameters'))
    _check(instrument, given)
    arguments = {name: value for name, (value, _) in given.items()}
    for listed, argument in LISTED.get(instrument, {}).items():
        if listed in arguments:
            devices = arguments.pop(listed)
            devices = [str(d) for d in devices] if isinstance(devices, (list, tuple)) \
                else [str(devices)]
            if not devices:
                raise setting_error(given[listed][1], '{}: "{}" is empty'.format(
                    given[listed][1], listed))
            return [(device, dict(arguments, **{argument: device})) for device in devices]
    return [(None, arguments)]


def meters_metrics(meters, instrument, context):
    """``(name, value, units, classifiers)`` of each meter of ``meters`` ((device, devlib
    meter)) for the job: ``energy`` (J) and ``mean_power`` (W) per site, from devlib's derived
    measurements of the samples, which are saved as the job's artifacts. With several meters
    (one per IIO device) each metric is classified by its ``device`` too, and their sums per
    site are reported as well, as WA3 did."""
    metrics, totals = [], {}
    for device, meter in meters:
        name = 'energy_instrument_output' + ('_{}'.format(device) if len(meters) > 1 else '')
        path = os.path.join(context.output_directory, 'energy_measurement{}.csv'.format(
            '_' + device.replace(':', '_') if len(meters) > 1 else ''))
        for metric in _derived(meter.get_data(path)):
            if len(meters) > 1:
                metric[3]['device'] = device
                key = metric[:1] + (metric[2], metric[3]['site'])
                totals[key] = totals.get(key, 0) + metric[1]
            metrics.append(metric)
        for artifact in (name.replace('energy_instrument_output', 'energy_measurement'), name):
            context.add_artifact(artifact, path, 'data',  # this project's name first, then WA3's
                                 description='{} samples'.format(instrument))
    metrics.extend((name, value, units, {'site': site})
                   for (name, units, site), value in sorted(totals.items()))
    return metrics


def _derived(samples):
    from devlib import DerivedEnergyMeasurements  # pylint: disable=import-outside-toplevel
    if samples is None:
        return []
    metrics = []
    for derived in DerivedEnergyMeasurements.process(samples):
        for suffix, name, units in (('_total_energy', 'energy', 'J'),
                                    ('_average_power', 'mean_power', 'W')):
            if derived.name.endswith(suffix):
                metrics.append((name, derived.value, units,
                                {'site': derived.name[:-len(suffix)]}))
    return metrics

"""The ``energy_measurement`` instrument: energy and mean power per job.

From the kernel's RAPL energy counters (powercap) on the target, or from one of the external
power meters that devlib drives.
"""
import difflib
import os
import re

from wa import ConfigError, Instrument, Parameter, NotSupportedError, InstrumentError, types
from wa.utils.numbers import to_number
from wa.utils.shell import quote_glob
from wa.utils.target_files import read_files

POWERCAP_ROOT = '/sys/class/powercap'
UPTIME = '/proc/uptime'
_ZONE_FILES = ('name', 'energy_uj', 'max_energy_range_uj')

# name -> (module, class) of devlib's power instruments.
DEVLIB_METERS = {
    'daq': ('devlib.instrument.daq', 'DaqInstrument'),
    'energy_probe': ('devlib.instrument.energy_probe', 'EnergyProbeInstrument'),
    'arm_energy_probe': ('devlib.instrument.arm_energy_probe', 'ArmEnergyProbeInstrument'),
    'acme_cape': ('devlib.instrument.acmecape', 'AcmeCapeInstrument'),
    'monsoon': ('devlib.instrument.monsoon', 'MonsoonInstrument'),
    'juno_readenergy': ('devlib.platform.arm', 'JunoEnergyInstrument'),
}
INSTRUMENTS = ['rapl'] + sorted(DEVLIB_METERS)


def parse_powercap(files):
    """``{zone id: {'name', 'energy_uj', 'max_energy_range_uj'}}`` from ``{path: text}`` of
    powercap zone files (``/sys/class/powercap/<zone id>/<file>``). A zone id such as
    ``intel-rapl:0:1`` names a subzone of ``intel-rapl:0``. Zones without an energy counter
    are left out."""
    zones = {}
    for path, text in files.items():
        parts = path.rstrip('/').split('/')
        if len(parts) < 2 or parts[-1] not in _ZONE_FILES:
            continue
        zone = zones.setdefault(parts[-2], {})
        value = text.strip()
        zone[parts[-1]] = value if parts[-1] == 'name' else to_number(value, None)
    return {zone_id: zone for zone_id, zone in zones.items()
            if isinstance(zone.get('energy_uj'), int)}


def zone_label(zone_id, zones):
    """A readable, unique label: the zone's name, prefixed by its parent's for a subzone
    (``package-0/core``)."""
    name = zones[zone_id].get('name') or zone_id
    parent = zone_id.rsplit(':', 1)[0]
    if parent != zone_id and parent in zones and re.search(r':\d+:\d+$', zone_id):
        return '{}/{}'.format(zone_label(parent, zones), name)
    return name


def rapl_energy(before, after):
    """``{label: joules}`` used by each zone between two ``parse_powercap`` results, allowing
    for one wrap of a counter at its ``max_energy_range_uj``."""
    energy = {}
    for zone_id, zone in sorted(after.items()):
        if zone_id not in before:
            continue
        delta = zone['energy_uj'] - before[zone_id]['energy_uj']
        if delta < 0:
            limit = zone.get('max_energy_range_uj') or before[zone_id].get('max_energy_range_uj')
            if not limit:
                continue
            delta += limit
        label = zone_label(zone_id, after)
        if label in energy:     # e.g. intel-rapl-mmio:0 is also called package-0
            label = zone_id
        energy[label] = delta / 1e6
    return energy


def uptime_seconds(text):
    """Seconds since boot from /proc/uptime text."""
    return float(text.split()[0])


def energy_metrics(energy, seconds):
    """``(name, value, units, classifiers)``: ``energy`` (J) and ``mean_power`` (W) per site."""
    metrics = []
    for site, joules in sorted(energy.items()):
        metrics.append(('energy', round(joules, 6), 'J', {'site': site}))
        if seconds and seconds > 0:
            metrics.append(('mean_power', round(joules / seconds, 6), 'W', {'site': site}))
    return metrics


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


def _meter_error(message):
    """A ConfigError pointing at ``instrument_parameters``."""
    error = ConfigError(message)
    error.key = 'instrument_parameters'
    return error


class EnergyMeasurement(Instrument):

    name = 'energy_measurement'
    description = """Measures the energy used during each job, and the mean power.

    With ``instrument: rapl`` (the default) it reads the target's RAPL energy counters through
    the kernel's powercap interface (/sys/class/powercap/intel-rapl:*/energy_uj) in
    ``very_fast_start`` and ``very_fast_stop``, and reports for each zone (``package-0``,
    ``package-0/core``, ``package-0/dram``, ...) the metrics ``energy`` (J) and ``mean_power``
    (W) with a ``site`` classifier. The counters are root-only on current kernels.

    The other instruments are devlib's external power meters (``daq``, ``energy_probe``,
    ``arm_energy_probe``, ``acme_cape``, ``monsoon``, ``juno_readenergy``), configured with
    ``instrument_parameters`` (passed to the devlib class: e.g. ``resistor_values`` for daq and
    energy_probe). They are started in ``very_fast_start`` and stopped in ``very_fast_stop``;
    their samples are saved as ``energy_measurement.csv`` and devlib's derived energy and
    average power per site are reported as ``energy`` (J) and ``mean_power`` (W).

    Where the target has no RAPL counters (most virtual machines and non-Intel/AMD targets)
    or the meter cannot be reached, the instrument says so at the start and is disabled.
    """
    parameters = [
        Parameter('instrument', kind=str, default='rapl', allowed_values=INSTRUMENTS,
                  description='Where the energy comes from.'),
        Parameter('instrument_parameters', kind=types.dict_of_str, default=None,
                  description="Parameters of devlib's meter class (not used by rapl)."),
        Parameter('sites', kind=types.list_of_str, default=None,
                  description='Only these sites (RAPL zone labels, or meter channel sites).'),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.meter = None
        self.before = self.after = None

    def validate(self):
        """Checks ``instrument_parameters`` against the devlib meter's constructor before the
        run: an unknown name or a missing required one is a configuration error."""
        if self.instrument == 'rapl':
            if self.instrument_parameters:
                raise _meter_error('instrument_parameters are for the devlib meters; rapl '
                                   'takes none')
            return
        accepted = meter_arguments(self.instrument)
        if accepted is None:
            return
        names, required = accepted
        given = self.instrument_parameters or {}
        for key in given:
            if key not in names:
                close = difflib.get_close_matches(key, names, n=1)
                raise _meter_error('instrument_parameters: the {} meter has no setting "{}"{}; '
                                  'its settings: {}'.format(
                                      self.instrument, key,
                                      ' (did you mean "{}"?)'.format(close[0]) if close else '',
                                      ', '.join(names)))
        missing = [name for name in required if name not in given]
        if missing:
            raise _meter_error('instrument_parameters: the {} meter needs {}'.format(
                self.instrument, ', '.join('"{}"'.format(name) for name in missing)))

    # RAPL
    def _rapl_files(self):
        patterns = ['{}/*/{}'.format(POWERCAP_ROOT, name) for name in _ZONE_FILES] + [UPTIME]
        return read_files(self.target, patterns, recursive=False)

    def _init_rapl(self):
        zones = self.target.execute('ls -d {} 2>/dev/null; true'.format(
            quote_glob(POWERCAP_ROOT + '/*rapl*')))
        if not zones.split():
            raise NotSupportedError('the target has no RAPL energy counters (no {}/intel-rapl:* '
                                    'powercap zones: needs an Intel or AMD CPU, not a virtual '
                                    'one, and the intel_rapl driver)'.format(POWERCAP_ROOT))
        found = parse_powercap(self._rapl_files())
        if not found:
            raise NotSupportedError('the RAPL energy counters ({}/*/energy_uj) cannot be read '
                                    'on the target; they need root'.format(POWERCAP_ROOT))

    # devlib meters
    def _init_meter(self):
        import importlib  # pylint: disable=import-outside-toplevel
        module_name, class_name = DEVLIB_METERS[self.instrument]
        try:
            meter_class = getattr(importlib.import_module(module_name), class_name)
            self.meter = meter_class(self.target, **(self.instrument_parameters or {}))
            self.meter.setup()
            self.meter.reset(sites=self.sites or None)
        except Exception as error:  # pylint: disable=broad-except
            raise NotSupportedError('the {} power meter cannot be used: {}: {}'.format(
                self.instrument, type(error).__name__,
                ' '.join(str(error).split())[:300] or 'no details'))
        if not self.meter.active_channels:
            raise NotSupportedError('the {} power meter has no channel for the sites asked '
                                    'for'.format(self.instrument))

    def initialize(self, context):
        if self.instrument == 'rapl':
            self._init_rapl()
        else:
            self._init_meter()

    def very_fast_start(self, context):
        self.before = self.after = None
        if self.meter is None:
            self.before = self._rapl_files()
        else:
            self.meter.start()

    def very_fast_stop(self, context):
        if self.meter is None:
            self.after = self._rapl_files()
        else:
            self.meter.stop()

    def update_result(self, context):
        if self.meter is None:
            metrics = self._rapl_metrics()
        else:
            metrics = self._meter_metrics(context)
        if self.sites:
            metrics = [m for m in metrics if m[3]['site'] in self.sites]
        for name, value, units, classifiers in metrics:
            context.add_metric(name, value, units, lower_is_better=True,
                               classifiers=classifiers)

    def _rapl_metrics(self):
        if self.before is None or self.after is None:
            raise InstrumentError('energy_measurement: the counters were not read for this job')
        energy = rapl_energy(parse_powercap(self.before), parse_powercap(self.after))
        seconds = uptime_seconds(self.after[UPTIME]) - uptime_seconds(self.before[UPTIME])
        return energy_metrics(energy, seconds)

    def _meter_metrics(self, context):
        from devlib import DerivedEnergyMeasurements  # pylint: disable=import-outside-toplevel
        path = os.path.join(context.output_directory, 'energy_measurement.csv')
        samples = self.meter.get_data(path)
        for name in ('energy_measurement', 'energy_instrument_output'):  # first name, WA3's
            context.add_artifact(name, path, 'data',
                                 description='{} samples'.format(self.instrument))
        metrics = []
        for derived in DerivedEnergyMeasurements.process(samples):
            if derived.name.endswith('_total_energy'):
                metrics.append(('energy', derived.value, 'J',
                                {'site': derived.name[:-len('_total_energy')]}))
            elif derived.name.endswith('_average_power'):
                metrics.append(('mean_power', derived.value, 'W',
                                {'site': derived.name[:-len('_average_power')]}))
        return metrics

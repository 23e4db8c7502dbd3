"""The ``energy_measurement`` instrument: energy and mean power per job.

From the kernel's RAPL energy counters (powercap) on the target, or from one of the external
power meters that devlib drives.
"""
import re

from wa import Instrument, Parameter, NotSupportedError, InstrumentError, types
from wa.instruments._energy_meters import (DEVLIB_METERS, WA3_ALIASES, as_given,
                                           meter_settings, meters_metrics, setting_error)
from wa.utils.numbers import to_number
from wa.utils.shell import quote_glob
from wa.utils.target_files import read_files

POWERCAP_ROOT = '/sys/class/powercap'
UPTIME = '/proc/uptime'
_ZONE_FILES = ('name', 'energy_uj', 'max_energy_range_uj')

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
    energy_probe) or, as in WA3, a block named after the meter in the config
    (``acme_cape: {host: acme.local, iio_devices: [iio:device0, iio:device1]}``); names are
    checked before the run. WA3's ``iio_devices`` of acme_cape (a list) gives one meter per
    IIO device, as devlib's takes one (``iio_device``). Meters are started in
    ``very_fast_start`` and stopped in ``very_fast_stop``; their samples are saved as
    ``energy_measurement.csv`` (one per IIO device: ``energy_measurement_iio_device0.csv``)
    and devlib's derived energy and average power per site are reported as ``energy`` (J)
    and ``mean_power`` (W); with several IIO devices, per ``device`` and summed.

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
    ] + [Parameter(meter, kind=types.dict_of_str, default=None, global_alias=meter,
                   description='WA3\'s ``{0}:`` block in the config: the {0} meter\'s '
                               'settings (instrument_parameters win).'.format(meter))
         for meter in sorted(DEVLIB_METERS)] + [
        Parameter(alias, kind=as_given, default=None, global_alias=alias,
                  description='WA3\'s global alias of the {} meter\'s {}.'.format(
                      *WA3_ALIASES[alias]))
        for alias in sorted(WA3_ALIASES)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.meters = []  # (IIO device or None, devlib meter)
        self.before = self.after = None

    def validate(self):
        """Checks the meter's settings (``instrument_parameters`` and WA3's block named after
        the meter) against devlib's meter class before the run: an unknown name or a missing
        required one is a configuration error."""
        if self.instrument == 'rapl':
            if self.instrument_parameters:
                raise setting_error('instrument_parameters', 'instrument_parameters are for '
                                    'the devlib meters; rapl takes none')
            return
        self._meter_settings()

    def _meter_settings(self):
        return meter_settings(self.instrument, self.instrument_parameters,
                              getattr(self, self.instrument),
                              {alias: getattr(self, alias) for alias in WA3_ALIASES})

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
            for device, arguments in self._meter_settings():
                meter = meter_class(self.target, **arguments)
                self.meters.append((device, meter))
                meter.setup()
                meter.reset(sites=self.sites or None)
        except Exception as error:  # pylint: disable=broad-except
            raise NotSupportedError('the {} power meter cannot be used: {}: {}'.format(
                self.instrument, type(error).__name__,
                ' '.join(str(error).split())[:300] or 'no details'))
        if not all(meter.active_channels for _, meter in self.meters):
            raise NotSupportedError('the {} power meter has no channel for the sites asked '
                                    'for'.format(self.instrument))

    def initialize(self, context):
        if self.instrument == 'rapl':
            self._init_rapl()
        else:
            self._init_meter()

    def finalize(self, context):
        for _, meter in self.meters:
            meter.teardown()  # devlib's meters remove their raw files unless keep_raw

    def very_fast_start(self, context):
        self.before = self.after = None
        if not self.meters:
            self.before = self._rapl_files()
        for _, meter in self.meters:
            meter.start()

    def very_fast_stop(self, context):
        if not self.meters:
            self.after = self._rapl_files()
        for _, meter in self.meters:
            meter.stop()

    def update_result(self, context):
        if not self.meters:
            metrics = self._rapl_metrics()
        else:
            metrics = meters_metrics(self.meters, self.instrument, context)
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

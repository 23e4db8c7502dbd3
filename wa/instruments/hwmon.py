"""The ``hwmon`` instrument: the target's hwmon sensors through devlib's HwmonInstrument."""
import shlex

from wa import Instrument, Parameter, NotSupportedError, types

HWMON_ROOT = '/sys/class/hwmon'
# devlib measurement kind -> (metric name, units)
KINDS = {'temperature': ('temperature', 'C'), 'power': ('power', 'W'),
         'energy': ('energy', 'J'), 'voltage': ('voltage', 'V'), 'current': ('current', 'A')}


def readings(measurements):
    """``{(site, kind): value}`` from devlib Measurements (whose channels have ``site`` and
    ``kind``)."""
    return {(m.channel.site, m.channel.kind): m.value for m in measurements}


def hwmon_metrics(before, after):
    """The metrics for one job from two ``readings``: ``(name, value, units, classifiers)``.

    Energy counters give the energy used during the run (after - before, in J); other sensors
    (temperature, power, voltage, current) give their value before and after, told apart by the
    ``when`` classifier. Every metric has a ``sensor`` classifier naming the site.
    """
    metrics = []
    for (site, kind), value in sorted(after.items()):
        if kind not in KINDS:
            continue
        name, units = KINDS[kind]
        if kind == 'energy':
            if (site, kind) in before:
                metrics.append((name, round(value - before[(site, kind)], 6), units,
                                {'sensor': site}))
            continue
        if (site, kind) in before:
            metrics.append((name, before[(site, kind)], units, {'sensor': site, 'when': 'before'}))
        metrics.append((name, value, units, {'sensor': site, 'when': 'after'}))
    return metrics


class Hwmon(Instrument):

    name = 'hwmon'
    description = """Reads hwmon sensors (temperature, power, energy...) before and after each run.

    Uses devlib's HwmonInstrument over /sys/class/hwmon. The sensors are read in
    ``fast_start`` and ``fast_stop``. An energy counter gives the metric ``energy`` (J) used
    during the run; every other sensor gives ``temperature`` (C), ``power`` (W), ``voltage``
    (V) or ``current`` (A) twice, with the classifier ``when`` set to ``before`` and
    ``after``. Each metric has a ``sensor`` classifier: the sensor's label, or its chip's name.

    Needs hwmon devices on the target (/sys/class/hwmon, filled by the kernel's hwmon
    drivers); most virtual machines have none, and then the instrument says so and is
    disabled. Reads as root when the target is rooted.
    """
    parameters = [
        Parameter('sensors', kind=types.list_of_str, default=list(KINDS),
                  allowed_values=list(KINDS),
                  description='Kinds of sensor to read.'),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = None
        self.before = {}
        self.after = {}

    def initialize(self, context):
        from devlib import HwmonInstrument  # pylint: disable=import-outside-toplevel
        listing = self.target.execute('ls {} 2>/dev/null; true'.format(shlex.quote(HWMON_ROOT)))
        if not listing.split():
            raise NotSupportedError('the target has no hwmon sensors ({} is missing or empty: '
                                    'no kernel hwmon driver for this hardware)'.format(HWMON_ROOT))
        try:
            if not hasattr(self.target, 'hwmon'):
                self.target.install_module('hwmon')
            _drop_unknown_kinds(self.target.hwmon, HwmonInstrument.measure_map)
            self.instrument = HwmonInstrument(self.target)
        except Exception as error:  # pylint: disable=broad-except
            raise NotSupportedError('hwmon sensors cannot be read on the target: {}'.format(
                str(error).strip().splitlines()[-1] if str(error).strip() else error))
        kinds = [kind for kind in self.sensors]
        channels = [c for c in self.instrument.list_channels() if c.kind in kinds]
        if not channels:
            raise NotSupportedError('the target has no hwmon sensor of the kinds asked for '
                                    '({})'.format(', '.join(kinds)))
        self.instrument.reset(kinds=kinds)

    def fast_start(self, context):
        self.before, self.after = readings(self.instrument.take_measurement()), {}

    def fast_stop(self, context):
        self.after = readings(self.instrument.take_measurement())

    def update_result(self, context):
        for name, value, units, classifiers in hwmon_metrics(self.before, self.after):
            context.add_metric(name, value, units, lower_is_better=True,
                               classifiers=classifiers)


def _drop_unknown_kinds(module, measure_map):
    """Forgets sensors of kinds devlib cannot convert (such as ``fan``): its HwmonInstrument
    fails on them instead of skipping them."""
    for device in getattr(module, 'devices', []):
        sensors = getattr(device, '_sensors', None)
        if isinstance(sensors, dict):
            for kind in [k for k in sensors if k not in measure_map]:
                del sensors[kind]

"""The ``delay`` instrument: cool-down pauses before the run and between jobs or specs."""
import shlex
import time

from wa import ConfigError, Instrument, NotSupportedError, Parameter, types

DEFAULT_TEMPERATURE_FILE = '/sys/devices/virtual/thermal/thermal_zone0/temp'
# (when, fixed parameter, temperature parameter)
POINTS = [('before_start', 'fixed_before_start', 'temperature_before_start'),
          ('between_specs', 'fixed_between_specs', 'temperature_between_specs'),
          ('between_jobs', 'fixed_between_jobs', 'temperature_between_jobs')]


def _seconds(name, global_alias, alias=None, what=''):
    return Parameter(name, kind=types.numeric, default=None, constraint=lambda v: v >= 0,
                     aliases=[alias] if alias else None, global_alias=global_alias,
                     description='Seconds to sleep {}.'.format(what))


def _threshold(name, global_alias, alias=None, what=''):
    return Parameter(name, kind=int, default=None, aliases=[alias] if alias else None,
                     global_alias=global_alias,
                     description='Wait {} until ``temperature_file`` reads at most this (in the '
                                 "file's units: millidegrees Celsius for a thermal zone), or "
                                 'until ``temperature_timeout``.'.format(what))


class Delay(Instrument):

    name = 'delay'
    description = """Pauses to let the target cool down: before the run, between specs or jobs.

    Each pause is either fixed (``fixed_*``: sleep that many seconds) or thermal
    (``temperature_*``: read ``temperature_file`` on the target every
    ``temperature_poll_period`` seconds until it is at or below the threshold, giving up with a
    warning after ``temperature_timeout`` seconds). "Between jobs" pauses before every job but
    the first; "between specs" before the first job of every spec but the first (instead of
    the between-jobs pause there, when both are set); "before start" once, at the start of the
    run. The pause is part of the following job's time in result.json.

    On a target without the temperature file (no thermal zones, as in many virtual machines)
    the thermal pauses are skipped with one message at the start of the run, and the fixed
    ones still happen. No metrics.
    """
    parameters = [
        Parameter('temperature_file', global_alias='thermal_temp_file', kind=str, default=DEFAULT_TEMPERATURE_FILE,
                  description='Target file holding the temperature to wait on.'),
        Parameter('temperature_timeout', global_alias='thermal_timeout', kind=int, default=600, constraint=lambda v: v > 0,
                  description='Seconds to wait at most for the temperature to drop.'),
        Parameter('temperature_poll_period', global_alias='thermal_sleep_time', kind=int, default=5, constraint=lambda v: v > 0,
                  description='Seconds between two readings of the temperature.'),
        _threshold('temperature_between_specs', 'thermal_threshold_between_specs',
                   what='before each new spec'),
        _seconds('fixed_between_specs', 'fixed_delay_between_specs',
                 what='before each new spec'),
        _threshold('temperature_between_jobs', 'thermal_threshold_between_jobs',
                   'temperature_between_iterations', what='before each job'),
        _seconds('fixed_between_jobs', 'fixed_delay_between_jobs', 'fixed_between_iterations',
                 what='before each job'),
        _seconds('fixed_before_start', 'fixed_delay_before_start',
                 what='at the start of the run'),
        _threshold('temperature_before_start', 'thermal_threshold_before_start',
                   what='at the start of the run'),
        Parameter('active_cooling', kind=bool, default=False,
                  description='Turn a fan on while waiting on the temperature (WA3 used a '
                              "devlib cooling module); not supported here: a warning says so "
                              'and the waits happen without it.'),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.thermal = True
        self.previous_spec = None
        self.jobs_seen = 0

    def validate(self):
        if not any(getattr(self, name) is not None for _, fixed, temp in POINTS
                   for name in (fixed, temp)):
            raise ConfigError('delay: no delay is set; set one of {}'.format(', '.join(
                name for _, fixed, temp in POINTS for name in (fixed, temp))))

    def initialize(self, context):
        self.previous_spec, self.jobs_seen = None, 0
        wants_thermal = any(getattr(self, temp) is not None for _, _, temp in POINTS)
        if self.active_cooling:
            self.logger.warning('delay: active_cooling is not supported; waiting without a fan')
        if wants_thermal and not self.target.file_exists(self.temperature_file):
            self.thermal = False
            message = ('delay: {} does not exist on the target (it has no such thermal zone), '
                       'so the temperature waits are skipped'.format(self.temperature_file))
            if not any(getattr(self, fixed) is not None for _, fixed, _ in POINTS):
                raise NotSupportedError(message)
            self.logger.warning('%s; the fixed delays still apply', message)
        self._pause('before_start')

    def very_slow_on_iteration_start(self, context):
        spec = context.spec
        first = self.jobs_seen == 0
        changed = spec is not self.previous_spec
        self.jobs_seen += 1
        self.previous_spec = spec
        if first:
            return
        if changed and self._configured('between_specs'):
            self._pause('between_specs')
        else:
            self._pause('between_jobs')

    def _configured(self, when):
        _, fixed, temp = next(point for point in POINTS if point[0] == when)
        return getattr(self, fixed) is not None or (self.thermal and
                                                    getattr(self, temp) is not None)

    def _pause(self, when):
        _, fixed, temp = next(point for point in POINTS if point[0] == when)
        if getattr(self, fixed) is not None:
            self.logger.info('Waiting %s s (%s)', getattr(self, fixed), fixed)
            time.sleep(getattr(self, fixed))
        if getattr(self, temp) is not None and self.thermal:
            self.wait_for_temperature(getattr(self, temp), temp)

    def read_temperature(self):
        """The temperature file's value as an int, or None if it cannot be read."""
        output = self.target.execute('cat {} 2>/dev/null; true'.format(
            shlex.quote(self.temperature_file))).strip()
        try:
            return int(output.split()[0])
        except (IndexError, ValueError):
            return None

    def wait_for_temperature(self, threshold, name):
        """Polls until the temperature is at or below ``threshold`` or the timeout passes."""
        deadline = time.monotonic() + self.temperature_timeout
        while True:
            value = self.read_temperature()
            if value is not None and value <= threshold:
                self.logger.info('Temperature %s <= %s (%s)', value, threshold, name)
                return
            if time.monotonic() >= deadline:
                self.logger.warning('delay: the temperature is still %s after %s s, above %s '
                                    '(%s); going on', value, self.temperature_timeout,
                                    threshold, name)
                return
            time.sleep(min(self.temperature_poll_period,
                           max(deadline - time.monotonic(), 0)))

"""manual: hands the target over to the user, for experiments done by hand."""
import select
import sys
import time

from wa import ConfigError, Parameter, Workload, WorkloadError


def wait_for_enter(stream, timeout=None, poll=0.5):
    """Blocks until a line can be read from ``stream`` or ``timeout`` seconds pass.

    Returns ``'enter'`` when a line was read, ``'timeout'`` when the time ran out and ``'eof'``
    when ``stream`` is closed (no terminal: nobody can press Enter).
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        fileno = stream.fileno()
    except (AttributeError, OSError, ValueError):
        fileno = None
    while True:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            return 'timeout'
        if fileno is None:
            # Not selectable (e.g. replaced by a test): read directly.
            line = stream.readline()
            return 'enter' if line else 'eof'
        wait = poll if remaining is None else min(poll, remaining)
        ready, _, _ = select.select([fileno], [], [], wait)
        if ready:
            line = stream.readline()
            return 'enter' if line else 'eof'


class Manual(Workload):

    name = 'manual'
    description = """
    Waits while the user experiments with the target by hand.

    It waits until Enter is pressed, or for a fixed duration, so that instruments can record a
    manual experiment: they start before the wait and stop after it. With ``user_triggered``
    (the default when no ``duration`` is given) the run waits for Enter on WA's console; with a
    ``duration`` as well, it stops at whichever comes first. With ``user_triggered: false`` it
    just waits ``duration`` seconds. When WA's standard input is closed (no terminal, e.g. in
    CI), a wait for Enter falls back to ``duration``, or fails the job when no duration is set.

    No metrics.
    """

    parameters = [
        Parameter('duration', kind=float, default=None, constraint=lambda value: value >= 0,
                  description='Seconds to wait; with ``user_triggered`` the longest wait.'),
        Parameter('user_triggered', kind=bool, default=None,
                  description='Wait for the user to press Enter. Defaults to true when no '
                              '``duration`` is given, false otherwise.'),
    ]

    def validate(self):
        if self.user_triggered is None:
            self.user_triggered = self.duration is None
        if not self.user_triggered and self.duration is None:
            raise ConfigError('manual: set a duration, or user_triggered: true')

    def run(self, context):
        if not self.user_triggered:
            self.logger.info('Waiting %s seconds', self.duration)
            time.sleep(self.duration)
            return
        if self.duration is None:
            self.logger.info('Press Enter when you are done with the target')
        else:
            self.logger.info('Press Enter when you are done with the target (or wait %s s)',
                             self.duration)
        start = time.monotonic()
        outcome = wait_for_enter(sys.stdin, self.duration)
        if outcome == 'eof':
            if self.duration is None:
                raise WorkloadError('manual: standard input is closed, so nobody can press '
                                    'Enter; set a duration')
            self.logger.warning('Standard input is closed; waiting %s seconds instead',
                                self.duration)
            time.sleep(max(0.0, self.duration - (time.monotonic() - start)))

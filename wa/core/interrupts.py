"""Ctrl-C and SIGTERM during a run: each raises KeyboardInterrupt in the main thread, as
Python does for Ctrl-C, and is also noted, so that one swallowed by library code (a bare
``except:`` in a transport, a child process dying of the same SIGINT first) still ends the run:
the Runner checks ``Interrupts.pending`` between jobs."""
import signal


class AbortRun(BaseException):
    """Stop at once: a second Ctrl-C, or one outside the job loop."""


class Interrupts:
    """Installs handlers for SIGINT and SIGTERM for the life of a run (a context manager)."""

    NAMES = {signal.SIGINT: 'CTRL-C', signal.SIGTERM: 'SIGTERM'}

    def __init__(self):
        self.pending = None   # the name of the last signal received and not yet handled
        self.last = 'CTRL-C'  # the name of the last signal received
        self._previous = {}

    def __enter__(self):
        for signum in self.NAMES:
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc):
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum, frame):  # pylint: disable=unused-argument
        self.pending = self.last = self.NAMES[signum]
        raise KeyboardInterrupt()

    def take(self):
        """The name of a signal received since the last call (None if none), forgetting it."""
        name, self.pending = self.pending, None
        return name


class JobTimeout(Exception):
    """A job ran longer than its ``job_timeout``: raised in the main thread by JobTimer."""


class JobTimer:
    """Raises JobTimeout in the main thread once ``seconds`` have passed since ``start()``
    (SIGALRM), until ``stop()``; with ``seconds`` None it does nothing."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.expired = False
        self._previous = None

    def start(self):
        if self.seconds:
            self._previous = signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def stop(self):
        if self._previous is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self._previous = None

    def _expire(self, signum, frame):  # pylint: disable=unused-argument
        self.expired = True
        raise JobTimeout('the job ran longer than its job_timeout ({:g} s)'.format(self.seconds))

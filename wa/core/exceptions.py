"""Errors that the framework knows how to report as one clear line."""
from wa.core.naming import one_line


class WAError(Exception):
    """Base of every error the framework reports without a traceback."""


class ConfigError(WAError):
    """Bad configuration or agenda: reported before anything runs (exit status 2).

    The message is kept on one line: line breaks and control characters in the values it
    quotes are shown escaped."""

    key = None  # the config key at fault, where one is known

    def __init__(self, *args):
        if len(args) == 1 and isinstance(args[0], str):
            args = (one_line(args[0]),)
        super().__init__(*args)


class NotFoundError(ConfigError):
    """A plugin, file or setting that was asked for does not exist."""


class ParameterError(ConfigError):
    """A plugin parameter value is missing, of the wrong kind, or not allowed."""


class WorkloadError(WAError):
    """A workload could not do its job."""


class InstrumentError(WAError):
    """An instrument could not do its job."""


class ResultProcessorError(WAError):
    """A result processor could not do its job."""


class InvalidNameError(WAError):
    """A plugin gave a metric or artifact a name that cannot be written (a path separator, a
    line break, too long): that plugin's call fails, the run goes on."""


class TargetError(WAError):
    """The target could not be reached or refused a command."""


class TargetNotRespondingError(TargetError):
    """The connection to the target was lost."""


class OutputError(WAError):
    """The run's output directory cannot be written (disk full, read-only, deleted): the
    run stops, as nothing it did could be kept."""


class NotSupportedError(WAError):
    """The target lacks something a plugin needs.

    Raised from ``initialize``: an instrument is then disabled for the run with a warning,
    and a workload's spec fails with this message, while the rest of the run goes on.
    """


def first_line(error):
    """The first line of an error's message (devlib's can run to many lines of output)."""
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def is_connection_lost(error):
    """True for errors that mean the target stopped answering (ours or devlib's, found by name
    so that devlib need not be imported to recognise them)."""
    names = {cls.__name__ for cls in type(error).__mro__}
    return bool(names & {'TargetNotRespondingError'})


def must_propagate(error):
    """Errors that no plugin wrapper may swallow: the user's Ctrl-C and a lost target."""
    if isinstance(error, KeyboardInterrupt) or is_connection_lost(error):
        return True
    return type(error).__name__ == 'TimeoutError' and type(error).__module__.startswith('devlib')

"""The one place where devlib's failures become wa's TargetError.

devlib reports a target failure as a DevlibError (or ValueError/OSError from the layers
below it). Those become a TargetError naming what was being done (TargetNotRespondingError
when the connection was lost). Anything else, in particular TypeError, AttributeError,
NameError and KeyError raised by our own code, is a programming error and propagates as is.
"""
from contextlib import contextmanager

from wa.core.exceptions import ConfigError, TargetError, TargetNotRespondingError

PROGRAMMING_ERRORS = (TypeError, AttributeError, NameError, KeyError, AssertionError)


def is_devlib_error(exc):
    """True for a failure reported by devlib or the target (never for a programming error)."""
    from devlib.exception import DevlibError  # pylint: disable=import-outside-toplevel
    if isinstance(exc, PROGRAMMING_ERRORS) and not isinstance(exc, DevlibError):
        return False
    return isinstance(exc, (DevlibError, ValueError, OSError))


def is_lost(exc):
    """True when ``exc`` says the target stopped responding (devlib's or wa's error)."""
    from devlib.exception import TargetNotRespondingError as Lost  # pylint: disable=import-outside-toplevel
    return isinstance(exc, (Lost, TargetNotRespondingError))


def target_error(message, exc):
    """A wa TargetError (or TargetNotRespondingError) for a failure reported by devlib."""
    detail = ' '.join(str(exc).split()) or type(exc).__name__
    error = TargetNotRespondingError if is_lost(exc) else TargetError
    return error('{}: {}'.format(message, detail))


@contextmanager
def target_errors(message):
    """Run the block; a devlib failure in it becomes ``TargetError('<message>: <detail>')``.

    ``message`` names the parameter or setting concerned. wa's own ConfigError/TargetError
    and programming errors pass through unchanged.
    """
    try:
        yield
    except (ConfigError, TargetError):
        raise
    except Exception as exc:  # pylint: disable=broad-except
        if not is_devlib_error(exc):
            raise
        raise target_error(message, exc) from exc

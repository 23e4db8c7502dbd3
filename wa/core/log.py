"""Logging: a coloured console, ``run.log`` at debug level, and signals for errors and warnings.

Records logged before the output directory exists are kept and written into ``run.log`` once it
does, so the file holds the whole run.
"""
import logging
import sys

from wa.core import signal
from wa.core.secrets import MaskingFormatter
from wa.output.progress import use_colour

FILE_FORMAT = '%(asctime)s %(levelname)-8s %(name)s: %(message)s'
REGULAR_FORMAT = '%(levelname)-8s %(message)s'


class ConsoleFormatter(MaskingFormatter):
    """Colours the level name; shows tracebacks only when asked to (``--debug``); never a
    secret of the run."""

    def __init__(self, fmt, colour, tracebacks):
        super().__init__(fmt)
        self.tracebacks = tracebacks
        self.colours = {}
        if colour:
            from colorama import Fore, Style  # pylint: disable=import-outside-toplevel
            self.colours = {logging.DEBUG: Fore.BLUE, logging.INFO: Fore.GREEN,
                            logging.WARNING: Fore.YELLOW, logging.ERROR: Fore.RED,
                            logging.CRITICAL: Style.BRIGHT + Fore.RED}
            self.reset = Style.RESET_ALL

    def format(self, record):
        if not self.tracebacks and record.exc_info:
            record = logging.makeLogRecord(record.__dict__)
            record.exc_info = None
            record.exc_text = None
        text = super().format(record)
        colour = self.colours.get(record.levelno)
        return colour + text + self.reset if colour else text


def _from_transport(record):
    """paramiko logs a dropped SSH connection as ERROR tracebacks; WA reports it itself."""
    return record.name.startswith('paramiko')


def _not_library_chatter(record):
    """Keeps devlib's INFO messages and paramiko's reports out of the console (they stay in
    run.log)."""
    if _from_transport(record):
        return False
    return record.levelno >= logging.WARNING or '/devlib/' not in record.pathname


class RunLogHandler(logging.FileHandler):
    """run.log; if it cannot be written (disk full...), says so once on stderr, in one line,
    instead of a traceback for every record."""

    def __init__(self, path):
        super().__init__(path)
        self.failed = False

    def handleError(self, record):
        if not self.failed:
            self.failed = True
            error = sys.exc_info()[1]
            sys.stderr.write('ERROR    Cannot write {}: {}\n'.format(
                self.baseFilename, getattr(error, 'strerror', None) or error))


class SignalHandler(logging.Handler):
    """Sends ``error_logged`` for each ERROR record and ``warning_logged`` for each WARNING.

    An error logged while these signals are being handled does not send them again.
    """

    def __init__(self):
        super().__init__(logging.WARNING)
        self._sending = False

    def emit(self, record):
        if self._sending or _from_transport(record):
            return
        chosen = {logging.ERROR: signal.ERROR_LOGGED,
                  logging.WARNING: signal.WARNING_LOGGED}.get(record.levelno)
        if chosen is None:
            return
        self._sending = True
        try:
            signal.send(chosen, self, record)
        finally:
            self._sending = False


def _log_unraisable(unraisable):
    """An exception Python cannot raise (in a library's ``__del__``, say) goes to run.log with
    its traceback, masked like every record, instead of to the console as a raw traceback."""
    logging.getLogger('wa').debug(
        '%s %r', unraisable.err_msg or 'Exception ignored in', unraisable.object,
        exc_info=(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback))


class RunLogging:
    """The root logger's handlers for one invocation of ``wa``."""

    def __init__(self, verbosity=0, debug=False, colour=None, stream=None, buffered=False):
        self.root = logging.getLogger()
        self.root.setLevel(logging.DEBUG)
        stream = stream or sys.stderr
        if colour is None:
            colour = use_colour(stream)
        self.console = logging.StreamHandler(stream)
        self.console.setLevel(logging.DEBUG if verbosity or debug else logging.INFO)
        self.console.setFormatter(ConsoleFormatter(FILE_FORMAT if debug else REGULAR_FORMAT,
                                                   colour, debug))
        self.console.addFilter(_not_library_chatter)
        self.buffer = None   # records before run.log exists (commands that write one)
        if buffered:
            from wa.output.log_buffer import BufferingHandler  # noqa
            self.buffer = BufferingHandler()
        self.file = None
        self.file_format = FILE_FORMAT
        self.signals = SignalHandler()
        for handler in (self.console, self.buffer, self.signals):
            if handler is not None:
                self.root.addHandler(handler)
        self._unraisable, sys.unraisablehook = sys.unraisablehook, _log_unraisable

    def configure(self, verbosity=0, settings=None):
        """Applies the run's ``verbosity`` and ``logging`` settings (``regular_format``,
        ``verbose_format``, ``file_format``, ``color``) from the configuration."""
        settings = settings or {}
        self.file_format = settings.get('file_format', self.file_format)
        debug = self.console.formatter.tracebacks
        if verbosity:
            self.console.setLevel(logging.DEBUG)
        fmt = settings.get('verbose_format', FILE_FORMAT) if verbosity or debug else \
            settings.get('regular_format', REGULAR_FORMAT)
        colour = use_colour(self.console.stream, settings.get('color'))
        self.console.setFormatter(ConsoleFormatter(fmt, colour, debug))

    def to_file(self, path):
        """Starts writing ``path`` at debug level, beginning with every buffered record."""
        self.file = RunLogHandler(path)
        self.file.setLevel(logging.DEBUG)
        self.file.setFormatter(MaskingFormatter(self.file_format))
        if self.buffer is not None:
            self.buffer.flush_to(self.file)
            self.root.removeHandler(self.buffer)
        self.root.addHandler(self.file)

    def close(self):
        if self.file is not None:
            # Garbage in reference cycles (an object whose __init__ failed, held by its own
            # traceback) is freed when the collector next runs, maybe only at the
            # interpreter's exit; collected now, an exception of its __del__ still goes to
            # run.log (10-20 ms, only for the commands that write one).
            import gc  # pylint: disable=import-outside-toplevel
            gc.collect()
        sys.unraisablehook = self._unraisable
        for handler in (self.console, self.buffer, self.signals, self.file):
            if handler is not None:
                self.root.removeHandler(handler)
                handler.close()

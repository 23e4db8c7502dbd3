"""Installing instruments: connecting their methods to signals by name and priority, switching
them on and off per job, and containing their failures."""
import inspect
import logging
from collections import Counter

from wa.core import signal
from wa.core.exceptions import ConfigError, NotSupportedError, must_propagate
from wa.core.outcome import UNCHANGED, guarded
from wa.framework import callbacks as wa3

logger = logging.getLogger('instrumentation')

METHOD_MAP = {
    'on_run_start': signal.RUN_START,
    'initialize': signal.RUN_INIT,
    'on_run_init': signal.RUN_INIT,
    'on_workload_spec_start': signal.WORKLOAD_SPEC_START,
    'on_iteration_start': signal.ITERATION_START,
    'before_workload_setup': signal.BEFORE_WORKLOAD_SETUP,
    'setup': signal.SUCCESSFUL_WORKLOAD_SETUP,
    'on_successful_workload_setup': signal.SUCCESSFUL_WORKLOAD_SETUP,
    'after_workload_setup': signal.AFTER_WORKLOAD_SETUP,
    'start': signal.BEFORE_WORKLOAD_EXECUTION,
    'before_workload_execution': signal.BEFORE_WORKLOAD_EXECUTION,
    'on_successful_workload_execution': signal.SUCCESSFUL_WORKLOAD_EXECUTION,
    'stop': signal.AFTER_WORKLOAD_EXECUTION,
    'after_workload_execution': signal.AFTER_WORKLOAD_EXECUTION,
    'before_workload_result_update': signal.BEFORE_WORKLOAD_RESULT_UPDATE,
    'process_workload_result': signal.SUCCESSFUL_WORKLOAD_RESULT_UPDATE,
    'on_successful_workload_result_update': signal.SUCCESSFUL_WORKLOAD_RESULT_UPDATE,
    'update_result': signal.AFTER_WORKLOAD_RESULT_UPDATE,
    'after_workload_result_update': signal.AFTER_WORKLOAD_RESULT_UPDATE,
    'before_workload_teardown': signal.BEFORE_WORKLOAD_TEARDOWN,
    'on_successful_workload_teardown': signal.SUCCESSFUL_WORKLOAD_TEARDOWN,
    'teardown': signal.AFTER_WORKLOAD_TEARDOWN,
    'after_workload_teardown': signal.AFTER_WORKLOAD_TEARDOWN,
    'on_iteration_end': signal.ITERATION_END,
    'on_workload_spec_end': signal.WORKLOAD_SPEC_END,
    'finalize': signal.RUN_FIN,
    'before_overall_results_processing': signal.BEFORE_OVERALL_RESULTS_PROCESSING,
    'on_successful_overall_results_processing': signal.SUCCESSFUL_OVERALL_RESULTS_PROCESSING,
    'after_overall_results_processing': signal.AFTER_OVERALL_RESULTS_PROCESSING,
    'on_run_end': signal.RUN_END,
    'before_initial_boot': signal.BEFORE_INITIAL_BOOT,
    'on_successful_initial_boot': signal.SUCCESSFUL_INITIAL_BOOT,
    'after_initial_boot': signal.AFTER_INITIAL_BOOT,
    'before_boot': signal.BEFORE_BOOT,
    'on_successful_boot': signal.SUCCESSFUL_BOOT,
    'after_boot': signal.AFTER_BOOT,
    'before_first_iteration_boot': signal.BEFORE_FIRST_ITERATION_BOOT,
    'on_successful_first_iteration_boot': signal.SUCCESSFUL_FIRST_ITERATION_BOOT,
    'after_first_iteration_boot': signal.AFTER_FIRST_ITERATION_BOOT,
    'on_spec_init': signal.SPEC_INIT,
    'on_iteration_init': signal.ITERATION_INIT,
    'on_error': signal.ERROR_LOGGED,
    'on_warning': signal.WARNING_LOGGED,
}
METHOD_MAP.update((name, sig) for name, sig in wa3.WA3_METHODS.items() if name not in METHOD_MAP)

# Tested in this order, so that ``very_fast_`` is not taken for ``fast_``.
PRIORITY_PREFIXES = (('very_fast_', 20), ('fast_', 10), ('normal_', 0),
                     ('very_slow_', -20), ('slow_', -10))


def split_priority(method_name):
    """``'very_fast_start'`` -> ``('start', 20)``; a name with no prefix has priority 0."""
    for prefix, priority in PRIORITY_PREFIXES:
        if method_name.startswith(prefix):
            return method_name[len(prefix):], priority
    return method_name, 0


def _takes_one_argument(method):
    """True if ``method`` (bound) can be called with exactly one positional argument."""
    try:
        params = list(inspect.signature(method).parameters.values())
    except (TypeError, ValueError):
        return True
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    varargs = any(p.kind == p.VAR_POSITIONAL for p in params)
    return len(required) <= 1 and (len(positional) >= 1 or varargs)


def hooks(instrument):
    """(signal, bound method, priority) for each method of ``instrument`` named after a stage;
    a ConfigError if one of them cannot be called with the context."""
    found = []
    for attr in dir(instrument):
        base_name, priority = split_priority(attr)
        if base_name not in METHOD_MAP or attr.startswith('_'):
            continue
        method = getattr(instrument, attr)
        priority = getattr(method, 'priority', priority)   # WA3's @fast, @very_slow, ...
        if not callable(method) or not _takes_one_argument(method):
            raise ConfigError('Instrument "{}" ({}): {} must be a method taking one argument '
                              '(the context)'.format(instrument.name,
                                                     inspect.getsourcefile(type(instrument)),
                                                     attr))
        found.append((METHOD_MAP[base_name], method, priority))
    return found


def near_misses(instrument):
    """(method name, closest hook name) for each public method of ``instrument``'s own classes
    whose name is close to a hook's but matches none (``very_fast_strat``, ``update_results``):
    such a method would silently never be called."""
    from difflib import get_close_matches  # pylint: disable=import-outside-toplevel
    from wa.core.instrument import Instrument  # pylint: disable=import-outside-toplevel
    found = []
    for attr in dir(instrument):
        base_name, _ = split_priority(attr)
        if attr.startswith('_') or base_name in METHOD_MAP or hasattr(Instrument, attr) \
                or not callable(getattr(instrument, attr, None)):
            continue
        close = get_close_matches(base_name, METHOD_MAP, n=1, cutoff=0.8)
        if close:
            found.append((attr, attr[:len(attr) - len(base_name)] + close[0]))
    return found


class _Callback:
    """One instrument method connected to one signal, guarded against its failures."""

    def __init__(self, instrumentation, instrument, method, signal_):
        self.instrumentation = instrumentation
        self.instrument = instrument
        self.method = method
        self.signal = signal_

    def __call__(self, context):
        if not self.instrumentation.is_enabled(self.instrument):
            return
        outcome = guarded(self.signal.name, self.instrument.name, self.method, context,
                          propagate=must_propagate)
        self.instrumentation.timings[self.instrument.name] += outcome.duration
        if not outcome.ok:
            # on_error/on_warning receive a log record, not the context: use the run's.
            run_context = self.instrumentation.context
            self.instrumentation.failed(self.instrument, self.signal, outcome,
                                        context if run_context is None else run_context)


class Instrumentation:
    """The instruments installed for one run and whether each is on right now."""

    def __init__(self, context=None, bus=None):
        self.context = context
        self.bus = bus or signal.SignalBus()
        self.installed = []
        self._enabled = set()
        self.broken = set()
        self.wa3_style = set()   # names of instruments whose failures are contained as in WA3
        self.init_failures = []
        self.timings = Counter()  # instrument name -> seconds spent in its callbacks

    def install(self, instrument):
        """Connects every method of ``instrument`` whose name is in METHOD_MAP."""
        if any(i.name == instrument.name for i in self.installed):
            raise ConfigError('Instrument "{}" is enabled twice'.format(instrument.name))
        for signal_, method, priority in hooks(instrument):
            self.bus.connect(_Callback(self, instrument, method, signal_), signal_,
                             priority=priority)
        for name, hook in near_misses(instrument):
            logger.warning('Instrument "%s": method "%s" is not called by WA; did you mean '
                           '"%s"?', instrument.name, name, hook)
        self.installed.append(instrument)
        self._enabled.add(instrument.name)
        if wa3.written_for_wa3(instrument):
            self.wa3_style.add(instrument.name)
        instrument.is_enabled = True   # WA3 plugins read it

    def uninstall_all(self):
        """Disconnects every callback: called when the run ends."""
        self.bus.close()
        self.installed = []
        self._enabled = set()

    def is_enabled(self, instrument):
        return instrument.name in self._enabled

    def enable_only(self, names):
        """Switches on exactly the named instruments (broken ones stay off)."""
        self._enabled = {i.name for i in self.installed
                         if i.name in names and i.name not in self.broken}
        for instrument in self.installed:
            instrument.is_enabled = instrument.name in self._enabled

    def enable_all(self):
        self.enable_only({i.name for i in self.installed})

    def failed(self, instrument, signal_, outcome, context):
        """Contains one callback's failure: logs it, worsens the job, and turns the instrument
        off for the rest of the job (or, outside a job, for the run). Within a job, an
        instrument written for WA3 stays on and the job's status follows WA3's rules
        (wa.framework.callbacks)."""
        error = outcome.error
        job = context.job_result if context is not None else None
        as_wa3 = job is not None and instrument.name in self.wa3_style \
            and not isinstance(error, NotSupportedError)
        if not as_wa3:
            self._enabled.discard(instrument.name)
            instrument.is_enabled = False
        if isinstance(error, NotSupportedError):
            logger.warning('Instrument "%s" is disabled for this run: %s', instrument.name, error)
            self.broken.add(instrument.name)
            return
        logger.error('Error in instrument %s: %s', instrument.name, outcome.message,
                     exc_info=error if outcome.wants_traceback else None)
        if signal_ == signal.RUN_INIT:
            self.init_failures.append((instrument, error))
        if job is not None:
            if as_wa3:
                outcome.status = wa3.failure_status(error) or UNCHANGED
            job.record(outcome)
        else:
            self.broken.add(instrument.name)
            if context is not None:
                context.run_error_logged = True

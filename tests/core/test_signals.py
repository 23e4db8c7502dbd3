"""Unit tests of signal priorities (signals.md §1-§4) and of installing instruments by method
name."""
import logging

import pytest

from wa import ConfigError, Instrument, InstrumentError
from wa.core import signal
from wa.core import status as st
from wa.core.instrumentation import METHOD_MAP, Instrumentation, split_priority


class Context:
    """A stand-in for the ExecutionContext: what a callback failure needs."""

    def __init__(self, job_result=None):
        self.job_result = job_result
        self.run_error_logged = False


class FakeJobResult:
    def __init__(self, status=st.RUNNING):
        self.status = status

    def set_status(self, new):
        self.status = st.worse(self.status, new)

    def add_event(self, message):
        pass

    def record(self, outcome):
        """JobResult.record: the status follows the outcome of each guarded call."""
        from wa.core.outcome import outcome_status
        found = outcome_status(outcome)
        if found is not None:
            self.set_status(found)


@pytest.fixture
def handlers():
    """Connects through signal.connect and disconnects everything afterwards."""
    connected = []

    def connect(handler, sig, priority=0):
        signal.connect(handler, sig, priority=priority)
        connected.append((handler, sig))

    yield connect
    for handler, sig in connected:
        signal.disconnect(handler, sig)


@pytest.fixture
def instrumentation():
    inst = Instrumentation()
    yield inst
    inst.uninstall_all()


# -- the mechanism --------------------------------------------------------------------------
def test_higher_priority_first(handlers):
    calls = []
    sig = signal.Signal('test-normal-signal')
    for name, priority in (('low', -10), ('high', 20), ('mid', 0), ('fast', 10)):
        handlers(lambda ctx, n=name: calls.append(n), sig, priority)
    signal.send(sig, None, 'ctx')
    assert calls == ['high', 'fast', 'mid', 'low']


def test_inverted_signal_reverses(handlers):
    calls = []
    sig = signal.Signal('test-inverted-signal', invert_priority=True)
    for name, priority in (('low', -10), ('high', 20), ('mid', 0), ('fast', 10)):
        handlers(lambda ctx, n=name: calls.append(n), sig, priority)
    signal.send(sig, None, 'ctx')
    assert calls == ['low', 'mid', 'fast', 'high']


@pytest.mark.parametrize('inverted', [False, True])
def test_equal_priorities_in_connection_order(handlers, inverted):
    calls = []
    sig = signal.Signal('test-ties-{}'.format(inverted), invert_priority=inverted)
    for name in ('first', 'second', 'third'):
        handlers(lambda ctx, n=name: calls.append(n), sig, 5)
    handlers(lambda ctx: calls.append('other'), sig, -5 if inverted else 50)
    signal.send(sig, None, 'ctx')
    assert calls == ['other', 'first', 'second', 'third']


def test_handler_gets_context(handlers):
    got = []
    sig = signal.Signal('test-args-signal')
    handlers(got.append, sig)
    signal.send(sig, None, 'the-context')
    assert got == ['the-context']


def test_equal_names_are_equal_signals(handlers):
    calls = []
    handlers(lambda ctx: calls.append(ctx), signal.Signal('test-same-name'))
    signal.send(signal.Signal('test-same-name'), None, 1)
    assert calls == [1]


def test_raw_handler_exception_goes_to_sender(handlers):
    sig = signal.Signal('test-raise-signal')

    def bad(ctx):
        raise ValueError('raw')
    handlers(bad, sig)
    with pytest.raises(ValueError):
        signal.send(sig, None, 'ctx')


def test_strong_references_kept(handlers):
    """louie holds weak references; a connected lambda must still be called later."""
    import gc
    calls = []
    sig = signal.Signal('test-weak-signal')
    handlers(lambda ctx: calls.append(ctx), sig)
    gc.collect()
    signal.send(sig, None, 'x')
    assert calls == ['x']


@pytest.mark.parametrize('name,inverted', [
    ('start-signal', True), ('run-init-signal', False), ('workload-spec-start-signal', True),
    ('iteration-start-signal', True), ('before-workload-setup-signal', True),
    ('successful-workload-setup-signal', False), ('after-workload-setup-signal', False),
    ('before-workload-execution-signal', True), ('after-workload-execution-signal', False),
    ('before-iteration-result-update-signal', True),
    ('after-iteration-result-update-signal', False),
    ('before-workload-teardown-signal', True), ('after-workload-teardown-signal', False),
    ('iteration-end-signal', False), ('workload-spec-end-signal', False),
    ('run-fin-signal', False), ('before-overall-results-process-signal', True),
    ('after-overall-results-process-signal', False), ('end-signal', False),
    ('before-initial-boot-signal', True), ('before-boot-signal', True),
    ('after-boot-signal', False),
])
def test_which_signals_are_inverted(name, inverted):
    """signals.md §2: every before-*, plus start, spec-start and iteration-start."""
    assert signal.by_name(name).invert_priority is inverted


# -- priorities from method names -------------------------------------------------------------
@pytest.mark.parametrize('method,expected', [
    ('very_fast_start', ('start', 20)),
    ('fast_start', ('start', 10)),
    ('normal_start', ('start', 0)),
    ('start', ('start', 0)),
    ('slow_stop', ('stop', -10)),
    ('very_slow_stop', ('stop', -20)),
    ('fast_very_slow_stop', ('very_slow_stop', 10)),   # only the first prefix is stripped
])
def test_split_priority(method, expected):
    assert split_priority(method) == expected


@pytest.mark.parametrize('method,name', [
    ('on_run_start', 'start-signal'), ('initialize', 'run-init-signal'),
    ('on_run_init', 'run-init-signal'),
    ('on_workload_spec_start', 'workload-spec-start-signal'),
    ('on_iteration_start', 'iteration-start-signal'),
    ('before_workload_setup', 'before-workload-setup-signal'),
    ('setup', 'successful-workload-setup-signal'),
    ('on_successful_workload_setup', 'successful-workload-setup-signal'),
    ('after_workload_setup', 'after-workload-setup-signal'),
    ('start', 'before-workload-execution-signal'),
    ('before_workload_execution', 'before-workload-execution-signal'),
    ('on_successful_workload_execution', 'successful-workload-execution-signal'),
    ('stop', 'after-workload-execution-signal'),
    ('after_workload_execution', 'after-workload-execution-signal'),
    ('before_workload_result_update', 'before-iteration-result-update-signal'),
    ('process_workload_result', 'successful-iteration-result-update-signal'),
    ('on_successful_workload_result_update', 'successful-iteration-result-update-signal'),
    ('update_result', 'after-iteration-result-update-signal'),
    ('after_workload_result_update', 'after-iteration-result-update-signal'),
    ('before_workload_teardown', 'before-workload-teardown-signal'),
    ('on_successful_workload_teardown', 'successful-workload-teardown-signal'),
    ('teardown', 'after-workload-teardown-signal'),
    ('after_workload_teardown', 'after-workload-teardown-signal'),
    ('on_iteration_end', 'iteration-end-signal'),
    ('on_workload_spec_end', 'workload-spec-end-signal'),
    ('finalize', 'run-fin-signal'),
    ('before_overall_results_processing', 'before-overall-results-process-signal'),
    ('on_successful_overall_results_processing', 'successful-overall-results-process-signal'),
    ('after_overall_results_processing', 'after-overall-results-process-signal'),
    ('on_run_end', 'end-signal'),
    ('before_initial_boot', 'before-initial-boot-signal'),
    ('on_successful_initial_boot', 'successful-initial-boot-signal'),
    ('after_initial_boot', 'after-initial-boot-signal'),
    ('before_boot', 'before-boot-signal'), ('on_successful_boot', 'successful-boot-signal'),
    ('after_boot', 'after-boot-signal'),
    ('on_error', 'error_logged'), ('on_warning', 'warning_logged'),
])
def test_method_map(method, name):
    """signals.md §3 table."""
    assert METHOD_MAP[method] == signal.by_name(name)


@pytest.mark.parametrize('method', [
    'before_first_iteration_boot', 'on_successful_first_iteration_boot',
    'after_first_iteration_boot', 'on_spec_init', 'on_iteration_init'])
def test_never_sent_signals_still_install(method, instrumentation):
    cls = type('NeverSent', (Instrument,), {'name': 'never_sent',
                                            method: lambda self, context: None})
    instrumentation.install(cls())
    assert method in METHOD_MAP


def _recorder(name, calls, methods):
    body = {'name': name}
    for method in methods:
        body[method] = (lambda m: lambda self, context: calls.append('{}.{}'.format(name, m)))(
            method)
    return type(name.upper(), (Instrument,), body)()


def test_priority_example_of_signals_md_2(instrumentation):
    """C.slow_start, B.start, A.very_fast_start, run, A.very_fast_stop, B.stop, C.slow_stop,
    whatever the installation order."""
    calls = []
    c = _recorder('C', calls, ['slow_start', 'slow_stop'])
    a = _recorder('A', calls, ['very_fast_start', 'very_fast_stop'])
    b = _recorder('B', calls, ['start', 'stop'])
    for inst in (c, a, b):
        instrumentation.install(inst)
    ctx = Context()
    signal.send(signal.BEFORE_WORKLOAD_EXECUTION, None, ctx)
    calls.append('run')
    signal.send(signal.AFTER_WORKLOAD_EXECUTION, None, ctx)
    assert calls == ['C.slow_start', 'B.start', 'A.very_fast_start', 'run', 'A.very_fast_stop',
                     'B.stop', 'C.slow_stop']


def test_all_five_prefixes(instrumentation):
    calls = []
    prefixes = ['very_slow_', 'slow_', 'normal_', '', 'fast_', 'very_fast_']
    for index, prefix in enumerate(prefixes):
        instrumentation.install(_recorder('i{}'.format(index), calls,
                                          [prefix + 'setup', prefix + 'on_iteration_start']))
    ctx = Context()
    signal.send(signal.SUCCESSFUL_WORKLOAD_SETUP, None, ctx)
    normal = [c.split('.')[0] for c in calls]
    del calls[:]
    signal.send(signal.ITERATION_START, None, ctx)
    inverted = [c.split('.')[0] for c in calls]
    # i2 (normal_) and i3 (no prefix) are equal: connection order both times
    assert normal == ['i5', 'i4', 'i2', 'i3', 'i1', 'i0']
    assert inverted == ['i0', 'i1', 'i2', 'i3', 'i4', 'i5']


def test_base_initialize_and_finalize_always_connected(instrumentation):
    calls = []
    plain = type('Plain', (Instrument,), {'name': 'plain'})()
    plain.initialize = lambda context: calls.append('init')
    plain.finalize = lambda context: calls.append('fin')
    instrumentation.install(plain)
    signal.send(signal.RUN_INIT, None, Context())
    signal.send(signal.RUN_FIN, None, Context())
    assert calls == ['init', 'fin']


def test_same_instrument_twice_is_error(instrumentation):
    instrumentation.install(_recorder('twice', [], ['start']))
    with pytest.raises(ConfigError):
        instrumentation.install(_recorder('twice', [], ['start']))


# -- signatures -----------------------------------------------------------------------------
@pytest.mark.parametrize('source', [
    'def start(self, context, extra): pass',
    'def stop(self): pass',
    'def fast_setup(self, a, b, c): pass',
    'start = 5',
])
def test_bad_signature_is_config_error(source, instrumentation):
    namespace = {}
    exec(source, namespace)  # pylint: disable=exec-used
    body = {k: v for k, v in namespace.items() if k != '__builtins__'}
    body['name'] = 'bad_sig'
    inst = type('BadSig', (Instrument,), body)()
    with pytest.raises(ConfigError):
        instrumentation.install(inst)


@pytest.mark.parametrize('source', [
    'def start(self, context): pass',
    'def start(self, *args): pass',
    'def start(self, context, *args): pass',
    'def very_fast_start(self, ctx): pass',
])
def test_good_signatures(source, instrumentation):
    namespace = {}
    exec(source, namespace)  # pylint: disable=exec-used
    body = {k: v for k, v in namespace.items() if k != '__builtins__'}
    body['name'] = 'good_sig'
    instrumentation.install(type('GoodSig', (Instrument,), body)())


def test_unrelated_methods_ignored(instrumentation):
    inst = type('Helper', (Instrument,), {'name': 'helper',
                                          'compute': lambda self, a, b, c: None,
                                          'fast_helper': lambda self, x, y: None})()
    instrumentation.install(inst)


# -- a failing callback -----------------------------------------------------------------------
def test_failing_callback_makes_job_partial_and_turns_instrument_off(instrumentation, caplog):
    calls = []

    class Failing(Instrument):
        name = 'failing'

        def start(self, context):
            calls.append('start')
            raise InstrumentError('nope')

        def stop(self, context):
            calls.append('stop')

    other = _recorder('other', calls, ['start', 'stop'])
    instrumentation.install(Failing())
    instrumentation.install(other)
    job = FakeJobResult()
    ctx = Context(job)
    with caplog.at_level(logging.ERROR):
        signal.send(signal.BEFORE_WORKLOAD_EXECUTION, None, ctx)   # no exception escapes
        signal.send(signal.AFTER_WORKLOAD_EXECUTION, None, ctx)
    assert calls == ['start', 'other.start', 'other.stop']
    assert job.status == st.PARTIAL
    assert any('Error in instrument failing' in r.getMessage() and 'nope' in r.getMessage()
               for r in caplog.records)


def test_failing_callback_never_improves_status(instrumentation):
    class Failing(Instrument):
        name = 'failing2'

        def stop(self, context):
            raise InstrumentError('nope')

    instrumentation.install(Failing())
    job = FakeJobResult(st.FAILED)
    signal.send(signal.AFTER_WORKLOAD_EXECUTION, None, Context(job))
    assert job.status == st.FAILED


def test_keyboard_interrupt_passes_through(instrumentation):
    class Interrupting(Instrument):
        name = 'interrupting'

        def start(self, context):
            raise KeyboardInterrupt()

    instrumentation.install(Interrupting())
    with pytest.raises(KeyboardInterrupt):
        signal.send(signal.BEFORE_WORKLOAD_EXECUTION, None, Context(FakeJobResult()))


def test_disabled_instrument_not_called(instrumentation):
    calls = []
    instrumentation.install(_recorder('on', calls, ['start']))
    instrumentation.install(_recorder('off', calls, ['start']))
    instrumentation.enable_only({'on'})
    signal.send(signal.BEFORE_WORKLOAD_EXECUTION, None, Context())
    assert calls == ['on.start']


# -- error_logged / warning_logged (signals.md §8) -------------------------------------------
@pytest.fixture
def log_signals(handlers):
    from wa.core.log import SignalHandler
    logger = logging.getLogger('wa-core-tests.signals')
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    handler = SignalHandler()
    logger.addHandler(handler)
    yield logger
    logger.removeHandler(handler)


def test_error_and_warning_signals(handlers, log_signals):
    got = []
    handlers(lambda record: got.append(('error', record.getMessage())), signal.ERROR_LOGGED)
    handlers(lambda record: got.append(('warning', record.getMessage())), signal.WARNING_LOGGED)
    log_signals.debug('debug')
    log_signals.info('info')
    log_signals.warning('careful')
    log_signals.error('bad')
    log_signals.critical('worse')          # CRITICAL sends nothing
    assert got == [('warning', 'careful'), ('error', 'bad')]


def test_error_logged_guarded_against_reentry(handlers, log_signals):
    got = []

    def on_error(record):
        got.append(record.getMessage())
        log_signals.error('logged while handling')

    handlers(on_error, signal.ERROR_LOGGED)
    log_signals.error('first')
    assert got == ['first']


def test_instrument_on_error_gets_record(instrumentation, log_signals):
    got = []
    inst = type('OnError', (Instrument,), {
        'name': 'onerror', 'on_error': lambda self, record: got.append(record.levelno),
        'on_warning': lambda self, record: got.append(record.levelno)})()
    instrumentation.install(inst)
    log_signals.error('e')
    log_signals.warning('w')
    assert got == [logging.ERROR, logging.WARNING]


def test_failing_on_error_worsens_the_current_job_not_the_log_record(instrumentation):
    """on_error receives the log record; a failure in it still lands on the run's job."""
    class FailsOnError(Instrument):
        name = 'fails_on_error'

        def on_error(self, record):
            raise InstrumentError('cannot handle {}'.format(record.getMessage()))

    job = FakeJobResult()
    instrumentation.context = Context(job)
    instrumentation.install(FailsOnError())
    record = logging.LogRecord('x', logging.ERROR, __file__, 1, 'boom', None, None)
    signal.send(signal.ERROR_LOGGED, None, record)
    assert job.status == st.PARTIAL
    assert 'fails_on_error' not in instrumentation.broken
    assert not hasattr(record, 'run_error_logged')

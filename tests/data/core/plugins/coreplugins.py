"""Test plugins for tests/core, written against the public plugin API of CONTRACT.md only.

Every plugin appends one line per call to the file named by $WA_CORE_TEST_LOG (if set), so a
test can check the order of every call of a real ``wa run``:

  wl:<label>:<method>:<iteration>:<retry>      a CoreTest workload method
  t:<method>                                    the Tracer instrument (one method per signal)
  <instrument>:<method>                         the prioritised instruments rec_a / rec_b / rec_c
  p:<processor>:<method>[:...]                  the result processors recproc / recproc2
"""
import os
import time

from wa import (Instrument, Parameter, ResultProcessor, Workload, WorkloadError,
                InstrumentError, ResultProcessorError)


def log(line):
    path = os.environ.get('WA_CORE_TEST_LOG')
    if path:
        with open(path, 'a') as fh:
            fh.write(line + '\n')


STAGES = ('initialize', 'setup', 'run', 'update_result', 'teardown', 'finalize')


class CoreTest(Workload):
    name = 'coretest'
    description = """A workload for testing the core: sleeps, and fails where told to.

    Every method call is recorded in $WA_CORE_TEST_LOG.
    """
    parameters = [
        Parameter('duration', kind=float, default=0.1, description='Seconds run() sleeps.'),
        Parameter('fail_in', kind=list, default=[], allowed_values=list(STAGES),
                  description='Methods that raise WorkloadError.'),
        Parameter('fail_iterations', kind=list, default=[],
                  description='Iterations in which fail_in applies (empty: all).'),
        Parameter('fail_retries', kind=list, default=[],
                  description='Attempts (retry numbers) in which fail_in applies (empty: all).'),
        Parameter('score', kind=int, default=42, aliases=['points'],
                  description='Value of the "score" metric.'),
        Parameter('initialize_sleep', kind=float, default=0,
                  description='Seconds initialize() sleeps (after recording its call).'),
        Parameter('teardown_sleep', kind=float, default=0,
                  description='Seconds teardown() sleeps (after recording its call).'),
    ]

    def _call(self, method, context):
        iteration = getattr(context, 'current_iteration', None)
        result = getattr(context, 'result', None) if iteration is not None else None
        retry = getattr(result, 'retry', None) if result is not None else None
        label = context.spec.label if iteration is not None else self.name
        log('wl:{}:{}:{}:{}'.format(label, method, iteration, retry))
        if method not in self.fail_in:
            return
        if iteration is not None:
            if self.fail_iterations and str(iteration) not in self.fail_iterations:
                return
            if self.fail_retries and str(retry) not in self.fail_retries:
                return
        raise WorkloadError('boom in {}'.format(method))

    def validate(self):
        log('wl:{}:validate:None:None'.format(self.name))

    def init_resources(self, context):
        log('wl:{}:init_resources:None:None'.format(self.name))

    def initialize(self, context):
        self._call('initialize', context)
        if self.initialize_sleep:
            time.sleep(self.initialize_sleep)
            log('wl:{}:initialize_done:None:None'.format(self.name))

    def setup(self, context):
        self._check_context(context)
        self._call('setup', context)

    def _check_context(self, context):
        """Records what the contract's context lacks (CONTRACT.md, Plugins)."""
        problems = []
        for attr in ('spec', 'workload', 'current_iteration', 'result', 'output_directory',
                     'run_output_directory'):
            if not hasattr(context, attr):
                problems.append('no ' + attr)
        if not problems:
            if context.workload is not self:
                problems.append('workload is not this workload')
            if not os.path.isdir(context.output_directory):
                problems.append('output_directory missing')
            elif os.path.dirname(os.path.abspath(context.output_directory)) != \
                    os.path.abspath(context.run_output_directory):
                problems.append('output_directory not in run_output_directory')
            for attr in ('add_metric', 'add_artifact'):
                if not callable(getattr(context, attr, None)) or \
                        not callable(getattr(context.result, attr, None)):
                    problems.append('no ' + attr)
        if self.target is None or self.device is not self.target:
            problems.append('target/device not set')
        log('ctx:{}:{}'.format(context.spec.label, ','.join(problems)))

    def run(self, context):
        self._call('run', context)
        time.sleep(self.duration)

    def update_result(self, context):
        path = os.path.join(context.output_directory, 'coretest.txt')
        with open(path, 'w') as fh:
            fh.write('iteration {}\n'.format(context.current_iteration))
        context.result.add_metric('score', self.score, 'points', lower_is_better=False)
        context.add_metric('tagged', 1, 'count', classifiers={'extra': 'yes'})
        context.add_artifact('coretest_output', path, 'raw', description='what coretest wrote')
        self._call('update_result', context)   # fails (if told to) after adding its results

    def teardown(self, context):
        self._call('teardown', context)
        if self.teardown_sleep:
            time.sleep(self.teardown_sleep)
            log('wl:{}:teardown_done:{}:{}'.format(context.spec.label, context.current_iteration,
                                                   context.result.retry))

    def finalize(self, context):
        self._call('finalize', context)


# One method per signal (the first name of each row of signals.md section 3).
TRACED = ['on_run_start', 'initialize', 'on_workload_spec_start', 'on_iteration_start',
          'before_workload_setup', 'setup', 'after_workload_setup', 'start',
          'on_successful_workload_execution', 'stop', 'before_workload_result_update',
          'process_workload_result', 'update_result', 'before_workload_teardown',
          'on_successful_workload_teardown', 'teardown', 'on_iteration_end',
          'on_workload_spec_end', 'finalize', 'before_overall_results_processing',
          'on_successful_overall_results_processing', 'after_overall_results_processing',
          'on_run_end', 'before_initial_boot', 'on_successful_initial_boot', 'after_initial_boot',
          'before_boot', 'on_successful_boot', 'after_boot']


class Tracer(Instrument):
    name = 'tracer'
    description = """Records every signal it receives (one method per signal)."""

    def on_error(self, record):
        log('t:on_error:{}'.format(record.getMessage().splitlines()[0]))

    def on_warning(self, record):
        log('t:on_warning:{}'.format(record.getMessage().splitlines()[0]))


def _tracer_method(method_name):
    def method(self, context):
        log('t:' + method_name)
    method.__name__ = method_name
    return method


for _name in TRACED:
    setattr(Tracer, _name, _tracer_method(_name))


class RecA(Instrument):
    name = 'rec_a'
    description = """Very fast start and stop (priority 20)."""

    def very_fast_start(self, context):
        log('rec_a:very_fast_start')

    def very_fast_stop(self, context):
        log('rec_a:very_fast_stop')


class RecB(Instrument):
    name = 'rec_b'
    description = """Plain start and stop (priority 0)."""

    def start(self, context):
        log('rec_b:start')

    def stop(self, context):
        log('rec_b:stop')


class RecC(Instrument):
    name = 'rec_c'
    description = """Slow start and stop (priority -10)."""

    def slow_start(self, context):
        log('rec_c:slow_start')

    def slow_stop(self, context):
        log('rec_c:slow_stop')


class FailInst(Instrument):
    name = 'failinst'
    description = """An instrument whose methods raise where told to."""
    parameters = [
        Parameter('fail_in', kind=list, default=['start'],
                  description='Methods that raise InstrumentError.'),
    ]

    def _call(self, method):
        log('failinst:' + method)
        if method in self.fail_in:
            raise InstrumentError('instrument boom in {}'.format(method))

    def initialize(self, context):
        self._call('initialize')

    def setup(self, context):
        self._call('setup')

    def start(self, context):
        self._call('start')

    def stop(self, context):
        self._call('stop')

    def update_result(self, context):
        self._call('update_result')

    def teardown(self, context):
        self._call('teardown')

    def finalize(self, context):
        self._call('finalize')


ITERATION_ATTRS = ('id', 'spec', 'label', 'workload', 'iteration', 'retry', 'status',
                   'classifiers', 'events', 'metrics', 'artifacts')
RUN_ATTRS = ('status', 'iteration_results', 'metrics', 'artifacts')
METRIC_ATTRS = ('name', 'value', 'units', 'lower_is_better', 'classifiers')


def _missing(obj, attrs):
    return [a for a in attrs if not hasattr(obj, a)]


class RecProc(ResultProcessor):
    name = 'recproc'
    description = """Records every call it receives and checks the shape of the results."""
    parameters = [
        Parameter('fail_in', kind=list, default=[],
                  description='Methods that raise ResultProcessorError.'),
    ]

    def _call(self, method, *parts):
        log(':'.join(['p', self.name, method] + [str(p) for p in parts]))
        if method in self.fail_in:
            raise ResultProcessorError('processor boom in {}'.format(method))

    def initialize(self, context):
        self._call('initialize')

    def process_iteration_result(self, result, context):
        missing = _missing(result, ITERATION_ATTRS)
        for metric in result.metrics:
            missing += ['metric.' + a for a in _missing(metric, METRIC_ATTRS)]
        self._call('process_iteration_result', result.id, result.iteration, result.retry,
                   result.status, 'missing=' + ','.join(missing))

    def export_iteration_result(self, result, context):
        self._call('export_iteration_result', result.id, result.iteration, result.retry,
                   result.status)

    def process_run_result(self, result, context):
        missing = _missing(result, RUN_ATTRS)
        self._call('process_run_result', len(result.iteration_results),
                   'missing=' + ','.join(missing))
        if self.name == 'recproc':
            result.add_metric('run_total', len(result.iteration_results), 'jobs')

    def export_run_result(self, result, context):
        self._call('export_run_result', result.status)

    def finalize(self, context):
        self._call('finalize')


class RecProc2(RecProc):
    name = 'recproc2'
    description = """A second recording processor (inherits recproc's parameters)."""


class Needy(Workload):
    name = 'needy'
    description = """A workload with a mandatory parameter.

    Used to check that a missing mandatory parameter is refused before the run.
    """
    parameters = [
        Parameter('needed', kind=str, mandatory=True, description='Must be given.'),
        Parameter('mode', kind=str, default='fast', allowed_values=['fast', 'slow'],
                  aliases=['speed'], description='How to go.'),
    ]

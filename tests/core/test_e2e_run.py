"""A real ``wa run`` of the worked example of signals.md section 9, with user plugins from
``$WA_USER_DIRECTORY/plugins/``: the order of every signal and plugin call, and the output
directory (CONTRACT.md "Output directory")."""
import csv
import os
import re
from datetime import datetime

import pytest

from wa_core_testlib import job_dirs, run_agenda

AGENDA = """
config:
  iterations: 2
  instrumentation: [tracer, rec_c, rec_b, rec_a]
  result_processors: [recproc, recproc2]
workloads:
  - name: coretest
    label: mytest
    classifiers: {kind: unit}
    workload_parameters: {duration: 0.2}
"""


@pytest.fixture(scope='module')
def run(tmp_path_factory):
    return run_agenda(tmp_path_factory.mktemp('worked'), AGENDA)


def signal_trace(run):
    """Only the tracer's signal methods (error/warning notifications left out)."""
    return [line[2:] for line in run.trace
            if line.startswith('t:') and not line.startswith(('t:on_error', 't:on_warning'))]


def iteration_signals():
    return ['on_iteration_start', 'before_workload_setup', 'setup', 'after_workload_setup',
            'start', 'on_successful_workload_execution', 'stop',
            'before_workload_result_update', 'process_workload_result', 'update_result',
            'before_workload_teardown', 'on_successful_workload_teardown', 'teardown',
            'on_iteration_end']


# signals.md section 9: the 37 signals, by the tracer method each one calls.
WORKED_EXAMPLE_SIGNALS = (
    ['on_run_start', 'initialize', 'on_workload_spec_start'] + iteration_signals()
    + iteration_signals() + ['on_workload_spec_end', 'finalize',
                             'before_overall_results_processing',
                             'on_successful_overall_results_processing',
                             'after_overall_results_processing', 'on_run_end'])


def test_exit_status_zero(run):
    assert run.returncode == 0, run.describe()


def test_no_traceback(run):
    assert 'Traceback' not in run.stderr + run.stdout, run.describe()


def test_worked_example_37_signals_in_order(run):
    """signals.md §9: 37 signals for 1 workload x 2 iterations, in this order."""
    assert len(WORKED_EXAMPLE_SIGNALS) == 37
    assert signal_trace(run) == WORKED_EXAMPLE_SIGNALS


def _full_iteration(iteration, label='mytest'):
    wl = 'wl:{}:{{}}:{}:0'.format(label, iteration)
    return [
        't:on_iteration_start',
        't:before_workload_setup', wl.format('setup'), 't:setup', 't:after_workload_setup',
        # start is inverted: rec_c (-10) first; tracer and rec_b (0) in connection order
        # (tracer is installed first); rec_a (20) last, closest to the run
        'rec_c:slow_start', 't:start', 'rec_b:start', 'rec_a:very_fast_start',
        wl.format('run'),
        't:on_successful_workload_execution',
        'rec_a:very_fast_stop', 't:stop', 'rec_b:stop', 'rec_c:slow_stop',
        't:before_workload_result_update', wl.format('update_result'),
        't:process_workload_result', 't:update_result',
        't:before_workload_teardown', wl.format('teardown'),
        't:on_successful_workload_teardown', 't:teardown',
    ]


def _processors_iteration(iteration):
    return ['p:recproc:process_iteration_result:wk1:{}:0:OK:missing='.format(iteration),
            'p:recproc2:process_iteration_result:wk1:{}:0:OK:missing='.format(iteration),
            'p:recproc:export_iteration_result:wk1:{}:0:OK'.format(iteration),
            'p:recproc2:export_iteration_result:wk1:{}:0:OK'.format(iteration)]


def test_every_call_in_order(run):
    """The whole §5/§9 sequence, the workload and processor calls in brackets included, with
    the §2 priorities and equal priorities in connection order (signals.md §1)."""
    trace = [line for line in run.trace
             if not line.startswith(('t:on_error', 't:on_warning', 'ctx:'))
             and ':init_resources:' not in line and ':validate:' not in line]
    expected = (
        ['t:on_run_start', 'p:recproc:initialize', 'p:recproc2:initialize',
         'wl:coretest:initialize:None:None', 't:initialize', 't:on_workload_spec_start']
        + _full_iteration(1) + _processors_iteration(1) + ['t:on_iteration_end']
        + _full_iteration(2) + _processors_iteration(2) + ['t:on_iteration_end']
        + ['t:on_workload_spec_end', 'wl:coretest:finalize:None:None', 't:finalize',
           't:before_overall_results_processing',
           'p:recproc:process_run_result:2:missing=', 'p:recproc2:process_run_result:2:missing=',
           'p:recproc:export_run_result:OK', 'p:recproc2:export_run_result:OK',
           't:on_successful_overall_results_processing', 't:after_overall_results_processing',
           'p:recproc:finalize', 'p:recproc2:finalize', 't:on_run_end'])
    assert trace == expected


def test_priority_example_of_signals_md_2(run):
    """signals.md §2, exactly, within each iteration."""
    lines = [l for l in run.trace if l.startswith(('rec_', 'wl:mytest:run'))]
    one = ['rec_c:slow_start', 'rec_b:start', 'rec_a:very_fast_start', 'wl:mytest:run:{}:0',
           'rec_a:very_fast_stop', 'rec_b:stop', 'rec_c:slow_stop']
    assert lines == [l.format(1) for l in one] + [l.format(2) for l in one]


def test_processors_process_before_export(run):
    """CONTRACT: every process_* of every processor runs before any export_*."""
    calls = [l for l in run.trace if l.startswith('p:')]
    for kind in ('iteration', 'run'):
        idx_process = [i for i, l in enumerate(calls) if ':process_{}_result'.format(kind) in l]
        idx_export = [i for i, l in enumerate(calls) if ':export_{}_result'.format(kind) in l]
        assert max(idx_process[:2]) < min(idx_export[:2])


def test_results_have_contract_attributes(run):
    """Iteration and run results and metrics have the attributes the contract lists."""
    calls = [l for l in run.trace if l.startswith('p:') and ':process_' in l]
    assert calls and all(l.endswith('missing=') for l in calls), calls


def test_job_directories(run):
    assert job_dirs(run.out_dir) == ['wk1-mytest-1', 'wk1-mytest-2']


def test_output_files_exist(run):
    for name in ('run.log', 'result.json', 'results.csv', 'status.txt', 'results.json'):
        assert os.path.isfile(run.path(name)), name
    assert os.path.isdir(run.path('__meta'))
    raw = os.listdir(run.path('__meta', 'raw_config'))
    assert any(name.endswith('agenda.yaml') for name in raw), raw
    for name in ('config.json', 'jobs.json', 'run_info.json', 'target_info.json'):
        assert os.path.isfile(run.path('__meta', name)), name


def _iso(text):
    assert isinstance(text, str)
    return datetime.fromisoformat(text.replace('Z', '+00:00'))


def test_result_json_shape(run):
    data = run.result
    for key in ('format_version', 'status', 'start_time', 'end_time', 'duration', 'metadata',
                'metrics', 'artifacts', 'jobs'):
        assert key in data, key
    assert data['format_version'] == 1
    assert data['status'] == 'OK'
    assert _iso(data['end_time']) >= _iso(data['start_time'])
    assert isinstance(data['duration'], (int, float)) and data['duration'] > 0
    assert set(data['metadata']['versions']) >= {'wa', 'devlib'}
    import wa
    assert data['metadata']['versions']['wa'] == wa.__version__
    assert {'name': 'runlog', 'path': 'run.log', 'kind': 'log'}.items() <= \
        next(a for a in data['artifacts'] if a['name'] == 'runlog').items()
    names = {a['name']: a for a in data['artifacts']}
    assert names['run_result_csv']['path'] == 'results.csv'
    assert names['run_status_summary']['path'] == 'status.txt'
    assert all(a['kind'] in ('log', 'meta', 'data', 'export', 'raw') for a in data['artifacts'])


def test_run_level_metric_from_processor(run):
    metric = next(m for m in run.result['metrics'] if m['name'] == 'run_total')
    assert metric['value'] == 2 and metric['units'] == 'jobs'


def test_result_json_jobs(run):
    jobs = run.jobs()
    assert [(j['id'], j['iteration'], j['retry'], j['status']) for j in jobs] == \
        [('wk1', 1, 0, 'OK'), ('wk1', 2, 0, 'OK')]
    for index, job in enumerate(jobs, 1):
        for key in ('id', 'label', 'workload', 'iteration', 'status', 'retry', 'classifiers',
                    'duration', 'metrics', 'artifacts', 'events'):
            assert key in job, key
        assert job['label'] == 'mytest' and job['workload'] == 'coretest'
        assert job['classifiers'] == {'kind': 'unit'}
        assert isinstance(job['duration'], (int, float)) and job['duration'] >= 0.2
        metrics = {m['name']: m for m in job['metrics']}
        assert set(metrics) >= {'execution_time', 'score', 'tagged'}
        et = metrics['execution_time']
        assert et['units'] == 'seconds' and et['lower_is_better'] is True
        assert 0.2 <= et['value'] < 5
        assert metrics['score'] == {'name': 'score', 'value': 42, 'units': 'points',
                                    'lower_is_better': False, 'classifiers': {'kind': 'unit'}}
        # a classifier given with the metric is merged over the job's (reference.md §5)
        assert metrics['tagged']['classifiers'] == {'kind': 'unit', 'extra': 'yes'}
        artifact = next(a for a in job['artifacts'] if a['name'] == 'coretest_output')
        assert artifact['path'] == 'wk1-mytest-{}/coretest.txt'.format(index)
        assert artifact['kind'] == 'raw' and artifact['description'] == 'what coretest wrote'
        assert os.path.isfile(run.path(artifact['path']))
        assert job['events'] == []


def test_job_directory_result_json_is_its_entry(run):
    jobs = run.jobs()
    for index, job in enumerate(jobs, 1):
        own = run.json('wk1-mytest-{}'.format(index), 'result.json')
        assert own == job


def test_results_csv(run):
    with open(run.path('results.csv')) as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ['id', 'workload', 'label', 'iteration', 'metric', 'value', 'units']
    body = [r for r in rows[1:] if r]
    per_job = [(r[0], r[1], r[2], r[3], r[4]) for r in body if r[0]]
    for it in ('1', '2'):
        for metric in ('execution_time', 'score', 'tagged'):
            assert ('wk1', 'coretest', 'mytest', it, metric) in per_job
    score = next(r for r in body if r[4] == 'score')
    assert score[5:] == ['42', 'points']
    # run-level metrics have empty id, label and iteration (reference.md §9)
    run_rows = [r for r in body if r[4] == 'run_total']
    assert run_rows and run_rows[0][0] == '' and run_rows[0][2] == '' and run_rows[0][3] == ''


def test_results_json_flat_list(run):
    data = run.json('results.json')
    assert isinstance(data, list)
    names = [(m.get('id'), m.get('iteration'), m.get('name')) for m in data]
    assert ('wk1', 1, 'score') in names and ('wk1', 2, 'execution_time') in names


def test_status_txt(run):
    text = run.text('status.txt')
    assert re.search(r'^Run status: OK$', text, re.M), text
    assert '2/2 iterations completed without error' in text
    lines = [l.split() for l in text.splitlines()]
    assert ['wk1', 'mytest', '1', 'OK'] in lines and ['wk1', 'mytest', '2', 'OK'] in lines


def test_run_log_at_debug_level(run):
    log = run.text('run.log')
    assert 'DEBUG' in log
    assert 'Running job wk1' in log or 'wk1' in log


def test_console_summary(run):
    out = run.stdout + run.stderr
    assert 'Done.' in out
    assert 'Results can be found in' in out


def test_meta_files(run):
    info = run.json('__meta', 'run_info.json')
    for key in ('uuid', 'run_name', 'project', 'project_stage', 'start_time', 'end_time',
                'duration'):
        assert key in info, key
    target = run.json('__meta', 'target_info.json')
    for key in ('os', 'abi', 'hostname', 'kernel_release'):
        assert key in target, key
    jobs = run.json('__meta', 'jobs.json')
    assert [j['id'] for j in jobs] == ['wk1']
    for key in ('id', 'workload_name', 'label', 'iterations', 'workload_parameters',
                'runtime_parameters', 'boot_parameters', 'augmentations', 'classifiers'):
        assert key in jobs[0], key
    assert jobs[0]['workload_parameters']['duration'] == 0.2
    config = run.json('__meta', 'config.json')
    assert isinstance(config, dict)


def test_context_has_contract_attributes(run):
    """CONTRACT.md: context carries spec, workload, current_iteration, result,
    output_directory, run_output_directory; self.target (alias self.device) is set."""
    checks = [l for l in run.trace if l.startswith('ctx:')]
    assert checks == ['ctx:mytest:', 'ctx:mytest:']


def test_init_resources_and_validate_before_any_signal(run):
    """signals.md §5: before any signal, each spec's workload gets init_resources(context) and
    validate()."""
    trace = run.trace
    first_signal = trace.index('t:on_run_start')
    assert 'wl:coretest:validate:None:None' in trace[:first_signal]
    assert 'wl:coretest:init_resources:None:None' in trace[:first_signal]


def test_no_errors_logged_in_clean_run(run):
    """Nothing failed, so error_logged was never sent (signals.md §8, §9)."""
    assert not [l for l in run.trace if l.startswith('t:on_error')]
    assert 'There were errors during execution.' not in run.stdout + run.stderr

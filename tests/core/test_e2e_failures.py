"""Failures in each stage of real ``wa run``s: statuses, retries, skipped iterations, the signals
still sent, exit statuses (CONTRACT.md; signals.md §4-§7, §9 variants; reference.md §8)."""
import os
import re

import pytest

from wa_core_testlib import job_dirs, run_agenda

OUT_OF_JOB = ('initialize', 'finalize', 'init_resources', 'validate')


def job_trace(label, iteration, retry=0, fail=None):
    """Tracer signals and workload calls of one job (signals.md §5, §7 table)."""
    wl = 'wl:{}:{{}}:{}:{}'.format(label, iteration, retry)
    seq = ['t:on_iteration_start', 't:before_workload_setup', wl.format('setup')]
    if fail == 'setup':
        return seq + ['t:after_workload_setup', 't:on_iteration_end']
    seq += ['t:setup', 't:after_workload_setup', 't:start', wl.format('run')]
    if fail != 'run':
        seq.append('t:on_successful_workload_execution')
    seq += ['t:stop', 't:before_workload_result_update']
    if fail != 'run':
        seq.append(wl.format('update_result'))
    if fail not in ('run', 'update_result'):
        seq.append('t:process_workload_result')
    seq += ['t:update_result', 't:before_workload_teardown', wl.format('teardown')]
    if fail != 'teardown':
        seq.append('t:on_successful_workload_teardown')
    return seq + ['t:teardown', 't:on_iteration_end']


def job_part(run):
    """The tracer/workload lines from the first spec start to the last spec end."""
    lines = [l for l in run.trace
             if (l.startswith('t:') and not l.startswith(('t:on_error', 't:on_warning')))
             or (l.startswith('wl:') and l.split(':')[2] not in OUT_OF_JOB)]
    first = lines.index('t:on_workload_spec_start')
    last = len(lines) - 1 - lines[::-1].index('t:on_workload_spec_end')
    return lines[first:last + 1]


def attempts(run):
    return [(j['id'], j['iteration'], j['retry'], j['status']) for j in run.jobs()]


def status_lines(run):
    return [l.split() for l in run.text('status.txt').splitlines()]


# --------------------------------------------------------------------------------------------
# Default retries (retry_on_status [FAILED, PARTIAL], max_retries 2), by_spec
# --------------------------------------------------------------------------------------------
RETRY_AGENDA = """
config:
  execution_order: by_spec
workloads:
  - {name: coretest, id: su, label: setupfail, iterations: 2, params: {fail_in: [setup]}}
  - {name: coretest, id: ru, label: runfail, iterations: 2,
     params: {fail_in: [run], fail_iterations: [1]}}
  - {name: coretest, id: up, label: updfail, params: {fail_in: [update_result]}}
  - {name: coretest, id: td, label: tdfail, params: {fail_in: [teardown]}}
  - {name: coretest, id: ok, label: fine}
"""


@pytest.fixture(scope='module')
def retry_run(tmp_path_factory):
    return run_agenda(tmp_path_factory.mktemp('retries'), RETRY_AGENDA)


def test_failed_jobs_give_exit_status_1(retry_run):
    assert retry_run.returncode == 1, retry_run.describe()
    assert 'Traceback' not in retry_run.stderr


def test_every_attempt_recorded_with_documented_status(retry_run):
    assert attempts(retry_run) == [
        ('su', 1, 0, 'FAILED'), ('su', 1, 1, 'FAILED'), ('su', 1, 2, 'FAILED'),
        ('su', 2, 0, 'SKIPPED'),
        ('ru', 1, 0, 'FAILED'), ('ru', 1, 1, 'FAILED'), ('ru', 1, 2, 'FAILED'),
        ('ru', 2, 0, 'OK'),
        ('up', 1, 0, 'PARTIAL'), ('up', 1, 1, 'PARTIAL'), ('up', 1, 2, 'PARTIAL'),
        ('td', 1, 0, 'NONCRITICAL'),
        ('ok', 1, 0, 'OK'),
    ]


def test_run_status_partial(retry_run):
    assert retry_run.result['status'] == 'PARTIAL'
    assert re.search(r'^Run status: PARTIAL$', retry_run.text('status.txt'), re.M)


def test_setup_failure_skips_run_update_teardown(retry_run):
    calls = [l.split(':')[2] for l in retry_run.trace if l.startswith('wl:setupfail:')]
    assert calls == ['setup', 'setup', 'setup']


def test_run_failure_skips_update_result_but_tears_down(retry_run):
    calls = [tuple(l.split(':')[2:]) for l in retry_run.trace if l.startswith('wl:runfail:')]
    attempt = lambda retry: [('setup', '1', retry), ('run', '1', retry),  # noqa: E731
                             ('teardown', '1', retry)]
    assert calls == attempt('0') + attempt('1') + attempt('2') + [
        ('setup', '2', '0'), ('run', '2', '0'), ('update_result', '2', '0'),
        ('teardown', '2', '0')]


def test_update_result_failure_still_tears_down(retry_run):
    calls = [l.split(':')[2] for l in retry_run.trace if l.startswith('wl:updfail:')]
    assert calls == ['setup', 'run', 'update_result', 'teardown'] * 3


def test_failed_attempts_moved_to_failed_dir(retry_run):
    failed = sorted(os.listdir(retry_run.path('__failed')))
    assert failed == ['ru-runfail-1-attempt01', 'ru-runfail-1-attempt02',
                      'su-setupfail-1-attempt01', 'su-setupfail-1-attempt02',
                      'up-updfail-1-attempt01', 'up-updfail-1-attempt02']


def test_final_attempts_own_job_directories(retry_run):
    assert job_dirs(retry_run.out_dir) == ['ok-fine-1', 'ru-runfail-1', 'ru-runfail-2',
                                           'su-setupfail-1', 'td-tdfail-1', 'up-updfail-1']
    own = retry_run.json('up-updfail-1', 'result.json')
    assert own['retry'] == 2 and own['status'] == 'PARTIAL'


def test_failed_attempt_artifact_paths_updated(retry_run):
    up = [j for j in retry_run.jobs() if j['id'] == 'up']
    paths = [next(a['path'] for a in j['artifacts'] if a['name'] == 'coretest_output')
             for j in up]
    assert paths == ['__failed/up-updfail-1-attempt01/coretest.txt',
                     '__failed/up-updfail-1-attempt02/coretest.txt',
                     'up-updfail-1/coretest.txt']
    for path in paths:
        assert os.path.isfile(retry_run.path(path)), path


def test_failure_events(retry_run):
    jobs = retry_run.jobs()
    su = jobs[0]
    assert any('boom in setup' in e['message'] for e in su['events'])
    assert all(set(e) >= {'timestamp', 'message'} for e in su['events'])
    up = jobs[8]
    assert any('boom in update_result' in e['message'] for e in up['events'])
    td = jobs[11]
    assert any('boom in teardown' in e['message'] for e in td['events'])
    assert jobs[3]['events'], 'a SKIPPED job says why'


def test_results_csv_has_only_latest_attempts(retry_run):
    import csv
    with open(retry_run.path('results.csv')) as fh:
        rows = [r for r in csv.reader(fh)][1:]
    up_scores = [r for r in rows if r[0] == 'up' and r[4] == 'score']
    assert len(up_scores) == 1


def test_status_txt_shows_final_attempts(retry_run):
    lines = status_lines(retry_run)
    job_lines = [l for l in lines if l and l[0] in ('su', 'ru', 'up', 'td', 'ok')]
    assert [l[:4] for l in job_lines] == [
        ['su', 'setupfail', '1', 'FAILED'], ['su', 'setupfail', '2', 'SKIPPED'],
        ['ru', 'runfail', '1', 'FAILED'], ['ru', 'runfail', '2', 'OK'],
        ['up', 'updfail', '1', 'PARTIAL'], ['td', 'tdfail', '1', 'NONCRITICAL'],
        ['ok', 'fine', '1', 'OK']]
    su_line = next(l for l in retry_run.text('status.txt').splitlines()
                   if l.startswith('su ') and 'FAILED' in l)
    assert 'boom in setup' in su_line
    assert '3/7 iterations completed without error' in retry_run.text('status.txt')


def test_console_summary_counts_final_attempts(retry_run):
    out = retry_run.stdout + retry_run.stderr
    assert 'Ran a total of 7 iterations' in out
    assert 'There were errors during execution.' in out
    assert 'Please see {}'.format(os.path.join(retry_run.out_dir, 'run.log')) in out


def test_status_txt_columns_aligned(retry_run):
    """reference.md §9: id, label, iteration, status, first event line; aligned left, left,
    right, right, left."""
    rows = [l for l in retry_run.text('status.txt').splitlines()
            if l.split() and l.split()[0] in ('su', 'ru', 'up', 'td', 'ok')]
    label_starts, iteration_ends, status_ends = set(), set(), set()
    for row in rows:
        parts = re.match(r'(\S+)(\s+)(\S+)(\s+)(\S+)(\s+)(\S+)', row)
        label_starts.add(parts.start(3))
        iteration_ends.add(parts.end(5))
        status_ends.add(parts.end(7))
    assert len(label_starts) == 1 and len(iteration_ends) == 1 and len(status_ends) == 1, rows


def test_retry_log_lines(retry_run):
    log = retry_run.text('run.log')
    assert 'Job su iteration 1 completed with status FAILED. retrying...' in log
    assert 'Job su iteration 1 completed with status FAILED. Max retries exceeded.' in log
    assert 'Error while' in log


# --------------------------------------------------------------------------------------------
# retry_on_status: [] -- the signals still sent after each kind of failure; an instrument that
# fails (signals.md §9 variants, §4, §7)
# --------------------------------------------------------------------------------------------
NO_RETRY_AGENDA = """
config:
  execution_order: by_spec
  retry_on_status: []
  instrumentation: [tracer]
workloads:
  - {name: coretest, id: su, label: su, iterations: 2, params: {fail_in: [setup]}}
  - {name: coretest, id: ru, label: ru, iterations: 2,
     params: {fail_in: [run], fail_iterations: [1]}}
  - {name: coretest, id: fi, label: fi, instrumentation: [failinst]}
  - {name: coretest, id: af, label: af}
"""


@pytest.fixture(scope='module')
def noretry_run(tmp_path_factory):
    return run_agenda(tmp_path_factory.mktemp('noretry'), NO_RETRY_AGENDA)


def test_noretry_statuses(noretry_run):
    assert noretry_run.returncode == 1, noretry_run.describe()
    assert attempts(noretry_run) == [
        ('su', 1, 0, 'FAILED'), ('su', 2, 0, 'SKIPPED'),
        ('ru', 1, 0, 'FAILED'), ('ru', 2, 0, 'OK'),
        ('fi', 1, 0, 'PARTIAL'), ('af', 1, 0, 'OK')]


def test_noretry_signals(noretry_run):
    """Setup failure: iteration-start, before-setup, after-setup, iteration-end, spec-end; the
    SKIPPED iteration sends nothing. Run failure: no successful-execution, no update_result, no
    successful-result-update; teardown runs. A failing instrument changes no signal."""
    spec = lambda body: ['t:on_workload_spec_start'] + body + ['t:on_workload_spec_end']  # noqa
    expected = (spec(job_trace('su', 1, fail='setup'))
                + spec(job_trace('ru', 1, fail='run') + job_trace('ru', 2))
                + spec(job_trace('fi', 1)) + spec(job_trace('af', 1)))
    assert job_part(noretry_run) == expected


def test_noretry_run_ending_signals(noretry_run):
    lines = [l for l in noretry_run.trace
             if l.startswith('t:') and not l.startswith(('t:on_error', 't:on_warning'))]
    assert lines[:2] == ['t:on_run_start', 't:initialize']
    assert lines[-6:] == ['t:on_workload_spec_end', 't:finalize',
                          't:before_overall_results_processing',
                          't:on_successful_overall_results_processing',
                          't:after_overall_results_processing', 't:on_run_end']


def test_failing_instrument_is_off_for_rest_of_job(noretry_run):
    """signals.md §4: after its start raises, the instrument's stop/update_result/teardown for
    that job are not called; it is not enabled for a spec that does not list it."""
    calls = [l.split(':')[1] for l in noretry_run.trace if l.startswith('failinst:')]
    # run-level: initialize and finalize (every instrument is enabled again after the last
    # job, signals.md §4); in fi's job: setup, then start raises and nothing more
    assert calls == ['initialize', 'setup', 'start', 'finalize']


def test_failing_instrument_logged_with_its_name(noretry_run):
    assert 'Error in instrument failinst' in noretry_run.text('run.log')
    fi = [j for j in noretry_run.jobs() if j['id'] == 'fi'][0]
    assert any('instrument boom in start' in e['message'] for e in fi['events'])


def test_error_logged_signal_reaches_instruments(noretry_run):
    """signals.md §8: each ERROR record sends error_logged with the LogRecord."""
    errors = [l for l in noretry_run.trace if l.startswith('t:on_error:')]
    assert any('boom in setup' in l for l in errors), errors


# --------------------------------------------------------------------------------------------
# A retry that succeeds; a teardown failure (NONCRITICAL); by_iteration with two specs
# --------------------------------------------------------------------------------------------
RECOVER_AGENDA = """
config:
  iterations: 2
  reboot_policy: each_spec
  instrumentation: [tracer]
workloads:
  - {name: coretest, label: flaky, params: {fail_in: [run], fail_iterations: [1],
                                            fail_retries: [0]}}
  - {name: coretest, label: td, params: {fail_in: [teardown]}}
"""


@pytest.fixture(scope='module')
def recover_run(tmp_path_factory):
    return run_agenda(tmp_path_factory.mktemp('recover'), RECOVER_AGENDA)


def test_recovered_and_noncritical_exit_zero(recover_run):
    """Exit 0 when every job's last attempt ended OK or NONCRITICAL."""
    assert recover_run.returncode == 0, recover_run.describe()
    assert attempts(recover_run) == [
        ('wk1', 1, 0, 'FAILED'), ('wk1', 1, 1, 'OK'), ('wk2', 1, 0, 'NONCRITICAL'),
        ('wk1', 2, 0, 'OK'), ('wk2', 2, 0, 'NONCRITICAL')]
    assert recover_run.result['status'] == 'OK'


def test_retry_stays_inside_its_spec_pair(recover_run):
    """signals.md §6: the retry runs at once as 4-17 (no spec-start); with by_iteration and two
    specs every job has its own spec-start/spec-end pair."""
    spec = lambda body: ['t:on_workload_spec_start'] + body + ['t:on_workload_spec_end']  # noqa
    expected = (spec(job_trace('flaky', 1, 0, fail='run') + job_trace('flaky', 1, 1))
                + spec(job_trace('td', 1, fail='teardown'))
                + spec(job_trace('flaky', 2))
                + spec(job_trace('td', 2, fail='teardown')))
    assert job_part(recover_run) == expected


def test_reboot_policy_on_local_acts_as_never(recover_run):
    """reference.md §6: on a target that cannot reboot every policy acts as never, with a
    warning; no boot signals are sent (test_retry_stays_inside_its_spec_pair)."""
    assert not [l for l in recover_run.trace if 'boot' in l]
    warnings = [l for l in recover_run.text('run.log').splitlines()
                if 'WARNING' in l and 'reboot' in l.lower()]
    assert warnings


def test_recovered_directories(recover_run):
    assert os.listdir(recover_run.path('__failed')) == ['wk1-flaky-1-attempt01']
    assert job_dirs(recover_run.out_dir) == ['wk1-flaky-1', 'wk1-flaky-2', 'wk2-td-1',
                                             'wk2-td-2']


# --------------------------------------------------------------------------------------------
# bail_on_init_failure
# --------------------------------------------------------------------------------------------
BAIL_WORKLOAD_AGENDA = """
config:
  instrumentation: [tracer]
  result_processors: [recproc]
workloads:
  - {name: coretest, id: good1, label: good1}
  - {name: coretest, id: bad, label: bad, params: {fail_in: [initialize]}}
  - {name: coretest, id: good2, label: good2}
"""


@pytest.fixture(scope='module')
def bail_run(tmp_path_factory):
    return run_agenda(tmp_path_factory.mktemp('bail'), BAIL_WORKLOAD_AGENDA)


def test_bail_skips_every_job(bail_run):
    assert bail_run.returncode == 1, bail_run.describe()
    assert attempts(bail_run) == [('good1', 1, 0, 'SKIPPED'), ('bad', 1, 0, 'SKIPPED'),
                                  ('good2', 1, 0, 'SKIPPED')]
    assert bail_run.result['status'] == 'FAILED'
    assert not [l for l in bail_run.trace if l.startswith('wl:') and ':setup:' in l]


def test_bail_normal_ending(bail_run):
    """run-fin only if run-init was sent; the overall-results triple, the processors' finalize
    and end-signal always are."""
    signals = [l for l in bail_run.trace
               if l.startswith('t:') and not l.startswith(('t:on_error', 't:on_warning'))]
    assert signals == ['t:on_run_start', 't:before_overall_results_processing',
                       't:on_successful_overall_results_processing',
                       't:after_overall_results_processing', 't:on_run_end']
    assert 'p:recproc:finalize' in bail_run.trace


def test_bail_error_names_plugin(bail_run):
    log = bail_run.text('run.log')
    assert 'boom in initialize' in log and 'coretest' in log
    assert 'Traceback' not in bail_run.stderr
    assert os.path.isfile(bail_run.path('status.txt'))


BAIL_INSTRUMENT_AGENDA = """
config:
  instrumentation: [tracer, failinst]
  failinst: {fail_in: [initialize]}
workloads:
  - {name: coretest, id: one}
"""


@pytest.fixture(scope='module')
def bail_instrument_run(tmp_path_factory):
    return run_agenda(tmp_path_factory.mktemp('bailinst'), BAIL_INSTRUMENT_AGENDA)


def test_bail_on_instrument_initialize(bail_instrument_run):
    run = bail_instrument_run
    assert run.returncode == 1, run.describe()
    assert attempts(run) == [('one', 1, 0, 'SKIPPED')]
    assert run.result['status'] == 'FAILED'
    signals = [l for l in run.trace
               if l.startswith('t:') and not l.startswith(('t:on_error', 't:on_warning'))]
    assert signals == ['t:on_run_start', 't:initialize', 't:finalize',
                       't:before_overall_results_processing',
                       't:on_successful_overall_results_processing',
                       't:after_overall_results_processing', 't:on_run_end']
    assert 'failinst' in run.text('run.log')


NO_BAIL_AGENDA = """
config:
  bail_on_init_failure: false
  instrumentation: [tracer, failinst]
  failinst: {fail_in: [initialize]}
  result_processors: [recproc]
  recproc: {fail_in: [initialize]}
workloads:
  - {name: coretest, id: bad, label: bad, params: {fail_in: [initialize]}}
  - {name: coretest, id: good, label: good}
"""


@pytest.fixture(scope='module')
def nobail_run(tmp_path_factory):
    return run_agenda(tmp_path_factory.mktemp('nobail'), NO_BAIL_AGENDA)


def test_no_bail_goes_on(nobail_run):
    run = nobail_run
    assert run.returncode == 1, run.describe()   # a SKIPPED job
    assert attempts(run) == [('bad', 1, 0, 'SKIPPED'), ('good', 1, 0, 'OK')]
    assert run.result['status'] == 'PARTIAL'
    assert [l.split(':')[2] for l in run.trace if l.startswith('wl:good:')] == \
        ['setup', 'run', 'update_result', 'teardown']
    assert not [l for l in run.trace if l.startswith('wl:bad:')]


def test_no_bail_broken_instrument_and_dropped_processor(nobail_run):
    run = nobail_run
    assert [l for l in run.trace if l.startswith('failinst:')] == ['failinst:initialize']
    procs = [l for l in run.trace if l.startswith('p:recproc:')]
    assert procs[0] == 'p:recproc:initialize'
    assert not [l for l in procs if ':process_' in l or ':export_' in l]


# --------------------------------------------------------------------------------------------
# A failing result processor (signals.md §7 table, last row); settings from a -c file
# --------------------------------------------------------------------------------------------
PROCESSOR_AGENDA = """
config:
  result_processors: [recproc, recproc2]
workloads:
  - {name: coretest, id: first}
  - {name: coretest, id: second}
  - {name: coretest, id: third, params: {fail_in: [update_result, teardown]}}
"""

PROCESSOR_CONFIG = """
retry_on_status: []
recproc: {fail_in: [process_iteration_result]}
"""


@pytest.fixture(scope='module')
def processor_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('procfail')
    config = os.path.join(str(tmp), 'extra.yaml')
    with open(config, 'w') as fh:
        fh.write(PROCESSOR_CONFIG)
    return run_agenda(tmp, PROCESSOR_AGENDA, extra_args=['-c', config])


def test_failing_processor_makes_job_partial(processor_run):
    run = processor_run
    assert run.returncode == 1, run.describe()
    # a status only gets worse: third's teardown failure leaves it PARTIAL, not NONCRITICAL
    assert attempts(run) == [('first', 1, 0, 'PARTIAL'), ('second', 1, 0, 'OK'),
                             ('third', 1, 0, 'PARTIAL')]
    assert run.result['status'] == 'PARTIAL'
    assert 'recproc' in run.text('run.log')


def test_failing_processor_finalised_and_dropped(processor_run):
    calls = [l.split(':')[2] for l in processor_run.trace if l.startswith('p:recproc:')]
    assert calls == ['initialize', 'process_iteration_result', 'finalize']
    others = [l.split(':')[2] for l in processor_run.trace if l.startswith('p:recproc2:')]
    assert others == ['initialize'] + ['process_iteration_result',
                                       'export_iteration_result'] * 3 + \
        ['process_run_result', 'export_run_result', 'finalize']


# --------------------------------------------------------------------------------------------
# bail_on_job_failure (reference.md §6)
# --------------------------------------------------------------------------------------------
BAIL_JOB_AGENDA = """
config:
  execution_order: by_spec
  bail_on_job_failure: true
  retry_on_status: [FAILED]
  max_retries: 1
workloads:
  - {name: coretest, id: fine}
  - {name: coretest, id: bad, iterations: 2, params: {fail_in: [run]}}
  - {name: coretest, id: never}
"""


def test_bail_on_job_failure(tmp_path):
    run = run_agenda(tmp_path, BAIL_JOB_AGENDA)
    assert run.returncode == 1, run.describe()
    assert attempts(run) == [('fine', 1, 0, 'OK'), ('bad', 1, 0, 'FAILED'),
                             ('bad', 1, 1, 'FAILED'), ('bad', 2, 0, 'SKIPPED'),
                             ('never', 1, 0, 'SKIPPED')]


def test_raw_config_holds_config_files_as_given(processor_run):
    raw = processor_run.path('__meta', 'raw_config')
    names = os.listdir(raw)
    assert any(n.endswith('extra.yaml') for n in names), names
    assert any(n.endswith('agenda.yaml') for n in names), names
    copied = next(n for n in names if n.endswith('extra.yaml'))
    with open(os.path.join(raw, copied)) as fh:
        assert fh.read() == PROCESSOR_CONFIG


# --------------------------------------------------------------------------------------------
# Runtime parameters that cannot be applied (signals.md §7 first row; reference.md §5)
# --------------------------------------------------------------------------------------------
RUNTIME_AGENDA = """
config:
  iterations: 2
  instrumentation: [tracer]
workloads:
  - name: coretest
    label: rp
    runtime_params: {sysfile_values: {/proc/version: 1}}   # exists, cannot be written
  - {name: coretest, label: fine}
"""


@pytest.fixture(scope='module')
def runtime_run(tmp_path_factory):
    return run_agenda(tmp_path_factory.mktemp('runtime'), RUNTIME_AGENDA)


def test_runtime_params_failure_statuses(runtime_run):
    run = runtime_run
    assert run.returncode == 1, run.describe()
    assert attempts(run) == [('wk1', 1, 0, 'FAILED'), ('wk1', 1, 1, 'FAILED'),
                             ('wk1', 1, 2, 'FAILED'), ('wk2', 1, 0, 'OK'),
                             ('wk1', 2, 0, 'SKIPPED'), ('wk2', 2, 0, 'OK')]
    assert not [l for l in run.trace if l.startswith('wl:rp:')]


def test_runtime_params_failure_signals(runtime_run):
    """Not sent: the whole setup...teardown block; still sent: iteration-end, and spec-end
    after the last attempt (the retries stay inside the spec's pair)."""
    attempt = ['t:on_iteration_start', 't:on_iteration_end']
    spec = lambda body: ['t:on_workload_spec_start'] + body + ['t:on_workload_spec_end']  # noqa
    assert job_part(runtime_run) == (spec(attempt * 3) + spec(job_trace('fine', 1))
                                     + spec(job_trace('fine', 2)))


def test_nothing_succeeds_run_failed(tmp_path):
    """reference.md §8: the run is FAILED when no final attempt is OK, NONCRITICAL or PARTIAL;
    a teardown failure after a run failure leaves the job FAILED (never less severe)."""
    run = run_agenda(tmp_path, """
        config: {retry_on_status: []}
        workloads:
          - {name: coretest, params: {fail_in: [run, teardown]}}
          - {name: coretest, params: {fail_in: [setup]}}
    """)
    assert run.returncode == 1, run.describe()
    assert attempts(run) == [('wk1', 1, 0, 'FAILED'), ('wk2', 1, 0, 'FAILED')]
    assert run.result['status'] == 'FAILED'
    assert 'Run status: FAILED' in run.text('status.txt')

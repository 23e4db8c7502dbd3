"""``wa create`` writes working starting points; ``wa process`` runs result processors again
over an output directory without a target (CONTRACT.md "Package and commands";
reference.md §11)."""
import csv
import os

import pytest

from wa_core_testlib import job_dirs, make_user_dir, run_agenda, run_wa, write


def test_created_plugins_and_agenda_run(tmp_path):
    user_dir = make_user_dir(tmp_path, plugin_files=())
    for kind, name in (('workload', 'mywl'), ('instrument', 'myinst'),
                       ('result_processor', 'myproc')):
        run = run_wa(['create', kind, name], user_dir, cwd=tmp_path)
        assert run.returncode == 0, run.describe()
        assert os.path.isfile(os.path.join(user_dir, 'plugins', name + '.py')), run.describe()
    run = run_wa(['create', kind, 'elsewhere', '-p', tmp_path / 'mine'], user_dir, cwd=tmp_path)
    assert run.returncode == 0 and (tmp_path / 'mine' / 'elsewhere.py').is_file()
    for kind, name in (('workloads', 'mywl'), ('instruments', 'myinst'),
                       ('result_processors', 'myproc')):
        listed = run_wa(['list', kind], user_dir, cwd=tmp_path)
        assert name in listed.stdout.split(), listed.describe()
    agenda = tmp_path / 'generated.yaml'
    run = run_wa(['create', 'agenda', 'mywl', '-o', agenda], user_dir, cwd=tmp_path)
    assert run.returncode == 0 and agenda.is_file(), run.describe()
    config = write(tmp_path / 'extra.yaml', """
        augmentations: [myinst, myproc]
        mywl: {duration: 0}
    """)
    out = tmp_path / 'out'
    run = run_wa(['run', agenda, '-d', out, '-c', config], user_dir, cwd=tmp_path, out_dir=out)
    assert run.returncode == 0, run.describe()
    assert [(j['id'], j['workload'], j['status']) for j in run.jobs()] == [('wk1', 'mywl', 'OK')]
    assert job_dirs(str(out)) == ['wk1-mywl-1']


def test_create_refuses_to_overwrite(tmp_path):
    user_dir = make_user_dir(tmp_path, plugin_files=())
    assert run_wa(['create', 'workload', 'twice'], user_dir, cwd=tmp_path).returncode == 0
    again = run_wa(['create', 'workload', 'twice'], user_dir, cwd=tmp_path)
    assert again.returncode != 0 and 'Traceback' not in again.stderr
    forced = run_wa(['create', 'workload', 'twice', '-f'], user_dir, cwd=tmp_path)
    assert forced.returncode == 0, forced.describe()


PROCESS_AGENDA = """
config:
  iterations: 2
  instrumentation: [tracer]
  result_processors: [recproc]
workloads:
  - {name: coretest, label: first}
  - {name: coretest, label: second, params: {fail_in: [setup]}}
"""


@pytest.fixture(scope='module')
def processed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('process')
    run = run_agenda(tmp, PROCESS_AGENDA, extra_args=['--disable', 'json'])
    assert run.returncode == 1, run.describe()
    os.remove(run.path('results.csv'))
    os.remove(run.path('status.txt'))
    os.remove(run.log_path)
    user_dir = os.path.join(str(tmp), 'wa_user')
    again = run_wa(['process', run.out_dir, '-p', 'recproc2'], user_dir, cwd=tmp,
                   out_dir=run.out_dir, log_path=run.log_path)
    return run, again


def test_process_exit_status(processed):
    _, again = processed
    assert again.returncode == 0, again.describe()
    assert 'Traceback' not in again.stderr


def test_process_rewrites_processor_files(processed):
    run, _ = processed
    with open(run.path('results.csv')) as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ['id', 'workload', 'label', 'iteration', 'metric', 'value', 'units']
    assert ('wk1', 'first', '1', 'score') in [(r[0], r[2], r[3], r[4]) for r in rows]
    assert 'Run status:' in run.text('status.txt')
    assert not os.path.exists(run.path('results.json'))   # json was not enabled in the run


def test_process_runs_processors_without_target(processed):
    _, again = processed
    trace = again.trace
    assert not [l for l in trace if l.startswith(('t:', 'wl:'))], trace
    for name in ('recproc', 'recproc2'):
        calls = [l.split(':')[2:] for l in trace if l.startswith('p:{}:'.format(name))]
        methods = [c[0] for c in calls]
        assert methods[0] == 'initialize' and methods[-1] == 'finalize'
        assert methods[-3:-1] == ['process_run_result', 'export_run_result']
        # every attempt that ran (OK or FAILED), in run order: wk1#1, wk2#1 x3, wk1#2
        processed_jobs = [tuple(c[1:4]) for c in calls if c[0] == 'process_iteration_result']
        assert processed_jobs == [('wk1', '1', '0'), ('wk2', '1', '0'), ('wk2', '1', '1'),
                                  ('wk2', '1', '2'), ('wk1', '2', '0')]


def test_process_missing_directory(tmp_path):
    user_dir = make_user_dir(tmp_path, plugin_files=())
    run = run_wa(['process', tmp_path / 'nothing'], user_dir, cwd=tmp_path)
    assert run.returncode != 0
    text = (run.stdout + run.stderr).strip()
    assert 'Traceback' not in text and len(text.splitlines()) == 1, run.describe()

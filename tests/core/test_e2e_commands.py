"""The command line (CONTRACT.md "Package and commands"), user plugins from the user directory,
and an agenda with sections run for real (reference.md §3, §7)."""
import csv
import os
import re

import pytest

import wa
from wa_core_testlib import (EXTRA, PLUGINS, job_dirs, make_user_dir, run_agenda, run_wa,
                             write)


@pytest.fixture(scope='module')
def ud(tmp_path_factory):
    root = tmp_path_factory.mktemp('cmd')
    return str(root), make_user_dir(root)


def test_version(ud):
    root, user_dir = ud
    run = run_wa(['--version'], user_dir, cwd=root)
    assert run.returncode == 0
    assert wa.__version__ in run.stdout + run.stderr


def test_help(ud):
    root, user_dir = ud
    run = run_wa(['-h'], user_dir, cwd=root)
    assert run.returncode == 0
    for command in ('run', 'list', 'show', 'create', 'process'):
        assert command in run.stdout
    run = run_wa(['run', '-h'], user_dir, cwd=root)
    assert run.returncode == 0
    for option in ('-d', '-f', '-c', '-i', '--disable'):
        assert option in run.stdout


@pytest.mark.parametrize('kind,names', [
    ('workloads', ['idle', 'coretest', 'needy']),
    ('instruments', ['execution_time', 'tracer', 'rec_a']),
    ('result_processors', ['csv', 'json', 'status', 'recproc']),
    ('processors', ['csv', 'json', 'status', 'recproc']),
    ('commands', ['run', 'list', 'show', 'create', 'process']),
    ('targets', ['local', 'linux', 'android']),
])
def test_list(ud, kind, names):
    root, user_dir = ud
    run = run_wa(['list', kind], user_dir, cwd=root)
    assert run.returncode == 0, run.describe()
    rows = {line.split()[0]: line for line in run.stdout.splitlines() if line.strip()}
    for name in names:
        assert name in rows, run.describe()
    if kind == 'workloads':
        # name and the first line of the description
        assert 'A workload for testing the core' in rows['coretest']
        assert 'Every method call' not in rows['coretest']
        assert 'Used to check' not in rows['needy']


def test_show_idle(ud):
    root, user_dir = ud
    run = run_wa(['show', 'idle'], user_dir, cwd=root)
    assert run.returncode == 0, run.describe()
    assert 'idle' in run.stdout and 'duration' in run.stdout
    assert 'float' in run.stdout


def test_show_parameter_details(ud):
    """wa show: each parameter with type, default, mandatory, allowed values, aliases."""
    root, user_dir = ud
    run = run_wa(['show', 'needy'], user_dir, cwd=root)
    assert run.returncode == 0, run.describe()
    out = run.stdout
    assert 'Used to check that a missing mandatory parameter' in out   # full description
    assert 'needed' in out and 'mandatory' in out.lower()
    assert 'fast' in out and 'slow' in out and 'speed' in out
    block = out[out.index('mode'):]
    assert 'str' in block and 'fast' in block


def test_show_unknown_suggests(ud):
    root, user_dir = ud
    run = run_wa(['show', 'idel'], user_dir, cwd=root)
    assert run.returncode != 0
    text = run.stdout + run.stderr
    assert 'idle' in text and 'Traceback' not in text
    assert len([l for l in text.splitlines() if l.strip()]) == 1


def test_dry_run_creates_nothing(ud):
    root, user_dir = ud
    agenda = write(os.path.join(root, 'dry.yaml'), """
        config: {iterations: 2}
        sections: [{id: x}, {id: y}]
        workloads: [{name: idle, params: {duration: 0.1}}, {name: coretest, iterations: 1}]
    """)
    out = os.path.join(root, 'dry_out')
    run = run_wa(['run', agenda, '-d', out, '--dry-run'], user_dir, cwd=root)
    assert run.returncode == 0, run.describe()
    assert not os.path.exists(out)
    assert not os.path.exists(os.path.join(root, 'wa_output'))
    found = re.findall(r'\b([xy]-wk\d)\b', run.stdout)
    assert found == ['x-wk1', 'y-wk1', 'x-wk2', 'y-wk2', 'x-wk1', 'y-wk1'], run.stdout


def test_dry_run_with_i_selection(ud):
    root, user_dir = ud
    agenda = write(os.path.join(root, 'dry_i.yaml'), """
        sections: [{id: x}, {id: y}]
        workloads: [{name: idle, params: {duration: 0.1}}, {name: coretest, id: ct}]
    """)
    run = run_wa(['run', agenda, '--dry-run', '-i', 'ct'], user_dir, cwd=root)
    assert run.returncode == 0, run.describe()
    assert re.findall(r'\b([xy]-\w+)\b', run.stdout) == ['x-ct', 'y-ct']
    run = run_wa(['run', agenda, '--dry-run', '-i', 'y'], user_dir, cwd=root)
    assert re.findall(r'\b([xy]-\w+)\b', run.stdout) == ['y-wk1', 'y-ct']
    run = run_wa(['run', agenda, '--dry-run', '-i', 'x-wk1', '-i', 'y-ct'], user_dir, cwd=root)
    assert re.findall(r'\b([xy]-\w+)\b', run.stdout) == ['x-wk1', 'y-ct']


def test_existing_output_directory_and_workload_name(tmp_path):
    """An existing DIR is refused without -f and replaced with it; AGENDA may be a workload
    name; the user's config.yaml sets the workload's parameters (a top-level plugin block)."""
    user_dir = make_user_dir(tmp_path, config='idle: {duration: 0.2}\n')
    out = tmp_path / 'existing'
    out.mkdir()
    (out / 'marker').write_text('keep me')
    run = run_wa(['run', 'idle', '-d', out], user_dir, cwd=tmp_path)
    assert run.returncode == 2, run.describe()
    assert 'exists' in run.stderr + run.stdout and '-f' in run.stderr + run.stdout
    assert (out / 'marker').read_text() == 'keep me'
    run = run_wa(['run', 'idle', '-d', out, '-f'], user_dir, cwd=tmp_path, out_dir=out)
    assert run.returncode == 0, run.describe()
    assert not (out / 'marker').exists()
    assert job_dirs(str(out)) == ['wk1-idle-1']
    job = run.jobs()[0]
    assert job['status'] == 'OK'
    et = next(m for m in job['metrics'] if m['name'] == 'execution_time')
    assert 0.2 <= et['value'] < 5


def test_default_output_directory(tmp_path):
    """No -d: ./wa_output. Also: --disable of a default instrument; a processor failing at the
    run level makes the run PARTIAL while the exit status, which follows the jobs, stays 0."""
    user_dir = make_user_dir(tmp_path, config="""
        idle: {duration: 0.1}
        result_processors: [recproc]
        recproc: {fail_in: [export_run_result]}
    """)
    run = run_wa(['run', 'idle', '--disable', 'execution_time'], user_dir, cwd=tmp_path,
                 out_dir=tmp_path / 'wa_output')
    assert run.returncode == 0, run.describe()
    assert os.path.isfile(run.path('result.json'))
    job = run.jobs()[0]
    assert job['status'] == 'OK' and job['metrics'] == []
    assert run.result['status'] == 'PARTIAL'
    assert 'processor boom in export_run_result' in run.text('run.log')


# --------------------------------------------------------------------------------------------
# User plugins: the contract's example, a broken file beside it, sections and by_iteration
# --------------------------------------------------------------------------------------------
SECTIONS_AGENDA = """
config:
  iterations: 2
  classifiers: {board: local}
  csv: {use_all_classifiers: true}
sections:
  - id: x
    classifiers: {cluster: big}
  - id: y
    classifiers: {cluster: little}
workloads:
  - name: ziptest
    params: {file_size: 20000}
  - name: idle
    iterations: 1
    label: nap
    params: {duration: 0.1}
    classifiers: {cluster: any}
"""


@pytest.fixture(scope='module')
def sections_run(tmp_path_factory):
    files = [os.path.join(EXTRA, 'ziptest.py'), os.path.join(EXTRA, 'broken_plugin.py'),
             PLUGINS]
    return run_agenda(tmp_path_factory.mktemp('sections'), SECTIONS_AGENDA, plugin_files=files)


def test_contract_example_plugin_runs(sections_run):
    assert sections_run.returncode == 0, sections_run.describe()
    zips = [j for j in sections_run.jobs() if j['workload'] == 'ziptest']
    assert len(zips) == 4 and all(j['status'] == 'OK' for j in zips)
    metric = next(m for m in zips[0]['metrics'] if m['name'] == 'time')
    assert metric['value'] == 1.5 and metric['units'] == 'seconds'
    assert metric['lower_is_better'] is True


def test_broken_plugin_file_reported_with_path_and_line(sections_run):
    text = sections_run.stdout + sections_run.stderr
    lines = [l for l in text.splitlines() if 'broken_plugin.py' in l]
    assert lines, sections_run.describe()
    assert any(re.search(r'\b7\b', l) for l in lines), lines
    assert os.path.join('wa_user', 'plugins', 'broken_plugin.py') in lines[0]
    assert 'Traceback' not in text


def test_sections_by_iteration_order(sections_run):
    """reference.md §7 by_iteration row, and job ids ``<section>-<workload>``."""
    order = [(j['id'], j['iteration']) for j in sections_run.jobs()]
    assert order == [('x-wk1', 1), ('y-wk1', 1), ('x-wk2', 1), ('y-wk2', 1), ('x-wk1', 2),
                     ('y-wk1', 2)]


def test_sections_directories(sections_run):
    assert job_dirs(sections_run.out_dir) == [
        'x-wk1-ziptest-1', 'x-wk1-ziptest-2', 'x-wk2-nap-1',
        'y-wk1-ziptest-1', 'y-wk1-ziptest-2', 'y-wk2-nap-1']


def test_sections_classifiers_merged(sections_run):
    by_id = {(j['id'], j['iteration']): j for j in sections_run.jobs()}
    assert by_id[('x-wk1', 1)]['classifiers'] == {'board': 'local', 'cluster': 'big'}
    assert by_id[('y-wk1', 2)]['classifiers'] == {'board': 'local', 'cluster': 'little'}
    assert by_id[('x-wk2', 1)]['classifiers'] == {'board': 'local', 'cluster': 'any'}
    metric = by_id[('y-wk1', 1)]['metrics'][0]
    assert metric['classifiers'] == {'board': 'local', 'cluster': 'little'}


def test_sections_csv_and_status(sections_run):
    with open(sections_run.path('results.csv')) as fh:
        rows = list(csv.reader(fh))
    # use_all_classifiers: a column for every classifier, between metric and value
    assert rows[0] == ['id', 'workload', 'label', 'iteration', 'metric', 'board', 'cluster',
                       'value', 'units']
    assert ['x-wk2', 'idle', 'nap', '1', 'execution_time', 'local', 'any'] == \
        rows[[r[0] for r in rows].index('x-wk2')][:7]
    status = [l.split() for l in sections_run.text('status.txt').splitlines()]
    assert ['y-wk2', 'nap', '1', 'OK'] in status


def test_meta_jobs_json(sections_run):
    specs = sections_run.json('__meta', 'jobs.json')
    assert [s['id'] for s in specs] == ['x-wk1', 'x-wk2', 'y-wk1', 'y-wk2']
    nap = specs[1]
    assert nap['label'] == 'nap' and nap['iterations'] == 1
    assert nap['workload_parameters']['duration'] == 0.1
    assert nap['classifiers'] == {'board': 'local', 'cluster': 'any'}


# --------------------------------------------------------------------------------------------
# Where user plugins are found (CONTRACT.md "Plugins")
# --------------------------------------------------------------------------------------------
OLD_LAYOUT = {
    'workloads': ('old_wl.py', 'Workload', 'oldwl'),
    'instruments': ('old_inst.py', 'Instrument', 'oldinst'),
    'result_processors': ('old_proc.py', 'ResultProcessor', 'oldproc'),
}


def _plugin_source(base, name):
    return 'from wa import {0}\n\n\nclass P({0}):\n    name = {1!r}\n    description = ' \
           '"""An old-layout {1}."""\n'.format(base, name)


def test_old_layout_directories(tmp_path):
    user_dir = make_user_dir(tmp_path, plugin_files=())
    for sub, (filename, base, name) in OLD_LAYOUT.items():
        os.makedirs(os.path.join(user_dir, sub), exist_ok=True)
        write(os.path.join(user_dir, sub, filename), _plugin_source(base, name))
    for sub, (_, _, name) in OLD_LAYOUT.items():
        run = run_wa(['list', sub], user_dir, cwd=tmp_path)
        assert run.returncode == 0, run.describe()
        assert name in run.stdout.split(), run.describe()


def test_extra_plugin_paths(tmp_path):
    extra = tmp_path / 'elsewhere'
    extra.mkdir()
    write(extra / 'extra_wl.py', _plugin_source('Workload', 'extrawl'))
    user_dir = make_user_dir(tmp_path, plugin_files=(),
                             config='extra_plugin_paths: [{}]\n'.format(extra))
    agenda = write(tmp_path / 'agenda.yaml', 'workloads: [extrawl]\n')
    run = run_wa(['run', agenda, '--dry-run'], user_dir, cwd=tmp_path)
    assert run.returncode == 0, run.describe()
    assert 'wk1' in run.stdout


def test_list_and_show_see_extra_plugin_paths_of_config_yaml(tmp_path):
    """Plugins in config.yaml's extra_plugin_paths are available plugins, so `wa list` and
    `wa show` know them too."""
    extra = tmp_path / 'elsewhere'
    extra.mkdir()
    write(extra / 'extra_wl.py', _plugin_source('Workload', 'extrawl'))
    user_dir = make_user_dir(tmp_path, plugin_files=(),
                             config='extra_plugin_paths: [{}]\n'.format(extra))
    run = run_wa(['list', 'workloads'], user_dir, cwd=tmp_path)
    assert 'extrawl' in run.stdout.split(), run.describe()
    run = run_wa(['show', 'extrawl'], user_dir, cwd=tmp_path)
    assert run.returncode == 0 and 'extrawl' in run.stdout, run.describe()


def test_extra_plugin_paths_in_agenda(tmp_path):
    extra = tmp_path / 'other'
    extra.mkdir()
    write(extra / 'extra_wl2.py', _plugin_source('Workload', 'extrawl2'))
    user_dir = make_user_dir(tmp_path, plugin_files=())
    agenda = write(tmp_path / 'agenda.yaml',
                   'config: {{extra_plugin_paths: [{}]}}\nworkloads: [extrawl2]\n'.format(extra))
    run = run_wa(['run', agenda, '--dry-run'], user_dir, cwd=tmp_path)
    assert run.returncode == 0, run.describe()
    assert 'wk1' in run.stdout


def test_early_records_reach_run_log(sections_run):
    """reference.md §9: records from before run.log existed are buffered and written into it
    (here: the warning about the broken plugin file, logged while plugins load)."""
    assert 'broken_plugin.py' in sections_run.text('run.log')

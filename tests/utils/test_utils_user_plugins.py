"""A user's plugins written with the public ``wa.utils`` helpers (the examples of
doc/plugin_helpers.rst, tests/data/utils/plugins) load from a user directory and run end to end
with a real ``wa run`` on the local target."""
import os
import shutil
import subprocess
import sys

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGINS = os.path.join(TESTS, 'data', 'utils', 'plugins')
sys.path.insert(0, TESTS)
from warun import ok_job_metrics, run_agenda  # noqa: E402  pylint: disable=wrong-import-position


def run_with_user_plugins(tmp_path, agenda):
    shutil.copytree(PLUGINS, str(tmp_path / 'user' / 'plugins'))
    out, result, process = run_agenda(tmp_path, agenda)
    return out, {job['id']: job for job in result['jobs']}, process, tmp_path


def test_user_workload_and_instrument_built_on_wa_utils_run(tmp_path):
    run = run_with_user_plugins(tmp_path, {
        'config': {'instrumentation': ['vmstat_load'], 'vmstat_load': {'interval': 0.05}},
        'workloads': [{'id': 'dd', 'name': 'ddspeed',
                       'params': {'size': '16M', 'block_size': '64K', 'cpus': [0]}}]})
    out, jobs, process, _ = run
    metrics = ok_job_metrics(run, 'dd')
    assert metrics['copied']['value'] == 16 * 1024 * 1024          # byte_size('16M')
    assert metrics['time']['units'] == 'seconds' and metrics['time']['lower_is_better']
    assert metrics['speed']['value'] > 0
    assert metrics['pgfault']['value'] >= 0 and metrics['loadavg_samples']['value'] >= 0
    names = {artifact['name'] for artifact in jobs['dd']['artifacts']}
    assert {'ddspeed_output', 'vmstat_load_before', 'vmstat_load_after',
            'vmstat_load_diff'} <= names
    output = next(a for a in jobs['dd']['artifacts'] if a['name'] == 'ddspeed_output')
    assert 'records out' in (out / output['path']).read_text()   # dd's own output, kept


def test_a_bad_argument_string_is_one_line_naming_the_parameter(tmp_path):
    shutil.copytree(PLUGINS, str(tmp_path / 'user' / 'plugins'))
    agenda = tmp_path / 'agenda.yaml'
    agenda.write_text('workloads:\n  - {name: ddspeed, params: {extra_args: "\'unclosed"}}\n')
    process = subprocess.run([sys.executable, '-m', 'wa', 'run', str(agenda), '-d',
                              str(tmp_path / 'out')], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True, timeout=120,
                             env=dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user')))
    assert process.returncode == 2, process.stdout
    assert 'ddspeed: bad extra_args: cannot split' in process.stdout, process.stdout
    assert not (tmp_path / 'out').exists()

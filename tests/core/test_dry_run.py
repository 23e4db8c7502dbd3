"""``wa run --dry-run [-v]``: the jobs, and with -v each job's merged configuration, printed
without a target and without creating anything."""
import os

from wa_core_testlib import make_user_dir, run_wa, write

AGENDA = """
config:
  device: linux
  device_config: {host: 192.0.2.1, username: me, password: hunter2}
  iterations: 2
  instrumentation: [interrupts]
  runtime_params: {sysfile_values: {/proc/sys/vm/swappiness: 60}}
  classifiers: {board: vm}
sections:
  - id: fast
    classifiers: {mode: fast}
workloads:
  - {name: idle, params: {duration: 1}}
  - {name: stress_ng, id: cpu, iterations: 1, params: {stressor: cpu, timeout: 2},
     instrumentation: [~interrupts]}
"""


def _dry_run(tmp_path, *extra):
    user = make_user_dir(tmp_path)
    agenda = write(tmp_path / 'agenda.yaml', AGENDA)
    run = run_wa(['run', agenda, '--dry-run'] + list(extra), user, cwd=tmp_path)
    assert run.returncode == 0, run.describe()
    assert not os.path.exists(tmp_path / 'wa_output')
    return run.stdout.splitlines()


def test_dry_run_lists_jobs(tmp_path):
    lines = _dry_run(tmp_path)
    assert [l.split() for l in lines] == [
        ['fast-wk1', 'idle', 'iteration', '1'], ['fast-cpu', 'stress_ng', 'iteration', '1'],
        ['fast-wk1', 'idle', 'iteration', '2']]


def test_dry_run_verbose_shows_merged_configuration_per_job(tmp_path):
    lines = _dry_run(tmp_path, '-v')
    text = '\n'.join(lines)
    assert 'hunter2' not in text
    assert lines[0] == 'device: linux {host: 192.0.2.1, password: \'****\', username: me}'
    assert 'result_processors: csv, json, status' in lines
    cpu = lines.index('fast-cpu         stress_ng            iteration 1')
    block = lines[cpu + 1:lines.index('fast-wk1         idle                 iteration 2')]
    assert block == [
        '    workload: stress_ng',
        '    workload_parameters:',
        '      cleanup_assets: true',  # a default of every workload (WA3's)
        '      duration: 2',          # the alias "timeout" set the parameter "duration"
        "      extra_args: ''",       # a default the agenda did not give
        '      stressor: cpu',
        '      threads: 0',
        '      uninstall: false',
        '    runtime_parameters:',
        '      sysfile_values: {/proc/sys/vm/swappiness: 60}',
        '    instruments: execution_time',   # ~interrupts in the entry
        '    classifiers:',
        '      board: vm',
        '      mode: fast']
    first = lines.index('fast-wk1         idle                 iteration 1')
    assert lines[first + 1:first + 5] == ['    workload: idle', '    workload_parameters:',
                                          '      cleanup_assets: true', '      duration: 1.0']
    assert '    instruments: execution_time, interrupts' in lines[first:cpu]

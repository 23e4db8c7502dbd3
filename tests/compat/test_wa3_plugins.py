"""WA3 3.3.1's own Linux plugins, copied unchanged into a user plugin directory, load and run
(see wa3_sources for how they are fetched)."""
import csv
import json
import os
import shutil
import textwrap

import pytest

import wa3_sources
from wa_compat_testlib import own_pid_namespace, wa


@pytest.fixture(scope='session')
def wa3_sdist(tmp_path_factory):
    return wa3_sources.download(tmp_path_factory.mktemp('wlauto'))


@pytest.fixture
def wa3_plugins(wa3_sdist, user_dir):
    wa3_sources.install_plugins(wa3_sdist, os.path.join(user_dir, 'plugins'))
    return user_dir


def test_every_wa3_linux_plugin_loads(wa3_plugins):
    process = wa('list', 'all')
    assert process.returncode == 0, process.stdout
    assert 'Could not load' not in process.stdout, process.stdout
    listed = {line.split()[0] for line in process.stdout.splitlines() if line.startswith('  ')}
    missing = ['wa3_' + n for n in wa3_sources.NAMES if 'wa3_' + n not in listed]
    assert not missing and len(wa3_sources.NAMES) == 28, missing
    for name in ('dhrystone', 'trace-cmd', 'csv'):     # one of each kind, as wa show sees it
        shown = wa('show', 'wa3_' + name)
        assert shown.returncode == 0 and 'wa3_' + name in shown.stdout, shown.stdout


def test_wa3_plugins_run_with_wa3_metric_names(wa3_plugins, tmp_path):
    # WA3 workloads install their host tools on the target: a working directory of this
    # test's own keeps them out of the one other runs on this machine share.
    script = tmp_path / 'script.sh'
    script.write_text('echo hello\n')
    namespace = own_pid_namespace()   # WA3's perf kills every sleep its target runs
    perf = ', wa3_perf' if namespace else ''
    agenda = tmp_path / 'agenda.yaml'
    agenda.write_text(textwrap.dedent("""
        config:
          device: local
          device_config: {working_directory: %s, executables_directory: %s/bin}
          augmentations: [wa3_execution_time, wa3_interrupts, wa3_dmesg, wa3_proc_stat,
                          wa3_delay, wa3_status, wa3_targz%s]
          fixed_delay_before_start: 1
          perf_events: [context-switches]
        workloads:
          - {name: wa3_idle, params: {duration: 1}}
          - {name: wa3_hackbench, params: {loops: 10}}
          - {name: wa3_stress-ng, params: {duration: 1}}
          - {name: wa3_shellscript, params: {script_file: %s}}
        """ % (tmp_path / 'target', tmp_path / 'target', perf, script)))
    out = tmp_path / 'out'
    process = wa('run', agenda, '-d', out, prefix=namespace or ())
    assert (out / 'result.json').exists(), process.stdout
    statuses = json.loads((out / 'result.json').read_text())
    finals = {r['label']: r['status'] for r in statuses['jobs']}
    expected = ['wa3_' + n for n in ('idle', 'shellscript', 'hackbench', 'stress-ng')
                if tool_available(n)]
    assert {label: finals.get(label) for label in expected} == dict.fromkeys(expected, 'OK'), \
        process.stdout
    with open(str(out / 'results.csv')) as fh:
        metrics = {(row['label'], row['metric']) for row in csv.DictReader(fh)}
    assert ('wa3_idle', 'execution_time') in metrics
    if shutil.which('hackbench'):
        assert {('wa3_hackbench', m) for m in ('total_groups', 'total_fd', 'test_time')} <= metrics
    if shutil.which('stress-ng'):
        assert ('wa3_stress-ng', 'cpu') in metrics
    job_dir = next(out.glob('wk1-wa3_idle-1'))
    assert (job_dir / 'proc-stat.csv').exists() and (job_dir / 'dmesg').exists()
    assert (tmp_path / 'out.tar.gz').exists()           # WA3's targz export
    assert 'Run status: OK' in (out / 'status.txt').read_text()


def tool_available(workload):
    """Whether the host has the tool a WA3 workload falls back to (no x86 binary is bundled)."""
    return workload in ('idle', 'shellscript') or shutil.which(workload) is not None

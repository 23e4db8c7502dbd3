"""WA3 3.3.1's own Linux plugins, copied unchanged into a user plugin directory, load, and run
OK here wherever they run OK on WA3 itself, with WA3's metric and artifact names (see
wa3_sources for how they are fetched, and doc/wa3.rst for the table of what WA3 does with
each on a Debian x86-64 machine).

Two runs cover them: the plugins WA3 runs as it is installed, and those WA3 runs once its
user's dependencies directory has the x86 binaries it does not ship.
"""
import csv
import json
import os
import platform
import shutil

import pytest

import wa3_sources
from wa_compat_testlib import own_pid_namespace, wa

# What WA3 3.3.1 reports for each workload of the agendas below, measured on WA3 itself
# (device generic_local) on Debian x86-64: metric names, and artifact names it must include.
WA3_WORKLOAD_METRICS = {
    'idle': set(), 'shellscript': set(), 'manual': set(), 'openssl': {'score'},
    'rt-app': {'calib_cpu', 'crit_count', 'error_count', 'pLoad'},
    'dhrystone': {'time', 'total DMIPS', 'total score', 'thread 0 DMIPS', 'thread 0 score',
                  'thread 1 DMIPS', 'thread 1 score'},
    'memcpy': {'bandwidth', 'time'},
    'hackbench': {'test_time', 'total_bytes', 'total_fd', 'total_groups', 'total_messages'},
    'stress-ng': {'cpu'},
}
WA3_WORKLOAD_ARTIFACTS = {
    'openssl': {'openssl-output'}, 'dhrystone': {'dhrystone-output'},
    'hackbench': {'hackbench-results'}, 'stress-ng': {'stress_ng_log', 'stress_ng_results'},
}
WA3_STAGES = ('before', 'after', 'diff')
WA3_PLAIN_ARTIFACTS = ({'{} [{}]'.format(path, stage) for stage in WA3_STAGES
                        for path in ('interrupts', '/proc/loadavg', '/sys/devices/system/cpu')}
                       | {'dmesg_before', 'dmesg_after', 'proc-stat', 'proc-stat-raw'})
WA3_TRACE_ARTIFACTS = {'trace-cmd-bin', 'trace-cmd-txt'}
WA3_POLLER_ARTIFACTS = {'poller-output', 'poller-log'}


def plain_agenda(prefix, device, tmp_path, perf=True):
    """The agenda of the plugins WA3 runs as installed (``prefix``: '' for WA3, 'wa3_' here);
    ``perf`` False leaves WA3's perf out (it may run only in a PID namespace of its own)."""
    script = tmp_path / 'script.sh'
    script.write_text('echo hello\n')
    instruments = ['cpufreq', 'execution_time', 'interrupts', 'sysfs_extractor', 'delay',
                   'dmesg', 'proc_stat', 'csv', 'status', 'targz']
    instruments += [name for name in ('perf', 'trace-cmd') if can_run(name)
                    and (perf or name != 'perf')]
    workloads = ['{name: %sidle, params: {duration: 1}}' % prefix,
                 '{name: %sshellscript, params: {script_file: %s}}' % (prefix, script),
                 '{name: %smanual, params: {duration: 1, user_triggered: false}}' % prefix]
    workloads += ['{name: %sopenssl}' % prefix] if can_run('openssl') else []
    workloads += ['{name: %srt-app, params: {config: spreading-tasks, duration: 2}}' % prefix
                  ] if can_run('rt-app') else []
    config = {'sysfs_extractor': '{paths: [/proc/loadavg]}', 'delay': '{fixed_between_jobs: 1}',
              'trace-cmd': '{events: [sched_switch]}', 'perf': '{events: [context-switches]}'}
    return _agenda(prefix, device, tmp_path, instruments, config, workloads)


def dependencies_agenda(prefix, device, tmp_path):
    """The agenda of the plugins WA3 runs once its dependencies directory has their binaries."""
    workloads = ['{name: %sdhrystone, params: {mloops: 10, threads: 2}}' % prefix,
                 '{name: %smemcpy, params: {loops: 10}}' % prefix,
                 '{name: %shackbench, params: {loops: 10}}' % prefix,
                 '{name: %sstress-ng, params: {duration: 1}}' % prefix]
    config = {'file_poller': '{files: [/proc/loadavg], sample_interval: 100}'}
    return _agenda(prefix, device, tmp_path, ['file_poller', 'csv'], config, workloads)


def _agenda(prefix, device, tmp_path, augmentations, config, workloads):
    target = tmp_path / 'target'
    lines = ['config:', '  device: ' + device,
             '  device_config: {working_directory: %s, executables_directory: %s/bin}'
             % (target, target),
             '  augmentations: [~~, {}]'.format(', '.join(prefix + a for a in augmentations))]
    lines += ['  {}{}: {}'.format(prefix, name, value) for name, value in config.items()
              if name in augmentations]
    lines += ['workloads:'] + ['  - ' + w for w in workloads]
    agenda = tmp_path / 'agenda.yaml'
    agenda.write_text('\n'.join(lines) + '\n')
    return agenda


def can_run(tool):
    """Whether WA3's plugin driving ``tool`` runs on this machine: WA3 uses the host's
    openssl, rt-app and perf, and trace-cmd needs a tracefs it may write to."""
    if shutil.which(tool) is None:
        return False
    if tool == 'trace-cmd':
        return os.access('/sys/kernel/tracing/trace_marker', os.W_OK) or \
            os.access('/sys/kernel/debug/tracing/trace_marker', os.W_OK)
    return True


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


def test_wa3_plugins_that_run_on_wa3_as_installed(wa3_plugins, tmp_path):
    namespace = own_pid_namespace()
    out = run_ok(plain_agenda('wa3_', 'local', tmp_path, perf=bool(namespace)), tmp_path)
    jobs = check_metrics(out, {'execution_time'})
    for job in jobs:
        expected = WA3_PLAIN_ARTIFACTS | WA3_WORKLOAD_ARTIFACTS.get(job['workload'], set())
        if can_run('trace-cmd'):
            expected |= WA3_TRACE_ARTIFACTS
        if namespace and can_run('perf'):
            expected.add('perf_0')
        assert expected <= {a['name'] for a in job['artifacts']}, job
    log = (out / 'run.log').read_text()
    assert log.count('Waiting for 1s before starting new job') == len(jobs)  # WA3's before_job
    assert 'Run status: OK' in (out / 'status.txt').read_text()
    assert (tmp_path / 'out.tar.gz').exists()           # WA3's targz export


@pytest.mark.skipif(platform.machine() != 'x86_64', reason='builds x86_64 dependencies')
def test_wa3_plugins_that_run_on_wa3_with_their_dependencies(wa3_plugins, wa3_sdist, tmp_path):
    tools = [(name, name) for name in ('hackbench', 'stress-ng') if shutil.which(name)]
    if len(tools) < 2:
        pytest.skip('hackbench and stress-ng (Debian rt-tests, stress-ng) are not installed')
    wa3_sources.install_dependencies(wa3_sdist, wa3_plugins, tools)
    out = run_ok(dependencies_agenda('wa3_', 'local', tmp_path), tmp_path)
    for job in check_metrics(out, set()):
        expected = WA3_POLLER_ARTIFACTS | WA3_WORKLOAD_ARTIFACTS.get(job['workload'], set())
        assert expected <= {a['name'] for a in job['artifacts']}, job


def run_ok(agenda, tmp_path):
    """The output directory of a ``wa run`` of ``agenda`` whose every job was OK. The run has
    a PID namespace of its own where it can: WA3's plugins end with ``killall NAME`` on their
    target (perf: every ``sleep``), which on the local target would reach other tests."""
    out = tmp_path / 'out'
    process = wa('run', agenda, '-d', out, prefix=own_pid_namespace() or ())
    assert (out / 'result.json').exists(), process.stdout
    jobs = json.loads((out / 'result.json').read_text())['jobs']
    assert [j['status'] for j in jobs] == ['OK'] * len(jobs), process.stdout
    return out


def check_metrics(out, instruments_metrics):
    """Asserts that each job has exactly WA3's metric names, its workload's and
    ``instruments_metrics`` (in result.json and results.csv); returns the jobs."""
    jobs = json.loads((out / 'result.json').read_text())['jobs']
    with open(str(out / 'results.csv')) as fh:
        in_csv = {(row['id'], row['metric']) for row in csv.DictReader(fh)}
    for job in jobs:
        workload = job['workload'][len('wa3_'):]
        expected = WA3_WORKLOAD_METRICS[workload] | instruments_metrics
        names = {a['name'] for a in job['artifacts']}
        if 'perf_0' in names and 'Performance counter stats' in perf_output(out, job):
            expected.add('perf_0_context-switches')   # devlib may copy it before perf wrote
        assert {m['name'] for m in job['metrics']} == expected, job
        assert {(job['id'], m) for m in expected} <= in_csv
    return jobs


def perf_output(out, job):
    path = next(a['path'] for a in job['artifacts'] if a['name'] == 'perf_0')
    return (out / path).read_text(errors='replace')

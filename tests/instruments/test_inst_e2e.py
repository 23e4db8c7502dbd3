"""The built-in instruments in real ``wa run`` runs on the local machine.

Each test runs ``python -m wa run`` on a short agenda and reads ``result.json`` and ``run.log``.
Instruments that this machine supports must produce sane metrics and artifacts; the others
must be disabled with a clear message while the run still ends OK.
"""
import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

IS_ROOT = os.geteuid() == 0
NCPUS = os.cpu_count()


def wa(tmp_path, *args, timeout=180):
    env = dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'wa_user'))
    os.makedirs(env['WA_USER_DIRECTORY'], exist_ok=True)
    return subprocess.run([sys.executable, '-m', 'wa'] + list(args), capture_output=True,
                          text=True, timeout=timeout, env=env)


def run_agenda(tmp_path, agenda):
    path = tmp_path / 'agenda.yaml'
    path.write_text(textwrap.dedent(agenda).lstrip('\n'))
    out = tmp_path / 'out'
    proc = wa(tmp_path, 'run', str(path), '-d', str(out))
    assert (out / 'result.json').exists(), proc.stdout + proc.stderr
    with open(str(out / 'result.json')) as fh:
        result = json.load(fh)
    with open(str(out / 'run.log')) as fh:
        log = fh.read()
    return proc, out, result, log


def metrics(job, name, **classifiers):
    return [m for m in job['metrics'] if m['name'] == name and
            all(m['classifiers'].get(k) == v for k, v in classifiers.items())]


def metric(job, name, **classifiers):
    found = metrics(job, name, **classifiers)
    assert len(found) == 1, (name, classifiers, job['metrics'])
    return found[0]


def artifact(out, job, name):
    found = [a for a in job['artifacts'] if a['name'] == name]
    assert len(found) == 1, (name, job['artifacts'])
    path = out / found[0]['path']
    assert path.exists(), path
    return path


@pytest.fixture(scope='module')
def idle_run(tmp_path_factory):
    """One run of ``idle`` (1 s) with every instrument this machine can support."""
    tmp_path = tmp_path_factory.mktemp('idle_run')
    poll = tmp_path / 'poll_value'
    poll.write_text('21\n')
    sysfs_dir = tmp_path / 'extract'
    sysfs_dir.mkdir()
    (sysfs_dir / 'value').write_text('5\n')
    agenda = """
        config:
          instrumentation: [interrupts, perf, proc_stat, dmesg, sysfs_extractor, file_poller]
          sysfs_extractor: {{paths: [/proc/meminfo, {sysfs}]}}
          file_poller: {{files: [{poll}, /proc/loadavg], sample_interval: 200}}
          proc_stat: {{period: 0.25}}
        workloads:
          - name: idle
            params: {{duration: 1}}
    """.format(sysfs=sysfs_dir, poll=poll)
    return run_agenda(tmp_path, agenda)


def test_idle_run_is_ok(idle_run):
    proc, _, result, _ = idle_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result['status'] == 'OK'
    assert [job['status'] for job in result['jobs']] == ['OK']
    assert not result['jobs'][0]['events']


def test_interrupts_in_a_run(idle_run):
    _, out, result, _ = idle_run
    job = result['jobs'][0]
    total = metric(job, 'interrupts', cpu='total')
    assert total['units'] == 'count' and total['value'] > 0
    per_cpu = [m['value'] for m in metrics(job, 'interrupts') if m['classifiers']['cpu'] != 'total']
    assert len(per_cpu) == NCPUS and sum(per_cpu) == total['value']
    before = artifact(out, job, 'interrupts_before').read_text()
    after = artifact(out, job, 'interrupts_after').read_text()
    diff = artifact(out, job, 'interrupts_diff').read_text()
    assert before.split()[0] == 'CPU0' and after.split()[0] == 'CPU0'
    assert diff.split()[0] == 'CPU0'
    for stage in ('before', 'after', 'diff'):       # WA3's names for the same files
        assert artifact(out, job, 'interrupts [{}]'.format(stage)) == \
            artifact(out, job, 'interrupts_' + stage)


def test_perf_in_a_run(idle_run):
    _, out, result, log = idle_run
    job = result['jobs'][0]
    if not metrics(job, 'task-clock'):
        assert 'Instrument "perf" is disabled' in log and 'perf' in log
        pytest.skip('perf cannot count on this machine')
    clock = metric(job, 'task-clock', cpu='total')
    assert clock['units'] == 'msec'
    # system-wide over a 1 s idle job: at least ~1 s per CPU, and not wildly more
    assert 900 * NCPUS < clock['value'] < 10000 * NCPUS
    for event in ('context-switches', 'cpu-migrations', 'page-faults'):
        value = metric(job, event, cpu='total')
        assert value['units'] == 'count' and value['value'] >= 0
    assert 'task-clock' in artifact(out, job, 'perf_stat').read_text()


def test_proc_stat_in_a_run(idle_run):
    _, out, result, _ = idle_run
    job = result['jobs'][0]
    for cpu in ['total'] + ['cpu{}'.format(i) for i in range(NCPUS)]:
        values = {c: metric(job, 'cpu_util_' + c, cpu=cpu) for c in
                  ('user', 'sys', 'idle', 'iowait', 'steal')}
        assert all(v['units'] == '%' and 0 <= v['value'] <= 100 for v in values.values())
        assert sum(v['value'] for v in values.values()) == pytest.approx(100, abs=0.1)
    lines = artifact(out, job, 'proc-stat').read_text().splitlines()
    assert artifact(out, job, 'proc_stat') == artifact(out, job, 'proc-stat')  # first name, WA3's
    assert lines[0].startswith('time,cpu,cpu_util_user')
    assert len(lines) >= 1 + 3 * (NCPUS + 1)


@pytest.mark.skipif(not IS_ROOT, reason='the dmesg marks need root')
def test_dmesg_in_a_run(idle_run):
    _, out, result, _ = idle_run
    job = result['jobs'][0]
    log = artifact(out, job, 'dmesg')
    assert [a['kind'] for a in job['artifacts'] if a['name'] == 'dmesg'] == ['log']
    assert 'wa: ' not in log.read_text()       # only what came between the marks
    assert artifact(out, job, 'dmesg_after') == log  # WA3's name


def test_sysfs_extractor_in_a_run(idle_run):
    _, out, result, _ = idle_run
    job = result['jobs'][0]
    before = artifact(out, job, 'sysfs_extractor_before')
    after = artifact(out, job, 'sysfs_extractor_after')
    artifact(out, job, 'sysfs_extractor_diff')
    assert (before / 'proc' / 'meminfo').read_text().startswith('MemTotal:')
    assert (after / 'proc' / 'meminfo').read_text().startswith('MemTotal:')
    values = list(before.glob('**/extract/value'))
    assert len(values) == 1 and values[0].read_text() == '5\n'


def test_file_poller_in_a_run(idle_run):
    _, out, result, _ = idle_run
    job = result['jobs'][0]
    rows = artifact(out, job, 'file_poller').read_text().splitlines()
    assert artifact(out, job, 'poller-output') == artifact(out, job, 'file_poller')  # WA3's
    assert rows[0].startswith('time,') and rows[0].endswith('_poll_value,proc_loadavg')
    assert len(rows) >= 1 + 4              # 1 s at 200 ms
    label = rows[0].split(',')[1]
    for suffix in ('min', 'avg', 'max'):
        assert metric(job, '{}_{}'.format(label, suffix))['value'] == 21
    assert not [m for m in job['metrics'] if m['name'].startswith('proc_loadavg')]


def test_instruments_add_no_work_to_the_run(idle_run):
    _, _, result, _ = idle_run
    job = result['jobs'][0]
    found = metrics(job, 'execution_time')
    if found:
        assert 0.95 < found[0]['value'] < 1.5


FEATURES = {
    'cpufreq': ('/sys/devices/system/cpu/cpufreq/policy0', 'cpufreq is not available'),
    'hwmon': ('/sys/class/hwmon/hwmon0', 'no hwmon sensors'),
    'energy_measurement': ('/sys/class/powercap/intel-rapl:0', 'no RAPL energy counters'),
}


def test_unsupported_instruments_are_disabled_with_a_message(tmp_path):
    proc, out, result, log = run_agenda(tmp_path, """
        config:
          instrumentation: [cpufreq, hwmon, energy_measurement, trace_cmd]
        workloads:
          - name: idle
            params: {duration: 0.5}
    """)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result['status'] == 'OK'
    assert [job['status'] for job in result['jobs']] == ['OK']
    job = result['jobs'][0]
    for name, (feature, message) in FEATURES.items():
        if os.path.exists(feature):
            continue
        lines = [line for line in log.splitlines() if 'Instrument "{}" is disabled'.format(name)
                 in line]
        assert len(lines) == 1, log
        assert message in lines[0]
    trace = [a for a in job['artifacts'] if a['name'] == 'trace-cmd-bin']
    if trace:
        assert (out / trace[0]['path']).stat().st_size > 0
    else:
        lines = [line for line in log.splitlines()
                 if 'Instrument "trace_cmd" is disabled' in line]
        assert len(lines) == 1, log
        assert 'ftrace' in lines[0] or 'tracefs' in lines[0] or 'trace-cmd' in lines[0]


def test_perf_not_permitted_in_a_run(tmp_path, perf_as_nobody):
    wrapper = perf_as_nobody
    proc, _, result, log = run_agenda(tmp_path, """
        config:
          instrumentation: [perf, interrupts]
          perf: {{binary: {}}}
        workloads:
          - name: idle
            params: {{duration: 0.5}}
    """.format(wrapper))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result['status'] == 'OK'
    lines = [line for line in log.splitlines() if 'Instrument "perf" is disabled' in line]
    assert len(lines) == 1 and 'perf_event_paranoid' in lines[0], log
    assert metrics(result['jobs'][0], 'interrupts', cpu='total')


@pytest.mark.skipif(shutil.which('stress-ng') is None, reason='needs stress-ng')
def test_busy_job_shows_in_proc_stat_and_perf(tmp_path):
    proc, _, result, log = run_agenda(tmp_path, """
        config:
          instrumentation: [proc_stat, perf]
          proc_stat: {period: 0}
        workloads:
          - name: stress_ng
            params: {stressor: cpu, threads: 0, duration: 2}
    """)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    job = result['jobs'][0]
    assert job['status'] == 'OK'
    assert metric(job, 'cpu_util_user', cpu='total')['value'] > 60
    assert metric(job, 'cpu_util_idle', cpu='total')['value'] < 40
    if metrics(job, 'task-clock'):
        assert metric(job, 'task-clock', cpu='total')['value'] > 1500 * NCPUS * 0.6


def test_show_renders_every_instrument(tmp_path):
    names = ['interrupts', 'cpufreq', 'proc_stat', 'dmesg', 'sysfs_extractor', 'file_poller',
             'perf', 'trace_cmd', 'hwmon', 'energy_measurement']
    listing = wa(tmp_path, 'list', 'instruments')
    assert listing.returncode == 0, listing.stderr
    for name in names:
        assert name in listing.stdout
    probe = wa(tmp_path, 'show', 'interrupts')
    if probe.returncode != 0 and 'show' in probe.stderr and 'invalid choice' in probe.stderr:
        pytest.skip('wa show is not there yet')
    for name in names:
        shown = wa(tmp_path, 'show', name)
        assert shown.returncode == 0, shown.stderr
        assert name in shown.stdout


def test_trace_cmd_record_mode_is_accepted(tmp_path):
    """WA3's ``trace_cmd_mode: record`` (the case b04 agenda): the run records a trace where
    ftrace starts, or disables the instrument with the reason."""
    proc, out, result, log = run_agenda(tmp_path, """
        config:
          instrumentation: [trace-cmd]
          trace-cmd: {events: ['sched*'], trace_cmd_mode: record}
        workloads:
          - name: idle
            params: {duration: 0.5}
    """)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    trace = [a for a in result['jobs'][0]['artifacts'] if a['name'] == 'trace-cmd-bin']
    if trace:
        assert (out / trace[0]['path']).stat().st_size > 0
    else:
        assert 'Instrument "trace_cmd" is disabled' in log

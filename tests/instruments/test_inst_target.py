"""The instruments driven directly, stage by stage, on the local machine through devlib's
LocalLinuxTarget, with a small stand-in for the run context.

What the machine lacks (cpufreq, hwmon, powercap) is exercised on sample sysfs trees from
tests/data/instruments, copied to a temporary directory that the instrument is pointed at; the
commands still run for real on the local target. What the machine has is tested on the real
files, and what it cannot do is tested for the clear NotSupportedError message.
"""
import os
import shutil
import time

import pytest

from wa import NotSupportedError
from wa.instruments import cpufreq, energy_measurement, hwmon
from wa.instruments.cpufreq import Cpufreq
from wa.instruments.dmesg import Dmesg
from wa.instruments.energy_measurement import EnergyMeasurement
from wa.instruments.file_poller import FilePoller
from wa.instruments.hwmon import Hwmon
from wa.instruments.interrupts import Interrupts
from wa.instruments.perf import Perf
from wa.instruments.proc_stat import ProcStat
from wa.instruments.sysfs_extractor import SysfsExtractor
from wa.instruments.trace_cmd import TraceCmd

DATA = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data',
                                     'instruments'))
IS_ROOT = os.geteuid() == 0


def make_target(directory):
    """A local devlib target working in ``directory`` (its own: test runs at once on one
    machine must not rewrite each other's busybox)."""
    from devlib import LocalLinuxTarget
    target = LocalLinuxTarget(connection_settings={'unrooted': not IS_ROOT},
                              working_directory=str(directory),
                              executables_directory=str(directory / 'bin'), connect=False)
    target.connect()
    target.setup()
    return target


@pytest.fixture(scope='module')
def target(tmp_path_factory):
    return make_target(tmp_path_factory.mktemp('target'))


class Spec:
    id = 'wk1'
    label = 'test'
    workload_name = 'idle'
    workload_parameters = {}
    classifiers = {}


class Context:
    """The parts of the run context that instruments use."""

    def __init__(self, target, out):
        os.makedirs(str(out), exist_ok=True)
        self.target = target
        self.output_directory = str(out)
        self.run_output_directory = str(out)
        self.spec = Spec()
        self.job_id = 'wk1'
        self.current_iteration = 1
        self.metrics = []
        self.artifacts = []

    def add_metric(self, name, value, units=None, lower_is_better=False, classifiers=None):
        self.metrics.append({'name': name, 'value': value, 'units': units,
                             'classifiers': classifiers or {}})

    def add_artifact(self, name, path, kind, description=None):
        path = path if os.path.isabs(path) else os.path.join(self.output_directory, path)
        assert os.path.exists(path), path
        self.artifacts.append({'name': name, 'path': path, 'kind': kind})

    def metric(self, name, **classifiers):
        found = [m for m in self.metrics if m['name'] == name and
                 all(m['classifiers'].get(k) == v for k, v in classifiers.items())]
        assert len(found) == 1, (name, classifiers, self.metrics)
        return found[0]


BEFORE_RUN = ['initialize', 'before_workload_setup', 'setup', 'slow_start', 'start',
              'fast_start', 'very_fast_start']
AFTER_RUN = ['very_fast_stop', 'fast_stop', 'stop', 'slow_stop', 'update_result',
             'very_slow_update_result', 'teardown', 'finalize']


def call(instrument, stages, context):
    for stage in stages:
        method = getattr(instrument, stage, None)
        if method is not None:
            method(context)


def run_job(instrument, context, during=None, duration=0.3):
    """Calls the instrument's stage methods in the order the framework would, running
    ``during`` (or sleeping) where the workload would run."""
    call(instrument, BEFORE_RUN, context)
    if during is not None:
        during()
    else:
        time.sleep(duration)
    call(instrument, AFTER_RUN, context)
    return context


# --- on the sample trees -------------------------------------------------------------------

def test_cpufreq_on_a_sample_tree(target, tmp_path, monkeypatch):
    root = tmp_path / 'cpu'
    shutil.copytree(os.path.join(DATA, 'cpufreq', 'before'), str(root))
    for cpu, policy in ((0, 0), (1, 0), (2, 2), (3, 2)):
        (root / 'cpu{}'.format(cpu)).mkdir()
        os.symlink('../cpufreq/policy{}'.format(policy), str(root / 'cpu{}'.format(cpu) /
                                                             'cpufreq'))
    monkeypatch.setattr(cpufreq, 'CPU_ROOT', str(root))
    monkeypatch.setattr(cpufreq, 'DEVFREQ_ROOT', str(tmp_path / 'no-devfreq'))
    instrument = Cpufreq(target)
    context = Context(target, tmp_path / 'out')

    def change_state():
        shutil.copytree(os.path.join(DATA, 'cpufreq', 'after', 'cpufreq'),
                        str(root / 'cpufreq'), dirs_exist_ok=True)

    run_job(instrument, context, during=change_state)
    user_hz = instrument.user_hz
    scale = 100.0 / user_hz
    assert context.metric('time_in_state', cpu='cpu0', frequency=2000000)['value'] == \
        pytest.approx(1.0 * scale)
    assert context.metric('time_in_state', cpu='cpu3', frequency=1000000)['value'] == \
        pytest.approx(2.0 * scale)
    assert context.metric('time_in_state', cpu='cpu1', frequency=1400000)['value'] == 0
    assert context.metric('mean_frequency', cpu='cpu1')['value'] == 1800.0
    assert context.metric('mean_frequency', cpu='cpu2')['value'] == 1000.0
    names = {a['name'] for a in context.artifacts}
    assert names == {'cpufreq_before', 'cpufreq_after', 'cpufreq_diff'}
    diff = tmp_path / 'out' / 'cpufreq' / 'diff' / str(root).lstrip('/') / 'cpufreq'
    assert (diff / 'policy0' / 'scaling_cur_freq').read_text().strip() == '1200000'
    assert (diff / 'policy0' / 'stats' / 'total_trans').read_text().strip() == '11'
    assert not (diff / 'policy0' / 'scaling_governor').exists()      # unchanged
    before = tmp_path / 'out' / 'cpufreq' / 'before' / str(root).lstrip('/') / 'cpufreq'
    assert (before / 'policy2' / 'scaling_governor').read_text() == 'schedutil\n'


def test_hwmon_on_a_sample_tree(tmp_path, monkeypatch):
    import devlib.module.hwmon as devlib_hwmon
    root = tmp_path / 'hwmon'
    shutil.copytree(os.path.join(DATA, 'hwmon', 'before'), str(root))
    monkeypatch.setattr(devlib_hwmon, 'HWMON_ROOT', str(root))
    monkeypatch.setattr(hwmon, 'HWMON_ROOT', str(root))
    target = make_target(tmp_path / 'target')  # its own: the hwmon module is installed on it
    instrument = Hwmon(target)
    context = Context(target, tmp_path / 'out')

    def change_readings():
        shutil.copytree(os.path.join(DATA, 'hwmon', 'after'), str(root), dirs_exist_ok=True)

    run_job(instrument, context, during=change_readings)
    assert context.metric('temperature', sensor='acpitz', when='before')['value'] == 45.0
    assert context.metric('temperature', sensor='acpitz', when='after')['value'] == 47.5
    assert context.metric('temperature', sensor='Package id 0', when='after')['value'] == 55.0
    assert context.metric('energy', sensor='soc')['value'] == pytest.approx(12.5)
    assert context.metric('energy', sensor='soc')['units'] == 'J'
    assert context.metric('power', sensor='soc', when='after')['value'] == 3.0
    assert context.metric('voltage', sensor='vdd_cpu', when='before')['value'] == 1.1
    assert context.metric('current', sensor='vdd_cpu', when='after')['value'] == 0.9
    assert not [m for m in context.metrics if 'fan' in m['name']]


def test_hwmon_sensor_kinds_filter(tmp_path, monkeypatch):
    import devlib.module.hwmon as devlib_hwmon
    root = tmp_path / 'hwmon'
    shutil.copytree(os.path.join(DATA, 'hwmon', 'before'), str(root))
    monkeypatch.setattr(devlib_hwmon, 'HWMON_ROOT', str(root))
    monkeypatch.setattr(hwmon, 'HWMON_ROOT', str(root))
    target = make_target(tmp_path / 'target')
    context = run_job(Hwmon(target, sensors=['energy']), Context(target, tmp_path / 'out'))
    assert [m['name'] for m in context.metrics] == ['energy']
    assert context.metrics[0]['value'] == 0


def test_rapl_on_a_sample_tree(target, tmp_path, monkeypatch):
    root = tmp_path / 'powercap'
    shutil.copytree(os.path.join(DATA, 'powercap', 'before'), str(root))
    monkeypatch.setattr(energy_measurement, 'POWERCAP_ROOT', str(root))
    context = Context(target, tmp_path / 'out')

    def use_energy():
        time.sleep(0.5)
        shutil.copytree(os.path.join(DATA, 'powercap', 'after'), str(root), dirs_exist_ok=True)

    run_job(EnergyMeasurement(target), context, during=use_energy)
    assert context.metric('energy', site='package-0')['value'] == pytest.approx(12.5)
    assert context.metric('energy', site='package-0/dram')['value'] == pytest.approx(3.0)
    assert context.metric('energy', site='package-1')['units'] == 'J'
    power = context.metric('mean_power', site='package-0')
    assert power['units'] == 'W'
    # 12.5 J over the ~0.5 s between the two reads (/proc/uptime has 10 ms resolution)
    assert 12.5 / 1.5 < power['value'] < 12.5 / 0.4
    assert len([m for m in context.metrics if m['name'] == 'energy']) == 5


# --- the real machine ----------------------------------------------------------------------

def busy_for(seconds):
    """Keeps this process on a CPU: a busy CPU takes timer ticks (LOC interrupts)."""
    def busy():
        end = time.time() + seconds
        while time.time() < end:
            pass
    return busy


def test_interrupts_on_this_machine(target, tmp_path):
    context = run_job(Interrupts(target), Context(target, tmp_path / 'out'),
                      during=busy_for(0.4))
    total = context.metric('interrupts', cpu='total')['value']
    per_cpu = [m['value'] for m in context.metrics if m['classifiers']['cpu'] != 'total']
    assert total > 0 and total == sum(per_cpu)
    assert len(per_cpu) == os.cpu_count()
    diff = tmp_path / 'out' / 'interrupts' / 'diff' / 'proc' / 'interrupts'
    assert 'LOC:' in diff.read_text() or 'CPU0' in diff.read_text()


def test_proc_stat_on_this_machine(target, tmp_path):
    context = Context(target, tmp_path / 'out')
    run_job(ProcStat(target, period=0.2), context, during=busy_for(0.6))
    for cpu in ['total'] + ['cpu{}'.format(i) for i in range(os.cpu_count())]:
        values = [context.metric('cpu_util_' + c, cpu=cpu)['value']
                  for c in ('user', 'sys', 'idle', 'iowait', 'steal')]
        assert sum(values) == pytest.approx(100, abs=0.1)
    # this process kept one CPU busy
    busy_share = 100 - context.metric('cpu_util_idle', cpu='total')['value']
    assert busy_share > 100.0 / os.cpu_count() * 0.5
    csv_lines = (tmp_path / 'out' / 'proc_stat.csv').read_text().splitlines()
    assert len(csv_lines) >= 1 + 2 * (1 + os.cpu_count())


@pytest.mark.parametrize('use_tmpfs', [False, True])
def test_sysfs_extractor_on_files_that_change(target, tmp_path, use_tmpfs):
    tree = tmp_path / 'tree'
    (tree / 'sub').mkdir(parents=True)
    (tree / 'counter').write_text('100\n')
    (tree / 'mode').write_text('performance\n')
    (tree / 'sub' / 'static').write_text('x y z\n')
    context = Context(target, tmp_path / 'out')

    def change():
        (tree / 'counter').write_text('142\n')
        (tree / 'mode').write_text('powersave\n')

    instrument = SysfsExtractor(target, paths=[str(tree), '/proc/loadavg'],
                                use_tmpfs=use_tmpfs, tmpfs_mount_point=str(tmp_path / 'tmpfs'))
    if use_tmpfs:
        instrument.initialize(context)
        if instrument.tmpfs is None:
            pytest.skip('a tmpfs cannot be mounted here')
        instrument.finalize(context)
    run_job(instrument, context, during=change)
    assert not os.path.ismount(str(tmp_path / 'tmpfs'))
    out = tmp_path / 'out' / 'sysfs_extractor'
    rel = str(tree).lstrip('/')
    assert (out / 'before' / rel / 'counter').read_text() == '100\n'
    assert (out / 'after' / rel / 'counter').read_text() == '142\n'
    assert (out / 'diff' / rel / 'counter').read_text().strip() == '42'
    assert (out / 'diff' / rel / 'mode').read_text().strip() == 'performance->powersave'
    assert not (out / 'diff' / rel / 'sub' / 'static').exists()
    assert (out / 'before' / 'proc' / 'loadavg').exists()
    assert {a['kind'] for a in context.artifacts} == {'raw', 'data'}


def test_sysfs_extractor_with_no_existing_path(target):
    with pytest.raises(NotSupportedError, match='none of the paths exist'):
        SysfsExtractor(target, paths=['/nonexistent/wa-test']).initialize(None)


def test_file_poller_follows_a_changing_file(target, tmp_path):
    value = tmp_path / 'temp'
    value.write_text('10\n')
    text = tmp_path / 'state'
    text.write_text('idle\n')
    context = Context(target, tmp_path / 'out')

    def change():
        time.sleep(0.35)
        value.write_text('30\n')
        time.sleep(0.35)

    instrument = FilePoller(target, files=[str(value), str(text)], sample_interval=100,
                            labels=['temp', 'state'], units='C')
    run_job(instrument, context, during=change)
    assert context.metric('temp_min')['value'] == 10
    assert context.metric('temp_max')['value'] == 30
    assert 10 < context.metric('temp_avg')['value'] < 30
    assert context.metric('temp_avg')['units'] == 'C'
    assert not [m for m in context.metrics if m['name'].startswith('state')]
    rows = (tmp_path / 'out' / 'file_poller.csv').read_text().splitlines()
    assert rows[0] == 'time,temp,state'
    assert len(rows) >= 1 + 4
    assert rows[1].endswith(',10,idle')


def test_file_poller_with_no_existing_file(target):
    with pytest.raises(NotSupportedError, match='none of the files to poll exist'):
        FilePoller(target, files=['/sys/class/thermal/thermal_zone*/temp-wa-none']).initialize(
            None)


@pytest.mark.skipif(not IS_ROOT, reason='marking the kernel log needs root')
def test_dmesg_keeps_only_the_job_messages(target, tmp_path):
    context = Context(target, tmp_path / 'out')
    target.execute('echo wa-test-before-the-job > /dev/kmsg', as_root=True)

    def log():
        target.execute('echo wa-test-during-the-job > /dev/kmsg', as_root=True)

    run_job(Dmesg(target), context, during=log)
    text = (tmp_path / 'out' / 'dmesg.log').read_text()
    assert 'wa-test-during-the-job' in text
    assert 'wa-test-before-the-job' not in text
    assert 'wa: wk1-1' not in text          # the marks themselves are left out


def test_perf_counts_on_this_machine_or_says_why_not(target, tmp_path):
    instrument = Perf(target, events=['task-clock', 'context-switches'])
    context = Context(target, tmp_path / 'out')
    try:
        instrument.initialize(context)
    except NotSupportedError as error:
        assert 'perf' in str(error)
        pytest.skip('perf cannot count here: {}'.format(error))
    run_job(instrument, context, duration=0.5)
    clock = context.metric('task-clock', cpu='total')
    assert clock['units'] == 'msec'
    # system-wide: about 0.5 s per CPU, counted from before to after the sleep
    assert 300 * os.cpu_count() < clock['value'] < 5000 * os.cpu_count()
    assert context.metric('context-switches', cpu='total')['value'] > 0


def test_perf_missing_binary(target):
    with pytest.raises(NotSupportedError, match='install the Debian package "linux-perf"'):
        Perf(target, binary='perf-wa-missing').initialize(None)


def test_perf_not_permitted(target, perf_as_nobody):
    """perf as an unprivileged user, with perf_event_paranoid above 0: really refused."""
    wrapper = perf_as_nobody
    with pytest.raises(NotSupportedError, match='perf is not permitted.*perf_event_paranoid'):
        Perf(target, binary=str(wrapper)).initialize(None)


def test_trace_cmd_traces_or_says_why_not(target, tmp_path):
    instrument = TraceCmd(target, events=['sched_switch'], report=shutil.which('trace-cmd')
                          is not None)
    context = Context(target, tmp_path / 'out')
    try:
        instrument.initialize(context)
    except NotSupportedError as error:
        message = str(error)
        assert any(word in message for word in ('ftrace', 'tracefs', 'trace-cmd', 'rooted'))
        return
    call(instrument, BEFORE_RUN[1:], context)
    time.sleep(0.3)
    call(instrument, AFTER_RUN, context)
    assert (tmp_path / 'out' / 'trace.dat').stat().st_size > 0
    assert {'trace', 'trace-cmd-bin'} <= {a['name'] for a in context.artifacts}


def test_unsupported_here_gives_clear_messages(target):
    """Each instrument whose kernel feature this machine lacks says what is missing."""
    checks = [
        (Cpufreq, '/sys/devices/system/cpu/cpufreq/policy0', 'cpufreq is not available'),
        (Hwmon, '/sys/class/hwmon/hwmon0', 'no hwmon sensors'),
        (EnergyMeasurement, '/sys/class/powercap/intel-rapl:0', 'no RAPL energy counters'),
    ]
    tested = 0
    for cls, feature, message in checks:
        if os.path.exists(feature):
            continue
        with pytest.raises(NotSupportedError, match=message):
            cls(target).initialize(None)
        tested += 1
    if not tested:
        pytest.skip('this machine has cpufreq, hwmon and RAPL')


def test_external_meter_without_its_tools(target):
    with pytest.raises(NotSupportedError, match='the energy_probe power meter cannot be used'):
        EnergyMeasurement(target, instrument='energy_probe',
                          instrument_parameters={'resistor_values': [0.01]}).initialize(None)


def test_trace_cmd_artifacts_from_the_collector(tmp_path):
    """Where ftrace works, update_result registers what the collector pulled (here a stand-in
    for devlib's FtraceCollector, since this machine's kernel may refuse to trace)."""

    class Collector:
        output = None

        def reset(self):
            pass

        def start(self):
            pass

        def stop(self):
            pass

        def set_output(self, path):
            self.output = path

        def get_data(self):
            with open(self.output, 'w') as fh:
                fh.write('binary trace')
            with open(os.path.splitext(self.output)[0] + '.txt', 'w') as fh:
                fh.write('report')

    instrument = TraceCmd(None)
    instrument.collector = Collector()
    context = Context(None, tmp_path / 'out')
    for stage in ('setup', 'slow_start', 'slow_stop', 'update_result'):
        getattr(instrument, stage)(context)
    # This project's documented names, then WA3's (where WA3's analysis tools look).
    assert [(a['name'], a['kind'], os.path.basename(a['path'])) for a in context.artifacts] == [
        ('trace', 'data', 'trace.dat'), ('trace-cmd-bin', 'data', 'trace.dat'),
        ('trace_report', 'export', 'trace.txt'), ('trace-cmd-txt', 'export', 'trace.txt')]


def test_perf_failing_at_the_start_of_a_job_says_why(target, tmp_path):
    from wa import InstrumentError
    instrument = Perf(target)
    context = Context(target, tmp_path / 'out')
    try:
        instrument.initialize(context)
    except NotSupportedError as error:
        pytest.skip('perf cannot count here: {}'.format(error))
    instrument.events_used = ['no-such-event-wa']     # as if the PMU went away mid-run
    with pytest.raises(InstrumentError, match='perf does not know one of the events'):
        instrument.slow_start(context)
    assert instrument.process is None


def test_target_process_that_exits_at_once(target):
    from wa.utils.processes import TargetProcess
    process = TargetProcess(target, 'wa-test')
    process.new_files()
    assert process.start('echo early > {}; exit 3'.format(process.path('out')),
                         ready='false') == 'exited'
    assert process.stop() == 'early\n'
    assert not target.execute('ls {}.* 2>/dev/null; true'.format(process.base)).strip()


FAKE_TRACE_CMD = """#!/bin/sh
# Stands in for "trace-cmd record -o FILE ...": per-CPU files while recording, merged on SIGINT.
out=$3
echo "$@" > "$out.args"
: > "$out.cpu0"
trap 'cat "$out.args" > "$out"; rm -f "$out.cpu0" "$out.args"; exit 0' INT
while :; do sleep 0.05; done
"""


def test_trace_cmd_record_mode_runs_and_stops_trace_cmd_record(target, tmp_path):
    """The record mode's process handling, on the local target, with a stand-in for trace-cmd
    record (this machine's kernel may refuse to trace): started, stopped with SIGINT, the
    trace pulled, nothing left running or lying around."""
    from wa.instruments._trace_record import TraceRecorder
    if not target.is_rooted:
        pytest.skip('record mode runs trace-cmd as root')
    fake = tmp_path / 'trace-cmd'
    fake.write_text(FAKE_TRACE_CMD)
    fake.chmod(0o755)
    recorder = TraceRecorder(target, str(fake), ['sched_switch', "it's"], buffer_size=2048)
    recorder.start()
    pid = recorder.process.pid
    recorder.stop()
    recorder.pull(str(tmp_path / 'trace.dat'))
    args = (tmp_path / 'trace.dat').read_text().split()
    assert args[:2] == ['record', '-o'] and args[3:] == ['-b', '2048', '-e', 'sched_switch', '-e', "it's"]
    assert not os.path.exists('/proc/{}'.format(pid))
    assert not target.execute('ls {}.* 2>/dev/null; true'.format(
        recorder.output.rsplit('.', 1)[0])).strip()

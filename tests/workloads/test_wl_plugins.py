"""The built-in workloads as plugins: parameters, validation, command lines, missing tools.

No target is needed: a small fake stands in where a method asks the target something.
"""
import io
import os
import posixpath
import shlex

import pytest

from wa import ConfigError, NotSupportedError, ParameterError
from wa.utils.build import build_on_target
from wa.utils.shell import shell_join
from wa.utils.tools import taskset_prefix
from wa.workloads.cyclictest import Cyclictest
from wa.workloads.dhrystone import Dhrystone
from wa.workloads.fio import Fio
from wa.workloads.hackbench import Hackbench
from wa.workloads.manual import Manual, wait_for_enter
from wa.workloads.memcpy import SOURCE as MEMCPY_SOURCE
from wa.workloads.memcpy import Memcpy
from wa.workloads.openssl import Openssl
from wa.workloads.stress_ng import StressNg
from wa.workloads.sysbench import Sysbench
from wa.workloads.rt_app import RtApp
from wa.workloads.apache import Apache
from wa.workloads.iperf3 import Iperf3

TOOL_WORKLOADS = {StressNg: 'stress-ng', Sysbench: 'sysbench', Openssl: 'openssl',
                  Hackbench: 'rt-tests', Cyclictest: 'rt-tests', Fio: 'fio',
                  RtApp: 'rt-app', Apache: 'apache2-utils', Iperf3: 'iperf3'}
ALL = list(TOOL_WORKLOADS) + [Memcpy, Dhrystone, Manual]


class FakeTarget:
    """Answers the few questions the workloads ask before running anything."""

    path = posixpath
    working_directory = '/tmp/fake-target'
    executables_directory = '/tmp/fake-target/bin'
    is_rooted = True

    def __init__(self, tools=()):
        self.tools = set(tools)
        self.commands = []

    def which(self, name):
        return '/usr/bin/{}'.format(name) if name in self.tools else None

    def execute(self, command, **kwargs):
        self.commands.append(command)
        if command.startswith('command -v '):
            return self.which(shlex.split(command)[2]) or ''
        return ''

    def get_workpath(self, name):
        return posixpath.join(self.working_directory, name)


def initialized(cls, tools, **params):
    workload = cls(FakeTarget(tools), **params)
    workload.validate()
    workload.initialize(None)
    return workload


# -- descriptions and parameters ---------------------------------------------------------------
@pytest.mark.parametrize('cls', ALL, ids=lambda cls: cls.name)
def test_documented(cls):
    summary = cls.description.strip().splitlines()[0]
    assert 20 < len(summary) <= 80
    assert 'Metrics' in cls.description or 'No metrics' in cls.description
    for param in cls.parameters:
        assert param.description, '{}.{} has no description'.format(cls.name, param.name)


@pytest.mark.parametrize('cls', ALL, ids=lambda cls: cls.name)
def test_wa_show_fits_80_columns(cls):
    from wa.commands.show import render
    text = render(cls, 80)
    assert cls.description.strip().splitlines()[0].replace("``", "") in text
    for line in text.splitlines():
        assert len(line) <= 80, line
    for param in cls.parameters:
        assert '\n  {}\n'.format(param.name) in text


@pytest.mark.parametrize('cls', ALL, ids=lambda cls: cls.name)
def test_defaults_validate(cls):
    workload = cls(None)
    workload.validate()


def test_original_parameter_names_are_accepted():
    assert StressNg(None, timeout=5).duration == 5
    sysbench = Sysbench(None, max_time=3, max_requests=100, num_threads=2,
                        test_options='--cpu-max-prime=100')
    assert (sysbench.duration, sysbench.events, sysbench.threads) == (3, 100, 2)
    assert sysbench.cmd_params == '--cpu-max-prime=100'
    assert Openssl(None, algorithm='sha256').algorithms == ['sha256']
    assert Memcpy(None, buffer_size=4096, iterations=10).buffer_sizes == [4096]
    assert Cyclictest(None, thread=2).threads == 2


@pytest.mark.parametrize('cls, params', [
    (Sysbench, {'test': 'disk'}),
    (Sysbench, {'threads': 0}),
    (Sysbench, {'events': 0}),
    (StressNg, {'duration': 0}),
    (StressNg, {'stressor': '--cpu'}),
    (Fio, {'rw': 'sideways'}),
    (Fio, {'bs': 'lots'}),
    (Cyclictest, {'priority': 150}),
    (Cyclictest, {'clock': 'wall'}),
    (Memcpy, {'buffer_sizes': [0]}),
    (Memcpy, {'loops': 'many'}),
    (Hackbench, {'groups': -1}),
    (Dhrystone, {'mloops': 0}),
    (Dhrystone, {'duration': -1}),
    (Dhrystone, {'delay': -1}),
    (Openssl, {'seconds': 0}),
], ids=lambda value: getattr(value, 'name', None) or repr(value))
def test_bad_values_are_refused(cls, params):
    with pytest.raises(ParameterError):
        cls(None, **params)


def test_unknown_parameter():
    with pytest.raises(ConfigError, match='Unexpected config "stressors"'):
        StressNg(None, stressors='cpu')


@pytest.mark.parametrize('cls, params, message', [
    (Sysbench, {'duration': 0}, 'give events'),
    (Sysbench, {'duration': 500}, 'longer than timeout'),
    (StressNg, {'extra_args': '--cpu-method "matrix'}, 'extra_args'),
    (Hackbench, {'extra_params': "'"}, 'extra_params'),
    (Cyclictest, {'extra_parameters': '-h 100'}, 'histogram'),
    (Dhrystone, {'binary': '/x/dhry', 'source': ['/x/dhry_1.c']}, 'not both'),
    (Dhrystone, {'mloops': 2, 'duration': 30}, 'mloops or duration, not both'),
    (Fio, {'job_file': '/nonexistent/job.fio'}, 'does not exist'),
    (Openssl, {'algorithms': ['aes-256-cbc; reboot']}, 'not an algorithm'),
    (Manual, {'user_triggered': False}, 'set a duration'),
])
def test_validate_refuses(cls, params, message):
    with pytest.raises(ConfigError, match=message):
        cls(None, **params).validate()


# -- missing tools ------------------------------------------------------------------------------
@pytest.mark.parametrize('cls', list(TOOL_WORKLOADS), ids=lambda cls: cls.name)
def test_missing_tool_names_the_debian_package(cls):
    with pytest.raises(NotSupportedError) as info:
        initialized(cls, tools=())
    message = str(info.value)
    assert cls.tool in message
    assert 'install the Debian package "{}"'.format(TOOL_WORKLOADS[cls]) in message


def test_memcpy_without_compiler_names_gcc():
    with pytest.raises(NotSupportedError, match='Debian package "gcc"'):
        initialized(Memcpy, tools=())


def test_memcpy_missing_prebuilt_binary():
    with pytest.raises(NotSupportedError, match='/nonexistent/memcpy'):
        initialized(Memcpy, tools=(), binary='/nonexistent/memcpy')


def test_dhrystone_with_nothing_to_run():
    with pytest.raises(NotSupportedError, match='"binary" or "source"'):
        initialized(Dhrystone, tools=())


def test_dhrystone_missing_binary_and_source():
    with pytest.raises(NotSupportedError, match='does not exist'):
        initialized(Dhrystone, tools=(), binary='/nonexistent/dhry')
    with pytest.raises(NotSupportedError, match='does not exist'):
        initialized(Dhrystone, tools=(), source=['/nonexistent/dhry_1.c'])


def test_dhrystone_uses_one_on_the_path():
    assert initialized(Dhrystone, tools=('dhrystone',)).tool_path == '/usr/bin/dhrystone'


def test_taskset_is_required_for_cpus():
    with pytest.raises(NotSupportedError, match='util-linux'):
        taskset_prefix(FakeTarget(), [0])
    assert taskset_prefix(FakeTarget(['taskset']), [0, 2]) == ['taskset', '-c', '0,2']
    assert taskset_prefix(FakeTarget(), None) == []


# -- command lines ------------------------------------------------------------------------------
def test_stress_ng_command():
    workload = initialized(StressNg, ['stress-ng'], stressor='vm', threads=2, duration=3,
                           extra_args='--vm-bytes 10% --vm-method "flip"')
    assert workload.build_command(None) == [
        '/usr/bin/stress-ng', '--vm', 2, '--timeout', '3s', '--metrics-brief', '--yaml',
        '/tmp/fake-target/wa-stress_ng/stress-ng.yaml', '--vm-bytes', '10%', '--vm-method',
        'flip']


def test_stress_ng_unknown_stressor(monkeypatch):
    target = FakeTarget(['stress-ng'])
    answer = FakeTarget.execute

    def execute(command, **kwargs):
        if command.endswith('--stressors'):
            return 'cpu vm matrix\n'
        return answer(target, command, **kwargs)
    monkeypatch.setattr(target, 'execute', execute)
    workload = StressNg(target, stressor='warp')
    with pytest.raises(NotSupportedError, match='no stressor "warp"'):
        workload.initialize(None)


def test_sysbench_commands():
    workload = initialized(Sysbench, ['sysbench'], test='cpu', threads=2)
    assert workload.build_command(None) == ['/usr/bin/sysbench', 'cpu', '--threads=2',
                                            '--time=10', 'run']
    workload = initialized(Sysbench, ['sysbench'], test='memory', events=1000,
                           cmd_params='--memory-block-size=4K')
    assert workload.build_command(None)[2:] == ['--threads=8', '--time=0', '--events=1000',
                                                '--memory-block-size=4K', 'run']
    workload = initialized(Sysbench, ['sysbench', 'taskset'], test='fileio', duration=2,
                           file_test_mode='seqrd', file_total_size='8M', cpus=[1])
    assert workload.build_command(None) == [
        'taskset', '-c', '1', '/usr/bin/sysbench', 'fileio', '--threads=8', '--time=2',
        '--file-test-mode=seqrd', '--file-total-size=8M', 'run']


def test_openssl_commands():
    workload = initialized(Openssl, ['openssl'], algorithms=['aes-128-gcm', 'rsa2048'],
                           seconds=1, block_size=1024, threads=2)
    command = workload.build_command(None)
    assert command[:2] == ['sh', '-c']
    assert command[2] == ('/usr/bin/openssl speed -mr -seconds 1 -multi 2 -bytes 1024 -evp '
                          'aes-128-gcm && /usr/bin/openssl speed -mr -seconds 1 -multi 2 '
                          'rsa2048')
    workload = initialized(Openssl, ['openssl'], algorithms='sha256', use_evp=False)
    assert workload.build_command(None)[2].endswith('-seconds 3 sha256')


def test_hackbench_command():
    workload = initialized(Hackbench, ['hackbench'], groups=2, loops=10, threads=True,
                           pipe=True)
    assert workload.build_command(None) == [
        '/usr/bin/hackbench', '--groups', 2, '--loops', 10, '--datasize', 100, '--fds', 40,
        '--threads', '--pipe']


def test_cyclictest_command():
    workload = initialized(Cyclictest, ['cyclictest'], duration=2, threads=3, priority=90,
                           clock='realtime', distance=0)
    assert workload.build_command(None) == [
        '/usr/bin/cyclictest', '-q', '-m', '-D', 2, '-i', 1000, '-p', 90, '-c', 1, '-t3',
        '-d', 0]
    assert '-t' in initialized(Cyclictest, ['cyclictest']).build_command(None)


def test_fio_command_quotes_values():
    workload = initialized(Fio, ['fio'], rw='randwrite', bs='64k', size='16M', runtime=2,
                           directory='/tmp/my dir; rm -rf x', ioengine='libaio', iodepth=8)
    command = workload.build_command(None)
    assert '--directory=/tmp/my dir; rm -rf x' in command
    assert "'--directory=/tmp/my dir; rm -rf x'" in shell_join(command)
    for option in ('--rw=randwrite', '--bs=64k', '--size=16M', '--runtime=2', '--time_based',
                   '--iodepth=8', '--ioengine=libaio', '--output-format=json'):
        assert option in command


def test_fio_job_file_is_pushed(tmp_path):
    job = tmp_path / 'my.fio'
    job.write_text('[x]\nrw=read\nsize=1M\n')
    target = FakeTarget(['fio'])
    pushed = []
    target.push = lambda source, dest: pushed.append((source, dest))
    workload = Fio(target, job_file=str(job))
    workload.validate()
    workload.initialize(None)
    workload.setup(None)
    assert pushed == [(str(job), '/tmp/fake-target/wa-fio/my.fio')]
    assert workload.build_command(None)[-1] == '/tmp/fake-target/wa-fio/my.fio'


def test_dhrystone_command_pins_copies():
    workload = initialized(Dhrystone, ['dhrystone', 'taskset'], mloops=0.5, threads=2,
                           cpus=[1])
    command = workload.build_command(None)
    assert command[:2] == ['sh', '-c']
    script = command[2]
    assert 'echo 500000 | taskset -c 1 /usr/bin/dhrystone > dhrystone.0 2>&1 &' in script
    assert 'echo 500000 | taskset -c 1 /usr/bin/dhrystone > dhrystone.1 2>&1 &' in script
    assert 'echo "== dhrystone copy 1 =="' in script


def test_memcpy_command_and_source_is_shipped():
    assert os.path.isfile(MEMCPY_SOURCE)
    workload = Memcpy(FakeTarget(), buffer_sizes='4096, 1048576', loops=5)
    workload.tool_path, workload.pin = '/bin/wa_memcpy', []
    assert workload.build_command(None) == ['/bin/wa_memcpy', '-i', 5, 4096, 1048576]


# -- manual ---------------------------------------------------------------------------------------
def test_manual_defaults():
    workload = Manual(None)
    workload.validate()
    assert workload.user_triggered is True
    workload = Manual(None, duration=2)
    workload.validate()
    assert workload.user_triggered is False


def test_wait_for_enter():
    assert wait_for_enter(io.StringIO('\n')) == 'enter'
    assert wait_for_enter(io.StringIO('')) == 'eof'
    read_end, write_end = os.pipe()
    try:
        with os.fdopen(read_end) as reader:
            assert wait_for_enter(reader, timeout=0.2, poll=0.05) == 'timeout'
            os.write(write_end, b'\n')
            assert wait_for_enter(reader, timeout=1) == 'enter'
    finally:
        os.close(write_end)


def test_cyclictest_needs_root_for_priority():
    target = FakeTarget(['cyclictest'])
    target.is_rooted = False
    with pytest.raises(NotSupportedError, match='priority: 0'):
        Cyclictest(target, priority=80).initialize(None)
    Cyclictest(target, priority=0).initialize(None)


def test_build_on_target_is_cached(tmp_path):
    source = tmp_path / 'prog.c'
    source.write_text('int main(void) { return 0; }\n')
    target = FakeTarget(['cc'])
    pushed, existing = [], set()
    target.push = lambda src, dest: pushed.append(dest)
    target.file_exists = lambda path: path in existing
    first = build_on_target(target, [str(source)], 'prog', cflags='-O2')
    existing.add(first)
    assert first.startswith('/tmp/fake-target/bin/prog-')
    compile_commands = [c for c in target.commands if '/usr/bin/cc' in c]
    assert len(compile_commands) == 1 and ' -O2 -o ' in compile_commands[0]
    assert build_on_target(target, [str(source)], 'prog', cflags='-O2') == first
    assert len(pushed) == 1
    # Other flags: another binary, built again.
    other = build_on_target(target, [str(source)], 'prog', cflags='-O0')
    assert other != first and len(pushed) == 2
    # The binary disappeared from the target: built again.
    existing.clear()
    assert build_on_target(target, [str(source)], 'prog', cflags='-O2') == first
    assert len(pushed) == 3


def test_memcpy_takes_sizes_with_suffixes():
    assert Memcpy(None, buffer_sizes='4K, 1M').buffer_sizes == [4096, 1048576]

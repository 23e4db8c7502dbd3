"""Runtime parameters on this machine's own devlib target (LocalLinuxTarget, as root).

The local VM has no cpufreq, so cpufreq names exercise the skip/fail paths here; the cpufreq
logic itself is covered against a fake target in test_tgt_runtime_params_fake.py.
"""
import logging
import os

import pytest

from wa.core.exceptions import ConfigError, TargetError
from wa.target.runtime_params import RuntimeParams

ONLINE = '/sys/devices/system/cpu/online'


@pytest.fixture(scope='session')
def target(tmp_path_factory):
    from devlib import LocalLinuxTarget
    directory = tmp_path_factory.mktemp('target')  # its own: test runs at once share no bin/
    t = LocalLinuxTarget(connection_settings={'unrooted': False},
                         working_directory=str(directory),
                         executables_directory=str(directory / 'bin'), connect=False)
    t.connect()
    t.setup()
    return t


@pytest.fixture
def rooted(target):
    if not target.is_rooted:
        pytest.skip('the local target is not rooted')
    return target


def read(path):
    with open(path) as fh:
        return fh.read()


def write(path, text):
    with open(path, 'w') as fh:
        fh.write(text)


def runtime_warnings(caplog):
    return [r for r in caplog.records if r.name == 'runtime_params' and r.levelno >= logging.WARNING]


# ------------------------------------------------------------------ sysfile_values

def test_sysfile_values_written_in_order_checked_and_restored(rooted, tmp_path):
    first, second = str(tmp_path / 'first'), str(tmp_path / 'second')
    write(first, 'one')
    write(second, 'two')
    rp = RuntimeParams(rooted)
    params = {'sysfile_values': {first: 'alpha', second: 42}}
    rp.validate(params)
    rp.apply(params)
    assert read(first) == 'alpha'
    assert read(second) == '42'
    # A later job changes one again: restore puts back the value from before the first change.
    rp.apply({'sysfile_values': {first: 'beta'}})
    assert read(first) == 'beta'
    rp.restore()
    assert read(first) == 'one'
    assert read(second) == 'two'
    # Nothing left to restore.
    rp.restore()
    assert read(first) == 'one'


def test_sysfile_values_are_not_reverted_between_jobs(rooted, tmp_path):
    path = str(tmp_path / 'f')
    write(path, 'orig')
    rp = RuntimeParams(rooted)
    rp.apply({'sysfile_values': {path: 'job1'}})
    rp.apply({})  # a later job without runtime params keeps the value
    assert read(path) == 'job1'
    rp.restore()
    assert read(path) == 'orig'


def test_sysfile_value_is_read_back(rooted, tmp_path):
    path = str(tmp_path / 'f')
    write(path, 'orig')
    rp = RuntimeParams(rooted)
    # The shell's $(cat) drops the trailing newline, so the read-back differs from what was written.
    with pytest.raises(TargetError) as info:
        rp.apply({'sysfile_values': {path: 'x\n'}})
    assert path in str(info.value)
    assert '\n' not in str(info.value)  # one line
    # With "!" the file is written without reading back.
    rp.apply({'sysfile_values': {path + '!': 'y\n'}})
    assert read(path) == 'y\n'
    rp.restore()
    assert read(path) == 'orig'


def test_sysfile_write_failure_is_a_target_error(rooted, tmp_path):
    rp = RuntimeParams(rooted)
    with pytest.raises(TargetError) as info:
        rp.apply({'sysfile_values': {str(tmp_path): '1'}})  # a directory
    assert 'Could not write' in str(info.value)


def test_sysfile_values_are_quoted(rooted, tmp_path):
    path = str(tmp_path / 'with space; and $dollar')
    canary = tmp_path / 'canary'
    value = "$(touch {0}) `touch {0}` 'q' \"d\" ; touch {0}".format(canary)
    rp = RuntimeParams(rooted)
    rp.apply({'sysfile_values': {path: value}})
    assert read(path) == value
    assert not canary.exists()


def test_sysfile_values_validation(rooted):
    rp = RuntimeParams(rooted)
    with pytest.raises(ConfigError, match='absolute path'):
        rp.validate({'sysfile_values': {'relative/path': 1}})
    with pytest.raises(ConfigError, match='mapping of file paths'):
        rp.validate({'sysfile_values': ['/tmp/x']})
    with pytest.raises(ConfigError, match='single value'):
        rp.validate({'sysfile_values': {'/tmp/x': [1, 2]}})


# ------------------------------------------------------------------ names

def test_unknown_names_suggest_the_closest(target):
    rp = RuntimeParams(target)
    with pytest.raises(ConfigError) as info:
        rp.validate({'sysfile_value': {}})
    assert str(info.value) == 'Unknown runtime parameter "sysfile_value"; did you mean "sysfile_values"?'
    with pytest.raises(ConfigError, match='did you mean "governor"'):
        rp.validate({'governer': 'performance'})
    with pytest.raises(ConfigError, match='did you mean "cpu1_governor"'):
        rp.validate({'cpu1_governer': 'performance'})


def test_unknown_cpu_and_core_prefixes(target):
    rp = RuntimeParams(target)
    with pytest.raises(ConfigError, match='no cpu{}'.format(target.number_of_cpus)):
        rp.validate({'cpu{}_governor'.format(target.number_of_cpus): 'performance'})
    if not target.big_core:
        with pytest.raises(ConfigError, match='no big cores'):
            rp.validate({'big_governor': 'performance'})
    with pytest.raises(ConfigError, match='"nosuchcore" is not a CPU or core name'):
        rp.validate({'nosuchcore_min_frequency': 'max'})


def test_bad_on_missing(target):
    with pytest.raises(ConfigError):
        RuntimeParams(target, on_missing='ignore')


# ------------------------------------------------------------------ missing capabilities

def test_no_cpufreq_is_skipped_with_one_warning(target, tmp_path, caplog):
    if target.has('cpufreq'):
        pytest.skip('this target has cpufreq')
    path = str(tmp_path / 'f')
    write(path, 'orig')
    rp = RuntimeParams(target, on_missing='skip')
    params = {'governor': 'performance', 'cpu0_max_frequency': 'max',
              'sysfile_values': {path: 'new'}}
    with caplog.at_level(logging.WARNING, logger='runtime_params'):
        rp.validate(params)
        rp.apply(params)
        rp.validate({'cpu1_min_frequency': 'min'})
        rp.apply({'cpu1_min_frequency': 'min'})
    warnings = runtime_warnings(caplog)
    assert len(warnings) == 1, [w.getMessage() for w in warnings]
    message = warnings[0].getMessage()
    assert 'cpufreq' in message and 'governor' in message and 'cpu0_max_frequency' in message
    # What the target can do is still done.
    assert read(path) == 'new'
    rp.restore()
    assert read(path) == 'orig'


def test_no_cpufreq_fails_when_asked_to(target):
    if target.has('cpufreq'):
        pytest.skip('this target has cpufreq')
    rp = RuntimeParams(target, on_missing='fail')
    with pytest.raises(ConfigError) as info:
        rp.validate({'governor': 'performance', 'min_frequency': 'min'})
    message = str(info.value)
    assert 'governor' in message and 'min_frequency' in message and 'cpufreq' in message
    assert '\n' not in message


def test_unknown_name_is_an_error_even_when_skipping(target):
    rp = RuntimeParams(target, on_missing='skip')
    with pytest.raises(ConfigError, match='Unknown runtime parameter'):
        rp.validate({'governor': 'performance', 'gouvernor': 'performance'})


# ------------------------------------------------------------------ hotplug

@pytest.fixture
def hotplug_cpu1(rooted):
    """cpu1, when this target can really take it offline and back; skipped otherwise."""
    if not rooted.has('hotplug'):
        pytest.skip('no devlib hotplug module on this target')
    if 1 not in rooted.hotplug.list_hotpluggable_cpus():
        pytest.skip('cpu1 is not hotpluggable here')
    path = '/sys/devices/system/cpu/cpu1/online'
    if not os.access(path, os.W_OK) or read(path).strip() != '1':
        pytest.skip('{} is not writable or cpu1 is offline'.format(path))
    try:
        rooted.hotplug.offline(1)
    except Exception as exc:  # pylint: disable=broad-except
        pytest.skip('cannot take cpu1 offline here: {}'.format(exc))
    finally:
        rooted.hotplug.online(1)
    yield rooted
    rooted.hotplug.online(1)


def test_cpu_online_applied_and_restored(hotplug_cpu1):
    target = hotplug_cpu1
    rp = RuntimeParams(target)
    params = {'cpu1_online': False}
    rp.validate(params)
    rp.apply(params)
    assert 1 not in target.list_online_cpus()
    rp.restore()
    assert 1 in target.list_online_cpus()


def test_num_cores(hotplug_cpu1):
    target = hotplug_cpu1
    rp = RuntimeParams(target)
    rp.apply({'num_cores': 1})
    assert target.list_online_cpus() == [0]
    rp.apply({'num_cores': 2})
    assert target.list_online_cpus() == [0, 1]
    rp.apply({'num_cores': 1})
    rp.restore()
    assert target.list_online_cpus() == [0, 1]


def test_hotplug_validation(target):
    if not target.has('hotplug'):
        pytest.skip('no devlib hotplug module on this target')
    rp = RuntimeParams(target)
    n = target.number_of_cpus
    with pytest.raises(ConfigError, match='out of range'):
        rp.validate({'num_cores': n + 1})
    with pytest.raises(ConfigError, match='true or false'):
        rp.validate({'cpu1_online': 'maybe'})
    if 0 not in target.hotplug.list_hotpluggable_cpus():
        with pytest.raises(ConfigError, match='cpu0 cannot be taken offline'):
            rp.validate({'cpu0_online': False})


# ------------------------------------------------------------------ cpuidle

def test_idle_states_applied_and_restored(rooted):
    if not rooted.has('cpuidle'):
        pytest.skip('no cpuidle on this target')
    states = rooted.cpuidle.get_states(0)
    if len(states) < 2 or not all(s.is_enabled for s in states):
        pytest.skip('needs two enabled idle states')
    keep = states[0]
    rp = RuntimeParams(rooted)
    params = {'cpu0_idle_states': [keep.name]}
    rp.validate(params)
    rp.apply(params)
    assert [s.is_enabled for s in rooted.cpuidle.get_states(0)] == [True] + [False] * (len(states) - 1)
    rp.restore()
    assert all(s.is_enabled for s in rooted.cpuidle.get_states(0))
    with pytest.raises(ConfigError, match='no idle state "deepest"'):
        rp.validate({'idle_states': ['deepest']})

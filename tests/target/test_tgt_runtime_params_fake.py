"""Runtime parameter names, prefixes, validation and restore against a small fake target.

The fake has four CPUs, two kinds of core (a53 little, a72 big), cpufreq with tables and
governors, and hotplug; it keeps sysfs values in a dict and follows devlib's method names.
"""
import logging

import pytest

from wa.core.exceptions import ConfigError, TargetError, TargetNotRespondingError
from wa.target.runtime_params import RuntimeParams, core_identifier

TABLES = {0: [500000, 1000000, 1400000], 2: [800000, 1600000, 2000000]}


class FakeCpufreq(object):
    def __init__(self, target):
        self.t = target
        self.calls = []
        self.gov = {c: 'schedutil' for c in range(4)}
        self.min = {c: self.table(c)[0] for c in range(4)}
        self.max = {c: self.table(c)[-1] for c in range(4)}
        self.speed = {c: self.table(c)[0] for c in range(4)}
        self.tunables = {c: {'schedutil': {'rate_limit_us': '1000'}} for c in range(4)}

    def table(self, cpu):
        return TABLES[0 if cpu < 2 else 2]

    def _cpu(self, cpu):
        cpu = int(str(cpu).replace('cpu', ''))
        if cpu not in self.t.online:
            from devlib.exception import TargetStableError
            raise TargetStableError('cpu{} is offline'.format(cpu))
        return cpu

    def list_governors(self, cpu):
        self._cpu(cpu)
        return ['performance', 'powersave', 'schedutil', 'userspace']

    def get_governor(self, cpu):
        return self.gov[self._cpu(cpu)]

    def set_governor(self, cpu, governor, **kwargs):
        cpu = self._cpu(cpu)
        self.calls.append(('governor', cpu, governor))
        self.gov[cpu] = governor
        self.tunables[cpu].setdefault(governor, {})

    def list_frequencies(self, cpu):
        return list(self.table(self._cpu(cpu)))

    def get_min_frequency(self, cpu):
        return self.min[self._cpu(cpu)]

    def get_max_frequency(self, cpu):
        return self.max[self._cpu(cpu)]

    def set_min_frequency(self, cpu, frequency, exact=True):
        cpu = self._cpu(cpu)
        if frequency > self.max[cpu]:
            from devlib.exception import TargetStableError
            raise TargetStableError('min {} above max {}'.format(frequency, self.max[cpu]))
        self.calls.append(('min', cpu, frequency))
        self.min[cpu] = frequency

    def set_max_frequency(self, cpu, frequency, exact=True):
        cpu = self._cpu(cpu)
        if frequency < self.min[cpu]:
            from devlib.exception import TargetStableError
            raise TargetStableError('max {} below min {}'.format(frequency, self.min[cpu]))
        self.calls.append(('max', cpu, frequency))
        self.max[cpu] = frequency

    def get_frequency(self, cpu, cpuinfo=False):
        return self.speed[self._cpu(cpu)]

    def set_frequency(self, cpu, frequency, exact=True):
        cpu = self._cpu(cpu)
        assert self.gov[cpu] == 'userspace'
        self.calls.append(('frequency', cpu, frequency))
        self.speed[cpu] = frequency

    def get_governor_tunables(self, cpu):
        cpu = self._cpu(cpu)
        return dict(self.tunables[cpu][self.gov[cpu]])

    def set_governor_tunables(self, cpu, governor=None, **kwargs):
        cpu = self._cpu(cpu)
        governor = governor or self.gov[cpu]
        for name, value in kwargs.items():
            if name not in self.tunables[cpu][governor]:
                from devlib.exception import TargetStableError
                raise TargetStableError('Unexpected tunable {} for governor {}'.format(name, governor))
            self.tunables[cpu][governor][name] = value


class FakeHotplug(object):
    def __init__(self, target):
        self.t = target

    def list_hotpluggable_cpus(self):
        return [1, 2, 3]

    def online(self, *cpus):
        self.t.online.update(cpus)

    def offline(self, *cpus):
        self.t.online.difference_update(cpus)


class FakeTarget(object):
    number_of_cpus = 4
    core_names = ['A53', 'A53', 'Cortex-A72', 'Cortex-A72']
    big_core = 'Cortex-A72'
    little_core = 'A53'

    def __init__(self, rooted=True, modules=('cpufreq', 'hotplug')):
        self.is_rooted = rooted
        self.modules = set(modules)
        self.online = {0, 1, 2, 3}
        self.files = {}
        self.cpufreq = FakeCpufreq(self)
        self.hotplug = FakeHotplug(self)

    def has(self, name):
        return name in self.modules

    def list_online_cpus(self):
        return sorted(self.online)

    def read_value(self, path):
        from devlib.exception import TargetStableCalledProcessError
        if path not in self.files:
            raise TargetStableCalledProcessError(1, 'cat ' + path, 'No such file', None)
        return self.files[path]

    def write_value(self, path, value, verify=True):
        self.files[path] = str(value)

    def file_exists(self, path):
        return path in self.files


@pytest.fixture
def target():
    return FakeTarget()


def applied(target, params, **kwargs):
    rp = RuntimeParams(target, **kwargs)
    rp.validate(params)
    rp.apply(params)
    return rp


def test_core_identifier():
    assert core_identifier('AMD EPYC') == 'amd_epyc'
    assert core_identifier('Cortex-A72') == 'cortex_a72'


def test_no_prefix_means_every_cpu(target):
    applied(target, {'governor': 'performance'})
    assert target.cpufreq.gov == {0: 'performance', 1: 'performance', 2: 'performance', 3: 'performance'}


@pytest.mark.parametrize('name, cpus', [
    ('cpu2_governor', [2]),
    ('a53_governor', [0, 1]),
    ('little_governor', [0, 1]),
    ('big_governor', [2, 3]),
    ('cortex_a72_governor', [2, 3]),
    ('Cortex-A72_governor', [2, 3]),
])
def test_prefixes(target, name, cpus):
    applied(target, {name: 'powersave'})
    assert sorted(c for c, g in target.cpufreq.gov.items() if g == 'powersave') == cpus


def test_most_specific_name_wins(target):
    applied(target, {'governor': 'performance', 'big_governor': 'powersave', 'cpu3_governor': 'schedutil'})
    assert target.cpufreq.gov == {0: 'performance', 1: 'performance', 2: 'powersave', 3: 'schedutil'}


def test_same_level_disagreement_is_an_error(target):
    with pytest.raises(ConfigError, match='"big_governor" and "cortex_a72_governor" give cpu2 different values'):
        RuntimeParams(target).validate({'big_governor': 'powersave', 'cortex_a72_governor': 'performance'})
    # Agreeing is fine.
    RuntimeParams(target).validate({'big_governor': 'powersave', 'cortex_a72_governor': 'powersave'})


def test_unknown_prefix_and_cpu(target):
    rp = RuntimeParams(target)
    with pytest.raises(ConfigError, match='no cpu4'):
        rp.validate({'cpu4_governor': 'performance'})
    with pytest.raises(ConfigError, match='did you mean "cortex_a72_governor"'):
        rp.validate({'cortex_a27_governor': 'performance'})


def test_governor_not_available(target):
    with pytest.raises(ConfigError) as info:
        RuntimeParams(target).validate({'big_governor': 'performanse'})
    message = str(info.value)
    assert 'governor "performanse" is not available on cpu2' in message
    assert 'did you mean "performance"' in message
    assert '\n' not in message


def test_frequency_not_in_table(target):
    with pytest.raises(ConfigError) as info:
        RuntimeParams(target).validate({'a53_max_frequency': 1600000})
    assert '1600000 is not in the frequency table of cpu0' in str(info.value)
    assert '500000, 1000000, 1400000' in str(info.value)
    with pytest.raises(ConfigError, match='not a frequency'):
        RuntimeParams(target).validate({'max_frequency': 'fast'})


def test_min_max_words_and_limits(target):
    rp = applied(target, {'little_max_frequency': 'min', 'big_min_frequency': 'max'})
    assert target.cpufreq.max[0] == 500000 and target.cpufreq.max[1] == 500000
    assert target.cpufreq.min[2] == 2000000
    rp.restore()
    assert target.cpufreq.max[0] == 1400000 and target.cpufreq.min[2] == 800000


def test_min_above_max_is_an_error(target):
    with pytest.raises(ConfigError, match='minimum frequency 1400000 is above the maximum 500000'):
        RuntimeParams(target).validate({'cpu0_min_frequency': 'max', 'cpu0_max_frequency': 'min'})


def test_limits_set_in_an_order_the_kernel_accepts(target):
    rp = RuntimeParams(target)
    rp.apply({'cpu0_min_frequency': 500000, 'cpu0_max_frequency': 500000})
    # Raising both: max must go first.
    rp.apply({'cpu0_min_frequency': 1400000, 'cpu0_max_frequency': 1400000})
    assert (target.cpufreq.min[0], target.cpufreq.max[0]) == (1400000, 1400000)
    rp.restore()
    assert (target.cpufreq.min[0], target.cpufreq.max[0]) == (500000, 1400000)


def test_fixed_frequency_selects_userspace(target):
    rp = applied(target, {'cpu2_frequency': 1600000})
    assert target.cpufreq.gov[2] == 'userspace'
    assert target.cpufreq.speed[2] == 1600000
    rp.restore()
    assert target.cpufreq.gov[2] == 'schedutil'


def test_fixed_frequency_needs_userspace(target):
    with pytest.raises(ConfigError, match='needs the userspace governor'):
        RuntimeParams(target).validate({'governor': 'performance', 'frequency': 'max'})


def test_fixed_frequency_restored_when_userspace_already(target):
    target.cpufreq.gov[0] = 'userspace'
    target.cpufreq.speed[0] = 1000000
    rp = applied(target, {'cpu0_frequency': 'max'})
    assert target.cpufreq.speed[0] == 1400000
    rp.restore()
    assert target.cpufreq.speed[0] == 1000000


def test_governor_tunables(target):
    rp = applied(target, {'gov_tunables': {'rate_limit_us': 500}})
    assert target.cpufreq.tunables[0]['schedutil']['rate_limit_us'] == '500'
    rp.apply({'governor_tunables': {'rate_limit_us': 200}})
    rp.restore()
    assert target.cpufreq.tunables[0]['schedutil']['rate_limit_us'] == '1000'
    with pytest.raises(ConfigError, match='mapping of tunable names'):
        RuntimeParams(target).validate({'gov_tunables': 'fast'})
    with pytest.raises(TargetError, match='Unexpected tunable'):
        RuntimeParams(target).apply({'gov_tunables': {'no_such': 1}})


def test_restore_uses_first_seen_values(target):
    rp = RuntimeParams(target)
    rp.apply({'governor': 'performance'})
    rp.apply({'governor': 'powersave'})
    rp.apply({'cpu1_governor': 'userspace'})
    rp.restore()
    assert set(target.cpufreq.gov.values()) == {'schedutil'}


def test_hotplug(target):
    rp = applied(target, {'num_big_cores': 1, 'cpu1_online': False})
    assert target.list_online_cpus() == [0, 2]
    rp.apply({'num_cores': 3})
    assert target.list_online_cpus() == [0, 1, 2]
    rp.restore()
    assert target.list_online_cpus() == [0, 1, 2, 3]


def test_hotplug_specific_wins_and_limits(target):
    rp = applied(target, {'num_cores': 1, 'cpu3_online': True})
    assert target.list_online_cpus() == [0, 3]
    rp.restore()
    with pytest.raises(ConfigError, match='every CPU offline'):
        RuntimeParams(target).validate({'num_cores': 0})
    with pytest.raises(ConfigError, match='cpu0 cannot be taken offline'):
        RuntimeParams(target).validate({'cpu0_online': 'off'})
    with pytest.raises(ConfigError, match='out of range'):
        RuntimeParams(target).validate({'num_little_cores': 3})


def test_cpufreq_skips_offline_cpus_and_restores_after_onlining(target):
    rp = applied(target, {'cpu3_online': False, 'governor': 'performance'})
    assert target.cpufreq.gov == {0: 'performance', 1: 'performance', 2: 'performance', 3: 'schedutil'}
    rp.restore()
    assert target.list_online_cpus() == [0, 1, 2, 3]
    assert set(target.cpufreq.gov.values()) == {'schedutil'}


def test_missing_module_skip_and_fail(caplog):
    target = FakeTarget(modules=('hotplug',))
    with caplog.at_level(logging.WARNING, logger='runtime_params'):
        rp = applied(target, {'governor': 'performance', 'num_cores': 2})
        rp.apply({'governor': 'performance', 'num_cores': 2})
    warnings = [r.getMessage() for r in caplog.records if r.name == 'runtime_params']
    assert len(warnings) == 1
    assert "cpufreq support (devlib module 'cpufreq' not loaded)" in warnings[0]
    assert target.list_online_cpus() == [0, 1]
    with pytest.raises(ConfigError, match='need cpufreq support'):
        RuntimeParams(target, on_missing='fail').validate({'governor': 'performance', 'frequency': 'max'})


def test_not_rooted(caplog, tmp_path):
    target = FakeTarget(rooted=False)
    with caplog.at_level(logging.WARNING, logger='runtime_params'):
        applied(target, {'sysfile_values': {'/sys/x': 1}, 'governor': 'performance'})
    warnings = [r.getMessage() for r in caplog.records if r.name == 'runtime_params']
    assert len(warnings) == 1  # both need only root, which is missing: one warning
    assert 'root access' in warnings[0] and 'sysfile_values, governor' in warnings[0]
    assert target.files == {}
    with pytest.raises(ConfigError, match='sysfile_values needs root access'):
        RuntimeParams(target, on_missing='fail').validate({'sysfile_values': {'/sys/x': 1}})


def test_sysfile_values_on_fake(target):
    target.files['/sys/a'] = '0'
    rp = applied(target, {'sysfile_values': {'/sys/a': True, '/proc/sys/vm/drop_caches!': 3}})
    assert target.files == {'/sys/a': '1', '/proc/sys/vm/drop_caches': '3'}
    rp.restore()
    assert target.files['/sys/a'] == '0'


def test_lost_target_is_target_not_responding(target):
    from devlib.exception import TargetNotRespondingError as DevlibNotResponding

    def lost(*args, **kwargs):
        raise DevlibNotResponding('Connection lost')
    target.write_value = lost
    with pytest.raises(TargetNotRespondingError, match='Connection lost'):
        RuntimeParams(target).apply({'sysfile_values': {'/sys/a': 1}})


def test_restore_failure_is_reported_and_the_rest_restored(target):
    target.files['/sys/a'] = 'old'
    rp = applied(target, {'governor': 'performance', 'sysfile_values': {'/sys/a': 'new'}})
    assert target.files['/sys/a'] == 'new'

    def broken(path, value, verify=True):
        from devlib.exception import TargetStableError
        raise TargetStableError('read-only file system')
    target.write_value = broken
    with pytest.raises(TargetError, match='/sys/a: read-only file system'):
        rp.restore()
    assert set(target.cpufreq.gov.values()) == {'schedutil'}


def test_restore_on_a_lost_target(target):
    from devlib.exception import TargetNotRespondingError as DevlibNotResponding
    rp = applied(target, {'governor': 'performance'})

    def lost(*args, **kwargs):
        raise DevlibNotResponding('Connection lost')
    target.cpufreq.set_governor = lost
    target.cpufreq.get_governor = lost
    with pytest.raises(TargetNotRespondingError, match='Could not restore runtime parameters'):
        rp.restore()

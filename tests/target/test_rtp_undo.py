"""The runtime parameters' undo log and devlib error translation, without a target.

The undo log is checked on its own (order of restore, a failing entry not stopping the
others) and through RuntimeParams against the small fake target of
test_tgt_runtime_params_fake (a CPU taken offline, brought back with a new governor, taken
offline again: restore must bring it online before restoring its governor).
"""
import pytest
from devlib.exception import TargetNotRespondingError as DevlibLost
from devlib.exception import TargetStableError

from wa.core.exceptions import ConfigError, TargetError, TargetNotRespondingError
from wa.target.runtime_params import RuntimeParams, undo
from wa.target.runtime_params.errors import target_errors
from wa.target.runtime_params.undo import UndoLog

from test_tgt_runtime_params_fake import FakeTarget  # pylint: disable=wrong-import-order


def recorder(done):
    """An undo function appending (key, original) to ``done``."""
    return lambda key: (lambda original: done.append((key, original)))


def test_restore_walks_newest_first_and_first_value_wins():
    done, log = [], UndoLog()
    put = recorder(done)
    for key, value in (('a', 1), ('b', 2), ('a', 3), ('c', 4)):
        log.record(key, key, undo.SYSFILE, lambda v=value: v, put(key))
    assert len(log) == 3 and log.get('a') == 1
    log.restore()
    assert done == [('c', 4), ('b', 2), ('a', 1)]
    assert len(log) == 0
    log.restore()  # nothing left
    assert len(done) == 3


def test_stage_orders_restore_whatever_the_order_of_changes():
    done, log = [], UndoLog()
    put = recorder(done)
    changes = [('cpu3 offline', undo.OFFLINE), ('file', undo.SYSFILE), ('setspeed', undo.SETSPEED),
               ('governor', undo.GOVERNOR), ('tunable', undo.TUNABLES), ('cpu1 online', undo.ONLINE),
               ('limits', undo.LIMITS), ('idle', undo.IDLE)]
    for key, stage in changes:
        log.record(key, key, stage, lambda: 0, put(key))
    log.restore()
    assert [key for key, _ in done] == ['cpu1 online', 'tunable', 'governor', 'limits', 'setspeed',
                                        'idle', 'file', 'cpu3 offline']


def test_none_original_is_not_logged():
    log = UndoLog()
    log.record('write-only', 'write-only', undo.SYSFILE, lambda: None, lambda original: None)
    assert 'write-only' not in log and len(log) == 0


def test_failing_entry_does_not_stop_the_others_and_is_reported(caplog):
    done, log = [], UndoLog()
    put = recorder(done)

    def broken(original):
        raise TargetStableError('read-only file system')
    log.record('first', 'first', undo.SYSFILE, lambda: 1, put('first'))
    log.record('/sys/broken', '/sys/broken', undo.SYSFILE, lambda: 2, broken)
    log.record('/sys/quiet', '/sys/quiet', undo.SYSFILE, lambda: 3, broken, quiet=True)
    log.record('last', 'last', undo.SYSFILE, lambda: 4, put('last'))
    with pytest.raises(TargetError) as info:
        log.restore()
    assert not isinstance(info.value, TargetNotRespondingError)
    assert str(info.value) == 'Could not restore runtime parameters: /sys/broken: read-only file system'
    assert done == [('last', 4), ('first', 1)]
    assert any('/sys/quiet: read-only file system' in r.getMessage() for r in caplog.records)


def test_lost_target_during_restore_is_not_responding():
    log = UndoLog()

    def lost(original):
        raise DevlibLost('Connection lost')
    log.record('gov', 'cpu0 governor', undo.GOVERNOR, lambda: 'schedutil', lost)
    with pytest.raises(TargetNotRespondingError, match='cpu0 governor: Connection lost'):
        log.restore()


def test_programming_error_in_restore_is_raised_as_itself_after_the_others():
    done, log = [], UndoLog()

    def buggy(original):
        return original.no_such_attribute
    log.record('a', 'a', undo.SYSFILE, lambda: 1, recorder(done)('a'))
    log.record('b', 'b', undo.SYSFILE, lambda: 2, buggy)
    with pytest.raises(AttributeError):
        log.restore()
    assert done == [('a', 1)]


@pytest.mark.parametrize('error', [TypeError('bad call'), AttributeError('no attr'),
                                   NameError('no name'), KeyError('no key')])
def test_programming_error_is_never_a_target_error(error):
    with pytest.raises(type(error)) as info:
        with target_errors('Could not set cpu0 governor'):
            raise error
    assert not isinstance(info.value, TargetError)


@pytest.mark.parametrize('error, expected', [
    (TargetStableError('permission denied'), TargetError),
    (OSError('broken pipe'), TargetError),
    (DevlibLost('Connection lost'), TargetNotRespondingError),
])
def test_devlib_error_becomes_target_error_naming_the_setting(error, expected):
    with pytest.raises(expected) as info:
        with target_errors('Could not set cpu0 governor'):
            raise error
    assert str(info.value).startswith('Could not set cpu0 governor: ')
    assert info.value.__cause__ is error


def test_own_errors_pass_through_unchanged():
    for error in (ConfigError('bad value'), TargetError('already translated')):
        with pytest.raises(type(error)) as info:
            with target_errors('Could not set cpu0 governor'):
                raise error
        assert info.value is error


def test_programming_error_in_apply_propagates():
    target = FakeTarget()

    def buggy(cpu, governor):
        raise TypeError('set_governor() got an unexpected keyword argument')
    target.cpufreq.set_governor = buggy
    with pytest.raises(TypeError):
        RuntimeParams(target).apply({'governor': 'performance'})


def test_cpu_brought_online_before_its_governor_is_restored():
    target = FakeTarget()
    rp = RuntimeParams(target)
    rp.apply({'cpu3_online': False})
    rp.apply({'cpu3_online': True, 'cpu3_governor': 'performance'})
    rp.apply({'cpu3_online': False})
    assert target.list_online_cpus() == [0, 1, 2]
    rp.restore()
    assert target.list_online_cpus() == [0, 1, 2, 3]
    assert target.cpufreq.gov[3] == 'schedutil'


def test_offline_cpu_goes_back_offline_last():
    target = FakeTarget()
    target.online.discard(3)
    rp = RuntimeParams(target)
    rp.apply({'cpu3_online': True, 'cpu3_governor': 'performance', 'cpu3_min_frequency': 'max'})
    rp.restore()
    assert target.list_online_cpus() == [0, 1, 2]
    governor_calls = [c for c in target.cpufreq.calls if c[0] == 'governor']
    assert governor_calls[-1] == ('governor', 3, 'schedutil')

"""Unit tests of the run's SignalBus and of the warning for instrument methods whose name is
close to a hook's but matches none (issue 8)."""
import logging

from wa import Instrument
from wa.core import signal
from wa.core.instrumentation import Instrumentation, near_misses


class Typos(Instrument):
    name = 'typos'

    def very_fast_strat(self, context):
        pass

    def update_results(self, context):
        pass

    def collect(self, context):
        pass

    def slow_stop(self, context):
        pass


def test_near_misses_name_the_closest_hook():
    assert sorted(near_misses(Typos())) == [('update_results', 'update_result'),
                                            ('very_fast_strat', 'very_fast_start')]


def test_install_warns_once_per_near_miss(caplog):
    instrumentation = Instrumentation()
    with caplog.at_level(logging.WARNING, logger='instrumentation'):
        instrumentation.install(Typos())
    instrumentation.uninstall_all()
    messages = [r.getMessage() for r in caplog.records if r.name == 'instrumentation']
    assert len(messages) == 2
    assert any('"very_fast_strat"' in m and '"very_fast_start"' in m for m in messages)


def test_bus_close_disconnects_everything_it_connected():
    calls = []
    sig = signal.Signal('test-bus-signal')
    bus = signal.SignalBus()
    bus.connect(lambda ctx: calls.append('a'), sig)
    bus.connect(lambda ctx: calls.append('b'), sig, priority=5)
    bus.send(sig, None, 'ctx')
    assert calls == ['b', 'a']
    bus.close()
    signal.send(sig, None, 'ctx')
    assert calls == ['b', 'a']

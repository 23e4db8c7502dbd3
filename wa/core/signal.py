"""The run's signals, and prioritised connection to them over louie.

louie stores and filters the receivers; this module keeps each signal's receiver list ordered by
priority (higher first, connection order among equals). On signals sent *before* an event the
priority is negated, so the highest priority runs closest to the event.
"""
import itertools
from contextlib import contextmanager

import louie
from louie import dispatcher


class Signal:
    """A named signal; two signals with the same name are the same signal."""

    def __init__(self, name, invert_priority=False, description=''):
        self.name = name
        self.invert_priority = invert_priority
        self.description = description

    def __eq__(self, other):
        return isinstance(other, Signal) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    def __repr__(self):
        return self.name


RUN_START = Signal('start-signal', True, 'the run is starting')
RUN_INIT = Signal('run-init-signal', False, 'the target is connected; instruments initialise')
WORKLOAD_SPEC_START = Signal('workload-spec-start-signal', True, 'a new spec starts')
ITERATION_START = Signal('iteration-start-signal', True, 'a job starts')
BEFORE_WORKLOAD_SETUP = Signal('before-workload-setup-signal', True)
SUCCESSFUL_WORKLOAD_SETUP = Signal('successful-workload-setup-signal')
AFTER_WORKLOAD_SETUP = Signal('after-workload-setup-signal')
BEFORE_WORKLOAD_EXECUTION = Signal('before-workload-execution-signal', True)
SUCCESSFUL_WORKLOAD_EXECUTION = Signal('successful-workload-execution-signal')
AFTER_WORKLOAD_EXECUTION = Signal('after-workload-execution-signal')
BEFORE_WORKLOAD_RESULT_UPDATE = Signal('before-iteration-result-update-signal', True)
SUCCESSFUL_WORKLOAD_RESULT_UPDATE = Signal('successful-iteration-result-update-signal')
AFTER_WORKLOAD_RESULT_UPDATE = Signal('after-iteration-result-update-signal')
BEFORE_WORKLOAD_TEARDOWN = Signal('before-workload-teardown-signal', True)
SUCCESSFUL_WORKLOAD_TEARDOWN = Signal('successful-workload-teardown-signal')
AFTER_WORKLOAD_TEARDOWN = Signal('after-workload-teardown-signal')
ITERATION_END = Signal('iteration-end-signal', False, 'a job has ended')
WORKLOAD_SPEC_END = Signal('workload-spec-end-signal', False, 'a spec has ended')
RUN_FIN = Signal('run-fin-signal', False, 'the last job has run')
BEFORE_OVERALL_RESULTS_PROCESSING = Signal('before-overall-results-process-signal', True)
SUCCESSFUL_OVERALL_RESULTS_PROCESSING = Signal('successful-overall-results-process-signal')
AFTER_OVERALL_RESULTS_PROCESSING = Signal('after-overall-results-process-signal')
RUN_END = Signal('end-signal', False, 'the run is over')
BEFORE_INITIAL_BOOT = Signal('before-initial-boot-signal', True)
SUCCESSFUL_INITIAL_BOOT = Signal('successful-initial-boot-signal')
AFTER_INITIAL_BOOT = Signal('after-initial-boot-signal')
BEFORE_BOOT = Signal('before-boot-signal', True)
SUCCESSFUL_BOOT = Signal('successful-boot-signal')
AFTER_BOOT = Signal('after-boot-signal')
ERROR_LOGGED = Signal('error_logged', False, 'an ERROR record was logged')
WARNING_LOGGED = Signal('warning_logged', False, 'a WARNING record was logged')

# Defined so that instrument methods for them install, but never sent (as in WA2).
BEFORE_FIRST_ITERATION_BOOT = Signal('before-first-iteration-boot-signal', True)
SUCCESSFUL_FIRST_ITERATION_BOOT = Signal('successful-first-iteration-boot-signal')
AFTER_FIRST_ITERATION_BOOT = Signal('after-first-iteration-boot-signal')
SPEC_INIT = Signal('spec-init-signal')
ITERATION_INIT = Signal('iteration-init-signal')
BEFORE_FLASHING = Signal('before-flashing-signal', True)
SUCCESSFUL_FLASHING = Signal('successful-flashing-signal')
AFTER_FLASHING = Signal('after-flashing-signal')

_sequence = itertools.count()


class _Receiver:
    """A connected handler with its effective priority; louie calls it in list order."""

    __slots__ = ('handler', 'priority', 'sequence', '__weakref__')

    def __init__(self, handler, priority):
        self.handler = handler
        self.priority = priority
        self.sequence = next(_sequence)

    def __call__(self, *args):
        return self.handler(*args)


# handler -> its receivers, keeping a strong reference to every wrapper louie holds.
_receivers = {}


def _order(receiver):
    if isinstance(receiver, _Receiver):
        return (-receiver.priority, receiver.sequence)
    return (0, -1)


def connect(handler, signal, sender=louie.Any, priority=0):
    """Connects ``handler`` to ``signal``; higher ``priority`` runs earlier (later if inverted)."""
    effective = -priority if signal.invert_priority else priority
    receiver = _Receiver(handler, effective)
    _receivers.setdefault((handler, signal, id(sender)), []).append(receiver)
    louie.connect(receiver, signal, sender, weak=False)
    dispatcher.connections[id(sender)][signal].sort(key=_order)


def disconnect(handler, signal, sender=louie.Any):
    """Disconnects every connection of ``handler`` to ``signal`` from ``sender``."""
    for receiver in _receivers.pop((handler, signal, id(sender)), []):
        louie.disconnect(receiver, signal, sender, weak=False)


def send(signal, sender=louie.Anonymous, *args):
    """Calls every receiver of ``signal`` in priority order; an exception propagates.

    Returns louie's ``[(receiver, response), ...]``. A signal nobody listens to costs two dict
    look-ups; when every receiver was connected here (no louie plugin, none connected to
    louie directly, nor to all signals), they are called straight from louie's ordered list,
    without louie's argument inspection per call (the same calls, in the same order).
    """
    found = None
    for by_signal in _connections_of(sender):
        for key in (signal, louie.All):
            receivers = by_signal.get(key)
            if receivers:
                if found is not None or key is louie.All:
                    return louie.send(signal, sender, *args)
                found = receivers
    if found is None:
        return []
    if dispatcher.plugins or not all(type(r) is _Receiver for r in found):  # noqa: E721
        return louie.send(signal, sender, *args)
    return [(receiver, receiver.handler(*args)) for receiver in list(found)]


def _connections_of(sender):
    """louie's ``{signal: [receiver, ...]}`` tables that a signal from ``sender`` reaches."""
    tables = dispatcher.connections
    mine = tables.get(id(sender))
    anyone = tables.get(id(louie.Any)) if sender is not louie.Any else None
    return [table for table in (mine, anyone) if table]


class SignalBus:
    """The connections one run makes, over louie (which users' plugins may use directly).

    Everything connected through the bus is disconnected by ``close()``, so nothing one run
    connected survives it, whatever way the run ended.
    """

    def __init__(self):
        self._connections = []

    def connect(self, handler, signal_, sender=louie.Any, priority=0):
        connect(handler, signal_, sender, priority)
        self._connections.append((handler, signal_, sender))

    @staticmethod
    def send(signal_, sender=louie.Anonymous, *args):
        return send(signal_, sender, *args)

    def close(self):
        """Disconnects everything connected through this bus."""
        while self._connections:
            handler, signal_, sender = self._connections.pop()
            disconnect(handler, signal_, sender)


def stage_signals(name):
    """The ``before-``, ``successful-`` and ``after-NAME-signal`` of a stage."""
    return tuple(_BY_NAME['{}-{}-signal'.format(stage, name)]
                 for stage in ('before', 'successful', 'after'))


@contextmanager
def wrap(name, sender=louie.Anonymous, *args):
    """Sends ``before-NAME``, runs the block, sends ``successful-NAME`` if it did not raise,
    and ``after-NAME`` whatever happened."""
    before, successful, after = stage_signals(name)
    send(before, sender, *args)
    try:
        yield
        send(successful, sender, *args)
    finally:
        send(after, sender, *args)


_BY_NAME = {value.name: value for value in dict(globals()).values() if isinstance(value, Signal)}


def by_name(name):
    """The Signal called ``name`` (e.g. ``'start-signal'``)."""
    return _BY_NAME[name]

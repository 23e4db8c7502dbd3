"""CPU power states (P-states: frequencies, C-states: idle states) from a trace-cmd text trace.

The trace is what ``trace-cmd report`` prints, one event a line::

    <comm>-<pid> [<cpu>] [<flags>] <seconds>.<fraction>: <event>: <field>=<value> ...

The events are the kernel's power events (Documentation/trace/events-power.rst):
``cpu_frequency: state=<kHz> cpu_id=<cpu>`` and ``cpu_idle: state=<index> cpu_id=<cpu>``,
where state 4294967295 (PWR_EVENT_EXIT, -1) means the CPU left idle and runs. When devlib's
``TRACE_MARKER_START``/``TRACE_MARKER_STOP`` markers (``print`` events) are in the trace,
only the time between them counts, as WA3 does.
"""
from wa.utils.trace_cmd import MARKER_START, MARKER_STOP, parse_event_line

PWR_EVENT_EXIT = 4294967295
RUNNING = -1


def parse_trace(lines):
    """``(window, events)`` from trace-cmd report lines: ``events`` is a list of
    ``(seconds, kind, cpu, state)`` for cpu_frequency (kind ``'freq'``, state in kHz) and
    cpu_idle (kind ``'idle'``, state an index or ``RUNNING``); ``window`` is ``(start, end)``
    from the trace markers or else the first and last event of any kind."""
    events = []
    first = last = marker_start = marker_stop = None
    for line in lines:
        event = parse_event_line(line)
        if event is None:
            continue
        stamp = event.timestamp
        first = stamp if first is None else first
        last = stamp
        if event.name in ('print', 'bprint', 'bputs'):
            if MARKER_START in event.text:
                marker_start = stamp
            elif MARKER_STOP in event.text:
                marker_stop = stamp
            continue
        if event.name not in ('cpu_frequency', 'cpu_idle'):
            continue
        fields = event.fields
        try:
            state, cpu = int(fields['state']), int(fields['cpu_id'])
        except (KeyError, ValueError):
            continue
        if event.name == 'cpu_idle':
            events.append((stamp, 'idle', cpu, RUNNING if state == PWR_EVENT_EXIT else state))
        else:
            events.append((stamp, 'freq', cpu, state))
    if first is None:
        return None, []
    return (marker_start if marker_start is not None else first,
            marker_stop if marker_stop is not None else last), events


class CpuState:
    """What one CPU is doing: its frequency (kHz) and idle state (``RUNNING``, an index, or
    None while unknown)."""

    def __init__(self, running_at_start):
        self.freq = None
        self.idle = RUNNING if running_at_start else None

    def name(self, split_wfi_states=False):
        """``unknown``, ``idle<N>`` (``idle0@<kHz>`` with split_wfi_states), ``<kHz>`` while
        running at a known frequency, or ``running`` before the first frequency event."""
        if self.idle is None:
            return 'unknown'
        if self.idle != RUNNING:
            if split_wfi_states and self.idle == 0 and self.freq is not None:
                return 'idle0@{}'.format(self.freq)
            return 'idle{}'.format(self.idle)
        return str(self.freq) if self.freq is not None else 'running'


def power_state_times(window, events, cpus, no_idle=False, split_wfi_states=False):
    """``(residency, parallel)``: ``residency[cpu][state name]`` seconds in each state, and
    ``parallel[n]`` seconds during which exactly ``n`` CPUs were running (not idle), over the
    ``window``. A CPU is in ``unknown`` until its first idle event, unless ``no_idle`` (the
    kernel has no cpuidle), when it is taken as running from the start."""
    start, end = window
    states = {cpu: CpuState(no_idle) for cpu in cpus}
    residency = {cpu: {} for cpu in cpus}
    parallel = {}
    clock = start

    def advance(until):
        span = min(until, end) - clock
        if span <= 0:
            return
        running = 0
        for cpu, state in states.items():
            name = state.name(split_wfi_states)
            residency[cpu][name] = residency[cpu].get(name, 0.0) + span
            running += state.idle == RUNNING
        parallel[running] = parallel.get(running, 0.0) + span

    for stamp, kind, cpu, value in sorted(events, key=lambda event: event[0]):
        if cpu not in states:
            states[cpu] = CpuState(no_idle)
            residency[cpu] = {}
        if stamp > clock:
            advance(stamp)
            clock = max(clock, min(stamp, end))
        if kind == 'freq':
            states[cpu].freq = value
            if no_idle and states[cpu].idle is None:
                states[cpu].idle = RUNNING
        else:
            states[cpu].idle = value
    advance(end)
    return residency, parallel

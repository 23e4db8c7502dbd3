"""Lining up other timelines with an ftrace trace through a marker written into it.

A marker line ``<tag> uptime=<seconds>`` is written to the kernel's trace_marker file in the
same shell command that reads /proc/uptime, so the trace's timestamp of the marker (its
``print: tracing_mark_write:`` event in ``trace-cmd report`` text) and the uptime it carries
name the same moment: their difference turns uptime seconds into trace seconds.
"""
import re
import shlex

from wa.utils.trace_cmd import parse_event_line

TRACING_DIRECTORIES = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing']


def find_trace_marker(target):
    """The path of trace_marker on the target, or None when tracefs is not there."""
    for directory in TRACING_DIRECTORIES:
        path = target.path.join(directory, 'trace_marker')
        if target.file_exists(path):
            return path
    return None


def write_marker(target, marker_path, tag):
    """Writes ``<tag> uptime=<now>`` into the trace (as root)."""
    target.execute('u=$(cut -d" " -f1 /proc/uptime); echo "{} uptime=$u" > {}'.format(
        tag, shlex.quote(marker_path)), as_root=True)


def marker_offset(trace_lines, tag):
    """Trace seconds minus uptime seconds at the marker ``tag``, or None if it is absent."""
    carried = re.compile(r'{}\s+uptime=(\d+(?:\.\d+)?)'.format(re.escape(tag)))
    for line in trace_lines:
        event = parse_event_line(line)
        match = carried.search(event.text) if event and event.name.endswith('print') else None
        if match:
            return event.timestamp - float(match.group(1))
    return None

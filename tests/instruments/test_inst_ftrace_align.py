"""file_poller's align_with_ftrace: the marker written into the trace, found in trace-cmd
report text, and the samples' times moved onto the trace's clock."""
import os

from wa.instruments._ftrace_marker import marker_offset, write_marker
from wa.instruments.file_poller import MARKER, samples_to_rows

# trace-cmd report lines (format: see tests/data/processors/README.md) around the marker
TRACE = [
    '          <idle>-0     [000]  5000.100000: cpu_idle:             state=1 cpu_id=0\n',
    '              sh-311   [001]  5000.250000: print:                tracing_mark_write: '
    '{} uptime=1234.56\n'.format(MARKER),
]


def test_marker_offset_from_report_text():
    assert marker_offset(TRACE, MARKER) == 5000.25 - 1234.56
    assert marker_offset(TRACE[:1], MARKER) is None


def test_samples_on_the_trace_clock():
    samples = [(1234.56, {'/f': '1'}), (1235.06, {'/f': '2'})]
    offset = 5000.25 - 1234.56
    assert samples_to_rows(samples, ['/f'], offset) == [[5000.25, '1'], [5000.75, '2']]
    assert samples_to_rows(samples, ['/f']) == [[0.0, '1'], [0.5, '2']]


def test_marker_written_with_the_uptime(tmp_path):
    """Into a stand-in trace_marker file on the local target, as the instrument writes it."""
    from devlib import LocalLinuxTarget
    target = LocalLinuxTarget(connection_settings={'unrooted': os.geteuid() != 0},
                              working_directory=str(tmp_path / 'wd'), connect=False)
    target.connect()
    if not target.is_rooted:
        import pytest
        pytest.skip('the marker is written as root')
    marker = tmp_path / 'trace_marker'
    marker.write_text('')
    write_marker(target, str(marker), MARKER)
    tag, uptime = marker.read_text().split()
    assert tag == MARKER and float(uptime.split('=')[1]) > 0

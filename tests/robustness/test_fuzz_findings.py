"""Classes of failure the black-box fuzzer found, minimized: each error is one line naming the
file and line it comes from."""
import os
import subprocess
import sys

import pytest

CASES = [
    # a plugin's setting given through its global alias, in a -c config file
    ({'c.yaml': 'instrumentation: [perf]\nperf_events: ["a b"]\n'}, ['-c', 'c.yaml'],
     'c.yaml:2: perf: bad event name "a b"'),
    # a plugin that has no settings block: where it was enabled
    ({'agenda.yaml': 'config:\n  iterations: 1\n  augmentations: [csv, file_poller]\n'
                     'workloads: [idle]\n'}, [],
     'agenda.yaml:3: Mandatory parameter "files" of "file_poller" is not set'),
    ({'agenda.yaml': 'workloads:\n  - name: idle\n    instrumentation: [file_poller]\n'}, [],
     'agenda.yaml:3: Mandatory parameter "files" of "file_poller" is not set'),
    # bytes that are not UTF-8: the line and the byte
    ({'agenda.yaml': b'workloads:\n  - idle\n  - n\xe9\n'}, [],
     'agenda.yaml:3: not a UTF-8 text file (byte 6 of that line is 0xe9)'),
]


@pytest.mark.parametrize('files, args, message', CASES)
def test_fuzzer_finding_is_one_line_with_file_and_line(tmp_path, files, args, message):
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    if 'agenda.yaml' not in files:
        (tmp_path / 'agenda.yaml').write_text('workloads: [idle]\n')
    proc = subprocess.run([sys.executable, '-m', 'wa', 'run', 'agenda.yaml', '--dry-run'] + args,
                          cwd=str(tmp_path), stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=120,
                          env=dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user')))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count('\n') == 1 and message in proc.stderr, proc.stderr

"""Every agenda of the nasty corpus (tests/data/core/nasty: aliases, deep nesting, odd tags, huge
numbers, control characters, non-string and duplicate keys, BOMs, tabs, empty and multiple
documents) through a real ``wa run --dry-run``: exit 0, or exit 2 with exactly one line on
stderr; never a traceback, never a hang."""
import os
import subprocess
import sys

import pytest

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'core', 'nasty')


@pytest.mark.parametrize('name', sorted(os.listdir(CORPUS)))
def test_nasty_agenda_is_one_line_or_runs(tmp_path, name):
    env = dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user'))
    proc = subprocess.run([sys.executable, '-m', 'wa', 'run', os.path.join(CORPUS, name),
                           '--dry-run', '-d', str(tmp_path / 'out')], cwd=str(tmp_path),
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=60)
    assert 'Traceback' not in proc.stderr
    assert proc.returncode in (0, 2), proc.stderr
    if proc.returncode == 2:
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and name in lines[0], proc.stderr
    assert not (tmp_path / 'out').exists()

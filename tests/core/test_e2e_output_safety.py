"""-f never deletes what the run itself needs, and bad output locations are one-line errors."""
import os
import subprocess
import sys

import pytest

AGENDA = 'workloads:\n  - {name: idle, params: {duration: 0.1}}\n'


def wa_run(args, cwd, tmp_path):
    env = dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user'))
    return subprocess.run([sys.executable, '-m', 'wa', 'run'] + args, cwd=str(cwd),
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize('out, message', [('.', 'the current directory'),
                                          ('sub', 'sub/agenda.yaml')])
def test_force_refuses_a_directory_holding_the_agenda_or_the_cwd(tmp_path, out, message):
    sub = tmp_path / 'sub'
    sub.mkdir()
    (sub / 'agenda.yaml').write_text(AGENDA)
    (sub / 'notes.txt').write_text('important')
    cwd = sub if out == '.' else tmp_path
    agenda = 'agenda.yaml' if out == '.' else 'sub/agenda.yaml'
    proc = wa_run([agenda, '-d', out, '-f'], cwd, tmp_path)
    assert proc.returncode == 2
    assert 'Will not overwrite' in proc.stderr and message in proc.stderr
    assert (sub / 'notes.txt').read_text() == 'important'
    assert 'Traceback' not in proc.stderr


def test_output_path_that_is_a_file_or_cannot_be_made(tmp_path):
    (tmp_path / 'agenda.yaml').write_text(AGENDA)
    (tmp_path / 'afile').write_text('x')
    proc = wa_run(['agenda.yaml', '-d', 'afile', '-f'], tmp_path, tmp_path)
    assert proc.returncode == 2 and 'is not a directory' in proc.stderr
    assert (tmp_path / 'afile').read_text() == 'x'
    proc = wa_run(['agenda.yaml', '-d', '/proc/no/such/dir'], tmp_path, tmp_path)
    assert proc.returncode == 2 and 'Cannot create output directory' in proc.stderr
    assert 'Traceback' not in proc.stderr

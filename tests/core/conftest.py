"""Helpers for the core tests: real ``wa`` subprocesses with a private user directory.

Every ``wa`` started here gets ``WA_USER_DIRECTORY`` set to a temporary directory, so the tests
never read the real ``~/.workload_automation``.
"""
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

# Test modules import these helpers as ``wa_core_testlib``: a name of its own, so that other
# test directories' conftest.py files cannot shadow it.
sys.modules.setdefault('wa_core_testlib', sys.modules[__name__])

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, '..', 'data', 'core'))
PLUGINS = os.path.join(DATA, 'plugins', 'coreplugins.py')
EXTRA = os.path.join(DATA, 'plugins_extra')


def make_user_dir(root, plugin_files=(PLUGINS,), config=None):
    """A fresh user directory under ``root`` with ``plugin_files`` in its ``plugins/``."""
    user_dir = os.path.join(str(root), 'wa_user')
    os.makedirs(os.path.join(user_dir, 'plugins'), exist_ok=True)
    for path in plugin_files:
        shutil.copy(path, os.path.join(user_dir, 'plugins', os.path.basename(path)))
    if config is not None:
        with open(os.path.join(user_dir, 'config.yaml'), 'w') as fh:
            fh.write(textwrap.dedent(config))
    return user_dir


def write(path, text):
    path = str(path)
    with open(path, 'w') as fh:
        fh.write(textwrap.dedent(text).lstrip('\n'))
    return path


class WaRun:
    """One finished ``wa`` invocation and what it left behind."""

    def __init__(self, args, returncode, stdout, stderr, out_dir=None, log_path=None,
                 duration=None):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.out_dir = out_dir
        self.log_path = log_path
        self.duration = duration

    def path(self, *parts):
        return os.path.join(self.out_dir, *parts)

    def json(self, *parts):
        with open(self.path(*parts)) as fh:
            return json.load(fh)

    @property
    def result(self):
        return self.json('result.json')

    def text(self, *parts):
        with open(self.path(*parts)) as fh:
            return fh.read()

    @property
    def trace(self):
        """Lines the test plugins recorded, in order."""
        if not self.log_path or not os.path.exists(self.log_path):
            return []
        with open(self.log_path) as fh:
            return [line.rstrip('\n') for line in fh if line.strip()]

    def jobs(self):
        return self.result['jobs']

    def describe(self):
        return 'wa {} -> {}\n--- stdout\n{}\n--- stderr\n{}'.format(
            ' '.join(self.args), self.returncode, self.stdout[-3000:], self.stderr[-5000:])


def wa_env(user_dir, log_path=None):
    env = dict(os.environ)
    env['WA_USER_DIRECTORY'] = str(user_dir)
    env.pop('WA_CORE_TEST_LOG', None)
    if log_path:
        env['WA_CORE_TEST_LOG'] = str(log_path)
    env['PYTHONUNBUFFERED'] = '1'
    return env


def run_wa(args, user_dir, cwd=None, out_dir=None, log_path=None, timeout=120):
    """Runs ``python -m wa ARGS`` to the end and returns a WaRun."""
    cmd = [sys.executable, '-m', 'wa'] + [str(a) for a in args]
    start = time.monotonic()
    proc = subprocess.run(cmd, env=wa_env(user_dir, log_path), cwd=str(cwd) if cwd else None,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          timeout=timeout)
    return WaRun([str(a) for a in args], proc.returncode, proc.stdout, proc.stderr,
                 str(out_dir) if out_dir else None, str(log_path) if log_path else None,
                 time.monotonic() - start)


def run_agenda(tmp, agenda_text, name='agenda.yaml', plugin_files=(PLUGINS,), extra_args=(),
               config=None, user_dir=None):
    """Writes an agenda into ``tmp``, runs it with a fresh user directory and returns a WaRun."""
    tmp = str(tmp)
    os.makedirs(tmp, exist_ok=True)
    if user_dir is None:
        user_dir = make_user_dir(tmp, plugin_files, config)
    agenda = write(os.path.join(tmp, name), agenda_text)
    out_dir = os.path.join(tmp, 'out')
    log_path = os.path.join(tmp, 'trace.log')
    return run_wa(['run', agenda, '-d', out_dir] + list(extra_args), user_dir, cwd=tmp,
                  out_dir=out_dir, log_path=log_path)


def start_wa(args, user_dir, cwd=None, log_path=None):
    """Starts ``python -m wa ARGS`` in the background (for the Ctrl-C tests)."""
    cmd = [sys.executable, '-m', 'wa'] + [str(a) for a in args]
    return subprocess.Popen(cmd, env=wa_env(user_dir, log_path), cwd=str(cwd) if cwd else None,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, start_new_session=True)


def job_dirs(out_dir):
    """The job directories of a run (everything but files and ``__*``)."""
    return sorted(d for d in os.listdir(out_dir)
                  if os.path.isdir(os.path.join(out_dir, d)) and not d.startswith('__'))


@pytest.fixture
def user_dir(tmp_path):
    return make_user_dir(tmp_path)

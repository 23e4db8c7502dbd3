"""Helpers for the WA3 compatibility tests: ``wa`` subprocesses with the test's user directory
(set up by tests/conftest.py through HOME and WA_USER_DIRECTORY)."""
import os
import subprocess
import sys

import pytest


def wa(*args, cwd=None, timeout=600):
    """A finished ``python -m wa ARGS`` (stdout and stderr together)."""
    return subprocess.run([sys.executable, '-m', 'wa'] + [str(a) for a in args], cwd=cwd,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=timeout)


@pytest.fixture
def user_dir():
    """This test's WA user directory (empty, created)."""
    path = os.environ['WA_USER_DIRECTORY']
    os.makedirs(os.path.join(path, 'plugins'), exist_ok=True)
    return path


sys.modules.setdefault('wa_compat_testlib', sys.modules[__name__])

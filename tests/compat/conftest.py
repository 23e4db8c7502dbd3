"""Helpers for the WA3 compatibility tests: ``wa`` subprocesses with the test's user directory
(set up by tests/conftest.py through HOME and WA_USER_DIRECTORY)."""
import os
import subprocess
import sys

import pytest


def own_pid_namespace():
    """The command prefix that runs a process in a PID namespace of its own (with its own
    /proc), or None where that is not allowed (not root). WA3's perf instrument, like devlib's
    PerfCollector it uses, ends with ``killall sleep`` on its target: on the local target that
    is every ``sleep`` of the machine, other tests' included, unless the run sees only its own
    processes."""
    prefix = ['unshare', '--pid', '--fork', '--mount-proc']
    try:
        subprocess.run(prefix + ['true'], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError):
        return None
    return prefix


def wa(*args, cwd=None, timeout=600, prefix=()):
    """A finished ``python -m wa ARGS`` (stdout and stderr together), run under the command
    ``prefix`` if one is given."""
    return subprocess.run(list(prefix) + [sys.executable, '-m', 'wa'] + [str(a) for a in args],
                          cwd=cwd,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=timeout)


@pytest.fixture
def user_dir():
    """This test's WA user directory (empty, created)."""
    path = os.environ['WA_USER_DIRECTORY']
    os.makedirs(os.path.join(path, 'plugins'), exist_ok=True)
    return path


sys.modules.setdefault('wa_compat_testlib', sys.modules[__name__])

"""Isolation shared by every test: this checkout's ``wa``, a private HOME and user directory.

- ``python -m wa`` in a child process imports the ``wa`` of this checkout, whatever is
  installed elsewhere (another checkout, a worktree, WA3's own ``wa``).
- Each test gets its own HOME and ``WA_USER_DIRECTORY``, so a user's real
  ``~/.workload_automation/config.yaml`` never reaches a test, and two runs of the suite at once
  on one machine do not share files.
- Child processes start with default SIGINT handling even when the suite itself was started
  in the background (where the shell ignores SIGINT and children would inherit that).
"""
import atexit
import os
import shutil
import signal
import sys
import tempfile

import pytest

CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

if sys.path[:1] != [CHECKOUT]:
    sys.path.insert(0, CHECKOUT)
os.environ['PYTHONPATH'] = os.pathsep.join(
    [CHECKOUT] + [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep)
                  if p and p != CHECKOUT])

# Module- and session-scoped fixtures run outside ``private_home``: give them a private HOME too.
_SESSION_HOME = tempfile.mkdtemp(prefix='wa-tests-home-')
atexit.register(shutil.rmtree, _SESSION_HOME, True)
os.environ['HOME'] = _SESSION_HOME
os.environ['WA_USER_DIRECTORY'] = os.path.join(_SESSION_HOME, '.workload_automation')

# A handler (rather than SIG_IGN) in this process means children get SIG_DFL after exec.
signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch):
    """A HOME and a WA user directory of this test's own."""
    home = tmp_path_factory.mktemp('home')
    monkeypatch.setenv('HOME', str(home))
    monkeypatch.setenv('WA_USER_DIRECTORY', str(home / '.workload_automation'))
    return home

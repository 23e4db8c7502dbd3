"""A background tool is signalled only while its pid still names the process WA started."""
import subprocess

from wa.target import target_shell
from wa.utils.processes import TargetProcess


class ShellTarget:
    """Runs each command in a local ``sh`` (the commands are what a devlib target runs)."""

    def execute(self, command, as_root=False, timeout=None):  # pylint: disable=unused-argument
        return subprocess.run(['sh', '-c', command], stdout=subprocess.PIPE, check=True,
                              universal_newlines=True, timeout=timeout).stdout


def start_time(pid):
    return ShellTarget().execute(target_shell.start_time(pid)).strip()


def test_signal_and_wait_spares_a_reused_pid():
    sleeper = subprocess.Popen(['sleep', '60'])
    try:
        process = TargetProcess(ShellTarget(), 'tool')
        process.pid = sleeper.pid
        process.started = str(int(start_time(sleeper.pid)) + 1)  # another process's start
        process.signal_and_wait('INT', timeout=1)
        assert sleeper.poll() is None
        process.started = start_time(sleeper.pid)
        process.signal_and_wait('INT', timeout=1)  # a zombie until reaped below
        assert sleeper.wait(timeout=10) == -2
    finally:
        if sleeper.poll() is None:
            sleeper.kill()
            sleeper.wait()

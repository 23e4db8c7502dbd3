"""A network server started on the target for one job and always stopped after it.

Used by the workloads that measure a client against a server on the target (``iperf3``,
``apache``). The server runs in the background with its pid in a file, its output in a log
file; ``start`` returns once it listens on its TCP port (read from the kernel's
/proc/net/tcp and /proc/net/tcp6, state 0A = LISTEN, so no extra tool is needed).
"""
import shlex

from wa import WorkloadError, target_shell
from wa.utils.processes import record_pid
from wa.utils.shell import shell_join
from wa.utils.tools import tail


def listening_check(port):
    """A shell condition true when some socket listens on TCP ``port``."""
    return ("awk 'NR > 1 && $4 == \"0A\" {{ print $2 }}' /proc/net/tcp /proc/net/tcp6 "
            "2>/dev/null | grep -qi ':{:04X}$'".format(int(port)))


class TargetServer:
    """``command`` (an argument list) run in the background on ``target`` in ``directory``."""

    def __init__(self, target, name, command, port, directory, as_root=False):
        self.target = target
        self.name = name
        self.command = command
        self.port = port
        self.directory = directory
        self.as_root = as_root
        self.pid_file = target.path.join(directory, '{}.pid'.format(name))
        self.log_file = target.path.join(directory, '{}.log'.format(name))

    def start(self, timeout=20):
        """Starts the server and waits until it listens; WorkloadError with the end of its log
        when it exits or does not listen within ``timeout`` seconds."""
        self.stop()
        if self.target.execute('{}; echo $?'.format(listening_check(self.port)),
                               check_exit_code=False).strip().endswith('0'):
            raise WorkloadError('TCP port {} is already in use on the target: choose another '
                                'port'.format(self.port))
        # ``cd`` apart: ``cd && cmd &`` would background a subshell holding the connection's
        # output open, and $! would be that subshell's pid, not the server's.
        script = ('cd {dir} || exit 1; nohup {cmd} > {log} 2>&1 < /dev/null & {record} '
                  'i=0; while [ $i -lt {tries} ]; do i=$((i+1)); '
                  'if {listening}; then echo listening; exit 0; fi; '
                  'kill -0 "$p" 2>/dev/null || {{ echo exited; exit 0; }}; '
                  'sleep 0.05; done; echo timeout').format(
                      dir=shlex.quote(self.directory), cmd=shell_join(self.command),
                      log=shlex.quote(self.log_file), record=record_pid(self.pid_file),
                      tries=int(timeout / 0.05), listening=listening_check(self.port))
        state = self.target.execute(script, as_root=self.as_root).strip()
        if state != 'listening':
            log = self.log()
            self.stop()
            raise WorkloadError('{} did not start listening on port {} ({}){}'.format(
                self.name, self.port, state,
                '; its output ends with:\n' + tail(log) if log.strip() else ''))

    def log(self):
        """What the server printed so far."""
        return self.target.execute('cat {} 2>/dev/null; true'.format(
            shlex.quote(self.log_file)), as_root=self.as_root)

    def stop(self):
        """Stops the server (SIGTERM, then SIGKILL after 5 s) if it runs; safe to call twice.
        Only the process it started is signalled, never another that got its pid since."""
        kill = target_shell.if_same_process('"$p"', '"$s"', 'kill -KILL "$p" 2>/dev/null')
        term = target_shell.if_same_process('"$p"', '"$s"', (
            'kill -TERM "$p" 2>/dev/null; i=0; while kill -0 "$p" 2>/dev/null && '
            '[ $i -lt 100 ]; do i=$((i+1)); sleep 0.05; done; ' + kill))
        self.target.execute('if [ -f {pid} ]; then read p s < {pid}; {term} rm -f {pid}; fi; '
                            'true'.format(pid=shlex.quote(self.pid_file), term=term),
                            as_root=self.as_root, check_exit_code=False)

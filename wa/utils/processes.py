"""Processes started on the target and always stopped after: a tool run in the background
with its pid kept, so that it can be signalled later, and only while it is still that process.

A pid alone does not name a process for ever (the kernel reuses pids): a process is named by
its pid and start time (``wa.target_shell``), and is signalled only while both still match.
"""
import shlex
import uuid

from wa import target_shell


def record_pid(pid_file):
    """Shell (ending in ``;``) run right after ``tool &``: writes ``<pid> <start time>`` of
    the tool to ``pid_file`` (a target path), for ``stop_recorded``."""
    return 'p=$!; echo "$p $({})" > {};'.format(target_shell.start_time('"$p"'),
                                                shlex.quote(pid_file))


def stop_recorded(pid_file):
    """Shell (ending in ``;``) that sends SIGTERM to the process ``record_pid`` wrote to
    ``pid_file`` only if it still runs: same pid and same start time. A pid the kernel has
    since given to another process (another run's tool, anything) is never signalled."""
    return 'if [ -f {f} ]; then read pid start < {f}; {kill} fi;'.format(
        f=shlex.quote(pid_file),
        kill=target_shell.if_same_process('"$pid"', '"$start"', 'kill -TERM "$pid" 2>/dev/null'))


class TargetProcess:
    """A shell script run in the background on the target, stopped by a signal.

    Each start uses fresh file names under the target's working directory
    (``wa-<name>-<tag>.*``), so no stale file can be mistaken for a new one, and each of
    ``start`` and ``stop`` costs one command besides the background one (this matters over SSH).
    Use::

        process = TargetProcess(self.target, 'mytool', as_root=self.target.is_rooted)
        process.new_files()
        process.start('exec mytool > {}'.format(shlex.quote(process.path('out'))))
        ...                     # the workload runs
        text = process.stop()   # SIGTERM, then the text of the ``out`` file
    """

    def __init__(self, target, name, as_root=False):
        self.target = target
        self.name = name
        self.as_root = as_root
        self.base = None
        self.command = None
        self.pid = None
        self.started = ''

    def path(self, suffix):
        """The target path of this start's file with ``suffix`` (``out``, ``err``, ...)."""
        return '{}.{}'.format(self.base, suffix)

    def start(self, script, ready=None, timeout=10):
        """Runs ``script`` (built by the caller with ``path()``, called after ``new_files``)
        and waits until its pid file exists and the shell condition ``ready`` (which may use
        ``$pid``) holds. Returns ``'ready'``, ``'exited'`` or ``'timeout'``; unless it is
        ``'ready'``, the caller reads what it needs and calls ``stop``."""
        pidfile = shlex.quote(self.path('pid'))
        wrapped = 'echo $$ > {}; {}'.format(pidfile, script)
        self.command = self.target.background('sh -c {}'.format(shlex.quote(wrapped)),
                                              as_root=self.as_root)
        check = 'true' if ready is None else ready
        tries = max(int(timeout / 0.025), 1)
        wait = ('i=0; while [ $i -lt {tries} ]; do i=$((i+1)); pid=$(cat {pidfile} 2>/dev/null); '
                'if [ -n "$pid" ]; then '
                'if {check}; then echo "ready $pid $({started})"; exit 0; fi; '
                'kill -0 $pid 2>/dev/null || {{ echo "exited $pid"; exit 0; }}; fi; '
                'sleep 0.025; done; echo "timeout $pid $({started})"').format(
                    tries=tries, pidfile=pidfile, check=check,
                    started=target_shell.start_time('"$pid"'))
        words = self.target.execute(wait, as_root=self.as_root).split() + ['', '', '']
        state, pid, self.started = words[:3]
        self.pid = int(pid) if pid.isdigit() else None
        return state

    def new_files(self):
        """Picks this start's file names; call before building the script."""
        self.base = self.target.path.join(self.target.working_directory, 'wa-{}-{}'.format(
            self.name, uuid.uuid4().hex[:8]))

    def stop(self, signal='TERM', read='out'):
        """Sends ``signal``, waits (up to 5 s, then SIGKILL) for the process to end, and returns
        the text of its ``read`` file; every file of this start is then removed."""
        kill = 'true'
        if self.pid is not None and self.started.isdigit():
            # Only while the pid is still the process this start ran (see target_shell).
            kill = target_shell.if_same_process(self.pid, self.started, (
                'kill -{sig} {pid} 2>/dev/null; i=0; while [ $i -lt 200 ]; do i=$((i+1)); '
                'kill -0 {pid} 2>/dev/null || break; sleep 0.025; done; {last}').format(
                    sig=signal, pid=self.pid, last=target_shell.if_same_process(
                        self.pid, self.started, 'kill -KILL {} 2>/dev/null'.format(self.pid))
            )).rstrip(';')
        files = shlex.quote(self.base) + '.*'
        text = self.target.execute('{kill}; cat {out} 2>/dev/null; rm -f {files}; true'.format(
            kill=kill, out=shlex.quote(self.path(read)), files=files), as_root=self.as_root)
        self.pid = None
        if self.command is not None:
            try:
                if self.command.poll() is None:
                    self.command.cancel()
                self.command.wait()
            except Exception:  # pylint: disable=broad-except
                pass
            self.command = None
        return text

    def signal_and_wait(self, signal, timeout=60):
        """Sends ``signal`` and waits (up to ``timeout`` seconds) for the process to end,
        keeping its files (for a tool that writes its results on that signal); ``stop``
        removes them after. Only while the pid is still the process this start ran (see
        target_shell): a pid the kernel has given to another process is never signalled."""
        if self.pid is None or not self.started.isdigit():
            return
        same = '[ "$({})" = {} ]'.format(target_shell.start_time(self.pid), self.started)
        self.target.execute(target_shell.if_same_process(self.pid, self.started, (
            'kill -{sig} {pid} 2>/dev/null; i=0; while [ $i -lt {tries} ] && {same}; do '
            'i=$((i+1)); sleep 0.05; done').format(
                sig=signal, pid=self.pid, tries=int(timeout / 0.05), same=same)) + ' true',
            as_root=self.as_root, timeout=timeout + 30)

    def read(self, suffix):
        """The text of one of this start's files (for error messages)."""
        return self.target.execute('cat {} 2>/dev/null; true'.format(
            shlex.quote(self.path(suffix))), as_root=self.as_root)

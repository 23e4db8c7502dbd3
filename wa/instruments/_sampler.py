"""A shell loop on the target that reads chosen files at an interval until it is stopped.

Each sample is a ``SAMPLE_MARK`` line holding the target's /proc/uptime (seconds since boot),
then each file as ``dump_files_command`` prints it. The loop writes to a file on the target, so
nothing crosses the connection while the workload runs; ``stop`` kills it and reads the file.
"""
import shlex
import uuid

from wa import InstrumentError, target_shell
from wa.instruments._target import FILE_MARK, FAIL_MARK, SAMPLE_MARK, parse_file_dump


def sampler_script(paths, interval, output):
    """The shell script of the sampling loop (for ``sh -c``); SIGTERM ends it."""
    reads = ' '.join(
        'printf "\\n{mark}%s\\n" {q}; cat {q} 2>/dev/null || printf "\\n{fail}\\n";'.format(
            mark=FILE_MARK, q=shlex.quote(path), fail=FAIL_MARK)
        for path in paths)
    return ('sp=; trap \'[ -n "$sp" ] && kill $sp 2>/dev/null; exit 0\' '
            'TERM INT; exec > {output} 2>/dev/null; '
            'while :; do printf "\\n{sample}"; cat /proc/uptime; {reads} '
            'sleep {interval} & sp=$!; wait $sp; sp=; done').format(
                output=shlex.quote(output),
                sample=SAMPLE_MARK, reads=reads, interval='{:g}'.format(interval))


def parse_samples(text):
    """``[(uptime seconds, {path: text})]`` from the sampling loop's output."""
    samples = []
    chunks = ('\n' + text).split('\n' + SAMPLE_MARK)[1:]
    for chunk in chunks:
        head, _, rest = chunk.partition('\n')
        try:
            stamp = float(head.split()[0])
        except (IndexError, ValueError):
            continue
        samples.append((stamp, parse_file_dump('\n' + rest)))
    return samples


class TargetProcess:
    """A shell script run in the background on the target, stopped by a signal.

    Each start uses fresh file names under the target's working directory
    (``wa-<name>-<tag>.*``), so no stale file can be mistaken for a new one, and each of
    ``start`` and ``stop`` costs one command besides the background one (this matters over SSH).
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


class BackgroundSampler:
    """Runs ``sampler_script`` on ``target`` between ``start()`` and ``stop()``."""

    def __init__(self, target, paths, interval, name, as_root=False):
        self.paths = list(paths)
        self.interval = interval
        self.process = TargetProcess(target, name, as_root)

    def start(self):
        self.process.new_files()
        script = sampler_script(self.paths, self.interval, self.process.path('out'))
        if self.process.start(script) != 'ready':
            self.process.stop()
            raise InstrumentError('the sampling loop did not start on the target')

    def stop(self):
        """Stops the loop and returns ``parse_samples`` of what it wrote."""
        return parse_samples(self.process.stop())

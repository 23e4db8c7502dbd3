"""trace-cmd's record mode: ``trace-cmd record`` streams the trace into a file on the target.

devlib's FtraceCollector only drives ``trace-cmd start``/``stop``/``extract``, which keep the
trace in the kernel's per-CPU ring buffers, so a long job keeps only its last buffer's worth.
``trace-cmd record`` drains the buffers into per-CPU files as it goes and merges them into one
trace.dat when it is stopped with SIGINT (trace-cmd-record(1)); that is what this module runs,
in the background, with the pid kept so that it is always stopped.
"""
import shlex

from wa import InstrumentError
from wa.utils.processes import TargetProcess
from wa.utils.tools import last_words


def record_command(binary, events, output, buffer_size=None, functions=None):
    """The ``trace-cmd record`` command line (every value quoted) writing to ``output``."""
    parts = [shlex.quote(binary), 'record', '-o', shlex.quote(output)]
    if buffer_size:
        parts += ['-b', str(int(buffer_size))]
    for event in events:
        parts += ['-e', shlex.quote(event)]
    for function in functions or ():
        parts += ['-l', shlex.quote(function)]
    if functions:
        parts += ['-p', 'function']
    return ' '.join(parts)


class TraceRecorder:
    """One ``trace-cmd record`` per job, on the target, between ``start`` and ``stop``."""

    def __init__(self, target, binary, events, buffer_size=None, functions=None):
        self.target = target
        self.binary = binary
        self.events = list(events)
        self.buffer_size = buffer_size
        self.functions = functions
        self.process = None
        self.running = False
        self.output = None

    def start(self):
        process = TargetProcess(self.target, 'trace-record', as_root=True)
        process.new_files()
        self.output = process.path('dat')
        command = record_command(self.binary, self.events, self.output, self.buffer_size,
                                 self.functions)
        script = 'exec {} > {} 2>&1'.format(command, shlex.quote(process.path('log')))
        # Recording has begun once trace-cmd has made its per-CPU files next to the output.
        ready = 'ls {}.cpu* >/dev/null 2>&1'.format(shlex.quote(self.output))
        state = process.start(script, ready=ready, timeout=30)
        if state != 'ready':
            log = process.read('log')
            process.stop(signal='KILL')
            raise InstrumentError('trace-cmd record did not start on the target ({}): {}'.format(
                state, last_words(log) or 'no output'))
        self.process, self.running = process, True

    def stop(self):
        """Stops recording with SIGINT, so that trace-cmd merges its per-CPU files into the
        trace, and waits (up to a minute) for it to finish doing so."""
        if self.process is None or not self.running:
            return
        self.running = False
        self.process.signal_and_wait('INT', timeout=60)

    def pull(self, host_path, report_path=None):
        """Copies the trace (and, with ``report_path``, a ``trace-cmd report`` of it made on
        the target) to the host, then removes this job's files on the target."""
        try:
            if not self.target.file_exists(self.output):
                raise InstrumentError('trace-cmd record wrote no trace; it printed: {}'.format(
                    last_words(self.process.read('log'))))
            self.target.execute('chmod 644 {}'.format(shlex.quote(self.output)), as_root=True)
            self.target.pull(self.output, host_path, timeout=600)
            if report_path:
                text = self.process.path('txt')
                self.target.execute('{} report {} > {}'.format(
                    shlex.quote(self.binary), shlex.quote(self.output), shlex.quote(text)),
                    as_root=True, timeout=600)
                self.target.pull(text, report_path, timeout=600)
        finally:
            self.cleanup()

    def cleanup(self):
        """Stops trace-cmd if it still runs and removes this job's files on the target."""
        if self.process is not None:
            self.running = False
            self.process.stop(signal='KILL')
            self.process = None

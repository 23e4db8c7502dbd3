"""One ``perf stat`` or ``perf record`` running on the target for the length of a job.

The ``perf`` instrument runs one session per ``optionstring`` (with its label). A session is a
background process on the target (its pid kept, so it is always stopped) that ``stop`` ends
with SIGINT, the signal on which perf stat prints its counts and perf record finishes its
perf.data (perf-stat(1), perf-record(1)).
"""
import os
import shlex

from wa import InstrumentError
from wa.utils.processes import TargetProcess
from wa.utils.tools import last_words


def perf_command(binary, command, events, options, output, per_cpu=False):
    """The perf command line (every value quoted): ``perf stat -x,`` or ``perf record``,
    the ``events``, the user's ``options`` (a string split shell-style) and ``-o output``."""
    parts = [shlex.quote(binary), command]
    if command == 'stat':
        parts.append('-x,')
    for event in events:
        parts += ['-e', shlex.quote(event)]
    if per_cpu and command == 'stat':
        parts.append('-A')
    parts += [shlex.quote(option) for option in shlex.split(options)]
    if output:
        parts += ['-o', shlex.quote(output)]
    return ' '.join(parts)


class PerfSession:
    """``perf <command>`` with one ``label`` and ``options`` on the target."""

    def __init__(self, target, binary, command, label, options, events, per_cpu=False):
        self.target = target
        self.binary = binary
        self.command = command
        self.label = label
        self.options = options
        self.events = events
        self.per_cpu = per_cpu
        self.process = None

    def start(self, explain):
        """Starts perf; InstrumentError with ``explain(perf's error output)`` when it does not
        get going (its counters or its output file never appear)."""
        process = TargetProcess(self.target, 'perf', as_root=self.target.is_rooted)
        process.new_files()
        output = process.path('data' if self.command == 'record' else 'out')
        script = 'exec {} 2> {}'.format(
            perf_command(self.binary, self.command, self.events, self.options, output,
                         self.per_cpu), shlex.quote(process.path('err')))
        # Ready once perf has opened its counters, so that the whole run is measured.
        ready = 'ls -l /proc/$pid/fd 2>/dev/null | grep -q perf_event'
        if process.start(script, ready=ready) != 'ready':
            error = process.read('err')
            process.stop()
            raise InstrumentError(explain(error) if error.strip() else
                                  'perf {} did not start on the target'.format(self.command))
        self.process = process

    def stop_stat(self):
        """Stops perf stat and returns its ``-x,`` output."""
        process, self.process = self.process, None
        return process.stop(signal='INT') if process is not None else None

    def stop_record(self, directory, data_name, report_name, report_options):
        """Stops perf record, pulls its data file to ``directory/data_name`` and a
        ``perf report --stdio`` of it (run on the target) to ``directory/report_name``;
        returns the host paths of the two files."""
        process, self.process = self.process, None
        if process is None:
            return None, None
        data = process.path('data')
        report = process.path('rpt')
        try:
            process.signal_and_wait('INT')
            if not self.target.file_exists(data):
                raise InstrumentError('perf record wrote no data: {}'.format(
                    last_words(process.read('err'))))
            command = '{} report -i {} --stdio {} > {} 2>&1'.format(
                shlex.quote(self.binary), shlex.quote(data),
                ' '.join(shlex.quote(option) for option in shlex.split(report_options or '')),
                shlex.quote(report))
            self.target.execute(command, as_root=process.as_root, timeout=600,
                                check_exit_code=False)
            self.target.execute('chmod 644 {} {}'.format(shlex.quote(data),
                                                         shlex.quote(report)),
                                as_root=process.as_root, check_exit_code=False)
            paths = os.path.join(directory, data_name), os.path.join(directory, report_name)
            self.target.pull(data, paths[0], timeout=600)
            self.target.pull(report, paths[1], timeout=600)
            return paths
        finally:
            process.stop(signal='KILL')

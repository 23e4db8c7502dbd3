"""The ``trace_cmd`` instrument: an ftrace trace of each job through devlib's FtraceCollector."""
import os
import shlex
import shutil

from wa import Instrument, Parameter, NotSupportedError, InstrumentError, types
from wa.instruments._trace_record import TraceRecorder

DEFAULT_EVENTS = ['sched_switch', 'sched_wakeup', 'sched_wakeup_new', 'sched_migrate_task',
                  'sched_process_fork', 'sched_process_exec', 'cpu_idle', 'cpu_frequency']
TRACEFS_MOUNT_POINT = '/sys/kernel/tracing'
MODES = ['start', 'record']


def error_summary(error):
    """The useful lines of a devlib error: trace-cmd's own complaint, without the command."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    useful = []
    for line in lines:
        for tag in ('STDOUT:', 'STDERR:', 'OUTPUT:'):
            line = line.replace(tag, '').strip()
        if line and not line.startswith(('Command', '----')) and 'export PATH=' not in line \
                and 'trace-cmd start' not in line:
            useful.append(line)
    return '; '.join(useful or lines)[:400]


class TraceCmd(Instrument):

    name = 'trace_cmd'
    description = """Records an ftrace trace of each job with trace-cmd (devlib's FtraceCollector).

    Tracing is started in ``slow_start`` and stopped in ``slow_stop`` (the ftrace buffers are
    reset in ``setup``, before that). The binary trace is pulled to ``trace.dat`` in the job
    directory (artifact ``trace``, also ``trace-cmd-bin`` as WA3 names it) and, with
    ``report``, converted with ``trace-cmd report`` into ``trace.txt`` (artifact
    ``trace_report``, also ``trace-cmd-txt``).

    Needs a rooted target, tracefs (mounted at /sys/kernel/tracing by the instrument when it is
    missing, if ``mount_tracefs`` is set), a kernel that lets trace-cmd start tracing, and
    trace-cmd on the host for ``report`` (Debian package ``trace-cmd``). devlib installs its
    own trace-cmd on the target unless ``no_install`` is set. All of this is checked once at
    the start of the run, with a short trial start of trace-cmd: where ftrace refuses to
    start (some virtual machines and locked-down kernels) the instrument says so and is
    disabled.
    """
    parameters = [
        Parameter('events', kind=types.list_of_str, default=DEFAULT_EVENTS, global_alias='trace_events',
                  description='ftrace events to record; events the kernel lacks are skipped '
                              'with a warning.'),
        Parameter('functions', kind=types.list_of_str, default=None, global_alias='trace_functions',
                  description='Kernel functions to profile (needs CONFIG_FUNCTION_PROFILER).'),
        Parameter('buffer_size', kind=int, default=None, constraint=lambda v: v > 0,
                  global_alias='trace_buffer_size',
                  description='Size of each per-CPU ftrace buffer, in KB (trace-cmd -b).'),
        Parameter('buffer_size_step', kind=int, default=1000, constraint=lambda v: v > 0,
                  description='KB by which the buffer size is lowered, from ``buffer_size``, '
                              'until the kernel accepts it (``start`` mode).'),
        Parameter('mode', kind=str, default='start', allowed_values=MODES,
                  aliases=['trace_cmd_mode'],
                  description='``start``: trace-cmd start/stop/extract, the trace kept in the '
                              "kernel's per-CPU ring buffers, so a long job keeps only the last "
                              "buffer's worth. ``record``: trace-cmd record streams the trace "
                              'into a file on the target while the job runs: use it for long '
                              'jobs.'),
        Parameter('report', kind=bool, default=True,
                  description='Also write a text report (trace.txt) with trace-cmd report.'),
        Parameter('report_on_target', kind=bool, default=False,
                  description='Make the text report with trace-cmd on the target and pull it, '
                              'instead of running trace-cmd report on the host.'),
        Parameter('no_install', kind=bool, default=False,
                  description="Use the target's own trace-cmd instead of devlib's."),
        Parameter('mount_tracefs', kind=bool, default=True,
                  description='Mount tracefs at /sys/kernel/tracing when it is not mounted.'),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.collector = None
        self.recorder = None
        self.mounted = False
        self.started = False

    def _tracing_path(self):
        from devlib import FtraceCollector  # pylint: disable=import-outside-toplevel
        path = FtraceCollector.find_tracing_path(self.target)
        if self.target.file_exists(self.target.path.join(path, 'available_events')):
            return path
        if not self.mount_tracefs:
            raise NotSupportedError('tracefs is not mounted on the target (no {}/available_events)'
                                    '; mount it or set mount_tracefs'.format(path))
        try:
            self.target.execute('mkdir -p {0} && mount -t tracefs nodev {0}'.format(
                shlex.quote(TRACEFS_MOUNT_POINT)), as_root=True)
        except Exception as error:  # pylint: disable=broad-except
            raise NotSupportedError('tracefs is not available on the target: mounting it at {} '
                                    'failed ({})'.format(TRACEFS_MOUNT_POINT,
                                                         error_summary(error)))
        self.mounted = True
        return TRACEFS_MOUNT_POINT

    def initialize(self, context):
        from devlib import FtraceCollector  # pylint: disable=import-outside-toplevel
        if not self.target.is_rooted:
            raise NotSupportedError('trace_cmd needs a rooted target (ftrace is root only)')
        if self.report and not self.report_on_target and shutil.which('trace-cmd') is None:
            raise NotSupportedError('trace-cmd is not installed on the host (needed for the '
                                    'report); install the Debian package "trace-cmd" or set '
                                    'report to false')
        try:
            path = self._tracing_path()
            self.collector = FtraceCollector(self.target, events=self.events,
                                             functions=self.functions or None,
                                             buffer_size=self.buffer_size,
                                             buffer_size_step=self.buffer_size_step,
                                             tracing_path=path, autoreport=self.report,
                                             report_on_target=self.report_on_target,
                                             no_install=self.no_install, strict=False)
            self._trial_start()
        except NotSupportedError:
            self._unmount()
            raise
        except Exception as error:  # pylint: disable=broad-except
            self._unmount()
            raise NotSupportedError('ftrace cannot be used on the target: {}'.format(
                error_summary(error)))

    def _trial_start(self):
        try:
            self.collector.reset()
            self.collector.start()
        except Exception as error:  # pylint: disable=broad-except
            self._quiet_reset()
            raise NotSupportedError('ftrace refused to start on the target: {}'.format(
                error_summary(error)))
        self.collector.stop()
        self._quiet_reset()

    def _quiet_reset(self):
        try:
            self.collector.reset()
        except Exception:  # pylint: disable=broad-except
            pass

    def _unmount(self):
        if self.mounted:
            self.target.execute('umount {}'.format(shlex.quote(TRACEFS_MOUNT_POINT)), as_root=True,
                                check_exit_code=False)
            self.mounted = False

    def setup(self, context):
        self.started = False
        self.collector.reset()
        if self.mode == 'record':
            self.recorder = TraceRecorder(self.target, self.collector.target_binary,
                                          self.collector.events, self.buffer_size,
                                          self.functions)

    def slow_start(self, context):
        if self.recorder is not None:
            self.recorder.start()
        else:
            self.collector.start()
        self.started = True

    def slow_stop(self, context):
        if not self.started:
            return
        if self.recorder is not None:
            self.recorder.stop()
        else:
            self.collector.stop()

    def update_result(self, context):
        if not self.started:
            raise InstrumentError('trace_cmd: tracing was not started for this job')
        path = os.path.join(context.output_directory, 'trace.dat')
        text = os.path.splitext(path)[0] + '.txt'
        if self.recorder is not None:
            self._pull_recording(path, text)
        else:
            self.collector.set_output(path)
            self.collector.get_data()
        if not os.path.isfile(path):
            raise InstrumentError('trace_cmd: the trace was not pulled from the target')
        for name in ('trace', 'trace-cmd-bin'):     # this project's name, WA3's
            context.add_artifact(name, path, 'data', description='trace-cmd binary trace')
        for name in ('trace_report', 'trace-cmd-txt') if self.report and os.path.isfile(text) \
                else ():
            context.add_artifact(name, text, 'export', description='trace-cmd report of trace.dat')

    def _pull_recording(self, path, text):
        if self.report and not self.report_on_target:
            self.recorder.pull(path)
            self.collector.report(path, text)
        else:
            self.recorder.pull(path, text if self.report else None)

    def teardown(self, context):
        if self.recorder is not None:
            self.recorder.cleanup()
            self.recorder = None

    def finalize(self, context):
        self._unmount()

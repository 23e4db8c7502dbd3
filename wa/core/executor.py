"""The Executor: turns a RunConfiguration into plugin instances, an output directory and a
Runner, runs it, and prints the summary."""
import logging
import os
import random
import uuid
from collections import Counter

from wa.core import status
from wa.core.context import ExecutionContext
from wa.core.exceptions import ConfigError
from wa.core.instrumentation import Instrumentation, hooks
from wa.output.console import Console, log_callback_times, summary
from wa.core.jobqueue import JobQueue
from wa.core.jobs import Job, job_queue
from wa.output.journal import Journal
from wa.config.jobspec import SpecRun
from wa.output.directory import write_json
from wa.core.plugin import configured, create, create_configured
from wa.core.plugin import plugin_error as _plugin_error
from wa.core.result_processing import ResultProcessing
from wa.core.signal import SignalBus
from wa.core.results import RunResult, iso, utc_now
from wa.core.runner import Runner
from wa.target.connection import TargetConnection
from wa.results.record import record_statistics
from wa.version import __version__

logger = logging.getLogger('executor')

# Attempts that ``--resume`` keeps; jobs whose last attempt is anything else run again.
RESUME_KEEPS = (status.OK, status.NONCRITICAL, status.PARTIAL, status.FAILED, status.SKIPPED)


def _finished(job_result):
    """True for an attempt that ``--resume`` keeps: one that ran to an end, or was not run
    because of its spec (a job not run because of the run itself is run again)."""
    return job_result.status in RESUME_KEEPS and not job_result.resumable


class Executor:
    """Creates and validates every plugin of a run before anything is written or connected."""

    def __init__(self, loader, run_config):
        self.loader = loader
        self.config = run_config
        settings = run_config.settings
        try:
            target_cls = loader.get_class('target', settings['device'])
        except ConfigError as error:
            raise _plugin_error(run_config.where('device'), error)
        try:
            self.target_type = create(target_cls, settings['device_config'])
            self.target_type.validate()
        except ConfigError as error:
            raise _plugin_error(run_config.where('device_config') or run_config.where('device'),
                                'device_config of "{}": {}'.format(target_cls.name, error))
        # The seed of a ``random`` order: chosen here unless given (``wa run --seed``), and
        # recorded in __meta so that the order can be replayed.
        self.seed = random.SystemRandom().randrange(2 ** 32)
        self.instruments = [self._create('instrument', name) for name in run_config.instruments]
        self.processors = [self._create('result_processor', name)
                           for name in run_config.processors]
        self.specs = [self._spec_run(spec, target_cls) for spec in run_config.specs]

        if settings['reboot_policy'] not in ('never', 'as_needed'):
            logger.warning('The "%s" target cannot be rebooted by WA: reboot_policy "%s" acts '
                           'as "never"', target_cls.name, settings['reboot_policy'])

    def _spec_run(self, spec, target_cls):
        """The run state of ``spec``, with its workload created and validated."""
        cls = self.loader.get_class('workload', spec.workload_name)
        try:
            workload = configured(cls, spec.workload_parameters)
        except ConfigError as error:
            raise _plugin_error(spec.where('workload_parameters', error.key), error)
        if spec.boot_parameters:
            raise _plugin_error(spec.where('boot_parameters'),
                                'boot_parameters need a target that WA can reboot, and the '
                                '"{}" target cannot be rebooted'.format(target_cls.name))
        spec_run = SpecRun(spec, workload)
        if cls.phones_home and not self.config.settings['allow_phone_home']:
            spec_run.disable(status.SKIPPED,
                             'the workload phones home and allow_phone_home is false')
        return spec_run

    def _create(self, kind, name):
        plugin = create_configured(self.loader, self.config, kind, name)
        if kind == 'instrument':
            try:
                hooks(plugin)
            except ConfigError as error:
                raise _plugin_error(self.config.where(name), error)
        return plugin

    def job_list(self):
        return job_queue(self.specs, self.config.settings['execution_order'], self.seed)

    def run(self, output, raw_config_paths=(), invocation=None):
        """Runs every job into ``output`` (a new RunOutput); returns the exit status.
        ``invocation`` (the workload name, --disable and -i) is kept for ``--resume``."""
        run_result = RunResult(output.root)
        run_result.start_time = utc_now()
        run_result.metadata = {'versions': _versions(), 'run_name': self._run_name(output),
                               'project': self.config.settings['project'],
                               'project_stage': self.config.settings['project_stage']}
        run_result.add_artifact('runlog', output.log_file, 'log', 'the run log')
        copies = output.copy_raw_config(raw_config_paths)
        self._write_meta(output, dict(invocation or {}, raw_config=copies))
        return self._execute(output, run_result, self.job_list())

    def resume(self, output, previous):
        """Runs, into ``output``, the jobs whose last attempt in ``previous`` (the RunResult
        read from it) did not finish; attempts that finished are kept."""
        finished = {(r.id, r.iteration) for r in previous.final_attempts() if _finished(r)}
        previous.iteration_results = [r for r in previous.iteration_results if _finished(r)]
        kept = Counter((r.id, r.iteration) for r in previous.iteration_results)
        queue = [Job(job.spec, job.iteration, retry=kept[(job.id, job.iteration)])
                 for job in self.job_list() if (job.id, job.iteration) not in finished]
        previous.end_time = None
        logger.info('Resuming %s: %d of %d jobs to run', output.root, len(queue),
                    len(self.job_list()))
        return self._execute(output, previous, queue)

    def _execute(self, output, run_result, jobs):
        context = ExecutionContext(self.config, output, run_result, SignalBus(), self.specs)
        context.connection = TargetConnection(self.target_type)
        instrumentation = Instrumentation(context, context.bus)
        for instrument in self.instruments:
            instrumentation.install(instrument)
        run_result.status = status.RUNNING
        queue = JobQueue(jobs, self.config.settings)
        journal = Journal(output, run_result, lambda: queue)
        console = Console(self.config.settings['retry_on_status'], queue, run_result)
        processing = ResultProcessing(self.processors)
        runner = Runner(context, instrumentation, processing, queue,
                        listeners=[console, journal])
        try:
            with runner.interrupts:
                runner.run()
        finally:
            instrumentation.uninstall_all()
            context.close()
            try:
                self._write_run_info(output, run_result)
            except OSError as error:
                logger.error('Cannot write %s: %s', os.path.join(output.meta, 'run_info.json'),
                             error.strerror or error)
        log_callback_times(instrumentation.timings + processing.timings)
        summary(output, run_result, context)
        record_statistics(output.root)
        finals = run_result.final_attempts()
        ok = run_result.status != status.ABORTED and all(
            r.status in status.SUCCESSFUL for r in finals)
        return 0 if ok else 1

    def _run_name(self, output):
        return self.config.settings['run_name'] or os.path.basename(output.root)

    def _write_meta(self, output, invocation):
        write_json(os.path.join(output.meta, 'config.json'),
                   dict(self.config.to_dict(), invocation=invocation))
        write_json(os.path.join(output.meta, 'jobs.json'),
                   [spec.to_dict() for spec in self.specs])

    def _write_run_info(self, output, run_result):
        order = self.config.settings['execution_order']
        write_json(os.path.join(output.meta, 'run_info.json'), {
            'uuid': str(uuid.uuid4()), 'run_name': run_result.metadata['run_name'],
            'project': run_result.metadata['project'],
            'project_stage': run_result.metadata['project_stage'],
            'start_time': iso(run_result.start_time), 'end_time': iso(run_result.end_time),
            'duration': run_result.duration, 'execution_order': order,
            'seed': self.seed if order == 'random' else None})


def _versions():
    from importlib.metadata import PackageNotFoundError, version  # noqa
    try:
        devlib_version = version('devlib')
    except PackageNotFoundError:
        devlib_version = None
    return {'wa': __version__, 'devlib': devlib_version}



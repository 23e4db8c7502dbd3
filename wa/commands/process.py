"""``wa process``: run result processors again over an existing output directory."""
import os

from wa.core.command import Command
from wa.core.exceptions import ConfigError

from wa.core import status

PROCESSED_STATUSES = (status.OK, status.NONCRITICAL, status.PARTIAL, status.FAILED)


class ProcessCommand(Command):
    name = 'process'
    description = """Run result processors over the output directory of an earlier run.

The processors enabled in that run run again, followed by each one named with
-p. No target is connected and no workload or instrument is loaded. Files the
processors write are replaced."""
    usage = 'wa process DIR [-p PROCESSOR]... [-f]'

    def add_arguments(self, parser):
        parser.add_argument('directory', metavar='DIR', help='An output directory of wa run.')
        parser.add_argument('-p', '--processor', metavar='PROCESSOR', action='append',
                            default=[], help='Also run this result processor.')
        parser.add_argument('-f', '--force', action='store_true',
                            help='Accepted for compatibility: processors always run again.')

    def execute(self, args, loader):
        from wa.core.context import ExecutionContext  # noqa
        from wa.core.output import FAILED_DIR, RunOutput, read_json, write_json  # noqa
        from wa.core.result_processing import ResultProcessing  # noqa
        from wa.core.results import RunResult  # noqa
        output = RunOutput(args.directory)
        try:
            data = read_json(output.result_file)
            config = read_json(os.path.join(output.meta, 'config.json'))
        except (OSError, ValueError) as error:
            raise ConfigError('"{}" is not a readable WA output directory: {}'.format(
                args.directory, error))
        run_result = RunResult.from_dict(data, output.root)
        finals = run_result.final_attempts()
        for job in run_result.iteration_results:
            directory = '{}-{}-{}'.format(job.id, job.label, job.iteration)
            job.output_dir = output.path(directory) if job in finals else \
                output.path(FAILED_DIR, '{}-attempt{:02d}'.format(directory, job.retry + 1))
        names = list(config.get('result_processors', []))
        names += [name for name in args.processor if name not in names]
        plugin_config = config.get('plugin_config', {})
        processors = []
        for name in names:
            cls = loader.get_class('result_processor', name)
            processor = cls(**plugin_config.get(cls.name, {}))
            processor.validate()
            processors.append(processor)
        before = _counts(run_result)
        context = ExecutionContext(None, output, run_result)
        processing = ResultProcessing(processors)
        try:
            processing.initialize(context)
            for job in run_result.iteration_results:
                if job.status in PROCESSED_STATUSES:
                    context.job_result = job
                    processing.iteration(job, context)
            context.job_result = None
            processing.run(run_result, context)
            processing.finalize(context)
        finally:
            context.close()
        if _counts(run_result) != before:
            write_json(output.result_file, run_result.to_dict())
        print('Processed {} with: {}'.format(output.root, ', '.join(names) or 'no processors'))
        if processing.failed:
            print('Failed: {}'.format(', '.join(processing.failed)))
            return 1
        return 0


def _counts(run_result):
    jobs = run_result.iteration_results
    return (len(run_result.metrics), len(run_result.artifacts),
            sum(len(j.metrics) + len(j.artifacts) for j in jobs))

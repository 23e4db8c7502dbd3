"""``wa process``: run result processors again over an existing output directory."""
from wa.core import status
from wa.core.command import Command

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
        from wa.core.output import write_json  # noqa
        from wa.core import pipeline  # noqa
        from wa.core.result_processing import ResultProcessing  # noqa
        output, run_result, processors = pipeline.processing(loader, args.directory,
                                                              args.processor)
        names = [processor.name for processor in processors]
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

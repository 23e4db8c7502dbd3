"""``wa process``: run result processors again over existing output directories."""
import os

from wa.core import status
from wa.core.command import Command
from wa.core.exceptions import ConfigError

PROCESSED_STATUSES = (status.OK, status.NONCRITICAL, status.PARTIAL, status.FAILED)


class ProcessCommand(Command):
    name = 'process'
    description = """Run result processors over the output directory of an earlier run.

The processors enabled in that run run again, followed by each one named with
-p or listed in a -c CONFIG file. Settings for processors come from the run's
own configuration, then from each -c file (a config.yaml like wa run's: e.g.
"csv: {use_all_classifiers: true}" or "sqlite: {database: ~/all.sqlite}").
With -r, every run directory under DIR is processed. Only result.json and
__meta/ are read: no target is connected and no workload or instrument is
loaded. Files the processors write are replaced."""
    usage = 'wa process DIR [-p PROCESSOR]... [-c CONFIG]... [-r] [-f]'

    def add_arguments(self, parser):
        parser.add_argument('directory', metavar='DIR', help='An output directory of wa run '
                                                             '(with -r: a directory of them).')
        parser.add_argument('-p', '--processor', metavar='PROCESSOR', action='append',
                            default=[], help='Also run this result processor.')
        parser.add_argument('-c', '--config', metavar='CONFIG', action='append', default=[],
                            help='A YAML config file with processor settings (repeatable; '
                                 'later files win).')
        parser.add_argument('-r', '--recursive', action='store_true',
                            help='Process every run output directory under DIR.')
        parser.add_argument('-f', '--force', action='store_true',
                            help='Accepted for compatibility: processors always run again.')

    def execute(self, args, loader):
        from wa.results.runoutput import is_output  # noqa
        directories = [args.directory]
        if args.recursive:
            directories = _runs_under(args.directory, is_output)
            if not directories:
                raise ConfigError('No WA output directory under "{}"'.format(args.directory))
        failed = 0
        for directory in directories:
            failed += _process(directory, args.processor, args.config, loader)
        return 1 if failed else 0


def _runs_under(root, is_output):
    found = []
    for path, dirs, _ in os.walk(root):
        dirs.sort()
        if is_output(path):
            dirs[:] = []
            found.append(path)
    return found


def _process(directory, requested, config_paths, loader):
    """Processes one run with its own processors, then the ``requested`` ones, configured by the
    run's configuration and the ``config_paths`` (-c) as ``wa run`` would; 1 if one failed."""
    from wa.core import pipeline  # noqa
    from wa.core.context import ExecutionContext  # noqa
    from wa.output.directory import write_json  # noqa
    from wa.core.result_processing import ResultProcessing  # noqa
    from wa.results.record import record_statistics  # noqa
    from wa.results.wa3 import is_wa3_output  # noqa
    if is_wa3_output(directory):
        raise ConfigError('"{}" is a WA3 output directory: read it with wa report or the '
                          'results API; wa process works on this WA\'s runs'.format(directory))
    output, run_result, processors = pipeline.processing(loader, directory, requested,
                                                          config_paths)
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
    record_statistics(output.root, warn=False)
    print('Processed {} with: {}'.format(output.root, ', '.join(names) or 'no processors'))
    if processing.failed:
        print('Failed: {}'.format(', '.join(processing.failed)))
        return 1
    return 0


def _counts(run_result):
    jobs = run_result.iteration_results
    return (len(run_result.metrics), len(run_result.artifacts),
            sum(len(j.metrics) + len(j.artifacts) for j in jobs))

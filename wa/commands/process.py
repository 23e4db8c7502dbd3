"""``wa process``: run result processors again over existing output directories."""
import logging
import os

from wa.core.command import Command
from wa.core.exceptions import ConfigError

from wa.core import status

PROCESSED_STATUSES = (status.OK, status.NONCRITICAL, status.PARTIAL, status.FAILED)
PROCESSOR_LISTS = ('result_processors', 'augmentations', 'output_processors')

logger = logging.getLogger('process')


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
        extra = _extra_config(args.config, loader)
        directories = [args.directory]
        if args.recursive:
            directories = _runs_under(args.directory, is_output)
            if not directories:
                raise ConfigError('No WA output directory under "{}"'.format(args.directory))
        failed = 0
        for directory in directories:
            failed += _process(directory, args.processor, extra, loader)
        return 1 if failed else 0


def _runs_under(root, is_output):
    found = []
    for path, dirs, _ in os.walk(root):
        dirs.sort()
        if is_output(path):
            dirs[:] = []
            found.append(path)
    return found


def _extra_config(paths, loader):
    """``(processor names, {processor name: settings})`` from the -c files, in order."""
    from wa.core.configuration import load_config_file  # noqa
    names, settings = [], {}
    for path in paths:
        data, located, _ = load_config_file(path)
        for key, value in data.items():
            if key in PROCESSOR_LISTS:
                if not isinstance(value, list):
                    raise located.error((key,), '"{}" must be a list'.format(key))
                names += [n for n in value if isinstance(n, str)]
                continue
            if loader.kind_of_name(key) != 'result_processor':
                logger.debug('%s: "%s" is not a processor setting; ignored', path, key)
                continue
            if not isinstance(value, dict):
                raise located.error((key,), 'the config of "{}" must be a mapping'.format(key))
            name = loader.get_class('result_processor', key).name
            settings[name] = dict(settings.get(name, {}), **value)
    return names, settings


def _processors(config, requested, extra, loader):
    extra_names, extra_settings = extra
    names = list(config.get('result_processors', []))
    for name in extra_names + list(requested):
        if name.startswith('~'):
            names = [n for n in names if n != name[1:]]
        elif name not in names and loader.kind_of_name(name) in ('result_processor', None):
            names.append(name)
    plugin_config = config.get('plugin_config', {})
    processors = []
    for name in names:
        cls = loader.get_class('result_processor', name)
        processor = cls(**dict(plugin_config.get(cls.name, {}), **extra_settings.get(cls.name, {})))
        processor.validate()
        processors.append(processor)
    return names, processors


def _process(directory, requested, extra, loader):
    """Processes one run; returns 1 if a processor failed, else 0."""
    from wa.core.context import ExecutionContext  # noqa
    from wa.core.output import FAILED_DIR, RunOutput, read_json, write_json  # noqa
    from wa.core.result_processing import ResultProcessing  # noqa
    from wa.core.results import RunResult  # noqa
    from wa.results.record import record_statistics  # noqa
    from wa.results.wa3 import is_wa3_output  # noqa
    if is_wa3_output(directory):
        raise ConfigError('"{}" is a WA3 output directory: read it with wa report or the '
                          'results API; wa process works on this WA\'s runs'.format(directory))
    output = RunOutput(directory)
    try:
        data = read_json(output.result_file)
        config = read_json(os.path.join(output.meta, 'config.json'))
    except (OSError, ValueError) as error:
        raise ConfigError('"{}" is not a readable WA output directory: {}'.format(
            directory, error))
    run_result = RunResult.from_dict(data, output.root)
    finals = run_result.final_attempts()
    for job in run_result.iteration_results:
        name = '{}-{}-{}'.format(job.id, job.label, job.iteration)
        job.output_dir = output.path(name) if job in finals else \
            output.path(FAILED_DIR, '{}-attempt{:02d}'.format(name, job.retry + 1))
    names, processors = _processors(config, requested, extra, loader)
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

"""``wa run``: run the workloads of an agenda (or one workload by name)."""
import os

from wa.core.command import Command
from wa.core.exceptions import ConfigError
from wa.core.naming import did_you_mean


class RunCommand(Command):
    name = 'run'
    description = """Run the workloads of an agenda and collect their results.

AGENDA is a YAML agenda file, or the name of a single workload to run with its
default settings (e.g. "wa run idle"). Results go to the output directory
(default ./wa_output)."""
    usage = """wa run AGENDA [-d DIR] [-f] [-c CONFIG]... [-i ID]...
              [--disable NAME]... [--dry-run]"""

    def add_arguments(self, parser):
        parser.add_argument('agenda', metavar='AGENDA',
                            help='An agenda file, or the name of a workload.')
        parser.add_argument('-d', '--output-directory', metavar='DIR',
                            help='Where to write the results (default: wa_output).')
        parser.add_argument('-f', '--force', action='store_true',
                            help='Overwrite the output directory if it exists.')
        parser.add_argument('-c', '--config', metavar='CONFIG', action='append', default=[],
                            help='An extra config file; may be given more than once.')
        parser.add_argument('-i', '--id', metavar='ID', action='append', default=[],
                            dest='only_ids',
                            help='Run only the spec(s) with this job, section or workload id.')
        parser.add_argument('--disable', metavar='NAME', action='append', default=[],
                            help='Disable this instrument or result processor for every job.')
        parser.add_argument('--dry-run', action='store_true',
                            help='Check the agenda and print the jobs without running them.')

    def execute(self, args, loader):
        from wa.core.agenda import Agenda, load_agenda  # noqa
        from wa.core.configuration import RunConfiguration, load_config_file  # noqa
        from wa.core.loader import PluginLoader  # noqa
        from wa.core.settings import (configured_plugin_paths, user_config_file,  # noqa
                                      user_directory)
        config_paths = [p for p in [user_config_file()] if os.path.isfile(p)]
        for path in args.config:
            if not os.path.isfile(path):
                raise ConfigError('Config file "{}" does not exist'.format(path))
            config_paths.append(path)
        config_files = [load_config_file(path) for path in config_paths]
        if os.path.isfile(args.agenda):
            agenda = load_agenda(args.agenda)
        elif os.sep not in args.agenda and not args.agenda.endswith(('.yaml', '.yml')) \
                and loader.has('workload', args.agenda):
            agenda = Agenda.from_workload_name(args.agenda)
        else:
            names = [cls.name for cls in loader.list('workload')]
            raise ConfigError('"{}" is neither an agenda file nor a workload name{}'.format(
                args.agenda, did_you_mean(args.agenda, names)))
        extra_paths = configured_plugin_paths([data for data, _, _ in config_files] +
                                              [data for data, _, _ in agenda.config])
        if extra_paths:
            loader = PluginLoader(extra_paths=extra_paths)
        run_config = RunConfiguration(loader, agenda, config_files, args.disable, args.only_ids)
        args.logging.configure(run_config.settings['verbosity'], run_config.settings['logging'])
        from wa.core.executor import Executor  # noqa
        executor = Executor(loader, run_config)
        if args.dry_run:
            for job in executor.job_list():
                print('{:<16} {:<20} iteration {}'.format(job.id, job.label, job.iteration))
            return 0
        from wa.core.output import RunOutput  # noqa
        out_dir = args.output_directory or run_config.settings['default_output_directory']
        raw = config_paths + ([agenda.path] if agenda.path else [])
        output = RunOutput.create(out_dir, force=args.force, keep=raw + [user_directory()])
        args.logging.to_file(output.log_file)
        return executor.run(output, raw)


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
              [--disable NAME]... [--dry-run] [--targets FILE | --target NAME]
       wa run --resume DIR"""

    def add_arguments(self, parser):
        parser.add_argument('agenda', metavar='AGENDA', nargs='?',
                            help='An agenda file, or the name of a workload.')
        parser.add_argument('--resume', metavar='DIR',
                            help='Run the jobs of an earlier, interrupted run in DIR that did '
                                 'not finish, with the configuration it was given.')
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
        parser.add_argument('--seed', metavar='N', type=int,
                            help='Seed of the "random" execution order, to replay the order of '
                                 'an earlier run (its seed is in __meta/run_info.json).')
        parser.add_argument('--targets', metavar='FILE',
                            help='A file with a "targets:" list: run on all of them at once, '
                                 'each into DIR/<name>, merged into DIR (see doc/fleet.rst).')
        parser.add_argument('--target', metavar='NAME',
                            help='Run on target NAME of the "targets" list only.')

    def execute(self, args, loader):
        from wa.core.output import RunOutput  # noqa
        from wa.core.settings import user_config_file, user_directory  # noqa
        if args.resume:
            if args.agenda:
                raise ConfigError('Give either an AGENDA or --resume DIR, not both')
            return self._resume(args, loader)
        if not args.agenda:
            raise ConfigError('wa run needs an AGENDA (or --resume DIR)')
        config_paths = [p for p in [user_config_file()] if os.path.isfile(p)]
        extra_paths = args.config + ([args.targets] if args.targets else [])
        for path in extra_paths:
            if not os.path.isfile(path):
                raise ConfigError('Config file "{}" does not exist'.format(path))
            config_paths.append(path)
        agenda = _load_agenda(args.agenda, loader)
        executor, run_config = _prepare(args, loader, agenda, config_paths, args.disable,
                                        args.only_ids, args.target)
        if executor is None:  # a fleet: one worker per target, see wa.fleet
            from wa.fleet.run import run_fleet  # noqa
            return run_fleet(args, loader, run_config, extra_paths, args.agenda)
        if args.seed is not None:
            executor.seed = args.seed
        if args.dry_run:
            for job in executor.job_list():
                print('{:<16} {:<20} iteration {}'.format(job.id, job.label, job.iteration))
            return 0
        out_dir = args.output_directory or run_config.settings['default_output_directory']
        raw = config_paths + ([agenda.path] if agenda.path else [])
        output = RunOutput.create(out_dir, force=args.force, keep=raw + [user_directory()])
        args.logging.to_file(output.log_file)
        invocation = {'workload': None if agenda.path else args.agenda,
                      'disable': args.disable, 'only_ids': args.only_ids, 'seed': executor.seed,
                      'target': args.target}
        return executor.run(output, raw, invocation)

    @staticmethod
    def _resume(args, loader):
        """Runs the jobs of an earlier run that did not finish, with the configuration that
        run was given (its copies in __meta/raw_config), into the same directory."""
        from wa.core.agenda import Agenda, load_agenda  # noqa
        from wa.core.output import RunOutput, read_json  # noqa
        from wa.core.results import RunResult  # noqa
        from wa.fleet.run import is_fleet_output, resume_fleet  # noqa
        if is_fleet_output(args.resume):
            return resume_fleet(args)
        output = RunOutput(args.resume)
        try:
            invocation = read_json(os.path.join(output.meta, 'config.json'))['invocation']
            previous = RunResult.from_dict(read_json(output.result_file), output.root)
        except (OSError, ValueError, KeyError) as error:
            raise ConfigError('Cannot resume "{}": not a readable WA output directory ({})'.format(
                args.resume, error))
        raw = [os.path.join(output.meta, 'raw_config', name)
               for name in invocation['raw_config']]
        if invocation['workload']:
            agenda, config_paths = Agenda.from_workload_name(invocation['workload']), raw
        else:
            agenda, config_paths = load_agenda(raw[-1]), raw[:-1]
        executor, _ = _prepare(args, loader, agenda, config_paths, invocation['disable'],
                               invocation['only_ids'], invocation.get('target'))
        if invocation.get('seed') is not None:
            executor.seed = invocation['seed']
        args.logging.to_file(output.log_file)
        return executor.resume(output, previous)


def _load_agenda(name, loader):
    """The agenda in file ``name``, or a one-workload agenda if ``name`` is a workload."""
    from wa.core.agenda import Agenda, load_agenda  # noqa
    if os.path.isfile(name):
        return load_agenda(name)
    if os.sep not in name and not name.endswith(('.yaml', '.yml')) \
            and loader.has('workload', name):
        return Agenda.from_workload_name(name)
    names = [cls.name for cls in loader.list('workload')]
    raise ConfigError('"{}" is neither an agenda file nor a workload name{}'.format(
        name, did_you_mean(name, names)))


def _prepare(args, loader, agenda, config_paths, disable, only_ids, target=None):
    """The Executor (every plugin created and validated) and RunConfiguration of a run;
    the Executor is None for a fleet (a "targets" list and no ``target`` to pin)."""
    from wa.core.configuration import RunConfiguration, load_config_file  # noqa
    from wa.core.executor import Executor  # noqa
    from wa.core.loader import PluginLoader  # noqa
    from wa.core.settings import configured_plugin_paths  # noqa
    config_files = [load_config_file(path) for path in config_paths]
    extra_paths = configured_plugin_paths([data for data, _, _ in config_files] +
                                          [data for data, _, _ in agenda.config])
    if extra_paths:
        loader = PluginLoader(extra_paths=extra_paths)
    run_config = RunConfiguration(loader, agenda, config_files, disable, only_ids)
    args.logging.configure(run_config.settings['verbosity'], run_config.settings['logging'])
    from wa.fleet.targets import pin_target  # noqa
    if not pin_target(run_config, target):
        return None, run_config
    return Executor(loader, run_config), run_config

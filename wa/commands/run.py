"""``wa run``: run the workloads of an agenda (or one workload by name)."""
from wa.core.command import Command
from wa.core.exceptions import ConfigError


class RunCommand(Command):
    name = 'run'
    writes_run_log = True
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
                            help='Check the agenda and print the jobs without running them; '
                                 'with -v, also each job\'s merged workload parameters, runtime '
                                 'parameters, instruments and classifiers.')
        parser.add_argument('--seed', metavar='N', type=int,
                            help='Seed of the "random" execution order, to replay the order of '
                                 'an earlier run (its seed is in __meta/run_info.json).')
        parser.add_argument('--targets', metavar='FILE',
                            help='A file with a "targets:" list: run on all of them at once, '
                                 'each into DIR/<name>, merged into DIR (see doc/fleet.rst).')
        parser.add_argument('--target', metavar='NAME',
                            help='Run on target NAME of the "targets" list only.')

    def execute(self, args, loader):
        from wa.core import pipeline  # noqa
        from wa.output.directory import RunOutput  # noqa
        from wa.core.settings import user_directory  # noqa
        from wa.fleet.run import is_fleet_output, resume_fleet, run_fleet  # noqa
        from wa.fleet.targets import pin_target  # noqa
        if args.resume:
            if args.agenda:
                raise ConfigError('Give either an AGENDA or --resume DIR, not both')
            if is_fleet_output(args.resume):
                return resume_fleet(args)
            executor, output, previous = pipeline.resumed_run(loader, args.resume, args.logging,
                                                              pin=pin_target)
            args.logging.to_file(output.log_file)
            return executor.resume(output, previous)
        if not args.agenda:
            raise ConfigError('wa run needs an AGENDA (or --resume DIR)')
        extra_paths = args.config + ([args.targets] if args.targets else [])
        executor, run_config, agenda, config_paths = pipeline.new_run(
            loader, args.agenda, extra_paths, args.disable, args.only_ids, args.logging,
            pin=lambda config: pin_target(config, args.target))
        if executor is None:  # a fleet: one worker per target, see wa.fleet
            return run_fleet(args, loader, run_config, extra_paths, args.agenda)
        if args.seed is not None:
            executor.seed = args.seed
        if args.dry_run:
            from wa.commands._dryrun import dry_run_lines  # noqa
            print('\n'.join(dry_run_lines(executor.job_list(), run_config, args.verbose)))
            return 0
        out_dir = args.output_directory or run_config.settings['default_output_directory']
        raw = config_paths + ([agenda.path] if agenda.path else [])
        output = RunOutput.create(out_dir, force=args.force, keep=raw + [user_directory()])
        args.logging.to_file(output.log_file)
        invocation = {'workload': None if agenda.path else args.agenda,
                      'disable': args.disable, 'only_ids': args.only_ids, 'seed': executor.seed,
                      'target': args.target}
        return executor.run(output, raw, invocation)

"""``wa``: parses the command line and runs one command.

``wa --version`` answers before anything else is imported; other commands import only what they
use, so listing and showing plugins never loads devlib.
"""
import sys

from wa.version import __version__

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def command_parsers(commands):
    """Each command's name -> its argparse parser (what ``wa completion`` lists)."""
    import argparse  # noqa: imported here, as ``wa --version`` does not need it
    parser, _ = _parser(commands)
    subparsers = next(a for a in parser._actions  # pylint: disable=protected-access
                      if isinstance(a, argparse._SubParsersAction))  # pylint: disable=protected-access
    return dict(subparsers.choices)


def _parser(commands):
    import argparse  # noqa: imported here, as ``wa --version`` does not need it
    parser = argparse.ArgumentParser(
        prog='wa', description='Workload Automation: run benchmark workloads on Linux and '
                               'Android targets and collect comparable results.')
    parser.add_argument('--version', action='version', version='wa {}'.format(__version__))
    # WA3 also takes these before the command: ``wa -v -c extra.yaml run agenda.yaml``
    parser.add_argument('-v', '--verbose', action='count', default=0, dest='global_verbose',
                        help='Show debug messages on the console.')
    parser.add_argument('-c', '--config', metavar='CONFIG', action='append', default=[],
                        dest='global_config', help='An extra config file (as "wa run -c").')
    subparsers = parser.add_subparsers(dest='command', metavar='COMMAND')
    subparsers.required = True
    instances = {}
    for cls in commands:
        command = cls()
        summary = (cls.description or '').strip().splitlines()[0] if cls.description else ''
        sub = subparsers.add_parser(cls.name, help=summary, description=cls.description,
                                    usage=cls.usage,
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.add_argument('-v', '--verbose', action='count', default=0,
                         help='Show debug messages on the console.')
        sub.add_argument('--debug', action='store_true',
                         help='Show tracebacks of errors (implies -v).')
        command.add_arguments(sub)
        instances[cls.name] = command
    return parser, instances


def main(argv=None):
    """The console script: exits with the command's status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv in (['--version'], ['-V']):
        print('wa {}'.format(__version__))
        sys.exit(EXIT_OK)
    sys.exit(run(argv))


def run(argv):
    from wa.core.exceptions import ConfigError, WAError  # noqa
    from wa.core.loader import PluginLoader  # noqa
    from wa.core.log import RunLogging  # noqa
    from wa.core.settings import configured_plugin_paths  # noqa
    parser, commands = _parser(PluginLoader.commands_only().list('command'))
    args = parser.parse_args(argv)
    args.verbose += args.global_verbose
    if args.global_config:
        if not hasattr(args, 'config'):
            parser.error('-c/--config applies to "wa run" only')
        args.config = args.global_config + args.config
    run_logging = RunLogging(verbosity=args.verbose, debug=args.debug,
                             buffered=commands[args.command].writes_run_log)
    args.logging = run_logging
    logger = _logger()
    try:
        return commands[args.command].execute(args, PluginLoader(configured_plugin_paths()))
    except ConfigError as error:
        _report(error, args.debug)
        return EXIT_USAGE
    except WAError as error:
        _report(error, args.debug)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        logger.error('Interrupted.')
        return EXIT_FAILURE
    except SystemExit as error:
        # Plugin code that reached sys.exit() outside a guarded call: the exit status of wa
        # stays one of its own (0, 1 or 2).
        if error.code in (EXIT_OK, EXIT_FAILURE, EXIT_USAGE):
            return error.code
        logger.error('Something called sys.exit(%r) during the command', error.code)
        return EXIT_FAILURE
    except Exception as error:  # pylint: disable=broad-except
        logger.error('%s: %s', type(error).__name__, error, exc_info=args.debug)
        if not args.debug:
            logger.error('Run again with --debug to see the traceback.')
        return EXIT_FAILURE
    finally:
        run_logging.close()


def _logger():
    import logging  # noqa: imported here, as ``wa --version`` does not need it
    return logging.getLogger('wa')


def _report(error, debug):
    _logger().error('%s', error, exc_info=debug)

"""``wa list``: the available plugins of one kind."""
import shutil
import sys

from wa.core.command import Command
from wa.output.table import format_table
from wa.core.exceptions import ConfigError
from wa.core.loader import KIND_ALIASES, kind_of
from wa.core.naming import did_you_mean


def plain(text):
    """Description text as a terminal shows it: without reStructuredText's literal markup."""
    return text.replace('``', '')


def summary(cls):
    """The first line of a plugin's description."""
    text = plain(cls.description or '').strip()
    return text.splitlines()[0] if text else ''


# WA3's groups of kinds: ``wa list all`` and ``wa list augmentations``
KIND_GROUPS = {'all': ('workload', 'instrument', 'result_processor', 'command', 'target'),
               'augmentations': ('instrument', 'result_processor')}


class ListCommand(Command):
    name = 'list'
    description = """List available plugins of one kind, with a one-line summary of each.

KIND is one of: workloads, instruments, result_processors (or processors,
output_processors), commands, targets; augmentations (instruments and processors)
or all (every kind)."""
    usage = 'wa list KIND [-n NAME]'

    def add_arguments(self, parser):
        parser.add_argument('kind', metavar='KIND', help='workloads, instruments, '
                            'result_processors, commands, targets, augmentations or all')
        parser.add_argument('-n', '--name', metavar='NAME',
                            help='Only plugins whose name contains NAME (WA3).')

    def execute(self, args, loader):
        kinds = KIND_GROUPS.get(args.kind.lower()) or (kind_of(args.kind),)
        if kinds == (None,):
            raise ConfigError('Unknown plugin kind "{}"{}; kinds: workloads, instruments, '
                              'result_processors, commands, targets, augmentations, all'.format(
                                  args.kind, did_you_mean(args.kind, list(KIND_ALIASES) +
                                                          list(KIND_GROUPS))))
        for kind in kinds:
            plugins = [cls for cls in loader.list(kind)
                       if not args.name or args.name.lower().replace('-', '_') in
                       cls.name.lower().replace('-', '_')]
            if len(kinds) > 1 and plugins:
                print('{}:'.format(kind.replace('_', ' ') + 's'))
            _print(plugins, '  ' if len(kinds) > 1 else '')
        return 0


def _print(plugins, indent):
    columns = shutil.get_terminal_size((80, 24)).columns
    for line in format_table([(cls.name, summary(cls)) for cls in plugins], gap='  '):
        line = indent + line
        if len(line) > columns and sys.stdout.isatty():
            line = line[:columns - 3].rstrip() + '...'
        print(line)

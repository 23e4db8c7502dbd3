"""``wa list``: the available plugins of one kind."""
import shutil
import sys

from wa.core.command import Command
from wa.core.table import format_table
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


class ListCommand(Command):
    name = 'list'
    description = """List available plugins of one kind, with a one-line summary of each.

KIND is one of: workloads, instruments, result_processors (or processors),
commands, targets."""
    usage = 'wa list KIND'

    def add_arguments(self, parser):
        parser.add_argument('kind', metavar='KIND', help='workloads, instruments, '
                            'result_processors, commands or targets')

    def execute(self, args, loader):
        kind = kind_of(args.kind)
        if kind is None:
            raise ConfigError('Unknown plugin kind "{}"{}; kinds: workloads, instruments, '
                              'result_processors, commands, targets'.format(
                                  args.kind, did_you_mean(args.kind, list(KIND_ALIASES))))
        plugins = loader.list(kind)
        columns = shutil.get_terminal_size((80, 24)).columns
        for line in format_table([(cls.name, summary(cls)) for cls in plugins], gap='  '):
            if len(line) > columns and sys.stdout.isatty():
                line = line[:columns - 3].rstrip() + '...'
            print(line)
        return 0

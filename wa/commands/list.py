"""``wa list``: the available plugins of one kind."""
from wa.core.command import Command
from wa.core.exceptions import ConfigError
from wa.core.loader import KIND_ALIASES, kind_of
from wa.core.naming import did_you_mean


def summary(cls):
    """The first line of a plugin's description."""
    text = (cls.description or '').strip()
    return text.splitlines()[0] if text else ''


class ListCommand(Command):
    name = 'list'
    description = """List available plugins of one kind, with a one-line summary of each.

KIND is one of: workloads, instruments, result_processors (or processors), commands, targets."""
    usage = 'wa list KIND'

    def add_arguments(self, parser):
        parser.add_argument('kind', metavar='KIND', help='workloads, instruments, '
                            'result_processors, commands or targets')

    def execute(self, args, loader):
        kind = kind_of(args.kind)
        if kind is None:
            raise ConfigError('Unknown plugin kind "{}"{}'.format(
                args.kind, did_you_mean(args.kind, list(KIND_ALIASES))))
        plugins = loader.list(kind)
        width = max([len(cls.name) for cls in plugins] + [0])
        for cls in plugins:
            print('{:<{width}}  {}'.format(cls.name, summary(cls), width=width))
        return 0

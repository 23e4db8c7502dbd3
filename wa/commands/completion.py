"""``wa completion``: a bash or zsh completion script for ``wa``.

The script is written once, so completing never slows ``wa`` itself: commands and options are
listed in it, and plugin names are read from ``wa completion --names`` once per shell session.
"""
import os

from wa.core.command import Command
from wa.core.exceptions import ConfigError

TEMPLATE_DIR = os.path.join(os.path.dirname(__file__), 'templates')
SHELLS = ('bash', 'zsh')
NAME_KINDS = ('workload', 'instrument', 'result_processor', 'target', 'command')


def _options(subparser):
    """(every option string, those that take a value) of one command's parser."""
    options, valued = [], []
    for action in subparser._actions:  # pylint: disable=protected-access
        options.extend(action.option_strings)
        if action.option_strings and action.nargs != 0:
            valued.extend(action.option_strings)
    return options, valued


def script(shell, commands):
    """The completion script for ``shell`` (bash or zsh) covering the ``commands`` classes."""
    from wa.core.entry_point import command_parsers  # pylint: disable=import-outside-toplevel
    cases, valued = [], set()
    for name, subparser in command_parsers(commands).items():
        options, takes_value = _options(subparser)
        valued.update(takes_value)
        cases.append("        {}) echo '{}' ;;".format(name, ' '.join(options)))
    with open(os.path.join(TEMPLATE_DIR, 'completion.sh')) as fh:
        text = fh.read()
    with open(os.path.join(TEMPLATE_DIR, 'completion.{}'.format(shell))) as fh:
        text += fh.read()
    return (text.replace('@SHELL@', shell)
            .replace('@COMMANDS@', ' '.join(sorted(cls.name for cls in commands)))
            .replace('@VALUED@', ' '.join(sorted(valued)))
            .replace('@OPTIONS@', '\n'.join(cases)))


class CompletionCommand(Command):
    name = 'completion'
    description = """Print a shell completion script for wa (bash or zsh).

It completes commands, options, plugin names and agenda files. Load it in
the current shell with  eval "$(wa completion bash)"  or install it once:
  wa completion bash > ~/.local/share/bash-completion/completions/wa
  wa completion zsh > "${fpath[1]}/_wa"   (then start a new zsh)
Plugins added later are picked up by new shells."""
    usage = 'wa completion bash|zsh'

    def add_arguments(self, parser):
        parser.add_argument('shell', metavar='SHELL', nargs='?', choices=SHELLS,
                            help='bash or zsh')
        parser.add_argument('--names', action='store_true',
                            help='Print "KIND NAME" for every plugin (what the script reads).')

    def execute(self, args, loader):
        if args.names:
            for kind in NAME_KINDS:
                for cls in loader.list(kind):
                    print('{} {}'.format(kind, cls.name))
            return 0
        if not args.shell:
            raise ConfigError('wa completion needs a shell: bash or zsh')
        print(script(args.shell, loader.list('command')), end='')
        return 0

"""``wa show``: everything about one plugin, readable in a terminal."""
import argparse
import inspect
import shutil
import textwrap

from wa.commands.list import plain
from wa.core.command import Command
from wa.core.types import kind_name


def parameter_facts(param):
    """What ``wa show`` (and the documentation) says about a parameter besides its
    description, e.g. ``['type: int', 'default: 5', 'aliases: timeout']``."""
    facts = ['type: {}'.format(kind_name(param.kind))]
    if param.mandatory:
        facts.append('mandatory')
    if param.default is not None:
        facts.append('default: {!r}'.format(param.default))
    if param.allowed_values:
        facts.append('allowed values: {}'.format(', '.join(str(v) for v in param.allowed_values)))
    if param.aliases:
        facts.append('aliases: {}'.format(', '.join(param.aliases)))
    if param.global_alias:
        facts.append('global alias: {}'.format(param.global_alias))
    return facts


def parameter_description(param):
    """A parameter's description on one line, without reStructuredText markup."""
    return ' '.join(plain(param.description).split())


def description_blocks(cls):
    """A plugin's description as ``(is_literal, text)`` blocks: paragraphs joined into one
    line, and indented blocks (examples) kept as they are."""
    description = plain(inspect.cleandoc(cls.description or '(no description)'))
    return [(True, paragraph) if paragraph.startswith(' ') else
            (False, ' '.join(paragraph.split()))
            for paragraph in description.split('\n\n') if paragraph.strip()]


def _format_parameter(param, width):
    lines = ['  {}'.format(param.name)]
    lines.append(textwrap.fill('; '.join(parameter_facts(param)), width,
                               initial_indent='      ', subsequent_indent='      ',
                               break_on_hyphens=False))
    if param.description:
        lines.append(textwrap.fill(parameter_description(param), width,
                                   initial_indent='      ', subsequent_indent='      '))
    return '\n'.join(lines)


def render(cls, width=80):
    """The text ``wa show`` prints for a plugin class."""
    if cls.kind == 'command':
        return command_help(cls)
    kind = (cls.kind or 'plugin').replace('_', ' ')
    out = ['{} ({})'.format(cls.name, kind), '']
    for literal, text in description_blocks(cls):
        out.extend([text if literal else textwrap.fill(text, width), ''])
    if cls.aliases:
        out.extend(['aliases: {}'.format(', '.join(cls.aliases)), ''])
    if cls.parameters:
        out.append('parameters:')
        out.extend(_format_parameter(p, width) + '\n' for p in cls.parameters)
    else:
        out.append('parameters: none')
    return '\n'.join(out).rstrip() + '\n'


def command_help(cls):
    """A command is shown as its ``-h`` help."""
    parser = argparse.ArgumentParser(prog='wa {}'.format(cls.name), usage=cls.usage,
                                     description=cls.description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    cls().add_arguments(parser)
    return parser.format_help()


class ShowCommand(Command):
    name = 'show'
    description = """Show the description and parameters of a plugin.

NAME is the name of a workload, instrument, result processor, command or target."""
    usage = 'wa show NAME'

    def add_arguments(self, parser):
        parser.add_argument('name', metavar='NAME', help='The plugin to describe.')

    def execute(self, args, loader):
        width = min(shutil.get_terminal_size((80, 24)).columns, 100)
        print(render(loader.find(args.name), width), end='')
        return 0

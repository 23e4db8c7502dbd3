"""Sphinx directives that write reference tables from WA's own metadata, so the documentation
cannot drift from the code:

``.. wa-settings::``            every run setting (wa.config.configuration.RUN_SETTINGS)
``.. wa-agenda-keys::``         every agenda entry key, its aliases and where it is valid
``.. wa-signals::``             every signal, its priority order and instrument methods
``.. wa-priorities::``          the method-name prefixes and their priorities
``.. wa-plugins:: KIND``        each built-in plugin of KIND as ``wa show`` describes it
``.. wa-commands::``            each command's ``-h`` help

Each directive writes reStructuredText and parses it; text taken from the code is escaped, so
no plugin description can break the build.
"""
import re

from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList
from sphinx.util.nodes import nested_parse_with_titles

PLACES = ('config', 'section', 'workload')


def escape(text):
    """``text`` shown literally by reStructuredText (every markup character escaped)."""
    return re.sub(r'([^A-Za-z0-9\s])', r'\\\1', ' '.join(str(text).split()))


def code(text):
    """Inline literal text; a value that cannot be one is escaped instead."""
    text = str(text)
    if '``' in text or not text.strip() or text != text.strip():
        return escape(repr(text))
    return '``{}``'.format(text)


def list_table(header, rows, widths=None):
    lines = ['.. list-table::', '   :header-rows: 1']
    if widths:
        lines.append('   :widths: {}'.format(' '.join(str(w) for w in widths)))
    lines.append('')
    for row in [header] + rows:
        lines.append('   * - {}'.format(row[0] or '\\ '))
        lines.extend('     - {}'.format(cell or '\\ ') for cell in row[1:])
    return lines + ['']


def literal_block(text):
    return ['::', ''] + ['    ' + line for line in text.splitlines()] + ['']


class GeneratedDirective(Directive):
    """Parses the reStructuredText lines that ``lines()`` returns."""

    def lines(self):
        raise NotImplementedError

    def run(self):
        from docutils import nodes  # pylint: disable=import-outside-toplevel
        container = nodes.section() if self.has_titles else nodes.container()
        source = self.state_machine.document.current_source or 'wadoc'
        content = StringList(self.lines(), source=source)
        if self.has_titles:
            nested_parse_with_titles(self.state, content, container)
        else:
            self.state.nested_parse(content, self.content_offset, container)
        return container.children

    has_titles = False


class SettingsDirective(GeneratedDirective):
    """The directive's content describes settings whose code has no description, as
    ``name: text`` entries (indented lines continue one). A setting described nowhere, or an
    entry naming no setting, is an error, so a new setting cannot go undocumented."""

    has_content = True

    def extra_descriptions(self):
        described, name = {}, None
        for line in self.content:
            if line[:1].isspace() and name:
                described[name] += ' ' + line.strip()
            elif line.strip():
                name, _, text = line.partition(':')
                described[name.strip()] = text.strip()
        return described

    def lines(self):
        from wa.commands._dryrun import yaml_value  # noqa
        from wa.commands.show import parameter_description  # noqa
        from wa.config.configuration import RUN_SETTINGS  # noqa
        from wa.core.types import kind_name  # noqa
        extra = self.extra_descriptions()
        unknown = set(extra) - {param.name for param in RUN_SETTINGS}
        if unknown:
            raise self.error('wa-settings describes no such setting: {}'.format(
                ', '.join(sorted(unknown))))
        rows = []
        for param in RUN_SETTINGS:
            meaning = escape(parameter_description(param)) or extra.get(param.name)
            if not meaning:
                raise self.error('setting "{}" has no description in the code or in this '
                                 'directive'.format(param.name))
            allowed = ', '.join(code(v) for v in param.allowed_values or ())
            rows.append([code(param.name), escape(kind_name(param.kind)),
                         code(yaml_value(param.default)) if param.default is not None
                         else 'not set', allowed, meaning])
        return list_table(['setting', 'type', 'default', 'allowed values', 'meaning'], rows,
                          [18, 12, 14, 20, 36])


class AgendaKeysDirective(GeneratedDirective):
    """Each key, and in each place (config, section, workload entry) whether it is valid there
    and which aliases are accepted there (``params`` means different keys in different
    places)."""

    def lines(self):
        from wa.config.agenda import _key_table  # noqa  (the table the agenda parser uses)
        tables = {place: _key_table(place) for place in PLACES}
        keys = []
        for place in PLACES:
            keys.extend(k for k in tables[place] if k not in keys)
        rows = []
        for key in keys:
            cells = []
            for place in PLACES:
                aliases = tables[place].get(key)
                if aliases is None:
                    cells.append('')
                else:
                    cells.append('yes' + (' (also {})'.format(', '.join(code(a) for a in aliases))
                                          if aliases else ''))
            rows.append([code(key)] + cells)
        return list_table(['key', 'in config', 'in a section', 'in a workload entry'], rows,
                          [28, 24, 24, 24])


class SignalsDirective(GeneratedDirective):
    def lines(self):
        from wa.core import signal  # noqa
        from wa.core.instrumentation import METHOD_MAP  # noqa
        methods = {}
        for method, sig in METHOD_MAP.items():
            methods.setdefault(sig.name, []).append(method)
        defined = [v for v in vars(signal).values() if isinstance(v, signal.Signal)]
        rows = [[code(sig.name), 'inverted' if sig.invert_priority else 'normal',
                 ', '.join(code(m) for m in methods.get(sig.name, [])),
                 escape(sig.description)] for sig in defined]
        return list_table(['signal', 'priority order', 'instrument methods', 'sent when'], rows,
                          [34, 12, 34, 20])


class PrioritiesDirective(GeneratedDirective):
    def lines(self):
        from wa.core.instrumentation import PRIORITY_PREFIXES  # noqa
        rows = [[code(prefix), str(priority)]
                for prefix, priority in sorted(PRIORITY_PREFIXES, key=lambda p: -p[1])]
        rows.append(['(none)', '0'])
        return list_table(['method name prefix', 'priority'], rows)


def _plugin_loader():
    from wa.core.loader import PluginLoader  # noqa
    return PluginLoader(use_user_directory=False, use_entry_points=False)


class PluginsDirective(GeneratedDirective):
    required_arguments = 1
    has_titles = True

    def lines(self):
        from wa.commands.show import (description_blocks, parameter_description,  # noqa
                                      parameter_facts)
        kind = self.arguments[0]
        lines = []
        for cls in _plugin_loader().list(kind):
            lines += ['.. _{}-{}:'.format(kind, cls.name), '', escape(cls.name),
                      '~' * (len(escape(cls.name)) + 4), '']
            for literal, text in description_blocks(cls):
                lines += literal_block(text) if literal else [escape(text), '']
            if cls.aliases:
                lines += ['Aliases: {}'.format(', '.join(code(a) for a in cls.aliases)), '']
            if not cls.parameters:
                lines += ['Parameters: none.', '']
                continue
            lines += ['Parameters:', '']
            for param in cls.parameters:
                lines += [code(param.name), '    ' + escape('; '.join(parameter_facts(param)))]
                if param.description:
                    lines += ['', '    ' + escape(parameter_description(param))]
                lines.append('')
        return lines


class CommandsDirective(GeneratedDirective):
    has_titles = True

    def lines(self):
        from wa.commands.show import command_help  # noqa
        lines = []
        for cls in _plugin_loader().list('command'):
            title = 'wa {}'.format(cls.name)
            lines += ['.. _command-{}:'.format(cls.name), '', title, '~' * len(title), '']
            lines += literal_block(command_help(cls))
        return lines


def setup(app):
    for name, directive in (('wa-settings', SettingsDirective),
                            ('wa-agenda-keys', AgendaKeysDirective),
                            ('wa-signals', SignalsDirective),
                            ('wa-priorities', PrioritiesDirective),
                            ('wa-plugins', PluginsDirective),
                            ('wa-commands', CommandsDirective)):
        directives.register_directive(name, directive)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}

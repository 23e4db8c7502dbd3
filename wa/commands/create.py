"""``wa create``: starting points for plugins and agendas."""
import os
import string

from wa.core.command import Command
from wa.core.exceptions import ConfigError
from wa.core.settings import user_directory

TEMPLATE_DIR = os.path.join(os.path.dirname(__file__), 'templates')
PLUGIN_KINDS = ('workload', 'instrument', 'result_processor')


def _class_name(name):
    return ''.join(part.capitalize() for part in name.replace('-', '_').split('_'))


class CreateCommand(Command):
    name = 'create'
    description = """Write a starting point for a new plugin or an agenda.

"wa create workload NAME" (or instrument, result_processor) writes NAME.py into
the user directory's plugins/ folder (or -p DIR), ready to be edited and run.
"wa create agenda NAME..." writes agenda.yaml (or -o FILE) running the named
workloads with their parameters' defaults."""
    usage = """wa create workload|instrument|result_processor NAME [-p DIR]
       wa create agenda NAME... [-o FILE]"""

    def add_arguments(self, parser):
        parser.add_argument('what', metavar='WHAT', choices=PLUGIN_KINDS + ('agenda',),
                            help='workload, instrument, result_processor or agenda')
        parser.add_argument('names', metavar='NAME', nargs='+',
                            help='The new plugin\'s name, or the workloads of the agenda.')
        parser.add_argument('-p', '--path', metavar='DIR',
                            help='Folder to write the plugin into.')
        parser.add_argument('-o', '--output', metavar='FILE', default='agenda.yaml',
                            help='The agenda file to write (default agenda.yaml).')
        parser.add_argument('-f', '--force', action='store_true',
                            help='Overwrite an existing file.')

    def execute(self, args, loader):
        if args.what == 'agenda':
            return self._agenda(args, loader)
        if len(args.names) != 1:
            raise ConfigError('wa create {} takes one NAME'.format(args.what))
        name = args.names[0]
        if not name.replace('_', '').replace('-', '').isalnum() or name[0].isdigit():
            raise ConfigError('"{}" is not a valid plugin name: use letters, digits and '
                              '"_"'.format(name))
        if loader.kind_of_name(name) and not args.force:
            raise ConfigError('A plugin called "{}" already exists (use -f to write it '
                              'anyway)'.format(name))
        folder = args.path or os.path.join(user_directory(), 'plugins')
        path = os.path.join(folder, '{}.py'.format(name.replace('-', '_')))
        with open(os.path.join(TEMPLATE_DIR, '{}.py.tmpl'.format(args.what))) as fh:
            template = string.Template(fh.read())
        text = template.substitute(name=name, class_name=_class_name(name))
        self._write(path, text, args.force)
        return 0

    def _agenda(self, args, loader):
        import yaml  # pylint: disable=import-outside-toplevel
        from wa.core.configuration import DEFAULT_INSTRUMENTS, DEFAULT_PROCESSORS  # noqa
        entries = []
        for name in args.names:
            cls = loader.get_class('workload', name)
            params = {p.name: p.default for p in cls.parameters
                      if p.default is not None or p.mandatory}
            entries.append({'name': cls.name, 'workload_parameters': params} if params
                           else cls.name)
        agenda = {'config': {'device': 'local', 'iterations': 1,
                             'instrumentation': list(DEFAULT_INSTRUMENTS),
                             'result_processors': list(DEFAULT_PROCESSORS)},
                  'workloads': entries}
        self._write(args.output, yaml.safe_dump(agenda, sort_keys=False), args.force)
        return 0

    @staticmethod
    def _write(path, text, force):
        if os.path.exists(path) and not force:
            raise ConfigError('"{}" exists; use -f to overwrite it'.format(path))
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, 'w') as fh:
            fh.write(text)
        print('Wrote {}'.format(path))

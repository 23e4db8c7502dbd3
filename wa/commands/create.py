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


def _plugin_text(kind, name, workload_kind='basic'):
    """The source of a new plugin of ``kind`` from its template."""
    template = '{}{}.py.tmpl'.format(kind, '_shell' if workload_kind == 'shell' and
                                     kind == 'workload' else '')
    with open(os.path.join(TEMPLATE_DIR, template)) as fh:
        return string.Template(fh.read()).substitute(name=name, class_name=_class_name(name))


class CreateCommand(Command):
    name = 'create'
    description = """Write a starting point for a new plugin or an agenda.

"wa create workload NAME" (or instrument, result_processor) writes NAME.py into
the user directory's plugins/ folder (or -p DIR), ready to be edited and run.
"wa create workload -k shell NAME" writes a workload that runs a shell command.
"wa create package NAME" writes a pip-installable package (in -p DIR or here)
whose plugins wa finds through the wa.plugins entry point once installed.
"wa create agenda NAME..." writes agenda.yaml (or -o FILE) running the named
workloads with their parameters' defaults, with the named instruments and
result processors enabled, each -i ITERATIONS times."""
    usage = """wa create workload|instrument|result_processor NAME [-p DIR] [-k basic|shell]
       wa create package NAME [-p DIR]
       wa create agenda NAME... [-o FILE] [-i ITERATIONS]"""

    def add_arguments(self, parser):
        parser.add_argument('what', metavar='WHAT', choices=PLUGIN_KINDS + ('agenda', 'package'),
                            help='workload, instrument, result_processor, package or agenda')
        parser.add_argument('names', metavar='NAME', nargs='+',
                            help='The new plugin\'s name, or the workloads of the agenda.')
        parser.add_argument('-p', '--path', metavar='DIR',
                            help='Folder to write the plugin into.')
        parser.add_argument('-o', '--output', metavar='FILE', default='agenda.yaml',
                            help='The agenda file to write (default agenda.yaml).')
        parser.add_argument('-f', '--force', action='store_true',
                            help='Overwrite an existing file.')
        parser.add_argument('-k', '--kind', choices=('basic', 'shell'), default='basic',
                            help='The kind of workload: basic (Python) or shell (one command).')
        parser.add_argument('-i', '--iterations', type=int, default=1,
                            help='Iterations of every workload of the agenda.')

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
        if args.what == 'package':
            return self._package(args, name)
        folder = args.path or os.path.join(user_directory(), 'plugins')
        path = os.path.join(folder, '{}.py'.format(name.replace('-', '_')))
        self._write(path, _plugin_text(args.what, name, args.kind), args.force)
        return 0

    def _package(self, args, name):
        from wa.commands._package import package_files  # noqa
        module = name.replace('-', '_')
        root = os.path.join(args.path or os.getcwd(), module)
        workload = _plugin_text('workload', module, args.kind)
        for relative, text in package_files(module, workload).items():
            self._write(os.path.join(root, relative), text, args.force)
        print('Install it with: pip install {}'.format(root))
        return 0

    def _agenda(self, args, loader):
        import yaml  # pylint: disable=import-outside-toplevel
        from wa.config.configuration import DEFAULT_INSTRUMENTS, DEFAULT_PROCESSORS  # noqa
        entries, augmentations = [], []
        for name in args.names:
            if not loader.has('workload', name) and (loader.has('instrument', name) or
                                                     loader.has('result_processor', name)):
                if name not in augmentations:
                    augmentations.append(name)
                continue
            cls = loader.get_class('workload', name)
            from wa.core.workload import Workload  # noqa
            base = {p.name for p in Workload.parameters}
            params = {p.name: p.default for p in cls.parameters
                      if (p.default is not None or p.mandatory) and p.name not in base}
            entries.append({'name': cls.name, 'workload_parameters': params} if params
                           else cls.name)
        if args.iterations < 1:
            raise ConfigError('-i: iterations must be at least 1')
        agenda = {'config': {'device': 'local', 'iterations': args.iterations,
                             'augmentations': list(dict.fromkeys(
                                 DEFAULT_INSTRUMENTS + DEFAULT_PROCESSORS +
                                 tuple(augmentations)))},
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

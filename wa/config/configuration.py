"""Merging config files, the agenda and the command line into one RunConfiguration.

Precedence, lowest first: built-in defaults, ``config.yaml`` in the user directory, each ``-c``
file, the agenda's ``config`` then ``global``, a section, a workload entry; then ``--disable`` and
``-i``. Scalars are replaced, mappings merge key by key, enable lists add and remove.
"""
import copy

from wa.core import status as st
from wa.core import types
from wa.config import include
from wa.config import wa3_keys
from wa.config.agenda import normalise
from wa.config.enablelists import EnableList, check_disabled, enable_items
from wa.core.exceptions import ConfigError
from wa.config.groups import group_classifiers, section_paths
from wa.config.jobspec import JobSpec, job_timeout
from wa.core.naming import did_you_mean, identifier, shown
from wa.core.parameter import Parameter, resolve
from wa.core.pathnames import name_problem
from wa.core.secrets import masked, secret_values
from wa.core.settings import user_directory

EXECUTION_ORDERS = ('by_iteration', 'by_section', 'by_spec', 'by_workload', 'classic', 'random')
REBOOT_POLICIES = ('never', 'as_needed', 'initial', 'each_spec', 'each_iteration', 'each_job',
                   'run_completion')
MAX_ITERATIONS = 100000  # more is a typo, and would take the job list itself minutes
DEFAULT_INSTRUMENTS = ('execution_time',)
DEFAULT_PROCESSORS = ('csv', 'json', 'status')

RUN_SETTINGS = [
    Parameter('device', str, 'local', description='Target type: local, linux (SSH) or android.'),
    Parameter('device_config', dict, {}, description='Connection settings of the target.'),
    Parameter('targets', types.list_of(types.dict_of_str, 'list_of_targets'),
              description='A fleet: run on each of these targets at once (see doc/fleet.rst); '
                          'checked by wa.fleet.targets.'),
    Parameter('execution_order', str, 'by_iteration', allowed_values=EXECUTION_ORDERS),
    Parameter('reboot_policy', str, 'as_needed', allowed_values=REBOOT_POLICIES),
    Parameter('retry_on_status', types.list_of(st.parse, 'list_of_statuses'),
              [st.FAILED, st.PARTIAL]),
    Parameter('max_retries', int, 2, constraint=lambda v: v >= 0),
    Parameter('bail_on_init_failure', bool, True),
    Parameter('bail_on_job_failure', bool, False),
    Parameter('run_name', str), Parameter('project', str), Parameter('project_stage', str),
    Parameter('clean_up', bool, False,
              description="Remove WA's working directory from the target at the end of the run."),
    Parameter('allow_phone_home', bool, True),
    Parameter('extra_plugin_paths', types.list_of_paths, []),
    Parameter('user_directory', str),
    Parameter('default_output_directory', str, 'wa_output'),
    Parameter('verbosity', int, 0),
    Parameter('logging', dict, {}),
    Parameter('unsupported_runtime_params', str, 'skip', allowed_values=('skip', 'fail'),
              description='When the target lacks what a runtime parameter needs: skip it with '
                          'one warning, or fail.'),
    Parameter('reconnect_attempts', int, 3, constraint=lambda v: v >= 0,
              description='Attempts to reconnect to a target that stopped responding.'),
    Parameter('reconnect_delay', float, 5.0, constraint=lambda v: v >= 0,
              description='Seconds between reconnection attempts.'),
]
_SETTING_NAMES = [p.name for p in RUN_SETTINGS]
_MERGED_SETTINGS = ('device_config', 'logging')
_SPEC_DICTS = ('workload_parameters', 'runtime_parameters', 'boot_parameters', 'classifiers')


def merge_dicts(base, update):
    """``base`` updated by ``update`` key by key, recursively; neither is modified."""
    merged = copy.deepcopy(base)
    for key, value in (update or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_dicts(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


class RunConfiguration:
    """Everything a run needs to know: run settings, plugin configs, instruments, processors and
    the merged job specs."""

    def __init__(self, loader, agenda, config_files=(), disabled=(), only_ids=(), overrides=()):
        self.loader = loader
        self.agenda = agenda
        self.settings = {}
        self.plugin_config = {}          # plugin name -> its merged config block
        self.specs = []
        self.instruments = []            # installed: union over specs, first appearance first
        self.processors = []
        self.enabled_at = {}             # plugin name -> 'file:line' of its first enable list
        self._sources = [self._config_source(data, located, path)
                         for data, located, path in config_files]
        self._sources += [self._config_source(data, located, path, in_agenda=True)
                          for data, located, path in agenda.config]
        self._sources += [self._config_source(data, located, path)  # wa process -c: last word
                          for data, located, path in overrides]
        self.origins = {}                # (key,) or (key, subkey) -> 'file:line'
        self._record_origins()
        wa3_keys.warn_ignored(self._sources, self._plugin_keys() + list(self._global_aliases()))
        self._merge_settings()
        self._build_specs(disabled)
        if only_ids:
            self._select(only_ids)

    # -- config sources ---------------------------------------------------------------------
    def _plugin_keys(self):
        names = []
        for kind in ('workload', 'instrument', 'result_processor', 'target'):
            for cls in self.loader.list(kind):
                names.append(cls.name)
                names.extend(cls.aliases)
        return names

    def _global_aliases(self):
        aliases = {}
        for kind in ('workload', 'instrument', 'result_processor'):
            for cls in self.loader.list(kind):
                for param in cls.parameters:
                    if param.global_alias:
                        aliases.setdefault(param.global_alias, []).append((cls, param))
        return aliases

    def _config_source(self, data, located, path, in_agenda=False):
        extra = _SETTING_NAMES + self._plugin_keys() + list(self._global_aliases())
        extra += wa3_keys.accepted_keys(extra)
        if isinstance(data, dict) and 'id' in data:
            raise located.error(path + ('id',), '"id" is not allowed in config: ids belong to '
                                'sections and workload entries')
        if not in_agenda and isinstance(data, dict) and set(data) & {'config', 'global'}:
            key = next(k for k in data if k in ('config', 'global'))
            raise located.error(path + (key,), 'a config file holds the settings themselves: '
                                'remove the "{}:" level'.format(key))
        source = normalise(data, located, path, 'config', extra_keys=extra)
        if 'run_name' in source.values and not in_agenda:
            raise source.error('run_name', '"run_name" may only be set in an agenda')
        return source

    def _merge_settings(self):
        values = {}
        for source in self._sources:
            for key in _SETTING_NAMES:
                if key not in source.values:
                    continue
                if key in _MERGED_SETTINGS and key in values:
                    if not isinstance(source.values[key], dict):
                        raise source.error(key, '"{}" must be a mapping'.format(key))
                    values[key] = merge_dicts(values[key], source.values[key])
                else:
                    values[key] = source.values[key]
        try:
            self.settings = resolve(RUN_SETTINGS, values, 'config')
        except ConfigError as error:
            where = self.where(error.key) if error.key else None
            raise ConfigError('{}: {}'.format(where, error)) if where else error
        self.settings['user_directory'] = self.settings['user_directory'] or user_directory()
        self._merge_plugin_config()

    def where(self, key, subkey=None):
        """``file:line`` where the merged value of ``key`` (or of ``subkey`` inside the mapping
        ``key``; a plugin's block also under its canonical name) was last set, or None."""
        return self.origins.get((key,) if subkey is None else (key, subkey))

    def _record_origins(self):
        """``origins``: for every config key and every key of a mapping value, the
        ``file:line`` of the last source that sets it (later sources win, as in merging); a
        global alias (``perf_events``) sets its plugin's block and parameter."""
        aliases = self._global_aliases()
        for source in self._sources:
            for key, value in source.values.items():
                for cls, param in aliases.get(key, ()):
                    self.origins[(cls.name,)] = self.origins[(cls.name, param.name)] = \
                        source.where(key)
                names = {key}
                if self.loader.kind_of_name(key) not in (None, 'command'):
                    names.add(self._plugin_class(key).name)
                for name in names:
                    self.origins[(name,)] = source.where(key)
                    for subkey in value if isinstance(value, dict) else ():
                        self.origins[(name, subkey)] = source.located.where(
                            source.path + (source.raw_keys[key], subkey))

    def _merge_plugin_config(self):
        aliases = self._global_aliases()
        for source in self._sources:
            set_here = {}
            for key, value in source.values.items():
                if key in aliases:
                    blocks = [(cls, {param.name: value}) for cls, param in aliases[key]]
                else:
                    try:
                        cls = self._plugin_class(key)
                    except ConfigError:
                        continue
                    if not isinstance(value, dict):
                        raise source.error(key, 'the config of "{}" must be a mapping'.format(key))
                    blocks = [(cls, value)]
                self._merge_blocks(source, key, blocks, set_here)

    def _merge_blocks(self, source, key, blocks, set_here):
        """Adds config ``blocks`` ((class, {parameter: value})) set by ``key`` of ``source``;
        a parameter set twice in one source is an error."""
        for cls, block in blocks:
            for param_key in block:
                param = cls.get_parameter(param_key)
                name = (cls.name, param.name if param else param_key)
                if name in set_here:
                    raise source.error(key, '"{}" of "{}" is set twice in this file'.format(
                        name[1], cls.name))
                set_here[name] = True
            self.plugin_config[cls.name] = merge_dicts(self.plugin_config.get(cls.name, {}),
                                                       block)

    def _plugin_class(self, name):
        kind = self.loader.kind_of_name(name)
        if kind is None or kind == 'command':
            raise ConfigError('not a plugin: {}'.format(name))
        return self.loader.get_class(kind, name)

    # -- enable lists -------------------------------------------------------------------------
    # -- specs --------------------------------------------------------------------------------
    def _build_specs(self, disabled):
        disabled = check_disabled(self.loader, disabled)
        config_instruments = EnableList(DEFAULT_INSTRUMENTS)
        processors = EnableList(DEFAULT_PROCESSORS)
        defaults = {key: {} for key in _SPEC_DICTS}
        defaults['iterations'] = None
        defaults['job_timeout'] = None
        defaults['label'] = None
        for source in self._sources:
            ins, procs = enable_items(self.loader, source, True, self.enabled_at)
            config_instruments.apply(ins)
            processors.apply(procs)
            for key in _SPEC_DICTS:
                if key in source.values:
                    defaults[key] = merge_dicts(defaults[key], self._mapping(source, key))
            for key in ('iterations', 'label', 'job_timeout'):
                if key in source.values:
                    defaults[key] = source.values[key]
        for path in section_paths(self.agenda.sections):
            entries = self.agenda.workloads + [e for s in path for e in s.values['workloads']]
            for entry in entries:
                self.specs.append(self._make_spec(path, entry, defaults, config_instruments,
                                                  processors))
        self.processors = [p for p in processors.enabled() if p not in disabled]
        installed = [i for i in config_instruments.enabled() if i not in disabled]
        self.specs = [spec.without(disabled) for spec in self.specs]
        for spec in self.specs:
            installed.extend(i for i in spec.instruments if i not in installed)
        self.instruments = installed

    @staticmethod
    def _mapping(source, key):
        value = source.values[key]
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise source.error(key, '"{}" must be a mapping'.format(source.raw_keys[key]))
        return value

    def _make_spec(self, path, entry, defaults, config_instruments, processors):
        name = str(entry.values['name'])
        try:
            workload_cls = self.loader.get_class('workload', name)
        except ConfigError as error:
            raise entry.error('name', error)
        workload_id = entry.values['id']
        section_id = '-'.join(s.values['id'] for s in path) or None
        spec_id = '{}-{}'.format(section_id, workload_id) if section_id else workload_id
        layers = list(path) + [entry]
        merged = {}
        for key in _SPEC_DICTS:
            merged[key] = defaults[key]
            if key == 'workload_parameters':
                merged[key] = merge_dicts(_alias_params(workload_cls, name), merge_dicts(
                    self.plugin_config.get(workload_cls.name, {}), merged[key]))
            for layer in layers:
                if key in layer.values:
                    merged[key] = merge_dicts(merged[key], self._mapping(layer, key))
        classifiers = {str(k): v for k, v in merged.pop('classifiers').items()}
        for group, group_section in group_classifiers(path).items():
            classifiers.setdefault(group, group_section)
        iterations = self._iterations(next((layer.values['iterations'] for layer in reversed(layers)
                                            if 'iterations' in layer.values),
                                           defaults['iterations']), layers)
        label = str(next((layer.values['label'] for layer in reversed(layers)
                          if 'label' in layer.values), defaults['label'] or name))
        self._check_label(label, spec_id, iterations, layers)
        timeout = job_timeout(layers, defaults['job_timeout'], self.where)
        instruments = config_instruments.copy()
        for layer in layers:
            ins, procs = enable_items(self.loader, layer, False, self.enabled_at)
            instruments.apply(ins)
            for item in procs:
                if item.startswith('~'):
                    raise layer.error(None, 'result processors are enabled for the whole run: '
                                      '"{}" cannot be disabled for one spec'.format(item))
            processors.apply(procs)
        return JobSpec(spec_id, section_id, workload_id,
                       workload_cls.name, label, iterations, job_timeout=timeout,
                       classifiers=classifiers,
                       instruments=instruments.enabled(), source=entry,
                       origins=self._spec_origins(workload_cls.name, layers), **merged)

    def _spec_origins(self, workload_name, layers):
        """Where each merged value of a spec was set: the workload's block, then config's spec
        defaults, then its section and its entry (later wins, as in merging)."""
        origins = {('workload_parameters', path[1]): where
                   for path, where in self.origins.items()
                   if len(path) == 2 and path[0] == workload_name}
        origins.update((path, where) for path, where in self.origins.items()
                       if path[0] in _SPEC_DICTS + ('iterations', 'label'))
        for layer in layers:
            for key, value in layer.values.items():
                origins[(key,)] = layer.where(key)
                for subkey in value if isinstance(value, dict) else ():
                    origins[(key, subkey)] = layer.located.where(
                        layer.path + (layer.raw_keys[key], subkey))
        return origins

    @staticmethod
    def _check_label(label, spec_id, iterations, layers):
        """The label and the job directory names it makes (``<id>-<label>-<iteration>``) must
        be valid file names."""
        problem = name_problem(label) or name_problem('{}-{}-{}'.format(spec_id, label,
                                                                         iterations))
        if problem:
            layer = next((l for l in reversed(layers) if 'label' in l.values), layers[-1])
            raise layer.error('label' if 'label' in layer.values else 'id', 'invalid label {} '
                              'of job {}: {}'.format(shown(label), shown(spec_id), problem))

    def _iterations(self, value, layers):
        if value is None:
            return 1
        try:
            iterations = types.integer(value)
        except (TypeError, ValueError):
            iterations = 0
        if not 1 <= iterations <= MAX_ITERATIONS:
            layer = next((l for l in reversed(layers) if 'iterations' in l.values), None)
            where = layer.where('iterations') if layer else self.where('iterations')
            raise ConfigError('{}: "iterations" must be a whole number of at least 1 (and at '
                              'most {}), got {}'.format(where, MAX_ITERATIONS, shown(value)))
        return iterations

    def _select(self, only_ids):
        kept = []
        for wanted in only_ids:
            matches = [s for s in self.specs if wanted in (s.id, s.workload_id)
                       or wanted in (s.section_id or '').split('-')]
            if not matches:
                raise ConfigError('-i {}: no spec has this id; ids are: {}'.format(
                    wanted, ', '.join(s.id for s in self.specs)))
            kept.extend(s for s in matches if s not in kept)
        self.specs = [s for s in self.specs if s in kept]

    def to_dict(self):
        """The merged configuration, as written to ``__meta/config.json``."""
        device_config = masked(self.settings['device_config'],
                               self._parameters_of(self.settings['device']))
        return {'settings': dict(self.settings, device_config=device_config),
                'device': self.settings['device'], 'device_config': device_config,
                'instrumentation': self.instruments, 'result_processors': self.processors,
                'plugin_config': {name: masked(block, self._parameters_of(name))
                                  for name, block in self.plugin_config.items()}}

    def secret_values(self):
        """Every secret value of the run (passwords, tokens), as text."""
        values = secret_values(self.settings['device_config'],
                               self._parameters_of(self.settings['device']))
        for name, block in self.plugin_config.items():
            values.extend(secret_values(block, self._parameters_of(name)))
        for spec in self.specs:
            values.extend(secret_values(spec.workload_parameters,
                                        self._parameters_of(spec.workload_name)))
        return values

    def _parameters_of(self, name):
        """The parameters of the plugin called ``name`` (any kind), or none if it is unknown."""
        kind = self.loader.kind_of_name(name)
        return self.loader.get_class(kind, name).parameters if kind else []


def _alias_params(cls, name):
    """The parameter values implied by the WA3 ``Alias`` ``name`` of ``cls``, if it is one."""
    alias = next((a for a in cls.aliases if identifier(a) == identifier(name)), None)
    return dict(getattr(alias, 'params', None) or {})


def load_config_file(path):
    """(data, located, path) of a config file, for RunConfiguration."""
    data, located = include.load(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise located.error((), 'a config file must be a mapping of settings')
    return data, located, ()

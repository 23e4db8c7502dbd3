"""The pipelines behind ``wa run``, ``wa run --resume`` and ``wa process``, in one place so that
each validates a run's configuration the same way.

Each reads the configuration (config files, agenda, ``--disable``/``-i``) into one
RunConfiguration and creates the plugins it needs through ``create_configured``; a resumed run
and ``wa process`` read the configuration the run was given from its ``__meta`` directory
(``raw_config`` copies and the invocation in ``config.json``).
"""
import os

from wa.config.agenda import Agenda, load_agenda
from wa.config.configuration import RunConfiguration, load_config_file
from wa.core.exceptions import ConfigError
from wa.core.executor import Executor
from wa.core.loader import PluginLoader
from wa.core.naming import did_you_mean
from wa.output.directory import FAILED_DIR, RunOutput, read_json
from wa.core.plugin import create_configured
from wa.core.results import RunResult
from wa.core.secrets import hide_in_logs
from wa.core.settings import configured_plugin_paths, user_config_file


def new_run(loader, agenda_name, config_args, disable, only_ids, logging, pin=None):
    """``(executor, run_config, agenda, config_paths)`` of ``wa run AGENDA``; nothing is
    written or connected yet. ``logging`` (RunLogging, or None) gets the run's verbosity.
    ``pin(run_config)``, when given, may narrow a fleet to one target; when it returns False
    the run is a fleet that its caller drives, and the executor is None."""
    config_paths = [p for p in [user_config_file()] if os.path.isfile(p)]
    for path in config_args:
        if not os.path.isfile(path):
            raise ConfigError('Config file "{}" does not exist'.format(path))
        config_paths.append(path)
    agenda = _agenda(agenda_name, loader)
    run_config = _run_configuration(loader, agenda, config_paths, disable, only_ids, logging)
    if pin is not None and not pin(run_config):
        return None, run_config, agenda, config_paths
    return _executor(run_config), run_config, agenda, config_paths


def resumed_run(loader, directory, logging, pin=None):
    """``(executor, output, previous RunResult)`` of ``wa run --resume DIR``, configured as the
    run in ``directory`` was; ``pin(run_config, target)`` narrows it to the fleet target that
    run was pinned to, if any."""
    output, run_config, invocation = _configuration_of(loader, directory, logging,
                                                       'Cannot resume')
    if pin is not None:
        pin(run_config, invocation.get('target'))
    try:
        previous = RunResult.from_dict(read_json(output.result_file), output.root)
    except (OSError, ValueError, KeyError) as error:
        raise ConfigError('Cannot resume "{}": not a readable WA output directory ({})'.format(
            directory, error))
    executor = _executor(run_config)
    if invocation.get('seed') is not None:
        executor.seed = invocation['seed']
    return executor, output, previous


def processing(loader, directory, extra_processors, extra_config=()):
    """``(output, run_result, processors)`` of ``wa process DIR -p NAME... -c FILE...``: the
    run's processors then each extra one, configured and validated as ``wa run`` does, with the
    ``extra_config`` files read last (their settings win); every job attempt's
    ``output_dir`` is set to where that attempt's files are."""
    for path in extra_config:
        if not os.path.isfile(path):
            raise ConfigError('Config file "{}" does not exist'.format(path))
    output, run_config, _ = _configuration_of(loader, directory, None, 'Cannot process',
                                              extra_config)
    try:
        run_result = RunResult.from_dict(read_json(output.result_file), output.root)
    except (OSError, ValueError, KeyError) as error:
        raise ConfigError('"{}" is not a readable WA output directory: {}'.format(
            directory, error))
    finals = run_result.final_attempts()
    for job in run_result.iteration_results:
        name = '{}-{}-{}'.format(job.id, job.label, job.iteration)
        job.output_dir = output.path(name) if job in finals else \
            output.path(FAILED_DIR, '{}-attempt{:02d}'.format(name, job.retry + 1))
    names = list(run_config.processors)
    for name in extra_processors:
        canonical = run_config.loader.get_class('result_processor', name).name
        if canonical not in names:
            names.append(canonical)
    processors = [create_configured(run_config.loader, run_config, 'result_processor', name)
                  for name in names]
    return output, run_result, processors


def _configuration_of(loader, directory, logging, failure, extra_config=()):
    """``(RunOutput, RunConfiguration, invocation)`` of the earlier run in ``directory``
    (the invocation: workload name, --disable, -i, seed, raw config copies), with the
    ``extra_config`` files read last, so that their settings win over the run's own."""
    output = RunOutput(directory)
    try:
        invocation = read_json(os.path.join(output.meta, 'config.json'))['invocation']
        raw = [os.path.join(output.meta, 'raw_config', name)
               for name in invocation['raw_config']]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError('{} "{}": not a readable WA output directory ({})'.format(
            failure, directory, error))
    if invocation['workload']:
        agenda, config_paths = Agenda.from_workload_name(invocation['workload']), raw
    else:
        agenda, config_paths = load_agenda(raw[-1]), raw[:-1]
    return output, _run_configuration(loader, agenda, config_paths, invocation['disable'],
                                      invocation['only_ids'], logging, extra_config), invocation


def _agenda(name, loader):
    """The agenda in file ``name``, or a one-workload agenda if ``name`` is a workload."""
    if os.path.isfile(name):
        return load_agenda(name)
    if os.sep not in name and not name.endswith(('.yaml', '.yml')) \
            and loader.has('workload', name):
        return Agenda.from_workload_name(name)
    names = [cls.name for cls in loader.list('workload')]
    raise ConfigError('"{}" is neither an agenda file nor a workload name{}'.format(
        name, did_you_mean(name, names)))


def _run_configuration(loader, agenda, config_paths, disable, only_ids, logging, overrides=()):
    config_files = [load_config_file(path) for path in config_paths]
    overrides = [load_config_file(path) for path in overrides]
    extra_paths = configured_plugin_paths([data for data, _, _ in config_files] +
                                          [data for data, _, _ in agenda.config])
    if extra_paths:
        loader = PluginLoader(extra_paths=extra_paths)
    run_config = RunConfiguration(loader, agenda, config_files, disable, only_ids, overrides)
    hide_in_logs(run_config.secret_values())
    if logging is not None:
        logging.configure(run_config.settings['verbosity'], run_config.settings['logging'])
    return run_config


def _executor(run_config):
    """The Executor of a run: every plugin created and validated."""
    return Executor(run_config.loader, run_config)

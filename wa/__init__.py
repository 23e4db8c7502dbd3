"""Workload Automation: the public API that plugins are written against.

Kept cheap to import: nothing here touches devlib, YAML or the target, and each name is
imported when first used (PEP 562), so ``wa --version`` imports nothing but ``wa.version``.
"""
import importlib

from wa.version import __version__

# name -> module that defines it (a module itself for ``status`` and ``types``)
_EXPORTS = {
    'status': 'wa.core.status', 'types': 'wa.core.types', 'target_shell': 'wa.target.target_shell',
    'write_json': 'wa.output.directory', 'write_text': 'wa.output.directory',
    'format_table': 'wa.output.table',
    'WAError': 'wa.core.exceptions', 'ConfigError': 'wa.core.exceptions',
    'NotFoundError': 'wa.core.exceptions', 'ParameterError': 'wa.core.exceptions',
    'WorkloadError': 'wa.core.exceptions', 'InstrumentError': 'wa.core.exceptions',
    'ResultProcessorError': 'wa.core.exceptions', 'TargetError': 'wa.core.exceptions',
    'TargetNotRespondingError': 'wa.core.exceptions', 'NotSupportedError': 'wa.core.exceptions',
    'Parameter': 'wa.core.parameter', 'Plugin': 'wa.core.plugin',
    'Workload': 'wa.core.workload', 'Instrument': 'wa.core.instrument',
    'ResultProcessor': 'wa.core.processor', 'event_lines': 'wa.output.progress',
    # the results API: reading output directories (this project's and WA3's)
    'RunOutput': 'wa.results', 'JobOutput': 'wa.results',
    'discover_wa_outputs': 'wa.results', 'Status': 'wa.results',
    # WA3's names (doc/wa3.rst)
    'OutputProcessor': 'wa.framework.output_processor', 'Executable': 'wa.framework.resource',
    'File': 'wa.framework.resource', 'ResourceError': 'wa.framework.resource',
    'Alias': 'wa.core.plugin', 'signal': 'wa.framework.signal',
    'OutputProcessorError': 'wa.framework.exception', 'ValidationError': 'wa.framework.exception',
    'HostError': 'wa.framework.exception', 'CommandError': 'wa.framework.exception',
    'JobError': 'wa.framework.exception', 'ToolError': 'wa.framework.exception',
}
_EXPORTS.update((name, 'wa.framework.instrument') for name in (
    'extremely_slow', 'very_slow', 'slow', 'normal', 'fast', 'very_fast', 'extremely_fast',
    'hostside'))

__all__ = ['__version__'] + list(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError('module "wa" has no attribute "{}"'.format(name))
    module = importlib.import_module(_EXPORTS[name])
    value = module if module.__name__.rsplit('.', 1)[-1] == name else getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))

"""Workload Automation: the public API that plugins are written against.

Kept cheap to import: nothing here touches devlib, YAML or the target.
"""
from wa.version import __version__
from wa.core import status, types
from wa.core.output import write_json, write_text
from wa.core.table import format_table
from wa.core.exceptions import (WAError, ConfigError, NotFoundError, ParameterError,
                                WorkloadError, InstrumentError, ResultProcessorError,
                                TargetError, TargetNotRespondingError, NotSupportedError)
from wa.core.parameter import Parameter
from wa.core.plugin import Plugin
from wa.core.workload import Workload
from wa.core.instrument import Instrument
from wa.core.processor import ResultProcessor

_RESULTS_API = ('RunOutput', 'JobOutput', 'discover_wa_outputs', 'Status')


def __getattr__(name):
    """The results API (wa.results), imported on first use."""
    if name in _RESULTS_API:
        import wa.results  # noqa
        return getattr(wa.results, name)
    raise AttributeError('module "wa" has no attribute "{}"'.format(name))


__all__ = list(_RESULTS_API) + ['__version__', 'status', 'types', 'write_json', 'write_text', 'format_table', 'WAError', 'ConfigError', 'NotFoundError', 'ParameterError',
           'WorkloadError', 'InstrumentError', 'ResultProcessorError', 'TargetError',
           'TargetNotRespondingError', 'NotSupportedError', 'Parameter', 'Plugin', 'Workload',
           'Instrument', 'ResultProcessor']

"""WA3's exception names (``wa.framework.exception``)."""
from wa.core.exceptions import (ConfigError, InstrumentError, NotFoundError,  # noqa: F401
                                NotSupportedError, ParameterError, ResultProcessorError,
                                TargetError, TargetNotRespondingError, WAError, WorkloadError)
from wa.framework.resource import ResourceError  # noqa: F401

OutputProcessorError = ResultProcessorError
ValidationError = ConfigError
PluginLoaderError = WAError
CommandError = WAError
HostError = WAError
JobError = WAError
ToolError = WAError
WorkerThreadError = WAError
TimeoutError = WAError  # pylint: disable=redefined-builtin

"""WA3's ``wa.framework.output`` names: job statuses."""
from wa.core import status as _status


class Status:
    """WA3's status names (``Status.OK``, ...) as this project's status strings."""

    UNKNOWN = 'UNKNOWN'
    NEW = PENDING = _status.NOT_STARTED
    STARTED = CONNECTED = INITIALIZED = RUNNING = _status.RUNNING
    OK = _status.OK
    PARTIAL = _status.PARTIAL
    FAILED = _status.FAILED
    ABORTED = _status.ABORTED
    SKIPPED = _status.SKIPPED

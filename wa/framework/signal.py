"""WA3's signals (``wa.framework.signal``) under their WA3 names, on this project's signals.

Signals WA3 has and this project does not send (flashing, target connection, ...) are absent;
connecting to one fails at import of the plugin with an AttributeError naming it.
"""
from wa.core.signal import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from wa.core.signal import (AFTER_WORKLOAD_RESULT_UPDATE, BEFORE_WORKLOAD_RESULT_UPDATE,
                            ITERATION_END, ITERATION_START, RUN_END, RUN_FIN, RUN_INIT, RUN_START,
                            SUCCESSFUL_WORKLOAD_RESULT_UPDATE, connect, disconnect, send)  # noqa

RUN_STARTED = RUN_START
RUN_INITIALIZED = RUN_INIT
RUN_FINALIZED = RUN_FIN
RUN_COMPLETED = RUN_END
JOB_STARTED = ITERATION_START
JOB_COMPLETED = ITERATION_END
BEFORE_WORKLOAD_OUTPUT_UPDATE = BEFORE_WORKLOAD_RESULT_UPDATE
SUCCESSFUL_WORKLOAD_OUTPUT_UPDATE = SUCCESSFUL_WORKLOAD_RESULT_UPDATE
AFTER_WORKLOAD_OUTPUT_UPDATE = AFTER_WORKLOAD_RESULT_UPDATE
BEFORE_JOB_OUTPUT_PROCESSED = BEFORE_WORKLOAD_RESULT_UPDATE
SUCCESSFUL_JOB_OUTPUT_PROCESSED = SUCCESSFUL_WORKLOAD_RESULT_UPDATE
AFTER_JOB_OUTPUT_PROCESSED = AFTER_WORKLOAD_RESULT_UPDATE


class CallbackPriority:
    """WA3's priority levels, as numbers."""

    extremely_low = -30
    very_low = -20
    low = -10
    normal = 0
    high = 10
    very_high = 20
    extremely_high = 30

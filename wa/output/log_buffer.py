"""The pre-run log buffer: what a command that writes ``run.log`` logs before its output
directory exists, handed to the file once it does, so that the file holds the whole run.

Its own module because ``logging.handlers`` imports socket and pickle (10-25 ms): only the
commands that write a run.log (``Command.writes_run_log``) load it.
"""
import logging
import logging.handlers


class BufferingHandler(logging.handlers.MemoryHandler):
    """Holds records until ``run.log`` exists: a MemoryHandler that never flushes by itself
    (no capacity limit is reached in practice before the output directory exists, and
    nothing is lost if it is)."""

    def __init__(self):
        super().__init__(capacity=1 << 20, flushLevel=logging.CRITICAL + 1, flushOnClose=False)
        self.setLevel(logging.DEBUG)

    def shouldFlush(self, record):
        return False

    def flush_to(self, handler):
        """Hands every held record to ``handler`` and forgets them."""
        self.acquire()
        try:
            self.setTarget(handler)
            super().flush()
            self.setTarget(None)
        finally:
            self.release()

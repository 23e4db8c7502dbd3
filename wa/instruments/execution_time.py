"""execution_time: how long the workload's run stage took."""
import time

from wa import Instrument


class ExecutionTime(Instrument):
    name = 'execution_time'
    description = """Measures the time the workload's run stage takes, in seconds.

    The clock starts as the last thing before the workload runs and stops as the first thing
    after, using the host's monotonic clock.
    """

    def very_fast_start(self, context):
        self.start_time = time.monotonic()

    def very_fast_stop(self, context):
        self.end_time = time.monotonic()

    def update_result(self, context):
        context.add_metric('execution_time', self.end_time - self.start_time, 'seconds',
                           lower_is_better=True)

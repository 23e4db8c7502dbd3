"""idle: do nothing on the target for a while."""
import shlex

from wa import Parameter, Workload


class Idle(Workload):
    name = 'idle'
    description = """Sleeps on the target for a set time, doing nothing.

    Useful as a baseline: what instruments read when the target is at rest.
    """
    parameters = [
        Parameter('duration', float, 20, constraint=lambda v: v >= 0,
                  description='Seconds to stay idle (fractions allowed).'),
    ]

    def run(self, context):
        self.target.execute('sleep {}'.format(shlex.quote('{:g}'.format(self.duration))),
                            timeout=self.duration + 30)

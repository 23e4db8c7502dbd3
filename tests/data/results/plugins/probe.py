"""A workload for the results tests: metrics whose values the test controls.

``score`` (higher is better) and ``latency`` (lower is better) are ``base * scale`` with a
fixed spread by iteration, so a run is deterministic and a "slower" run is one with another
``scale``; ``util`` comes once per CPU (classifier ``cpu``) like per-CPU instrument metrics.
``wait_for`` makes run() wait for a file, so a test can look at a run while it is going.
"""
import os
import time

from wa import Parameter, Workload

SPREAD = (0.0, 0.01, -0.01, 0.005, -0.005, 0.002, -0.002, 0.008)


class Probe(Workload):
    name = 'probe'
    description = """Emits deterministic metrics for the results tests."""
    parameters = [
        Parameter('scale', kind=float, default=1.0, description='Multiplies every value.'),
        Parameter('wait_for', kind=str, default=None,
                  description='run() waits until this file exists.'),
        Parameter('fail', kind=bool, default=False, description='run() raises.'),
    ]

    def run(self, context):
        if self.fail:
            raise RuntimeError('probe was asked to fail')
        while self.wait_for and not os.path.exists(self.wait_for):
            time.sleep(0.05)

    def update_result(self, context):
        spread = 1 + SPREAD[(context.current_iteration - 1) % len(SPREAD)]
        context.add_metric('score', round(100 * self.scale * spread, 6), 'points')
        context.add_metric('latency', round(20 * self.scale * spread, 6), 'ms',
                           lower_is_better=True)
        for cpu, base in (('cpu0', 30), ('cpu1', 50)):
            context.add_metric('util', base * spread, '%', classifiers={'cpu': cpu})

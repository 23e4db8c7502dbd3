"""The results tests' probe workload written for WA 3.3.1's plugin API (``update_output``), to
produce a real WA3 output directory with known metrics, classifiers and a failed job."""
from wa import Parameter, Workload


class Probe(Workload):
    name = 'probe'
    description = "Emits known metrics; fails when asked."
    parameters = [Parameter('base', kind=float, default=10.0),
                  Parameter('fail', kind=bool, default=False)]

    def run(self, context):
        if self.fail:
            raise RuntimeError('probe asked to fail')

    def update_output(self, context):
        iteration = context.current_job.iteration
        context.add_metric('score', self.base + iteration, 'points')
        context.add_metric('util', 1.5 * iteration, '%', lower_is_better=True,
                           classifiers={'cpu': 'cpu0'})

"""Jobs: one iteration of one spec, and the order the queue runs them in."""
import random


class Job:
    """One attempt at one iteration of one spec."""

    def __init__(self, spec, iteration, retry=0):
        self.spec = spec
        self.iteration = iteration
        self.retry = retry
        self.result = None

    @property
    def id(self):
        return self.spec.id

    @property
    def label(self):
        return self.spec.label

    @property
    def directory_name(self):
        """``<job id>-<label>-<iteration>``, e.g. ``wk1-dhrystone-1``."""
        return '{}-{}-{}'.format(self.spec.id, self.spec.label, self.iteration)

    def retried(self):
        """The next attempt of the same iteration."""
        return Job(self.spec, self.iteration, self.retry + 1)

    def __repr__(self):
        return '<Job {} #{} retry {}>'.format(self.id, self.iteration, self.retry)


def _interleave_sections(specs):
    """Spec k of every section in turn, for k = 1, 2, ... (``by_iteration``)."""
    by_section = {}
    for spec in specs:
        by_section.setdefault(spec.section_id, []).append(spec)
    columns = list(by_section.values())
    ordered = []
    for k in range(max(len(c) for c in columns)):
        ordered.extend(column[k] for column in columns if k < len(column))
    return ordered


def job_queue(specs, order, seed=None):
    """Every job of every spec, in the order that ``execution_order`` names."""
    if not specs:
        return []
    if order in ('by_spec', 'by_workload', 'classic'):
        return [Job(spec, i) for spec in specs for i in range(1, spec.iterations + 1)]
    if order == 'by_iteration':
        specs = _interleave_sections(specs)
    jobs = [Job(spec, i) for i in range(1, max(s.iterations for s in specs) + 1)
            for spec in specs if i <= spec.iterations]
    if order == 'random':
        random.Random(seed).shuffle(jobs)
    return jobs


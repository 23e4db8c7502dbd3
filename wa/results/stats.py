"""Statistics over the iterations of each spec, per metric.

For every (job id, metric name, metric classifiers) the values of the latest attempt of each
iteration that produced results (OK, NONCRITICAL, PARTIAL): count, mean, sample standard
deviation, coefficient of variation (std / |mean|), min, median, max and the 95 % confidence
interval of the mean by Student's t. The t quantiles are scipy's, from the table of
``wa.results.t_table`` up to MAX_ITERATIONS values (so that a run does not import scipy at its
end), from scipy itself beyond.
"""
import math
import statistics as pystats

from wa.results.t_table import T975

CONFIDENCE = 0.95
TRUSTED_HALF_WIDTH = 0.05     # a mean is trusted when its 95 % CI is within ±5 % of it
MAX_ITERATIONS = 1000
COUNTED_STATUSES = ('OK', 'NONCRITICAL', 'PARTIAL')


def t_quantile(dof, confidence=CONFIDENCE):
    """Two-sided Student's t critical value for ``dof`` degrees of freedom."""
    if confidence == CONFIDENCE and 1 <= dof <= len(T975):
        return T975[dof - 1]
    from scipy.special import stdtrit  # noqa  (scipy only where the table stops)
    return float(stdtrit(dof, 0.5 + confidence / 2))


class MetricStatistics:
    """One metric of one spec over its iterations. ``ci95`` is ``(low, high)`` or None (fewer
    than two values); ``std``/``cv`` are None likewise (``cv`` also when the mean is 0)."""

    FIELDS = ('id', 'label', 'workload', 'name', 'units', 'lower_is_better', 'classifiers',
              'count', 'mean', 'std', 'cv', 'min', 'median', 'max', 'ci95')

    def __init__(self, job, metric, values):
        self.id, self.label, self.workload = job.id, job.label, job.workload_name
        self.name, self.units = metric.name, metric.units
        self.lower_is_better = metric.lower_is_better
        self.classifiers = dict(metric.classifiers)
        self.values = list(values)
        self.count = len(values)
        self.mean = pystats.fmean(values)
        self.min, self.max = min(values), max(values)
        self.median = pystats.median(values)
        self.std = pystats.stdev(values) if self.count > 1 else None
        self.cv = self.std / abs(self.mean) if self.std is not None and self.mean else None
        self.ci95 = None
        if self.std is not None:
            half = t_quantile(self.count - 1) * self.std / math.sqrt(self.count)
            self.ci95 = (self.mean - half, self.mean + half)

    @property
    def relative_half_width(self):
        """Half the CI's width as a fraction of |mean|, or None."""
        if self.ci95 is None or not self.mean:
            return None
        return (self.ci95[1] - self.ci95[0]) / 2 / abs(self.mean)

    @property
    def trusted(self):
        half = self.relative_half_width
        return half is None or half <= TRUSTED_HALF_WIDTH

    def iterations_needed(self, half_width=TRUSTED_HALF_WIDTH):
        """Iterations for the CI to narrow to ±``half_width`` of the mean if the spread stays
        as it is; None when it cannot be said (no spread, or more than MAX_ITERATIONS)."""
        if not self.cv:
            return None
        n = max(2, self.count)
        while n <= MAX_ITERATIONS:
            if t_quantile(n - 1) * self.cv / math.sqrt(n) <= half_width:
                return n
            n = n + 1 if n < 50 else int(n * 1.1)
        return None

    @property
    def classifier_text(self):
        return ','.join('{}={}'.format(k, v) for k, v in sorted(self.classifiers.items()))

    def to_dict(self):
        data = {field: getattr(self, field) for field in self.FIELDS}
        data['ci95'] = list(self.ci95) if self.ci95 else None
        return data

    def __repr__(self):
        return '<{} {} {} n={} mean={:.4g}>'.format(self.id, self.name, self.classifier_text,
                                                  self.count, self.mean)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and \
        math.isfinite(value)


def grouped_values(jobs):
    """``{(id, name, classifiers): (job, metric, [values])}`` in first-seen order."""
    groups = {}
    for job in jobs:
        if job.status not in COUNTED_STATUSES:
            continue
        for metric in job.metrics:
            if not is_number(metric.value):
                continue
            key = (job.id, metric.name, tuple(sorted((str(k), str(v)) for k, v in
                                                     metric.classifiers.items())))
            groups.setdefault(key, (job, metric, []))[2].append(metric.value)
    return groups


def run_statistics(jobs):
    """A MetricStatistics for each (spec, metric, classifiers) of ``jobs`` (JobOutputs)."""
    return [MetricStatistics(job, metric, values)
            for job, metric, values in grouped_values(jobs).values()]


def statistics_section(stats):
    """The ``statistics`` section of result.json, of a list of MetricStatistics."""
    return {'confidence': CONFIDENCE, 'metrics': [s.to_dict() for s in stats]}


def untrusted(stats):
    """The statistics whose variation is too high to trust, widest first."""
    return sorted((s for s in stats if not s.trusted),
                  key=lambda s: -(s.relative_half_width or 0))


def variation_warning(stats, limit=10):
    """Lines naming the metrics whose mean is not trusted and how many iterations would narrow
    them; empty when every mean is trusted."""
    wide = untrusted(stats)
    if not wide:
        return []
    lines = ['High variation: the 95% confidence interval of {} metric{} is wider than ±{:.0f}% '
             'of the mean:'.format(len(wide), 's' if len(wide) > 1 else '',
                                   TRUSTED_HALF_WIDTH * 100)]
    for s in wide[:limit]:
        needed = s.iterations_needed()
        lines.append('  {} {}{}: ±{:.1f}% (CV {:.1f}%, {} iterations; {})'.format(
            s.id, s.name, ' [{}]'.format(s.classifier_text) if s.classifier_text else '',
            s.relative_half_width * 100, (s.cv or 0) * 100, s.count,
            'about {} would narrow it to ±{:.0f}%'.format(needed, TRUSTED_HALF_WIDTH * 100)
            if needed else 'more iterations will not narrow it enough'))
    if len(wide) > limit:
        lines.append('  ... and {} more (see "statistics" in result.json)'.format(
            len(wide) - limit))
    return lines

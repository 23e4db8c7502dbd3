"""Comparing runs: per spec and metric, the two means, the change and its significance.

Each side pools the iterations of one or more runs (several runs of the same agenda). Metrics
are matched on (job id, metric name, metric classifiers). Significance: Welch's t-test, or the
Mann-Whitney U rank test when a sample of three values or more does not look normal
(Shapiro-Wilk p < 0.05); samples with fewer than two values are not tested. scipy is imported
only here.
"""
import statistics as pystats

from wa.results.stats import grouped_values

ALPHA = 0.05


class Comparison:
    """One metric of one spec in both sides. ``change`` is the percent change of the mean from
    A to B (None when A's mean is 0); ``better`` says whether B is better, given
    ``lower_is_better``; ``p_value``/``test`` are None when untested."""

    def __init__(self, key, job, metric, a_values, b_values, alpha=ALPHA):
        self.id, self.name = key[0], key[1]
        self.label = job.label
        self.classifiers = dict(metric.classifiers)
        self.units, self.lower_is_better = metric.units, metric.lower_is_better
        self.a_values, self.b_values = list(a_values), list(b_values)
        self.a_mean = pystats.fmean(a_values) if a_values else None
        self.b_mean = pystats.fmean(b_values) if b_values else None
        self.change = None
        if self.a_mean and self.b_mean is not None:
            self.change = (self.b_mean - self.a_mean) / abs(self.a_mean) * 100
        self.better = None
        if self.change:
            self.better = (self.change < 0) == bool(self.lower_is_better)
        self.test, self.p_value = significance(self.a_values, self.b_values)
        self.significant = self.p_value is not None and self.p_value < alpha

    @property
    def classifier_text(self):
        return ','.join('{}={}'.format(k, v) for k, v in sorted(self.classifiers.items()))

    @property
    def verdict(self):
        """``better``, ``worse``, ``same`` (not significant) or ``-`` (not testable)."""
        if self.p_value is None:
            return '-'
        if not self.significant or self.better is None:
            return 'same'
        return 'better' if self.better else 'worse'

    def regressed(self, percent):
        """Significantly worse by more than ``percent`` percent."""
        return self.verdict == 'worse' and self.change is not None and \
            abs(self.change) > percent

    def to_dict(self):
        return {'id': self.id, 'label': self.label, 'metric': self.name,
                'classifiers': self.classifiers, 'units': self.units,
                'lower_is_better': self.lower_is_better, 'a_count': len(self.a_values),
                'b_count': len(self.b_values), 'a_mean': self.a_mean, 'b_mean': self.b_mean,
                'change_percent': self.change, 'test': self.test, 'p_value': self.p_value,
                'significant': self.significant, 'verdict': self.verdict}


def _looks_normal(values, scipy_stats):
    if len(values) < 3 or min(values) == max(values):
        return True
    return scipy_stats.shapiro(values).pvalue >= ALPHA


def significance(a, b):
    """``(test name, p-value)`` for two samples, or ``(None, None)`` when either has fewer than
    two values."""
    if len(a) < 2 or len(b) < 2:
        return None, None
    if min(a) == max(a) and min(b) == max(b):
        return 'exact', 0.0 if a[0] != b[0] else 1.0
    from scipy import stats as scipy_stats  # noqa
    if _looks_normal(a, scipy_stats) and _looks_normal(b, scipy_stats):
        return 'welch', float(scipy_stats.ttest_ind(a, b, equal_var=False).pvalue)
    return 'mann-whitney', float(scipy_stats.mannwhitneyu(a, b,
                                                         alternative='two-sided').pvalue)


def pooled(runs):
    """Grouped metric values (see stats.grouped_values) of every run in ``runs``, pooled."""
    groups = {}
    for run in runs:
        for key, (job, metric, values) in grouped_values(run.jobs).items():
            groups.setdefault(key, (job, metric, []))[2].extend(values)
    return groups


def compare_runs(runs_a, runs_b, alpha=ALPHA):
    """A Comparison for every metric found on either side, A's order first."""
    side_a, side_b = pooled(runs_a), pooled(runs_b)
    keys = list(side_a) + [key for key in side_b if key not in side_a]
    comparisons = []
    for key in keys:
        job, metric, a_values = side_a.get(key) or side_b[key][:2] + ([],)
        b_values = side_b[key][2] if key in side_b else []
        comparisons.append(Comparison(key, job, metric, a_values, b_values, alpha))
    return comparisons

"""Self-contained HTML reports of a run and of a comparison: jinja2 templates (in
``templates/``) with matplotlib charts inlined as SVG. Both libraries are imported only here."""
from collections import Counter

from wa.version import __version__
from wa.results.stats import variation_warning
from wa.results.text import number

MAX_CHARTS = 40


def _environment():
    import jinja2  # noqa
    env = jinja2.Environment(loader=jinja2.PackageLoader('wa.results', 'templates'),
                             autoescape=True, undefined=jinja2.ChainableUndefined)
    env.filters['num'] = number
    env.filters['seconds'] = lambda delta: '{:.1f} s'.format(delta.total_seconds()) \
        if delta is not None else '-'
    return env


def _by_metric(stats):
    """Statistics grouped per (spec, metric name): one chart each."""
    groups = {}
    for s in stats:
        groups.setdefault((s.id, s.name), []).append(s)
    return groups


def render_run(run):
    """The HTML report of ``run`` (a RunOutput): summary, jobs, events, statistics and the
    values of each metric across iterations."""
    from wa.results.charts import spread_chart  # noqa
    stats = run.statistics
    groups = list(_by_metric(stats).items())
    charts = [spread_chart('{} {}: {}'.format(job_id, group[0].label, name), group)
              for (job_id, name), group in groups[:MAX_CHARTS]]
    counts = Counter(str(job.status) for job in run.jobs)
    return _environment().get_template('run.html').render(
        run=run, stats=stats, charts=charts, omitted=max(0, len(groups) - MAX_CHARTS),
        counts=', '.join('{} {}'.format(n, s) for s, n in sorted(counts.items())),
        target=run.metadata.get('target'), warning=variation_warning(stats),
        wa_version=__version__)


def render_comparison(comparisons, side_a, side_b, alpha=0.05):
    """The HTML report of ``wa compare``: both sides, the change chart and the table."""
    from wa.results.charts import change_chart  # noqa
    return _environment().get_template('compare.html').render(
        comparisons=comparisons, side_a=side_a, side_b=side_b,
        chart=change_chart(comparisons), alpha=alpha, wa_version=__version__)

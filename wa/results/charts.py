"""Charts as inline SVG text, drawn with matplotlib (imported here only, without pyplot, so no
display or global backend is involved)."""
import io
import re

MAX_POINTS_LABEL = 24


def _svg(figure):
    from matplotlib import rcParams  # noqa
    rcParams['svg.fonttype'] = 'none'      # text stays text: smaller, selectable
    buffer = io.StringIO()
    figure.savefig(buffer, format='svg', bbox_inches='tight')
    text = buffer.getvalue()
    return text[text.index('<svg'):]


def _figure(width, height):
    from matplotlib.figure import Figure  # noqa
    return Figure(figsize=(width, height), dpi=96)


def spread_chart(title, stats):
    """Each value of each iteration (dots) with the mean and its 95 % CI (bar), one column per
    entry of ``stats`` (MetricStatistics of one metric of one spec, differing in classifiers)."""
    figure = _figure(min(2 + 0.6 * len(stats), 10), 2.6)
    axes = figure.add_subplot()
    for x, s in enumerate(stats):
        axes.scatter([x] * s.count, s.values, s=14, color='#4c72b0', alpha=0.7, zorder=3)
        if s.ci95:
            axes.errorbar([x + 0.15], [s.mean], yerr=[[s.mean - s.ci95[0]], [s.ci95[1] - s.mean]],
                          fmt='o', color='#dd8452', capsize=4, zorder=4)
        else:
            axes.plot([x + 0.15], [s.mean], 'o', color='#dd8452', zorder=4)
    labels = [s.classifier_text or s.name for s in stats]
    axes.set_xticks(range(len(stats)))
    axes.set_xticklabels([re.sub(r'^(.{20}).+', r'\1…', t) for t in labels],
                         rotation=30 if len(stats) > 3 else 0, ha='right' if len(stats) > 3
                         else 'center', fontsize=8)
    axes.set_title(title, fontsize=10)
    axes.set_ylabel(stats[0].units or '', fontsize=8)
    axes.grid(axis='y', alpha=0.3)
    return _svg(figure)


def change_chart(comparisons):
    """Horizontal bars: each metric's change in percent, green when better, red when worse,
    grey when not significant."""
    shown = [c for c in comparisons if c.change is not None]
    figure = _figure(8, 0.8 + 0.28 * max(len(shown), 1))
    axes = figure.add_subplot()
    colours = {'better': '#55a868', 'worse': '#c44e52'}
    labels = ['{} {} {}'.format(c.id, c.name, c.classifier_text).strip() for c in shown]
    axes.barh(range(len(shown)), [c.change for c in shown],
              color=[colours.get(c.verdict, '#8c8c8c') for c in shown])
    axes.set_yticks(range(len(shown)))
    axes.set_yticklabels(labels, fontsize=8)
    axes.invert_yaxis()
    axes.axvline(0, color='black', linewidth=0.8)
    axes.set_xlabel('change from A to B (%)', fontsize=8)
    axes.grid(axis='x', alpha=0.3)
    return _svg(figure)

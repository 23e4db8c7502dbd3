"""``wa compare``: how the metrics of one run (or several pooled) changed in another."""
import csv
import io
import json
import sys

from wa.core.command import Command
from wa.core.exceptions import ConfigError

COLUMNS = ['id', 'label', 'metric', 'classifiers', 'units', 'a_count', 'a_mean', 'b_count',
           'b_mean', 'change_percent', 'test', 'p_value', 'verdict']


class CompareCommand(Command):
    name = 'compare'
    description = """Compare the metrics of run A (the baseline) with those of run B.

For each spec and metric: both means, the change from A to B in percent, whether
B is better or worse (from the metric's lower_is_better) and whether the change
is significant (Welch's t-test; the Mann-Whitney rank test when a sample does
not look normal). Metrics are matched by job id, metric name and classifiers.

Each side may pool several runs of the same agenda: give -a DIR and -b DIR once
per run, or a directory that holds several run directories (every run under it
is pooled).

  wa compare before/ after/
  wa compare -a base1 -a base2 -b new1 -b new2 --fail-on-regression 5

Exit status: 0; 1 with --fail-on-regression P when a metric got significantly
worse by more than P percent; 2 when a side has no run."""
    usage = 'wa compare RUN_A RUN_B | -a RUN_A... -b RUN_B... [options]'

    def add_arguments(self, parser):
        parser.add_argument('runs', nargs='*', metavar='RUN',
                            help='RUN_A and RUN_B: output directories, or directories of them.')
        parser.add_argument('-a', '--baseline', action='append', default=[], metavar='DIR',
                            help='A baseline run (repeat to pool several).')
        parser.add_argument('-b', '--new', action='append', default=[], metavar='DIR',
                            help='A run to compare with the baseline (repeat to pool several).')
        parser.add_argument('--alpha', type=float, default=0.05,
                            help='Significance level (default 0.05).')
        parser.add_argument('--csv', metavar='FILE', help='Also write the table as CSV '
                                                          '("-" for standard output).')
        parser.add_argument('--json', metavar='FILE', help='Also write it as JSON ("-": stdout).')
        parser.add_argument('--html', metavar='FILE', help='Write an HTML report with a chart.')
        parser.add_argument('--fail-on-regression', type=float, metavar='PERCENT',
                            help='Exit 1 when a metric is significantly worse by more than '
                                 'PERCENT percent.')

    def execute(self, args, loader):
        from wa.results.compare import compare_runs  # noqa
        side_a, side_b = _sides(args)
        comparisons = compare_runs(_load(side_a), _load(side_b), args.alpha)
        rows = [c.to_dict() for c in comparisons]
        quiet = '-' in (args.csv, args.json)
        if args.csv:
            _write(args.csv, _csv(rows))
        if args.json:
            _write(args.json, json.dumps({'a': side_a, 'b': side_b, 'alpha': args.alpha,
                                          'comparisons': rows}, indent=2) + '\n')
        if args.html:
            from wa.results.html import render_comparison  # noqa
            _write(args.html, render_comparison(comparisons, side_a, side_b, args.alpha))
        if not quiet:
            print(_terminal(comparisons))
        if args.fail_on_regression is not None:
            regressed = [c for c in comparisons if c.regressed(args.fail_on_regression)]
            if regressed:
                print('{} metric(s) regressed by more than {}%: {}'.format(
                    len(regressed), args.fail_on_regression,
                    ', '.join('{} {}'.format(c.id, c.name) for c in regressed)),
                    file=sys.stderr)
                return 1
        return 0


def _sides(args):
    if args.runs and (args.baseline or args.new):
        raise ConfigError('wa compare: give RUN_A RUN_B, or -a/-b, not both')
    if args.runs:
        if len(args.runs) != 2:
            raise ConfigError('wa compare: expected RUN_A and RUN_B, got {} run argument(s); '
                              'use -a/-b to pool several runs'.format(len(args.runs)))
        return [args.runs[0]], [args.runs[1]]
    if not args.baseline or not args.new:
        raise ConfigError('wa compare: nothing to compare: give RUN_A RUN_B, or -a and -b')
    return args.baseline, args.new


def _load(paths):
    from wa.results import discover_wa_outputs  # noqa
    runs = []
    for path in paths:
        found = list(discover_wa_outputs(path))
        if not found:
            raise ConfigError('"{}" holds no WA output directory (no result.json)'.format(path))
        runs.extend(found)
    return runs


def _write(path, text):
    if path == '-':
        sys.stdout.write(text)
    else:
        with open(path, 'w') as fh:
            fh.write(text)


def _csv(rows):
    text = io.StringIO()
    writer = csv.DictWriter(text, COLUMNS, extrasaction='ignore')
    writer.writeheader()
    for row in rows:
        writer.writerow(dict(row, classifiers=','.join(
            '{}={}'.format(k, v) for k, v in sorted(row['classifiers'].items()))))
    return text.getvalue()


def _terminal(comparisons):
    from wa.results.text import number, table, use_colour  # noqa
    colours = {'better': 'green', 'worse': 'red'}
    rows = [[c.id, c.name, c.classifier_text or '-', '{} (n={})'.format(
        number(c.a_mean), len(c.a_values)), '{} (n={})'.format(number(c.b_mean), len(c.b_values)),
        '{:+.2f}%'.format(c.change) if c.change is not None else '-',
        number(c.p_value, 2), c.verdict, c.units or ''] for c in comparisons]
    return table(['id', 'metric', 'classifiers', 'A mean', 'B mean', 'change', 'p', 'verdict',
                  'units'], rows, [colours.get(c.verdict) for c in comparisons], use_colour())

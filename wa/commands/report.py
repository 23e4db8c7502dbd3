"""``wa report``: what a run did, read from its output directory (also while it is going)."""
from collections import Counter

from wa.core.command import Command
from wa.core.exceptions import ConfigError


class ReportCommand(Command):
    name = 'report'
    description = """Show a run's status, timings, jobs, events and metric statistics.

Reads DIR's result.json (WA3 output directories too), so it also works on a run
that is still going: jobs not yet run show as NOT_STARTED. With --html FILE,
also writes a self-contained HTML report with a chart of each metric's values
across iterations."""
    usage = 'wa report DIR [--html FILE] [--no-metrics]'

    def add_arguments(self, parser):
        parser.add_argument('directory', metavar='DIR', help='An output directory of wa run.')
        parser.add_argument('--html', metavar='FILE', help='Also write an HTML report to FILE.')
        parser.add_argument('--no-metrics', action='store_true',
                            help='Leave out the metric statistics table.')

    def execute(self, args, loader):
        from wa.results import RunOutput  # noqa
        from wa.results.runoutput import is_output  # noqa
        if not is_output(args.directory):
            raise ConfigError('"{}" is not a WA output directory (no result.json and __meta/)'
                              .format(args.directory))
        run = RunOutput(args.directory)
        print(_text(run, not args.no_metrics))
        if args.html:
            from wa.results.html import render_run  # noqa
            with open(args.html, 'w') as fh:
                fh.write(render_run(run))
            print('HTML report written to {}'.format(args.html))
        return 0


def _text(run, with_metrics):
    from wa.results.stats import variation_warning  # noqa
    from wa.results.text import statistics_table, table  # noqa
    info = run.info
    counts = Counter(str(job.status) for job in run.jobs)
    lines = ['Run:       {}'.format(info.run_name or run.basepath),
             'Directory: {}'.format(run.basepath),
             'Status:    {}'.format(run.status),
             'Started:   {}'.format(info.start_time or '-'),
             'Ended:     {}'.format(info.end_time or '-'),
             'Duration:  {}'.format(info.duration or '-')]
    if run.metadata.get('target'):
        lines.append('Target:    {}'.format(run.metadata['target']))
    lines += ['Jobs:      {}'.format(', '.join('{} {}'.format(n, s)
                                               for s, n in sorted(counts.items()))), '']
    rows = [[job.id, job.label, job.iteration, job.status, job.retry,
             '{:.1f}s'.format(job.duration.total_seconds()) if job.duration else '-',
             job.events[0].message.splitlines()[0] if job.events else '']
            for job in run.jobs]
    lines.append(table(['id', 'label', 'iteration', 'status', 'retry', 'duration', 'event'],
                       rows))
    events = [(job.id, event) for job in run.all_attempts for event in job.events]
    events += [('run', event) for event in run.events]
    if events:
        lines += ['', 'Events:'] + ['  {} {} {}'.format(where, event.timestamp, line)
                                    for where, event in events
                                    for line in event.message.splitlines()[:1]]
    if with_metrics:
        stats = run.statistics
        if stats:
            lines += ['', 'Metrics (over iterations):', statistics_table(stats)]
            lines += variation_warning(stats)
    return '\n'.join(lines)

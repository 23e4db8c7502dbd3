"""What the console tells while a run goes: each job's position, an estimate of the time left,
whether to use colour, and the events worth repeating at the end of the run.

Pure functions over plain values and results, so the Runner and the Executor only call them.
"""
import os

# The commands that show more about a finished run (``wa report``, ``wa compare``).
MORE_COMMANDS = ('wa report {dir}', 'wa compare {dir} OTHER_DIR')


def use_colour(stream, setting=None, environ=None):
    """True when console output to ``stream`` should be coloured.

    ``NO_COLOR`` set to anything non-empty (https://no-color.org) always turns colour off;
    otherwise an explicit ``setting`` (the ``logging: {color: ...}`` config) wins, and without
    one colour is used only when ``stream`` is a terminal.
    """
    environ = os.environ if environ is None else environ
    if environ.get('NO_COLOR'):
        return False
    if setting is not None:
        return bool(setting)
    isatty = getattr(stream, 'isatty', None)
    return bool(isatty and isatty())


def format_duration(seconds):
    """A short duration for the console: ``45s``, ``3m10s``, ``2h05m``."""
    seconds = int(round(max(seconds, 0)))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return '{}h{:02d}m'.format(hours, minutes)
    if minutes:
        return '{}m{:02d}s'.format(minutes, secs)
    return '{}s'.format(secs)


class JobDurations:
    """The mean time of the job attempts of a growing list that have both a start and an end
    time (skipped jobs have neither, so they do not count), kept as a running sum: the ETA of
    the 100,000th job costs what the first one's does. Attempts run one at a time, so only the
    last one of the list may still be running: it is read again at the next call."""

    def __init__(self, results):
        self.results = results
        self.read = 0
        self.total = 0.0
        self.count = 0

    def mean(self):
        """Seconds, or None before any job has finished."""
        results = self.results
        while self.read < len(results):
            result = results[self.read]
            if result.end_time is None and result.start_time is not None and \
                    self.read == len(results) - 1:
                break
            if result.start_time is not None and result.end_time is not None:
                self.total += (result.end_time - result.start_time).total_seconds()
                self.count += 1
            self.read += 1
        return self.total / self.count if self.count else None

    def estimate_remaining(self, remaining):
        """Seconds left for ``remaining`` jobs (the current one included) at the mean; None
        before any job has finished."""
        mean = self.mean()
        return mean * remaining if mean is not None and remaining > 0 else None


def job_line(position, total, job_id, label, iteration, retry=0, eta=None):
    """The console line of a job starting, e.g. ``[5/12] wk2 stress_ng iteration 2 ... ETA
    3m10s``. ``position`` counts from 1; ``eta`` is in seconds, or None when unknown."""
    line = '[{}/{}] {} {} iteration {}'.format(position, total, job_id, label, iteration)
    if retry:
        line += ' (retry {})'.format(retry)
    if eta is not None:
        line += ' ... ETA {}'.format(format_duration(eta))
    return line


def event_lines(run_result):
    """``(where, message)`` for every event of the run and of each job attempt, run events
    first; ``where`` is ``run`` or ``<job id> iteration <n>``. Multi-line messages keep
    their first line (the full text is in result.json)."""
    lines = [('run', event.message) for event in run_result.events]
    for result in run_result.iteration_results:
        for event in result.events:
            where = '{} iteration {}'.format(result.id, result.iteration)
            if result.retry:
                where += ' (retry {})'.format(result.retry)
            lines.append((where, event.message))
    return [(where, (message.strip().splitlines() or [''])[0]) for where, message in lines]


def event_summary(run_result, limit=20):
    """The console's end-of-run list of events: a heading, the jobs' events (at most
    ``limit``; the rest are counted), and how many run-level events there are. Run-level
    warnings were each said once already when they happened, so they are counted here, not
    repeated; status.txt has every event. Empty when there are no events."""
    events = event_lines(run_result)
    if not events:
        return []
    job_events = [(where, message) for where, message in events if where != 'run']
    lines = ['Events (also in status.txt):']
    lines += ['  {}: {}'.format(where, message) for where, message in job_events[:limit]]
    if len(job_events) > limit:
        lines.append('  ... and {} more'.format(len(job_events) - limit))
    run_events = len(events) - len(job_events)
    if run_events:
        lines.append('  run: {} warning{} or error{} outside the jobs, listed in status.txt'.format(
            run_events, *(('s', 's') if run_events > 1 else ('', ''))))
    return lines


def more_hint(output_dir):
    """The summary's last line: which commands show more about the run in ``output_dir``."""
    return 'More: {}'.format('; '.join(cmd.format(dir=output_dir) for cmd in MORE_COMMANDS))

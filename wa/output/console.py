"""Console reporting of a run, as a listener of its events: one line as each job starts and
ends, and the summary once the run is over."""
import logging
from collections import Counter

from wa.output import progress
from wa.output.table import format_table

logger = logging.getLogger('runner')
summary_logger = logging.getLogger('executor')


class Console:
    """Reports job starts and ends through the ``runner`` logger (so into run.log too)."""

    def __init__(self, retry_on_status=(), queue=(), run_result=None):
        self.retry_on = tuple(retry_on_status)
        self.queue = queue
        self.results = run_result.iteration_results if run_result is not None else []
        self.first = len(self.results)  # attempts kept from an earlier run (--resume)
        self.durations = progress.JobDurations(self.results)

    def job_started(self, job, job_result):  # pylint: disable=unused-argument
        """``[5/12] wk2 stress_ng iteration 2 ... ETA 3m10s`` (wa.output.progress)."""
        position = len(self.results) - self.first
        eta = self.durations.estimate_remaining(len(self.queue) + 1)
        logger.info(progress.job_line(position, position + len(self.queue), job.id, job.label,
                                      job.iteration, job.retry, eta))

    def job_ended(self, job, job_result, retried):
        job_status = job_result.status
        if retried:
            logger.error('Job %s iteration %d completed with status %s. retrying...',
                         job.id, job.iteration, job_status)
        elif job_status in self.retry_on and job_status != 'ABORTED':
            logger.error('Job %s iteration %d completed with status %s. Max retries exceeded.',
                         job.id, job.iteration, job_status)
        else:
            logger.info('Job completed with status %s', job_status)


def summary(output, run_result, context):
    """The end-of-run summary: duration, counts by status, where the results are."""
    finals = run_result.final_attempts()
    counts = Counter(r.status for r in finals)
    log = summary_logger
    log.info('Done.')
    log.info('Run duration: %s', format_duration(run_result.duration or 0))
    log.info('Ran a total of %d iterations: %s', len(finals),
             ', '.join('{} {}'.format(n, s) for s, n in sorted(counts.items())))
    log.info('Run status: %s', run_result.status)
    if run_result.metadata.get('target'):
        log.info('Target: %s', run_result.metadata['target'])
    for line in progress.event_summary(run_result):
        log.info(line)
    log.info('Results can be found in %s', output.root)
    log.info(progress.more_hint(output.root))
    if context.errors_logged:
        log.warning('There were errors during execution.')
        log.warning('Please see %s', output.log_file)
    elif context.warnings_logged:
        log.warning('There were warnings during execution.')
        log.warning('Please see %s', output.log_file)


def log_callback_times(timings):
    """With --debug: the seconds spent in each plugin's callbacks, as a table in run.log."""
    if not timings:
        return
    rows = [('plugin', 'seconds')] + [(name, '{:.3f}'.format(seconds))
                                      for name, seconds in timings.most_common()]
    for line in format_table(rows, '<>', gap='  '):
        logger.debug('callback time: %s', line)


def format_duration(seconds):
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return '{}:{:02d}:{:02d}'.format(hours, minutes, secs) if hours else \
        '{}m {}s'.format(minutes, secs) if minutes else '{:.1f} seconds'.format(seconds)

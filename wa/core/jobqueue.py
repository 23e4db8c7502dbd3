"""The JobQueue: the jobs still to run, and every decision about them (retry, skip, abort, bail,
and whether a spec ends after a job). It holds no results and sends no signals, so each rule
is tested on its own (tests/core/test_jobqueue.py); the Runner records what it decides."""
from collections import deque

from wa.core import status as st


class JobQueue:
    """Jobs in the order they will run. ``settings`` are the run's (retry_on_status,
    max_retries, bail_on_job_failure)."""

    def __init__(self, jobs, settings):
        self._jobs = deque(jobs)
        self.retry_on = tuple(settings.get('retry_on_status', ()))
        self.max_retries = settings.get('max_retries', 0)
        self.bail_on_failure = settings.get('bail_on_job_failure', False)

    def __len__(self):
        return len(self._jobs)

    def __iter__(self):
        return iter(self._jobs)

    def pop(self):
        """The next job, taken off the queue."""
        return self._jobs.popleft()

    def peek(self):
        """The next job, or None."""
        return self._jobs[0] if self._jobs else None

    def drain(self):
        """Takes every queued job off the queue (to record it as not run); returns them."""
        jobs = list(self._jobs)
        self._jobs.clear()
        return jobs

    def should_retry(self, job, job_status, interrupted=False):
        """An attempt whose final status is in retry_on_status is tried again, up to
        max_retries times; never an ABORTED one, nor any once the run is interrupted."""
        return (not interrupted and job_status != st.ABORTED and job_status in self.retry_on
                and job.retry < self.max_retries)

    def retry(self, job):
        """Queues the next attempt of ``job``'s iteration at the head; returns it."""
        again = job.retried()
        self._jobs.appendleft(again)
        return again

    def gave_up(self, job_status):
        """True if an attempt with this status that is not retried failed for good."""
        return job_status in self.retry_on and job_status != st.ABORTED

    def spec_ends_after(self, job, interrupted=False):
        """True if ``job`` is the last of its spec's run of jobs (signals.md §6): the run was
        interrupted, the queue is empty, the next job has another spec, or the spec was
        disabled."""
        following = self.peek()
        return (interrupted or following is None or following.spec is not job.spec
                or not job.spec.enabled)

    def bails_after(self, job, job_status):
        """With bail_on_job_failure: True once ``job`` failed for good (its status is one
        that is retried and no retry of it is next)."""
        if not self.bail_on_failure or job_status not in self.retry_on:
            return False
        following = self.peek()
        return not (following is not None and following.spec is job.spec
                    and following.iteration == job.iteration)

"""Unit tests of the JobQueue's decisions: retry, bail, spec ends (signals.md §6)."""
from wa.core import status as st
from wa.core.jobqueue import JobQueue
from wa.core.jobs import Job


class Spec:
    def __init__(self, spec_id, enabled=True):
        self.id = spec_id
        self.label = spec_id
        self.enabled = enabled


SETTINGS = {'retry_on_status': [st.FAILED, st.PARTIAL], 'max_retries': 2,
            'bail_on_job_failure': False}


def queue_of(*specs, settings=SETTINGS):
    return JobQueue([Job(spec, i) for spec in specs for i in (1, 2)], settings)


def test_pop_peek_drain():
    a, b = Spec('a'), Spec('b')
    queue = queue_of(a, b)
    assert len(queue) == 4 and queue.peek().spec is a
    assert queue.pop().iteration == 1
    assert [(j.spec.id, j.iteration) for j in queue.drain()] == [('a', 2), ('b', 1), ('b', 2)]
    assert not queue and queue.peek() is None


def test_retry_goes_to_the_head_with_the_same_iteration():
    queue = queue_of(Spec('a'))
    job = queue.pop()
    assert queue.should_retry(job, st.FAILED)
    again = queue.retry(job)
    assert queue.peek() is again and (again.iteration, again.retry) == (1, 1)


def test_no_retry_beyond_max_of_aborted_or_when_interrupted():
    queue = queue_of(Spec('a'))
    job = queue.pop()
    assert not queue.should_retry(job, st.OK)
    assert not queue.should_retry(job, st.ABORTED)
    assert not queue.should_retry(job, st.FAILED, interrupted=True)
    last = Job(job.spec, 1, retry=2)
    assert not queue.should_retry(last, st.FAILED)


def test_spec_ends_when_the_next_job_has_another_spec():
    a, b = Spec('a'), Spec('b')
    queue = queue_of(a, b)
    first = queue.pop()
    assert not queue.spec_ends_after(first)
    assert queue.spec_ends_after(first, interrupted=True)
    second = queue.pop()
    assert queue.spec_ends_after(second)


def test_a_retry_stays_inside_its_spec():
    a = Spec('a')
    queue = JobQueue([Job(a, 1)], SETTINGS)
    job = queue.pop()
    queue.retry(job)
    assert not queue.spec_ends_after(job)


def test_a_disabled_spec_ends():
    a = Spec('a')
    queue = queue_of(a)
    job = queue.pop()
    a.enabled = False
    assert queue.spec_ends_after(job)


def test_bail_only_once_the_job_failed_for_good():
    settings = dict(SETTINGS, bail_on_job_failure=True)
    queue = queue_of(Spec('a'), settings=settings)
    job = queue.pop()
    assert not queue.bails_after(job, st.OK)
    queue.retry(job)
    assert not queue.bails_after(job, st.FAILED)
    retry = queue.pop()
    assert queue.bails_after(retry, st.FAILED)
    assert not queue_of(Spec('b')).bails_after(job, st.FAILED)

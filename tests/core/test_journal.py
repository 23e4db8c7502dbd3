"""Unit tests of the Journal: after every event result.json is complete and valid, and equal
to the run's record (finished attempts, the running one, the queued ones as NOT_STARTED)."""
import json
import os

import pytest

from wa.core import status as st
from wa.core.jobqueue import JobQueue
from wa.core.jobs import Job
from wa.output.journal import Journal
from wa.output.directory import RunOutput
from wa.core.results import JobResult, RunResult


class Spec:
    def __init__(self, index):
        self.id = 'wk{}'.format(index)
        self.label = 'idle'
        self.workload_name = 'idle'
        self.classifiers = {}
        self.enabled = True


@pytest.fixture
def run(tmp_path):
    output = RunOutput(str(tmp_path / 'out'))
    os.makedirs(output.meta)
    run_result = RunResult(output.root)
    run_result.status = st.RUNNING
    queue = JobQueue([Job(Spec(i), 1) for i in range(5)], {})
    return output, run_result, queue, Journal(output, run_result, lambda: queue)


def expected(run_result, queue, running=None):
    pending = [JobResult(j.id, j.spec, j.iteration, j.retry) for j in queue]
    data = run_result.to_dict(pending=pending)
    if running is not None:
        assert data['jobs'][len(run_result.iteration_results) - 1]['status'] == st.RUNNING
    return normalised(json.loads(json.dumps(data, default=str)))


def read(output):
    with open(output.result_file) as fh:
        return normalised(json.load(fh))


def normalised(data):
    """The queued jobs' NOT_STARTED entries may be in any order (the journal writes them last
    queued first during the run); everything else is compared in order."""
    jobs = data['jobs']
    queued = sorted((j for j in jobs if j['status'] == st.NOT_STARTED),
                    key=lambda j: (j['id'], j['iteration'], j['retry']))
    data['jobs'] = [j for j in jobs if j['status'] != st.NOT_STARTED] + queued
    return data


def run_jobs(output, run_result, queue, journal, check):
    journal.run_started()
    check()
    while queue:
        job = queue.pop()
        result = JobResult(job.id, job.spec, 1, job.retry, output.root)
        result.status = st.RUNNING
        run_result.iteration_results.append(result)
        journal.job_started(job, result)
        check(result)
        result.add_metric('m', 1.0, 'units')
        retried = job.id == 'wk1' and job.retry == 0
        result.status = st.FAILED if retried else st.OK
        if retried:
            queue.retry(job)
        journal.job_ended(job, result, retried)
        check()


def test_every_write_is_the_whole_record(run):
    output, run_result, queue, journal = run

    def check(running=None):
        assert read(output) == expected(run_result, queue, running)

    run_jobs(output, run_result, queue, journal, check)
    run_result.status = st.OK
    run_result.metadata['grown'] = 'x' * 10000  # more than the header's slack
    journal.jobs_not_run()
    check()
    journal.run_ended()
    check()
    with open(output.result_file) as fh:
        assert [j['id'] for j in json.load(fh)['jobs']] == \
            [r.id for r in run_result.iteration_results]
    assert not [name for name in os.listdir(output.meta) if name.startswith('.journal')]


def test_without_hard_links_whole_writes(run, monkeypatch):
    output, run_result, queue, journal = run

    def no_link(*args):
        raise OSError('no hard links here')

    def check(running=None):
        assert read(output) == expected(run_result, queue, running)

    monkeypatch.setattr(os, 'link', no_link)
    run_jobs(output, run_result, queue, journal, check)


def test_images_of_a_killed_run_are_never_written_over(run):
    """After a SIGKILL, result.json is a hard link to one of the images: a resumed run's
    journal makes new images rather than writing into result.json's own inode."""
    output, run_result, queue, journal = run
    journal.run_started()
    job = queue.pop()
    result = JobResult(job.id, job.spec, 1, 0, output.root)
    result.status = st.RUNNING
    run_result.iteration_results.append(result)
    journal.job_started(job, result)
    with open(output.result_file) as fh:
        before = fh.read()
    inode = os.stat(output.result_file).st_ino
    Journal(output, run_result, lambda: queue)
    assert os.stat(output.result_file).st_ino == inode
    with open(output.result_file) as fh:
        assert fh.read() == before
    assert not [name for name in os.listdir(output.meta) if name.startswith('.journal')]

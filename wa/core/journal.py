"""The Journal: keeps ``result.json`` a complete record of the run at every moment.

It listens to the run's events (run started, job started, job ended, jobs not run, run ended)
and rewrites ``result.json`` atomically (temp file + rename, ``output.write_text``) after each.
Every finished attempt is serialised once, when it ends, and kept as JSON text, so a rewrite
costs one join and one write, not a re-serialisation of the whole run: the cost per job does
not grow with the number of jobs already run. While the run goes on, the file holds every
finished attempt, the RUNNING one, and a NOT_STARTED entry for each queued job, so a run that
is killed at any moment leaves a valid, complete record (CONTRACT.md, "Output directory").
"""
import json
import os
import textwrap

from wa.core import status as st
from wa.core.output import write_json, write_text
from wa.core.results import JobResult

_INDENT = ' ' * 4


def _fragment(job_result):
    """A job entry as the text of one item of the ``jobs`` list of result.json."""
    return textwrap.indent(json.dumps(job_result.to_dict(), indent=2, default=str), _INDENT)


class Journal:
    """Writes ``result.json`` for one run into ``output`` (a RunOutput).

    ``pending`` is called with no argument for the jobs still queued (Job objects), in order.
    """

    def __init__(self, output, run_result, pending):
        self.output = output
        self.run_result = run_result
        self.pending = pending
        self.running = None
        self._done = []        # serialised attempts, in the order of run_result.iteration_results
        self._counted = 0      # how many of run_result.iteration_results are in _done
        self._not_started = {}  # id(Job) -> (job, its NOT_STARTED entry)

    # -- events ------------------------------------------------------------------------------
    def run_started(self):
        self._catch_up()
        self.write()

    def job_started(self, job, job_result):  # pylint: disable=unused-argument
        self.running = job_result
        self.write()

    def job_ended(self, job, job_result, retried):  # pylint: disable=unused-argument
        """Writes the attempt's own ``<job dir>/result.json`` and the run's record."""
        if job_result.output_dir and os.path.isdir(job_result.output_dir):
            write_json(os.path.join(job_result.output_dir, 'result.json'), job_result.to_dict())
        if self.running is job_result:
            self.running = None
        self.write()

    def jobs_not_run(self):
        """Some jobs were recorded as SKIPPED/ABORTED without running."""
        self.write()

    def run_ended(self):
        """The last write: everything serialised afresh, so that changes processors made to
        earlier attempts at the end of the run are kept."""
        self.running = None
        self._done, self._counted = [], 0
        self.write()

    # -- writing -----------------------------------------------------------------------------
    def _catch_up(self):
        """Serialises the attempts recorded since the last write (each exactly once)."""
        results = self.run_result.iteration_results
        for result in results[self._counted:]:
            if result is self.running or result.status in (st.RUNNING, st.NOT_STARTED):
                break
            self._done.append(_fragment(result))
            self._counted += 1

    def _pending_fragments(self):
        queued = list(self.pending())
        cache = {}
        for job in queued:
            known = self._not_started.get(id(job))
            if known is None or known[0] is not job:
                known = (job, _fragment(JobResult(job.id, job.spec, job.iteration, job.retry)))
            cache[id(job)] = known
        self._not_started = cache
        return [text for _, text in cache.values()]

    def text(self):
        """result.json as it stands now."""
        self._catch_up()
        fragments = list(self._done)
        if self.running is not None:
            fragments.append(_fragment(self.running))
        fragments.extend(self._pending_fragments())
        head_text = json.dumps(self.run_result.header_dict(), indent=2, default=str)
        jobs = '[\n' + ',\n'.join(fragments) + '\n  ]' if fragments else '[]'
        return '{},\n  "jobs": {}\n}}\n'.format(head_text[:-2], jobs)

    def write(self):
        write_text(self.output.result_file, self.text())

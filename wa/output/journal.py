"""The Journal: keeps ``result.json`` a complete record of the run at every moment.

It listens to the run's events (run started, job started, job ended, jobs not run, results
processing, run ended) and publishes ``result.json`` after each. Every finished attempt is
serialised once, when it ends, and kept as JSON text; during the jobs the file is published
through a JournalFile, so one update costs the same at job 10,000 as at job 10 (see
bench/bench_journal.py). While the run goes on, the file holds every finished attempt, the
RUNNING one, and a NOT_STARTED entry for each queued job, so a run killed at any moment
leaves a valid, complete record (CONTRACT.md, "Output directory"). Before the run-level
result processing, and at the very end, the whole file is written afresh (``write_text``:
temp file + rename), so that what processors changed is kept.
"""
import json
import logging
import os

from wa.core import status as st
from wa.core.exceptions import OutputError
from wa.output.journal_file import JournalFile, PendingEntries
from wa.output.directory import write_text
from wa.core.results import fragment as _fragment

logger = logging.getLogger('journal')


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
        self._pending = PendingEntries()
        self._ended = None     # (job result, its JSON text) as just written to its job directory
        self._head = (None, None)  # (compact JSON, indented text) of the last header
        self.failed = False
        self._file = JournalFile(output.result_file, output.meta)

    # -- events ------------------------------------------------------------------------------
    def run_started(self):
        self.write()

    def job_started(self, job, job_result):  # pylint: disable=unused-argument
        self.running = job_result
        self.write()

    def job_ended(self, job, job_result, retried):  # pylint: disable=unused-argument
        """Writes the attempt's own ``<job dir>/result.json`` and the run's record."""
        if self.running is job_result:
            self.running = None
        if job_result.output_dir:
            path = os.path.join(job_result.output_dir, 'result.json')
            text = json.dumps(job_result.to_dict(), indent=2, default=str)
            self._ended = (job_result, text)  # serialised once for both files
            try:
                write_text(path, text + '\n')
            except OSError as error:
                self.write()  # the run's record first, if it can still be written
                raise OutputError('Cannot write {}: {}'.format(path, error.strerror or error))
        self.write()

    def jobs_not_run(self):
        """Some jobs were recorded as SKIPPED/ABORTED without running."""
        self.write()

    def results_processing(self):
        """The jobs are over: from now on, whole writes, and no journal images in __meta."""
        self._end_images()
        self.write()

    def run_ended(self):
        """The last write: everything serialised afresh, so that changes processors made to
        earlier attempts at the end of the run are kept."""
        self.running = None
        self._done = []
        self._end_images()
        self.write()

    # -- writing -----------------------------------------------------------------------------
    def _end_images(self):
        if self._file is not None:
            self._file.close()
            self._file = None

    def _catch_up(self):
        """Serialises the attempts recorded since the last write (each exactly once)."""
        results = self.run_result.iteration_results
        for result in results[len(self._done):]:
            if result is self.running or result.status in (st.RUNNING, st.NOT_STARTED):
                break
            ended, text = self._ended or (None, None)
            self._done.append(_fragment(result, text if result is ended else None))
        self._ended = None

    def _loose(self):
        """The entries between the attempts and the buffered queued jobs: the running one and
        any queued job not in the buffer (a retry)."""
        loose = [_fragment(self.running)] if self.running is not None else []
        return loose + self._pending.loose(self.pending())

    def _header(self):
        """The run's own fields, as the opening of result.json without its closing brace."""
        header = self.run_result.header_dict()
        compact = json.dumps(header, default=str)  # C encoder: cheap to compare
        if compact != self._head[0]:
            self._head = (compact, json.dumps(header, indent=2, default=str)[:-2])
        return self._head[1]

    def text(self):
        """result.json as it stands now, every entry in order."""
        self._catch_up()
        entries = ',\n'.join(self._done + self._loose())
        queued = self._pending.text(first_entry=not entries)
        return '{},\n  "jobs": [\n{}{}\n  ]\n}}\n'.format(self._header(), entries, queued)

    def write(self):
        """Publishes result.json; an OutputError (naming the file) the first time it fails.
        Later failures are only logged at debug level: the run is already stopping."""
        try:
            self._write()
            return
        except OSError as error:
            failure = 'Cannot write {}: {}'.format(self.output.result_file,
                                                   error.strerror or error)
        if self.failed:
            logger.debug(failure)
            return
        self.failed = True
        raise OutputError(failure)

    def _write(self):
        if self._file is not None:
            self._catch_up()
            loose = self._loose()
            if not (self._done or loose):
                write_text(self.output.result_file, self.text())
                return
            if self._file.publish(self._header(), self._done, loose, self._pending):
                return
            self._end_images()
        write_text(self.output.result_file, self.text())

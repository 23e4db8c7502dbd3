"""Publishing result.json at a cost that does not grow with the jobs already recorded.

A rename replaces result.json atomically, but writing a whole new file each time costs as much
as the file is long. Instead, two images of the file are kept in ``__meta`` (``.journal-0``,
``.journal-1``), each also reachable by a hard link. The image that is *not* result.json is
brought up to date (a header of fixed size rewritten in place, the attempts it lacks
appended, the tail of running and queued jobs rewritten, the rest cut off) and then published
with ``link`` + ``rename`` over result.json. result.json itself is never written to, so a run
killed at any moment leaves the last complete image; the cost of one update is that of the
header, the new attempts and the tail.

Where hard links are not supported, ``publish`` returns False and the Journal falls back to a
whole write (``output.write_text``).
"""
import json
import os

from wa.core.output import FILE_MODE
from wa.core.results import JobResult

HEADER_SLACK = 4096  # bytes of spaces kept after the run's fields, for them to grow into
JOBS_OPEN = ',\n  "jobs": [\n'
CLOSE = '\n  ]\n}\n'


class _Image:
    """One of the two files, and how much of the run's attempts it already holds."""

    def __init__(self, path):
        self.path = path
        self.header_size = None  # bytes of the header region it was written with
        self.count = 0           # attempts it holds
        self.end = 0             # byte offset where its attempts end


class JournalFile:
    """Publishes result.json made of ``header`` (the run's fields as JSON members, text),
    ``done`` (serialised attempts, only ever appended to) and ``tail`` (buffers of the rest
    of the entries, each with its leading comma where one is needed)."""

    def __init__(self, result_file, meta_dir):
        self.result_file = result_file
        self.meta_dir = meta_dir
        self.images = [_Image(os.path.join(meta_dir, '.journal-{}'.format(i))) for i in (0, 1)]
        self.spare = 0
        self.header_size = None

    def publish(self, header, done, tail):
        """Brings the spare image up to date and renames it over result.json; False if the
        file system has no hard links (nothing is then changed)."""
        if self.header_size is None or len(header.encode()) + len(JOBS_OPEN) > self.header_size:
            self.header_size = len(header.encode()) + HEADER_SLACK + len(JOBS_OPEN)
        image = self.images[self.spare]
        flags = os.O_RDWR | os.O_CREAT
        fd = os.open(image.path, flags, FILE_MODE)
        try:
            if image.header_size != self.header_size:
                image.header_size, image.count, image.end = self.header_size, 0, self.header_size
            region = header.encode()
            region += b' ' * (self.header_size - len(region) - len(JOBS_OPEN)) + JOBS_OPEN.encode()
            os.pwrite(fd, region, 0)
            if image.count < len(done):
                added = ''.join(_separated(done, image.count)).encode()
                os.pwrite(fd, added, image.end)
                image.end += len(added)
                image.count = len(done)
            rest = list(tail) + [CLOSE.encode()]
            os.pwritev(fd, rest, image.end)
            os.ftruncate(fd, image.end + sum(len(part) for part in rest))
        finally:
            os.close(fd)
        if not self._link_over(image.path):
            return False
        self.spare = 1 - self.spare
        return True

    def _link_over(self, path):
        staging = os.path.join(self.meta_dir, '.journal-publish')
        try:
            if os.path.lexists(staging):
                os.unlink(staging)
            os.link(path, staging)
        except OSError:
            return False
        os.replace(staging, self.result_file)
        return True

    def close(self):
        """Removes the images' own names (result.json keeps its content)."""
        for image in self.images:
            if os.path.lexists(image.path):
                os.unlink(image.path)


def _separated(fragments, start):
    """``fragments[start:]``, each preceded by the ``,\\n`` that JSON needs between items."""
    for index in range(start, len(fragments)):
        yield (',\n' if index else '') + fragments[index]


class PendingEntries:
    """The NOT_STARTED entries of the queued jobs, serialised once as one buffer.

    Jobs leave the queue from its head, and retries join it there, so the queued jobs are
    always a few new (loose) jobs followed by the jobs of the buffer from some index on: the
    entries then cost a slice of the buffer, not a join of every queued job's entry.
    """

    def __init__(self):
        self.jobs = []      # the jobs the buffer was made for, in order
        self.starts = [0]   # byte offset of each entry in the buffer, and its end
        self.buffer = memoryview(b'')
        self.first = 0      # index of the first buffered job still queued

    def loose(self, queue):
        """Entries (text) of the jobs at the head of ``queue`` that are not in the buffer;
        re-makes the buffer if the queue is not loose jobs + the buffer from some index."""
        count = len(queue)
        head = []
        for job in queue:
            index = self._index(job)
            if index is not None:
                if count - len(head) == len(self.jobs) - index:
                    self.first = index
                    return [_not_started(job) for job in head]
                break
            head.append(job)
        if len(head) == count and not head:
            self.first = len(self.jobs)
            return []
        self._rebuild(list(queue))
        return []

    def _index(self, job):
        """The index of ``job`` in the buffer, looked for from the current first one on."""
        for index in range(self.first, min(self.first + 2, len(self.jobs))):
            if self.jobs[index] is job:
                return index
        return None

    def _rebuild(self, jobs):
        parts = [(',\n' + _not_started(job)).encode() for job in jobs]
        self.jobs, self.first, self.starts = jobs, 0, [0]
        for part in parts:
            self.starts.append(self.starts[-1] + len(part))
        self.buffer = memoryview(b''.join(parts))

    def rest(self, strip_comma=False):
        """The buffered entries of the jobs still queued, as one buffer."""
        start = self.starts[self.first]
        if strip_comma and self.first < len(self.jobs):
            start += 2
        return self.buffer[start:]


def _not_started(job):
    """A queued job's entry, on one line: these are rewritten with every update."""
    entry = JobResult(job.id, job.spec, job.iteration, job.retry).to_dict()
    return '    ' + json.dumps(entry, default=str, separators=(', ', ': '))

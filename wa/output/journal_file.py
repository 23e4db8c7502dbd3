"""Publishing result.json at a cost that does not grow with the jobs already recorded.

A rename replaces result.json atomically, but writing a whole new file each time costs as much
as the file is long. Instead, two images of the file are kept in ``__meta`` (``.journal-0``,
``.journal-1``), each also reachable by a hard link. The image that is *not* result.json is
brought up to date (a header of fixed size rewritten in place, the attempts it lacks
appended, the running entry rewritten, the entries of jobs that left the queue blanked out) and then published
with ``link`` + ``rename`` over result.json. result.json itself is never written to, so a run
killed at any moment leaves the last complete image; the cost of one update is that of the
header, the new attempts and the tail.

Where hard links are not supported, ``publish`` returns False and the Journal falls back to a
whole write (``output.write_text``).
"""
import json
import os

from wa.output.directory import FILE_MODE
from wa.core.results import JobResult

HEADER_SLACK = 4096  # bytes of spaces kept after the run's fields, for them to grow into
MIN_GAP = 1 << 16    # bytes of spaces kept at least between the attempts and the queued jobs
JOBS_OPEN = ',\n  "jobs": [\n'
CLOSE = b'\n  ]\n}\n'


class _Image:
    """One of the two files, and what it holds: the attempts up to ``end``, the loose entries
    up to ``written``, spaces up to ``queued_at``, then the queued jobs' entries in queue order
    (those of jobs that left the queue blanked out with spaces)."""

    def __init__(self, path):
        self.path = path
        self.header_size = None  # bytes of the header region it was written with
        self.count = 0           # attempts it holds
        self.end = 0             # byte offset where its attempts end
        self.written = 0         # byte offset where the text after the attempts ends
        self.queued_at = None    # byte offset of the queued jobs' entries
        self.queued = None       # (generation, first) of the PendingEntries it holds


class JournalFile:
    """Publishes result.json made of ``header`` (the run's fields as JSON members, text),
    ``done`` (serialised attempts, only ever appended to), ``loose`` (the running entry and
    queued jobs not in ``pending``, text) and ``pending`` (a PendingEntries)."""

    def __init__(self, result_file, meta_dir):
        self.result_file = result_file
        self.meta_dir = meta_dir
        self.images = [_Image(os.path.join(meta_dir, '.journal-{}'.format(i))) for i in (0, 1)]
        self.spare = 0
        self.header_size = None
        # Images left by a killed run may be result.json itself (a hard link): new ones are
        # made, never written over.
        self.close()

    def publish(self, header, done, loose, pending):
        """Brings the spare image up to date and renames it over result.json; False if the
        file system has no hard links. Needs at least one attempt or loose entry (JSON has
        no place for the comma before the first queued entry otherwise)."""
        if self.header_size is None or len(header.encode()) + len(JOBS_OPEN) > self.header_size:
            self.header_size = len(header.encode()) + HEADER_SLACK + len(JOBS_OPEN)
        image = self.images[self.spare]
        fd = os.open(image.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            if image.header_size != self.header_size:
                image.header_size, image.count = self.header_size, 0
                image.end = image.written = self.header_size
                image.queued_at = None
            region = header.encode()
            region += b' ' * (self.header_size - len(region) - len(JOBS_OPEN)) + JOBS_OPEN.encode()
            os.pwrite(fd, region, 0)
            if image.count < len(done):
                added = ''.join(_separated(done, image.count)).encode()
                os.pwrite(fd, added, image.end)
                image.end += len(added)
                image.count = len(done)
            after = ''.join(_separated(loose, 0, bool(done))).encode()
            self._place_queued(fd, image, pending, image.end + len(after))
            blank = max(0, min(image.written, image.queued_at) - image.end - len(after))
            os.pwrite(fd, after + b' ' * blank, image.end)
            image.written = image.end + len(after)
        finally:
            os.close(fd)
        if not self._link_over(image.path):
            return False
        self.spare = 1 - self.spare
        return True

    @staticmethod
    def _place_queued(fd, image, pending, needed):
        """Writes the queued jobs' entries after a gap of spaces if they must move (or were
        never written), else blanks out those of the jobs that left the queue."""
        state = (pending.generation, pending.first)
        region = pending.region()
        start = pending.offset(pending.first)
        if image.queued_at is None or needed > image.queued_at or \
                image.queued is None or image.queued[0] != pending.generation:
            image.queued_at = needed + max(MIN_GAP, needed - image.header_size)
            os.pwrite(fd, b' ' * (image.queued_at - image.end), image.end)
            image.written = image.end
            os.pwritev(fd, [b' ' * start, region[start:], CLOSE], image.queued_at)
            os.ftruncate(fd, image.queued_at + len(region) + len(CLOSE))
        elif image.queued != state:
            left = pending.offset(image.queued[1])
            os.pwrite(fd, b' ' * (start - left), image.queued_at + left)
        image.queued = state

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


def _separated(fragments, start, before=False):
    """``fragments[start:]``, each preceded by the ``,\\n`` that JSON needs between items."""
    for index in range(start, len(fragments)):
        yield (',\n' if index or before else '') + fragments[index]


class PendingEntries:
    """The NOT_STARTED entries of the queued jobs, serialised once as one buffer.

    Jobs leave the queue from its head, and retries join it there, so the queued jobs are
    always a few new (loose) jobs followed by the jobs of the buffer from some index on. In
    the images the entries are written in queue order; a job that leaves the queue has its
    entry overwritten with spaces (JSON whitespace), so dropping it costs one entry's bytes.
    """

    def __init__(self):
        self.jobs = []      # the jobs the buffer was made for, in order
        self.parts = []     # their entries, each with its leading ``,\n``
        self.starts = [0]   # starts[i]: byte offset of job i's entry in the buffer
        self.buffer = b''   # the entries, in queue order
        self.first = 0      # index of the first buffered job still queued
        self.generation = 0

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
        self.jobs, self.first = jobs, 0
        self.parts = [(',\n' + _not_started(job)).encode() for job in jobs]
        self.starts = [0]
        for part in self.parts:
            self.starts.append(self.starts[-1] + len(part))
        self.buffer = b''.join(self.parts)
        self.generation += 1

    def region(self):
        """Every buffered entry, in queue order (those before ``offset(first)`` have left)."""
        return self.buffer

    def offset(self, index):
        """Where the entry of buffered job ``index`` starts in ``region()``."""
        return self.starts[index]

    def text(self, first_entry=False):
        """The entries of the jobs still queued (text), without the leading comma if they are
        the first entries of the list."""
        text = b''.join(self.parts[self.first:]).decode()
        return text[2:] if first_entry and text else text


def _not_started(job):
    """A queued job's entry, on one line: these are rewritten with every update."""
    entry = JobResult(job.id, job.spec, job.iteration, job.retry).to_dict()
    return '    ' + json.dumps(entry, default=str, separators=(', ', ': '))

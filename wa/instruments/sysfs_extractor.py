"""The ``sysfs_extractor`` instrument: chosen sysfs/procfs paths before and after each job."""
import fnmatch

from wa import Parameter, NotSupportedError, types
from wa.instruments._snapshot import SnapshotInstrument
from wa.instruments._target import expand_globs


class SysfsExtractor(SnapshotInstrument):

    name = 'sysfs_extractor'
    description = """Copies chosen sysfs/procfs paths before and after each job, with a diff.

    Every readable regular file under each of ``paths`` (globs allowed; symbolic links inside
    directories are not followed) is read in ``slow_start``, just before the workload runs, and
    again in ``slow_stop``, right after. The job directory gets ``sysfs_extractor/before/``,
    ``sysfs_extractor/after/`` and ``sysfs_extractor/diff/``, each keeping the target paths
    (``/proc/meminfo`` becomes ``before/proc/meminfo``). A diff file exists only for a file that
    changed: numbers show ``after - before``, changed words ``old->new``.
    Files are read as root when the target is rooted; some sysfs files need it.
    """
    parameters = [
        Parameter('paths', kind=types.list_of_str, mandatory=True,
                  description='Target paths to copy: files or directories (copied recursively); '
                              'shell globs such as /sys/class/thermal/thermal_zone* are '
                              'expanded on the target.'),
        Parameter('max_file_size', kind=int, default=1048576, constraint=lambda v: v > 0,
                  description='At most this many bytes are read from each file.'),
    ]
    dirname = 'sysfs_extractor'

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.found = []

    def snapshot_paths(self):
        return self.found

    def initialize(self, context):
        self.found = expand_globs(self.target, self.paths)
        if not self.found:
            raise NotSupportedError('none of the paths exist on the target: {}'.format(
                ', '.join(self.paths)))
        missing = [p for p in self.paths if not any(fnmatch.fnmatchcase(f, p) for f in self.found)]
        if missing:
            self.logger.warning('These paths do not exist on the target and are skipped: %s',
                                ', '.join(missing))

    def slow_start(self, context):
        self.take_before(context)

    def slow_stop(self, context):
        self.take_after(context)

    def update_result(self, context):
        self.write_results(context)


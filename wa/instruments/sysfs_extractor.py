"""The ``sysfs_extractor`` instrument: chosen sysfs/procfs paths before and after each job."""
import fnmatch
import posixpath
import re
import shlex

from wa import Parameter, NotSupportedError, types
from wa.utils.snapshot import SnapshotInstrument
from wa.utils.target_files import expand_globs, read_files


class SysfsExtractor(SnapshotInstrument):

    name = 'sysfs_extractor'
    description = """Copies chosen sysfs/procfs paths before and after each job, with a diff.

    Every readable regular file under each of ``paths`` (globs allowed; symbolic links inside
    directories are not followed) is read in ``slow_start``, just before the workload runs, and
    again in ``slow_stop``, right after. The job directory gets ``sysfs_extractor/before/``,
    ``sysfs_extractor/after/`` and ``sysfs_extractor/diff/``, each keeping the target paths
    (``/proc/meminfo`` becomes ``before/proc/meminfo``). A diff file exists only for a file that
    changed: numbers show ``after - before``, changed words ``old->new``.
    Files are read as root when the target is rooted; some sysfs files need it. With
    ``use_tmpfs`` (WA3's option, on by default where the target is rooted) each snapshot is
    first copied into a tmpfs on the target, then read from there.
    """
    parameters = [
        Parameter('paths', kind=types.list_of_str, mandatory=True, global_alias='sysfs_extract_dirs',
                  description='Target paths to copy: files or directories (copied recursively); '
                              'shell globs such as /sys/class/thermal/thermal_zone* are '
                              'expanded on the target.'),
        Parameter('max_file_size', kind=int, default=1048576, constraint=lambda v: v > 0,
                  description='At most this many bytes are read from each file.'),
        Parameter('use_tmpfs', kind=bool, default=None,
                  description='Copy the paths into a tmpfs on the target first (one ``cp`` '
                              'per path, so each snapshot is taken in a short moment) and '
                              'read the copy. Needs root to mount the tmpfs; when not set, '
                              'used where the target is rooted.'),
        Parameter('tmpfs_mount_point', kind=str, default=None,
                  description='Where the tmpfs is mounted on the target; a directory in the '
                              "target's working directory when not set."),
        Parameter('tmpfs_size', kind=str, default='32m',
                  constraint=lambda v: bool(re.match(r'^[0-9]+[kmgKMG%]?$', v)),
                  description='Size of the tmpfs (the ``size=`` option of mount: ``32m``, '
                              '``1g``).'),
    ]
    dirname = 'sysfs_extractor'

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.found = []
        self.tmpfs = None

    def snapshot_paths(self):
        return self.found

    def snapshot(self):
        if self.tmpfs is None:
            return super().snapshot()
        copy = self.target.path.join(self.tmpfs, 'snapshot')
        commands = ['rm -rf {0} && mkdir -p {0}'.format(shlex.quote(copy))]
        for path in self.found:
            inside = copy + path
            commands.append('mkdir -p {} && cp -R {} {} 2>/dev/null'.format(
                shlex.quote(posixpath.dirname(inside)), shlex.quote(path),
                shlex.quote(inside)))
        self.target.execute('; '.join(commands) + '; true', as_root=True)
        files = read_files(self.target, [copy + path for path in self.found],
                           max_bytes=self.max_file_size)
        return {path[len(copy):]: text for path, text in files.items()}

    def initialize(self, context):
        self.found = expand_globs(self.target, self.paths)
        if not self.found:
            raise NotSupportedError('none of the paths exist on the target: {}'.format(
                ', '.join(self.paths)))
        missing = [p for p in self.paths if not any(fnmatch.fnmatchcase(f, p) for f in self.found)]
        if missing:
            self.logger.warning('These paths do not exist on the target and are skipped: %s',
                                ', '.join(missing))
        use_tmpfs = self.target.is_rooted if self.use_tmpfs is None else self.use_tmpfs
        if use_tmpfs:
            self._mount_tmpfs()

    def _mount_tmpfs(self):
        point = self.tmpfs_mount_point or self.target.get_workpath('wa-sysfs-tmpfs')
        try:
            self.target.execute('mkdir -p {0} && mount -t tmpfs -o size={1} tmpfs {0}'.format(
                shlex.quote(point), shlex.quote(self.tmpfs_size)), as_root=True)
        except Exception as error:  # pylint: disable=broad-except
            self.logger.warning('sysfs_extractor: cannot mount a tmpfs at %s (%s); reading '
                                'the paths directly', point, str(error).splitlines()[-1:])
            return
        self.tmpfs = point

    def finalize(self, context):
        if self.tmpfs is not None:
            self.target.execute('umount {0} && rmdir {0}'.format(shlex.quote(self.tmpfs)),
                                as_root=True, check_exit_code=False)
            self.tmpfs = None

    def slow_start(self, context):
        self.take_before(context)

    def slow_stop(self, context):
        self.take_after(context)

    def update_result(self, context):
        self.write_results(context)


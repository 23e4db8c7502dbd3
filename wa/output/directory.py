"""The run's output directory: its layout, and files that are never half-written."""
import json
import os
import shutil
import tempfile

from wa.core.exceptions import ConfigError, OutputError

META_DIR = '__meta'
FAILED_DIR = '__failed'
RESULT_FILE = 'result.json'
LOG_FILE = 'run.log'


def _current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_current_umask()
FILE_MODE = _FILE_MODE  # the mode of the files WA writes: 0o666 less the umask


def write_text(path, text):
    """Writes ``text`` to a temporary file beside ``path`` and renames it into place, so that
    readers only ever see a complete file."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp_path = tempfile.mkstemp(prefix='.' + os.path.basename(path), dir=directory)
    try:
        with os.fdopen(fd, 'w') as fh:
            fh.write(text)
        os.chmod(tmp_path, _FILE_MODE)
        os.replace(tmp_path, path)
    except BaseException:
        if os.path.exists(tmp_path):
            os.unlink(tmp_path)
        raise


def write_json(path, data):
    """Writes ``data`` as JSON, atomically (see write_text)."""
    write_text(path, json.dumps(data, indent=2, default=str) + '\n')


def read_json(path):
    with open(path) as fh:
        return json.load(fh)


def _check_replaceable(root, keep):
    """Refuses to delete a file, or a directory that the run itself needs."""
    if not os.path.isdir(root) or os.path.islink(root):
        raise ConfigError('"{}" exists and is not a directory'.format(root))
    real = os.path.realpath(root)
    inside = [p for p in [os.getcwd()] + list(keep)
              if os.path.realpath(p) == real or os.path.realpath(p).startswith(real + os.sep)]
    if inside:
        raise ConfigError('Will not overwrite "{}": it holds {}'.format(
            root, 'the current directory' if inside[0] == os.getcwd() else '"{}"'.format(inside[0])))


class RunOutput:
    """Paths inside a run's output directory."""

    def __init__(self, root):
        self.root = os.path.abspath(root)

    @classmethod
    def create(cls, root, force=False, keep=()):
        """Makes a fresh output directory; an existing one is refused unless ``force``, and
        even then if it holds the current directory or any path in ``keep`` (the agenda, the
        config files, the user directory)."""
        if os.path.lexists(root):
            if not force:
                raise ConfigError('Output directory "{}" exists. Please specify another location, '
                                  'or use -f option to overwrite.'.format(root))
            _check_replaceable(root, keep)
            shutil.rmtree(root)
        try:
            os.makedirs(os.path.join(root, META_DIR))
        except OSError as error:
            raise ConfigError('Cannot create output directory "{}": {}'.format(
                root, error.strerror))
        return cls(root)

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    @property
    def meta(self):
        return self.path(META_DIR)

    @property
    def result_file(self):
        return self.path(RESULT_FILE)

    @property
    def log_file(self):
        return self.path(LOG_FILE)

    def job_directory(self, job):
        """Creates (empty) and returns the directory of ``job``; OutputError if it cannot."""
        path = self.path(job.directory_name)
        try:
            if os.path.exists(path):
                shutil.rmtree(path)
            os.makedirs(path)
        except OSError as error:
            raise OutputError('Cannot create {}: {}'.format(path, error.strerror or error))
        return path

    def move_failed_attempt(self, job_result, directory_name):
        """Moves an attempt's directory to ``__failed/<dir>-attemptNN`` and updates its
        artifact paths, so that the next attempt owns the job directory."""
        source = self.path(directory_name)
        if not os.path.isdir(source):
            return
        target_name = '{}-attempt{:02d}'.format(directory_name, job_result.retry + 1)
        target = self.path(FAILED_DIR, target_name)
        try:
            os.makedirs(self.path(FAILED_DIR), exist_ok=True)
            if os.path.exists(target):
                shutil.rmtree(target)
            shutil.move(source, target)
        except OSError as error:
            raise OutputError('Cannot move {} to {}: {}'.format(source, target,
                                                               error.strerror or error))
        prefix = directory_name + os.sep
        for artifact in job_result.artifacts:
            if artifact.path.startswith(prefix):
                artifact.path = os.path.join(FAILED_DIR, target_name, artifact.path[len(prefix):])
        job_result.output_dir = target

    def copy_raw_config(self, paths):
        """Copies the config files and the agenda as given into ``__meta/raw_config``;
        returns the copies' names, in order. The copies are readable by their owner only."""
        raw_dir = self.path(META_DIR, 'raw_config')
        os.makedirs(raw_dir, exist_ok=True)
        names = ['cfg{}-{}'.format(index, os.path.basename(path))
                 for index, path in enumerate(paths)]
        for path, name in zip(paths, names):
            copy = os.open(os.path.join(raw_dir, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                           0o600)  # the files as given may hold passwords
            with open(path, 'rb') as source, os.fdopen(copy, 'wb') as destination:
                shutil.copyfileobj(source, destination)
        return names

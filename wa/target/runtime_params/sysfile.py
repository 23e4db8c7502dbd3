"""``sysfile_values``: ``{path: value}`` written in order, each read back and checked unless
the path ends in ``!`` (dropped): such a file is written without reading back, and a failure
to restore it is only logged."""
import logging

from wa.core.exceptions import ConfigError, TargetError
from wa.target.runtime_params import undo
from wa.target.runtime_params.errors import target_errors
from wa.target.runtime_params.grammar import Group, sysfs_text

logger = logging.getLogger('runtime_params')


class Sysfile(Group):
    """Validates, writes and logs for undo the files of ``sysfile_values``."""

    group = 'sysfile'
    needs = ('root',)


    def resolve(self, items):
        """[(path, text, verify)] in the order given; ConfigError for a bad path or value."""
        files = []
        for item in items:
            if not isinstance(item.value, dict):
                raise ConfigError('Runtime parameter "{}" must be a mapping of file paths to values, '
                                  'not {!r}'.format(item.name, item.value))
            for path, value in item.value.items():
                path, verify = str(path), True
                if path.endswith('!'):
                    path, verify = path[:-1], False
                if not path.startswith('/'):
                    raise ConfigError('Runtime parameter "{}": "{}" is not an absolute path'.format(
                        item.name, path))
                if value is None or isinstance(value, (dict, list, tuple)):
                    raise ConfigError('Runtime parameter "{}": the value for {} must be a single value, '
                                      'not {!r}'.format(item.name, path, value))
                files.append((path, sysfs_text(value), verify))
        return files

    def validate(self, files):
        """ConfigError for a file (other than a write-only ``!`` one) missing on the target."""
        for path, _, read_back in files:
            if read_back and not self.target.file_exists(path):
                raise ConfigError('sysfile_values: {} does not exist on the target'.format(path))

    def apply(self, files, log):
        for path, text, verify in files:
            log.record(('sysfile', path), path, undo.SYSFILE, lambda p=path: self._read_original(p),
                       lambda original, p=path, v=verify: self.target.write_value(p, original, verify=v),
                       quiet=not verify)
            with target_errors('Could not write {!r} to {}'.format(text, path)):
                self.target.write_value(path, text, verify=verify)

    def _read_original(self, path):
        """The current text of ``path``, or None when it cannot be read (e.g. a write-only file)."""
        try:
            with target_errors('Cannot read {} before writing it'.format(path)):
                return self.target.read_value(path)
        except TargetError as exc:
            logger.debug('%s; it will not be restored', exc)
            return None

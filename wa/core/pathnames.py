"""Names that become part of a path or a line of a text file: job ids, section ids, labels,
artifact and metric names. Checked before they are used, so that no name can reach outside the
output directory, split a line of ``status.txt`` or not fit in a file name."""
import os

from wa.core.naming import shown

MAX_NAME_BYTES = 255  # NAME_MAX of Linux file systems
_SEPARATORS = tuple({'/', '\\', os.sep})


def name_problem(name, in_paths=True):
    """Why ``name`` cannot be used, or None. ``in_paths``: the name is (part of) a file name,
    so path separators and ``.``/``..`` are refused too."""
    if not isinstance(name, str) or not name.strip():
        return 'it must be a non-empty text, got {}'.format(shown(name))
    if not name.isprintable():
        return 'it contains a line break or another control character'
    if len(name.encode('utf-8', 'surrogatepass')) > MAX_NAME_BYTES:
        return 'it is longer than {} bytes, too long for a file name'.format(MAX_NAME_BYTES)
    if in_paths and any(sep in name for sep in _SEPARATORS):
        return 'it becomes part of a path, so it cannot contain "/" or "\\"'
    if in_paths and name.strip() in ('.', '..'):
        return 'it becomes part of a path, so it cannot be "." or ".."'
    return None


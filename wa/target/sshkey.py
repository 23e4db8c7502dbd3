"""A private, uniquely named copy of an SSH key for devlib.

devlib (1.3) copies every ``keyfile`` to ``<tmp>/<basename of the key>`` before using it: its
permission check compares ``st_mode & 0xFF`` with 0o600, which never matches. Two WA processes
at once (the workers of a fleet) whose keys share a name -- ``board1/id_ed25519`` and
``board2/id_ed25519`` -- then overwrite each other's copy, and a target is offered the wrong
key. Handing devlib a copy whose name is unique to this process and key avoids that.
"""
import atexit
import hashlib
import os
import shutil
import tempfile

_copies = {}


def unique_keyfile(path):
    """The path of a 0600 copy of key ``path`` with a name unique to this process and key
    (the copy is removed when the process exits)."""
    path = os.path.abspath(os.path.expanduser(path))
    if path not in _copies:
        directory = tempfile.mkdtemp(prefix='wa-keys-')
        atexit.register(shutil.rmtree, directory, True)
        digest = hashlib.sha1('{}:{}'.format(os.getpid(), path).encode()).hexdigest()[:16]
        copy = os.path.join(directory, 'wa-key-{}'.format(digest))
        fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, 'wb') as out, open(path, 'rb') as key:
            shutil.copyfileobj(key, out)
        _copies[path] = copy
    return _copies[path]

"""WA3's ``wa.framework.resource``: finding the host files a plugin needs (WA3's resource
resolution).

A plugin asks for ``File(self, 'relative/path')`` or ``Executable(self, abi, 'name')``; the
first place that has it wins: the user's ``dependencies/<plugin name>/`` directory, then the
directory of the plugin's own module (its package), then, for an executable, the host's PATH
(useful when the target is the host itself). Executables are looked for under ``bin/<abi>/``
and directly in each directory.
"""
import os
import shutil
import sys

from wa.core.exceptions import NotFoundError
from wa.core.settings import user_directory

# WA3 plugins pass this as a resource's owner when nobody owns it
NO_ONE = None


class ResourceError(NotFoundError):
    """A resource a plugin asked for exists nowhere WA looks."""


class Resource:
    """What a plugin (``owner``) asks for; ``kind`` names it in messages."""

    kind = 'resource'

    def __init__(self, owner):
        self.owner = owner

    def candidates(self, directory):
        """Paths in ``directory`` that would satisfy this request, best first."""
        raise NotImplementedError

    def __str__(self):
        return "<{}'s {}>".format(getattr(self.owner, 'name', self.owner), self.kind)


class File(Resource):
    """A file at ``path`` relative to the plugin's directories."""

    kind = 'file'

    def __init__(self, owner, path):
        super().__init__(owner)
        self.path = path

    def candidates(self, directory):
        return [os.path.join(directory, self.path)]

    def __str__(self):
        return "<{}'s file {}>".format(getattr(self.owner, 'name', self.owner), self.path)


class Executable(Resource):
    """A binary called ``filename`` built for ``abi`` (the target's, e.g. ``arm64``)."""

    kind = 'executable'

    def __init__(self, owner, abi, filename):
        super().__init__(owner)
        self.abi = abi
        self.filename = filename

    def candidates(self, directory):
        return [os.path.join(directory, 'bin', str(self.abi), self.filename),
                os.path.join(directory, self.filename)]

    def __str__(self):
        return "<{}'s {} executable {}>".format(getattr(self.owner, 'name', self.owner),
                                                self.abi, self.filename)


def search_directories(owner):
    """Where ``owner``'s resources are looked for, in order."""
    directories = []
    name = getattr(owner, 'name', None)
    if name:
        directories.append(os.path.join(user_directory(), 'dependencies', name))
    module = sys.modules.get(type(owner).__module__) if not isinstance(owner, type) else \
        sys.modules.get(owner.__module__)
    if module is not None and getattr(module, '__file__', None):
        directories.append(os.path.dirname(os.path.abspath(module.__file__)))
    return directories


def get_resource(resource, strict=True):
    """The host path of ``resource``; None if it is nowhere and ``strict`` is false, else
    ResourceError naming every place looked at."""
    looked = []
    for directory in search_directories(resource.owner):
        for path in resource.candidates(directory):
            if os.path.isfile(path):
                return path
            looked.append(path)
    if isinstance(resource, Executable):
        found = shutil.which(resource.filename)
        if found:
            return found
        looked.append('the host PATH')
    if strict:
        raise ResourceError('{} not found; looked in: {}'.format(resource, ', '.join(looked)))
    return None

"""WA3's ``wa.framework.resource``: what a plugin asks ``context.get_resource`` for."""
from wa.core.resources import Executable, File, Resource, ResourceError  # noqa: F401

NO_ONE = None

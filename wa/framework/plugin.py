"""WA3's ``wa.framework.plugin``: Plugin, Parameter and Alias."""
from wa.core.parameter import Parameter  # noqa: F401
from wa.core.plugin import Alias, Plugin  # noqa: F401

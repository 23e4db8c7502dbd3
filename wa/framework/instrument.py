"""WA3's ``wa.framework.instrument``: the Instrument base and the priority decorators.

``@very_fast`` and friends set a method's priority (the same numbers as this project's
``very_fast_`` name prefixes; ``extremely_*`` go beyond them).
"""
from wa.core.instrument import Instrument  # noqa: F401
from wa.framework.signal import CallbackPriority


def priority(level):
    """A decorator giving a method the callback priority ``level``."""
    def decorator(method):
        method.priority = level
        return method
    return decorator


extremely_slow = priority(CallbackPriority.extremely_low)
very_slow = priority(CallbackPriority.very_low)
slow = priority(CallbackPriority.low)
normal = priority(CallbackPriority.normal)
fast = priority(CallbackPriority.high)
very_fast = priority(CallbackPriority.very_high)
extremely_fast = priority(CallbackPriority.extremely_high)


def hostside(cls):
    """WA3 marks instruments that only work on the host side; every instrument here may."""
    return cls

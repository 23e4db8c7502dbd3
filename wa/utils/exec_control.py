"""WA3's call-once decorators for plugin methods (typically ``initialize``/``finalize``).

``once`` runs a function once per run whatever instance calls it; ``once_per_class`` once for
each class; ``once_per_instance`` once for each object. ``reset_environment()`` forgets every
call (a new run in the same process starts afresh).
"""
import functools

_called = set()


def reset_environment():
    """Forgets which decorated methods have run."""
    _called.clear()


def _once_by(key_of):
    def decorator(method):
        @functools.wraps(method)
        def wrapper(*args, **kwargs):
            key = key_of(method, args)
            if key in _called:
                return None
            _called.add(key)
            return method(*args, **kwargs)
        return wrapper
    return decorator


once = _once_by(lambda method, args: ('once', method.__code__))
once_per_class = _once_by(lambda method, args: ('class', method.__name__, type(args[0])))
once_per_instance = _once_by(lambda method, args: ('instance', method.__code__, id(args[0])))


def once_per_attribute_value(attr_name):
    """Once for all instances that share the value of attribute ``attr_name``."""
    return _once_by(lambda method, args: ('attribute', method.__name__, type(args[0]),
                                          repr(getattr(args[0], attr_name))))

"""Job and run statuses, ordered by how bad they are."""

NOT_STARTED = 'NOT_STARTED'
RUNNING = 'RUNNING'
OK = 'OK'
NONCRITICAL = 'NONCRITICAL'
PARTIAL = 'PARTIAL'
FAILED = 'FAILED'
ABORTED = 'ABORTED'
SKIPPED = 'SKIPPED'

ALL = (NOT_STARTED, RUNNING, OK, NONCRITICAL, PARTIAL, FAILED, ABORTED, SKIPPED)
_SEVERITY = {OK: 0, NONCRITICAL: 1, PARTIAL: 2, FAILED: 3, ABORTED: 4}
SUCCESSFUL = (OK, NONCRITICAL)


def worse(current, new):
    """The more severe of two statuses, so that a status only ever gets worse within an attempt."""
    if current not in _SEVERITY:
        return new
    if new not in _SEVERITY:
        return current
    return new if _SEVERITY[new] > _SEVERITY[current] else current


def parse(value):
    """A status name from user input, in any case; ValueError if unknown."""
    name = str(value).strip().upper()
    if name not in ALL:
        raise ValueError('"{}" is not a status; valid: {}'.format(value, ', '.join(ALL)))
    return name

"""``Status``: job and run statuses as values that compare with their names and with each other.

``job.status == Status.OK`` and ``job.status == 'OK'`` both hold; statuses order like WA3's
(``Status.RUNNING < Status.OK < Status.PARTIAL < Status.FAILED``), with this project's
NOT_STARTED beside WA3's PENDING and NONCRITICAL between OK and PARTIAL.
"""

NAMES = ('UNKNOWN', 'NEW', 'NOT_STARTED', 'PENDING', 'STARTED', 'CONNECTED', 'INITIALIZED',
         'RUNNING', 'OK', 'NONCRITICAL', 'PARTIAL', 'FAILED', 'ABORTED', 'SKIPPED')


class StatusLevel(str):
    """One status: a ``str`` (its name, so it serialises as itself) with an order (``value``)."""

    def __new__(cls, name, value):
        level = super().__new__(cls, name)
        level.name = name
        level.value = value
        return level

    def _other_value(self, other):
        if isinstance(other, StatusLevel):
            return other.value
        if isinstance(other, str):
            return Status(other).value
        if isinstance(other, int) and not isinstance(other, bool):
            return other
        return NotImplemented

    def __eq__(self, other):
        if isinstance(other, str) and not isinstance(other, StatusLevel):
            return self.name == other.strip().upper()
        value = self._other_value(other)
        return value is not NotImplemented and self.value == value

    def __ne__(self, other):
        return not self == other

    def __lt__(self, other):
        return self.value < self._other_value(other)

    def __le__(self, other):
        return self.value <= self._other_value(other)

    def __gt__(self, other):
        return self.value > self._other_value(other)

    def __ge__(self, other):
        return self.value >= self._other_value(other)

    __hash__ = str.__hash__

    def __repr__(self):
        return 'Status.{}'.format(self.name)

    def to_pod(self):
        return self.name


class _StatusEnum:
    """The set of statuses: ``Status.OK``, ``Status('ok')``, ``list(Status)``."""

    def __init__(self, names):
        self.levels = [StatusLevel(name, value) for value, name in enumerate(names)]
        self._by_name = {level.name: level for level in self.levels}
        for level in self.levels:
            setattr(self, level.name, level)

    @property
    def names(self):
        return [level.name for level in self.levels]

    @property
    def values(self):
        return [level.value for level in self.levels]

    def __call__(self, name):
        """The status named ``name`` (any case) or numbered ``name``; ValueError if unknown."""
        if isinstance(name, StatusLevel):
            return name
        if isinstance(name, int) and 0 <= name < len(self.levels):
            return self.levels[name]
        level = self._by_name.get(str(name).strip().upper())
        if level is None:
            raise ValueError('"{}" is not a status; valid: {}'.format(name, ', '.join(self.names)))
        return level

    from_pod = __call__

    def __iter__(self):
        return iter(self.levels)

    def __contains__(self, name):
        return str(name).strip().upper() in self._by_name

    def __repr__(self):
        return 'Status({})'.format(', '.join(self.names))


Status = _StatusEnum(NAMES)

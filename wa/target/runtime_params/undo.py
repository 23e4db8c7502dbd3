"""The undo log: what runtime parameters changed on the target and how to put each back.

Each entry keeps the value a setting had before it was first changed (later changes of the
same setting add nothing) and a function putting that value back. ``restore`` walks the log
newest first, within the order of its stage: some settings must be restored before others
whatever the order they were changed in (a CPU must be back online before its cpufreq
settings can be written, and taken offline again only at the very end; governor tunables
belong to the governor current when they were changed, so go back before the governor).
"""
import logging
from collections import OrderedDict, namedtuple

from wa.core.exceptions import TargetError, TargetNotRespondingError
from wa.target.runtime_params.errors import is_lost, target_errors

logger = logging.getLogger('runtime_params')

# Restore stages, first restored first.
ONLINE, TUNABLES, GOVERNOR, LIMITS, SETSPEED, IDLE, SYSFILE, OFFLINE = range(8)


class UndoEntry(namedtuple('UndoEntry', 'key description stage original undo quiet')):
    """One change: ``undo(original)`` puts ``original`` back. ``stage`` orders the restore
    (see the constants above); ``quiet`` entries (files written without read-back) only log a
    failure to restore."""
    __slots__ = ()


class UndoLog(object):
    """Ordered undo entries, at most one per setting (the first change wins)."""

    def __init__(self):
        self._entries = OrderedDict()

    def __contains__(self, key):
        return key in self._entries

    def __len__(self):
        return len(self._entries)

    def get(self, key, default=None):
        entry = self._entries.get(key)
        return default if entry is None else entry.original

    def record(self, key, description, stage, read, undo, quiet=False):
        """Log a change of ``key`` unless already logged; ``read()`` gives the original value,
        read only for the first change. A None original means it cannot be put back."""
        if key in self._entries:
            return
        original = read()
        if original is not None:
            self._entries[key] = UndoEntry(key, description, stage, original, undo, quiet)

    def order(self):
        """The entries in restore order: by stage, newest first within a stage."""
        return sorted(reversed(list(self._entries.values())), key=lambda e: e.stage)

    def restore(self):
        """Run every entry (emptying the log). A target failure does not stop the others: they
        are all reported at the end in one TargetError (TargetNotRespondingError if the target
        was lost). A programming error is re-raised, as itself, after the others have run."""
        entries, self._entries = self.order(), OrderedDict()
        failures, lost, bug = [], False, None
        for entry in entries:
            try:
                with target_errors(entry.description):
                    entry.undo(entry.original)
            except TargetError as exc:
                lost = lost or is_lost(exc)
                if entry.quiet:
                    logger.warning('Could not restore %s', exc)
                else:
                    failures.append(str(exc))
            except Exception as exc:  # pylint: disable=broad-except
                bug = bug or exc
        if bug is not None:
            raise bug
        if failures:
            error = TargetNotRespondingError if lost else TargetError
            raise error('Could not restore runtime parameters: {}'.format('; '.join(failures)))

"""Before/after snapshots of target files, and the diff between them.

Used by the ``interrupts``, ``cpufreq`` and ``sysfs_extractor`` instruments: each takes a
snapshot (a mapping of target path to text) before and after the workload runs, and writes
three trees into the job's directory: ``<dirname>/before/``, ``<dirname>/after/`` and
``<dirname>/diff/``, where each file keeps its target path (``/proc/interrupts`` becomes
``before/proc/interrupts``). Users' instruments can do the same with ``SnapshotInstrument``.
"""
import os

from wa import Instrument, InstrumentError
from wa.utils.numbers import to_number
from wa.utils.target_files import read_files


def _number_delta(before, after):
    old, new = to_number(before, None), to_number(after, None)
    if old is None or new is None:
        return None
    delta = new - old
    if isinstance(delta, float):
        return '{:g}'.format(delta)
    return str(delta)


def _diff_tokens(old_tokens, new_tokens):
    cells = []
    for old, new in zip(old_tokens, new_tokens):
        delta = _number_delta(old, new)
        if delta is not None:
            cells.append(delta)
        elif old == new:
            cells.append(new)
        else:
            cells.append('{}->{}'.format(old, new))
    return cells


def _keys(lines):
    keys = [line.split()[0] for line in lines]
    return keys if len(set(keys)) == len(keys) else None


def _align_by_key(old_keys, new_keys):
    """True when both snapshots have unique first words, mostly the same ones."""
    if old_keys is None or new_keys is None or not old_keys or not new_keys:
        return False
    shared = len(set(old_keys) & set(new_keys))
    return shared * 2 >= max(len(old_keys), len(new_keys))


def diff_text(before, after):
    """A line-by-line diff of two snapshots of one file, as rows of cells.

    Lines are matched by their first word (kept as it is) when it is unique in both snapshots
    and mostly shared between them (so a line that appears, such as a new IRQ, does not shift
    the rest), else by position. In a matched pair with the same number of words, a number
    becomes ``after - before``, an unchanged word stays, and a changed word becomes
    ``old->new``; other pairs are shown as ``old line -> new line``.
    A line only in the after snapshot starts with ``+``, one only in the before with ``-``.
    """
    old_lines = [line for line in before.splitlines() if line.strip()]
    new_lines = [line for line in after.splitlines() if line.strip()]
    old_keys, new_keys = _keys(old_lines), _keys(new_lines)
    pairs = []
    by_key = _align_by_key(old_keys, new_keys)
    if by_key:
        old_by_key = dict(zip(old_keys, old_lines))
        for key, line in zip(new_keys, new_lines):
            pairs.append((old_by_key.pop(key, None), line))
        pairs.extend((line, None) for key, line in zip(old_keys, old_lines) if key in old_by_key)
    else:
        for index in range(max(len(old_lines), len(new_lines))):
            pairs.append((old_lines[index] if index < len(old_lines) else None,
                          new_lines[index] if index < len(new_lines) else None))
    rows = []
    for old, new in pairs:
        if old is None:
            rows.append(['+'] + new.split())
        elif new is None:
            rows.append(['-'] + old.split())
        elif by_key and len(old.split()) == len(new.split()):
            rows.append([new.split()[0]] + _diff_tokens(old.split()[1:], new.split()[1:]))
        elif len(old.split()) == len(new.split()):
            rows.append(_diff_tokens(old.split(), new.split()))
        else:
            rows.append([old.strip(), '->', new.strip()])
    return rows


def format_rows(rows):
    """Rows of cells as text with aligned columns."""
    widths = {}
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths.get(index, 0), len(cell))
    lines = []
    for row in rows:
        line = ' '.join(cell.rjust(widths[i]) if to_number(cell, None) is not None else
                        cell.ljust(widths[i]) for i, cell in enumerate(row))
        lines.append(line.rstrip())
    return '\n'.join(lines) + ('\n' if lines else '')


def diff_snapshots(before, after):
    """``{path: diff text}`` for every path whose content changed between the two snapshots; a
    file that appeared or vanished is reported as such."""
    diffs = {}
    for path in sorted(set(before) | set(after)):
        if path not in before:
            diffs[path] = '(file appeared)\n' + after[path]
        elif path not in after:
            diffs[path] = '(file vanished)\n'
        elif before[path] != after[path]:
            diffs[path] = format_rows(diff_text(before[path], after[path]))
    return diffs


def write_tree(snapshot, root):
    """Writes ``{target path: text}`` under the host directory ``root``, keeping the paths."""
    os.makedirs(root, exist_ok=True)
    for path, text in snapshot.items():
        host_path = os.path.join(root, path.lstrip('/'))
        os.makedirs(os.path.dirname(host_path), exist_ok=True)
        with open(host_path, 'w') as fh:
            fh.write(text)


class SnapshotInstrument(Instrument):
    """Base for instruments that snapshot target files before and after the workload runs.

    Subclasses set ``dirname`` and ``snapshot_paths()`` and hook ``take_before`` and
    ``take_after`` to the stage methods they want (the base hooks nothing itself), then call
    ``write_results``.
    """

    name = None
    dirname = 'snapshot'
    max_file_size = 1048576
    #: More names for each artifact, as formats of ``label`` (before, after, diff), such as
    #: WA3's ``'interrupts [{label}]'``, for analysis tools that look for those.
    artifact_aliases = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before = None
        self.after = None

    def snapshot_paths(self):
        """The target paths (files, directories or globs) to snapshot."""
        return []

    def snapshot(self):
        """``{path: text}`` of every readable file under ``snapshot_paths()`` right now."""
        return read_files(self.target, self.snapshot_paths(), max_bytes=self.max_file_size)

    def take_before(self, context):  # pylint: disable=unused-argument
        self.before, self.after = self.snapshot(), None

    def take_after(self, context):  # pylint: disable=unused-argument
        self.after = self.snapshot()

    def write_results(self, context, as_files=False):
        """Writes before/after/diff under the job directory and registers them as artifacts:
        one artifact per tree, or (``as_files``) one per file for single-file snapshots."""
        if self.before is None or self.after is None:
            raise InstrumentError('{}: no before/after snapshot was taken for this job'.format(
                self.name))
        base = os.path.join(context.output_directory, self.dirname)
        diffs = diff_snapshots(self.before, self.after)
        trees = [('before', self.before, 'raw'), ('after', self.after, 'raw'),
                 ('diff', diffs, 'data')]
        for label, snapshot, kind in trees:
            root = os.path.join(base, label)
            write_tree(snapshot, root)
            names = ['{}_{}'.format(self.name, label)] + [
                alias.format(label=label) for alias in self.artifact_aliases]
            if not as_files:
                for name in names:
                    context.add_artifact(name, root, kind, description='{} snapshot of {}'.format(
                        label, ', '.join(self.snapshot_paths())))
                continue
            for path in sorted(set(self.before) | set(self.after)):
                host_path = os.path.join(root, path.lstrip('/'))
                if label == 'diff' and path not in diffs:
                    os.makedirs(os.path.dirname(host_path), exist_ok=True)
                    with open(host_path, 'w') as fh:
                        fh.write('(no change)\n')
                for name in names if os.path.exists(host_path) else ():
                    context.add_artifact(name, host_path, kind,
                                         description='{} of {}'.format(label, path))
        return diffs

"""WA3's ``wa.utils.diff``: before/after comparisons of sysfs copies and interrupt counts."""
import os

from wa.utils.misc import ensure_directory_exists


def diff_interrupt_files(before, after, result):
    """Writes to ``result`` the lines of ``/proc/interrupts`` copy ``after`` with each count
    replaced by its increase since copy ``before``."""
    with open(before) as fh:
        old = {line.split(':', 1)[0].strip(): line.split() for line in fh if ':' in line}
    with open(after) as fh:
        lines = fh.readlines()
    with open(result, 'w') as out:
        if lines:
            out.write(lines[0])
        for line in lines[1:]:
            fields = line.split()
            if not fields:
                continue
            previous = old.get(fields[0].rstrip(':'), [])
            out.write(' '.join(_diff_field(field, previous[i] if i < len(previous) else None)
                               for i, field in enumerate(fields)) + '\n')


def _diff_field(new, old):
    if new.isdigit() and old is not None and old.isdigit():
        return str(int(new) - int(old))
    return new


def diff_sysfs_dirs(before, after, result):
    """For every file under ``after``, writes to the same place under ``result`` its lines with
    each changed value shown as ``old -> new`` (``before`` is the earlier copy)."""
    for root, _, files in os.walk(after):
        relative = os.path.relpath(root, after)
        for name in files:
            new_path = os.path.join(root, name)
            old_path = os.path.join(before, relative, name)
            if not os.path.isfile(old_path):
                continue
            out_dir = ensure_directory_exists(os.path.join(result, relative))
            with open(old_path, errors='replace') as fh:
                old_lines = fh.read().splitlines()
            with open(new_path, errors='replace') as fh:
                new_lines = fh.read().splitlines()
            with open(os.path.join(out_dir, name), 'w') as out:
                for index, line in enumerate(new_lines):
                    previous = old_lines[index] if index < len(old_lines) else ''
                    out.write((line if line == previous else
                               '{} -> {}'.format(previous, line)) + '\n')

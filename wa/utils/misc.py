"""WA3's ``wa.utils.misc``: small host-side helpers plugins use."""
import os
import re
import shutil
import subprocess
import sys

from wa.utils.numbers import to_number

which = shutil.which


def ensure_directory_exists(dirpath):
    """``dirpath``, created (with parents) if missing."""
    os.makedirs(dirpath, exist_ok=True)
    return dirpath


def ensure_file_directory_exists(filepath):
    """``filepath``, with its directory created if missing."""
    ensure_directory_exists(os.path.dirname(os.path.abspath(filepath)))
    return filepath


def as_relative(path):
    """``path`` without its leading separators (``/sys/x`` -> ``sys/x``)."""
    return path.lstrip('/').lstrip(os.sep)


def check_output(command, timeout=None, ignore=None, **kwargs):
    """(stdout, stderr) of a host command run through the shell; CalledProcessError on a
    non-zero exit status unless it is in ``ignore`` (a list of statuses, or ``'all'``)."""
    kwargs.setdefault('shell', isinstance(command, str))
    process = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=timeout, check=False, **kwargs)
    ignored = ignore == 'all' or process.returncode in (ignore or [])
    if process.returncode and not ignored:
        raise subprocess.CalledProcessError(process.returncode, command, process.stdout,
                                            process.stderr)
    return (process.stdout.decode(errors='replace'), process.stderr.decode(errors='replace'))


_VALUE = re.compile(r'(-?\d+(?:\.\d+)?)\s*(\w*)')


def parse_value(value_string):
    """``'12.5 ms'`` -> ``(12.5, 'ms')``; a string with no number -> ``(string, None)``."""
    match = _VALUE.search(value_string)
    if not match:
        return value_string, None
    return to_number(match.group(1)), (match.group(2) or None)


def write_table(rows, wfh, align='>', headers=None):
    """Writes ``rows`` to ``wfh`` as space-aligned columns; ``align`` holds one of ``<``, ``>``,
    ``^`` per column (repeated as needed)."""
    rows = [[str(cell) for cell in row] for row in ([headers] if headers else []) + list(rows)]
    if not rows:
        return
    columns = max(len(row) for row in rows)
    rows = [row + [''] * (columns - len(row)) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(columns)]
    aligns = (align * columns)[:columns]
    for row in rows:
        cells = ['{:{}{}}'.format(cell, aligns[i], widths[i]) for i, cell in enumerate(row)]
        wfh.write(' '.join(cells).rstrip() + '\n')


def getch(count=1):
    """Reads ``count`` characters from standard input."""
    return sys.stdin.read(count)

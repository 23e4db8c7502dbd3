"""Plain-text tables for the terminal and summary files, with optional ANSI colour."""
import os
import sys

COLOURS = {'red': '\033[31m', 'green': '\033[32m', 'yellow': '\033[33m', 'bold': '\033[1m'}
RESET = '\033[0m'


def use_colour(stream=None):
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    stream = stream or sys.stdout
    return 'NO_COLOR' not in os.environ and hasattr(stream, 'isatty') and stream.isatty()


def paint(text, colour, enabled):
    return '{}{}{}'.format(COLOURS[colour], text, RESET) if enabled and colour else text


def number(value, digits=4):
    """A value in a table: ``1.235``, ``12350``, ``-``."""
    if value is None:
        return '-'
    if isinstance(value, float):
        return '{:.{}g}'.format(value, digits)
    return str(value)


def table(headers, rows, colours=None, enabled=False):
    """Left-aligned columns separated by two spaces; ``colours`` gives one colour name (or
    None) per row, applied to the whole row when ``enabled``."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        line = '  '.join(c.ljust(w) for c, w in zip(row, widths)).rstrip()
        colour = colours[index - 1] if colours and index else None
        lines.append(paint(line, colour, enabled))
    lines.insert(1, '  '.join('-' * w for w in widths))
    return '\n'.join(lines)


def statistics_table(stats):
    """The per-metric statistics table (summary.txt, ``wa report``)."""
    headers = ['id', 'label', 'metric', 'classifiers', 'n', 'mean', 'std', 'cv%', 'min',
               'median', 'max', '95% CI', 'units']
    rows = []
    for s in stats:
        ci = '{} .. {}'.format(number(s.ci95[0]), number(s.ci95[1])) if s.ci95 else '-'
        rows.append([s.id, s.label, s.name, s.classifier_text or '-', s.count, number(s.mean),
                     number(s.std), number(s.cv * 100 if s.cv is not None else None, 3),
                     number(s.min), number(s.median), number(s.max), ci, s.units or ''])
    return table(headers, rows)

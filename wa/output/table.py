"""One table formatter for whatever WA prints or writes as aligned columns."""


def format_table(rows, align=None, gap=' '):
    """Lines of ``rows`` (sequences of cells, turned into text) padded into columns.

    ``align`` gives '<' or '>' per column (default: all left); the last column is not padded
    and trailing spaces are stripped, so a table never ends its lines in blanks.
    """
    rows = [[str(cell) for cell in row] for row in rows]
    if not rows:
        return []
    columns = max(len(row) for row in rows)
    align = list(align or '') + ['<'] * columns
    widths = [max((len(row[i]) for row in rows if i < len(row)), default=0)
              for i in range(columns)]
    lines = []
    for row in rows:
        cells = [cell if i == len(row) - 1 and align[i] == '<' else
                 '{:{}{}}'.format(cell, align[i], widths[i]) for i, cell in enumerate(row)]
        lines.append(gap.join(cells).rstrip())
    return lines

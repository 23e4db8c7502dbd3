"""Sizes of wa/core (issue 8 targets: below 3,500 lines in all, no file over 400 lines, no
function over 50 lines). Prints the totals and every file or function over its limit.

    python3 bench/core_size.py [DIR]
"""
import ast
import os
import sys

FILE_LIMIT, FUNCTION_LIMIT, TOTAL_LIMIT = 400, 50, 3500


def python_files(root):
    for directory, _, names in os.walk(root):
        for name in sorted(names):
            if name.endswith('.py'):
                yield os.path.join(directory, name)


def long_functions(path):
    with open(path) as fh:
        tree = ast.parse(fh.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > FUNCTION_LIMIT:
                yield node.name, node.lineno, length


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'wa', 'core')
    total = 0
    for path in python_files(root):
        with open(path) as fh:
            lines = sum(1 for _ in fh)
        total += lines
        name = os.path.relpath(path, root)
        if lines > FILE_LIMIT:
            print('file over {}: {} ({} lines)'.format(FILE_LIMIT, name, lines))
        for function, line, length in long_functions(path):
            print('function over {}: {}:{} {} ({} lines)'.format(FUNCTION_LIMIT, name, line,
                                                                 function, length))
    print('{}: {} lines in all (target below {})'.format(root, total, TOTAL_LIMIT))


if __name__ == '__main__':
    main()

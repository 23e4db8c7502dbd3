"""Helpers shared by the built-in instruments for talking to the target's shell.

Nothing here imports devlib: the target object is passed in. The parsing helpers are pure
functions (text in, data out) so that they can be tested without a target.
"""
import re
import shlex

from wa import NotSupportedError

# A line that starts every file in a dump; chosen so that it does not occur in sysfs/procfs.
FILE_MARK = '==WA-FILE== '
# A line written after a file that could not be read.
FAIL_MARK = '==WA-UNREADABLE=='
# A line that starts every sample of a background sampler, followed by /proc/uptime.
SAMPLE_MARK = '==WA-SAMPLE== '

# Only plain bracket expressions ([0-9], [!a-c]) stay unquoted: anything else in brackets
# (spaces, ;, $, quotes) is quoted with the rest, so it never reaches the shell as code.
_GLOB_CHARS = re.compile(r'([*?]|\[!?[A-Za-z0-9_.,:-]+\])')


def quote_glob(pattern):
    """Quotes ``pattern`` for a POSIX shell, leaving ``*``, ``?`` and ``[...]`` free to expand."""
    parts = _GLOB_CHARS.split(pattern)
    quoted = []
    for index, part in enumerate(parts):
        if not part:
            continue
        if index % 2:           # a glob token captured by the split
            quoted.append(part)
        else:
            quoted.append(shlex.quote(part))
    return ''.join(quoted) or "''"


def dump_files_command(paths, max_bytes=1048576, recursive=True):
    """A shell command that prints every regular file under ``paths`` (globs allowed), each
    preceded by a ``FILE_MARK`` line naming it; parse its output with ``parse_file_dump``."""
    targets = ' '.join(quote_glob(p) for p in paths)
    depth = '' if recursive else ' -maxdepth 0'
    return ('find {targets}{depth} -type f 2>/dev/null | while IFS= read -r f; do '
            'printf "\\n{mark}%s\\n" "$f"; '
            'head -c {size} "$f" 2>/dev/null || printf "\\n{fail}\\n"; '
            'done; true').format(targets=targets, depth=depth, mark=FILE_MARK,
                                 size=int(max_bytes), fail=FAIL_MARK)


def parse_file_dump(text):
    """``{path: content}`` from the output of ``dump_files_command``; unreadable files are left
    out."""
    files = {}
    chunks = text.split('\n' + FILE_MARK)
    if text.startswith(FILE_MARK):
        chunks[0] = chunks[0][len(FILE_MARK):]
    else:
        chunks = chunks[1:]
    for chunk in chunks:
        path, _, content = chunk.partition('\n')
        if content.rstrip('\n').endswith(FAIL_MARK):
            continue
        files[path] = content
    return files


def read_files(target, paths, as_root=None, max_bytes=1048576, recursive=True, timeout=300):
    """Reads every regular file under ``paths`` on the target in one command."""
    if as_root is None:
        as_root = bool(getattr(target, 'is_rooted', False))
    output = target.execute(dump_files_command(paths, max_bytes, recursive), as_root=as_root,
                            timeout=timeout)
    return parse_file_dump(output)


def expand_globs(target, patterns):
    """The target paths that ``patterns`` match (each pattern may be a glob), in order."""
    found = []
    for pattern in patterns:
        output = target.execute('for f in {}; do [ -e "$f" ] && echo "$f"; done; true'.format(
            quote_glob(pattern)))
        for line in output.splitlines():
            if line and line not in found:
                found.append(line)
    return found


def has_binary(target, name):
    """True if ``name`` is on the target's PATH."""
    output = target.execute('command -v {} || true'.format(shlex.quote(name)))
    return bool(output.strip())


def require_binary(target, name, package=None):
    """Raises NotSupportedError naming the missing tool (and the Debian package that has it)."""
    if not has_binary(target, name):
        hint = '; install the Debian package "{}"'.format(package) if package else ''
        raise NotSupportedError('"{}" is not installed on the target{}'.format(name, hint))


def to_number(text):
    """An int where the text is a whole number, else a float; None if it is no number."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None

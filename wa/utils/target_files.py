"""Reading many files of the target (sysfs, procfs, logs) in one command.

One command for any number of files matters over SSH, where each command costs a round trip.
Nothing here imports devlib: the target (a devlib target, ``self.target`` in a plugin) is
passed in. ``dump_files_command`` and ``parse_file_dump`` are pure (text in, data out).
"""
from wa.utils.shell import quote_glob

# A line that starts every file in a dump; chosen so that it does not occur in sysfs/procfs.
FILE_MARK = '==WA-FILE== '
# A line written after a file that could not be read.
FAIL_MARK = '==WA-UNREADABLE=='


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
    """``{target path: text}`` of every regular file under ``paths`` (files, directories or
    globs) on the target, read in one command; at most ``max_bytes`` of each file, as root
    when the target is rooted (unless ``as_root`` says), unreadable files left out. devlib's
    errors (a lost connection, ``timeout`` seconds passed) are raised as they are."""
    if as_root is None:
        as_root = bool(getattr(target, 'is_rooted', False))
    output = target.execute(dump_files_command(paths, max_bytes, recursive), as_root=as_root,
                            timeout=timeout)
    return parse_file_dump(output)


def expand_globs(target, patterns):
    """The existing target paths that ``patterns`` (paths or globs) match, in order, each once;
    one command per pattern."""
    found = []
    for pattern in patterns:
        output = target.execute('for f in {}; do [ -e "$f" ] && echo "$f"; done; true'.format(
            quote_glob(pattern)))
        for line in output.splitlines():
            if line and line not in found:
                found.append(line)
    return found

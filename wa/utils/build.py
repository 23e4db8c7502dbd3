"""Building a C program on the target with its own compiler, or installing a prebuilt one.

For workloads whose benchmark is a small C program (memcpy, dhrystone): building on the target
needs no cross-compiler on the host and suits any architecture.
"""
import hashlib
import os
import shlex

from wa import NotSupportedError, WorkloadError
from wa.utils.shell import shell_join, split_args
from wa.utils.tools import execute, which

_BUILD_CACHE = {}
COMPILERS = ('cc', 'gcc', 'clang')


def find_compiler(target, compiler=None, what='the program'):
    """The path of a C compiler on the target: ``compiler`` if given, else cc, gcc or clang.
    NotSupportedError naming ``what`` could not be built when there is none."""
    for candidate in ([compiler] if compiler else COMPILERS):
        path = which(target, candidate)
        if path:
            return path
    raise NotSupportedError(
        '{} is not installed on the target, so {} cannot be built there; install the Debian '
        'package "gcc" (or give a prebuilt binary)'.format(
            compiler or 'no C compiler (cc, gcc or clang)', what))


def build_on_target(target, sources, name, compiler=None, cflags='', ldflags='', timeout=300,
                    what=None):
    """Compiles the host files ``sources`` (.c and headers) with the target's own compiler.

    Returns the path of the binary on the target, in its executables directory, named
    ``<name>-<hash>`` after the sources and flags. A build is done once per target, sources
    and flags within a run (a cache in this process); a later spec that asks for the same
    build reuses the binary while it is still on the target. NotSupportedError when the target
    has no compiler, WorkloadError (with the compiler's last lines) when the build fails.
    """
    digest = hashlib.sha256()
    for path in sorted(sources):
        digest.update(os.path.basename(path).encode())
        with open(path, 'rb') as fh:
            digest.update(fh.read())
    digest.update('\0'.join([compiler or '', cflags or '', ldflags or '']).encode())
    tag = digest.hexdigest()[:12]
    key = (id(target), name, tag)
    cached = _BUILD_CACHE.get(key)
    if cached and target.file_exists(cached):
        return cached
    what = what or name
    cc = find_compiler(target, compiler, what=what)
    c_files = [os.path.basename(path) for path in sources if path.endswith('.c')]
    if not c_files:
        raise WorkloadError('no .c file among the sources of {}: {}'.format(
            what, ', '.join(sources)))
    build_dir = target.get_workpath('wa-build-{}-{}'.format(name, tag))
    binary = target.path.join(target.executables_directory, '{}-{}'.format(name, tag))
    target.execute('mkdir -p {}'.format(shlex.quote(build_dir)))
    try:
        for path in sources:
            target.push(path, target.path.join(build_dir, os.path.basename(path)))
        command = 'cd {} && {}'.format(shlex.quote(build_dir), shell_join(
            [cc] + split_args(cflags) + ['-o', binary] + c_files + split_args(ldflags)))
        execute(target, command, timeout=timeout, what='building {} with {}'.format(what, cc))
    finally:
        target.execute('rm -rf {}'.format(shlex.quote(build_dir)), check_exit_code=False)
    _BUILD_CACHE[key] = binary
    return binary


def install_binary(target, host_path, name, what=None):
    """Installs the prebuilt binary ``host_path`` on the target as ``name`` (devlib's
    ``install``); returns its path there. NotSupportedError when the host file is missing."""
    if not os.path.isfile(host_path):
        raise NotSupportedError('the {} binary "{}" does not exist on the host'.format(
            what or name, host_path))
    return target.install(host_path, with_name=name)

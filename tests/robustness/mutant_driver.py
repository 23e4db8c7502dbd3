"""Runs many ``wa`` command lines the way ``python -m wa`` would, without paying Python's start-up
and wa's imports for each: this process imports every module of ``wa`` once, then forks one
fresh child per command line (at most JOBS at a time). A child gets its own stdout, stderr,
working directory and environment, and calls the same ``main(argv)`` as ``python -m wa``; a
child that outlives TIMEOUT seconds is killed and reported as hung.

    python mutant_driver.py CASES.json RESULTS.json JOBS TIMEOUT

CASES.json: a list of ``{"argv": [...], "cwd": DIR, "env": {NAME: VALUE}}``; RESULTS.json gets,
for each case in order, ``{"returncode": N or null when hung, "stdout": ..., "stderr": ...}``.
"""
import importlib
import json
import os
import pkgutil
import signal
import sys
import time


def preload():
    """Imports every module of the ``wa`` package (what a fresh ``python -m wa`` would import
    on demand): only Python's module cache is shared with the children."""
    import wa
    for info in pkgutil.walk_packages(wa.__path__, 'wa.'):
        if not info.name.endswith('__main__'):
            try:
                importlib.import_module(info.name)
            except Exception:  # pylint: disable=broad-except
                pass  # the child imports it again and meets the same error, as wa would


def child(case, out_path, err_path):
    """In the forked child: becomes ``python -m wa ARGV`` and never returns."""
    code = 70
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGCHLD])
        os.setsid()
        os.chdir(case['cwd'])
        os.environ.clear()
        os.environ.update(case['env'])
        for fd, path in ((1, out_path), (2, err_path)):
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(handle, fd)
            os.close(handle)
        stdin = os.open(os.devnull, os.O_RDONLY)
        os.dup2(stdin, 0)
        sys.argv = ['wa'] + case['argv']
        from wa.core.entry_point import main
        try:
            main(case['argv'])
            code = 0
        except SystemExit as error:
            code = error.code if isinstance(error.code, int) else (0 if error.code is None
                                                                    else 1)
        except BaseException:  # pylint: disable=broad-except
            import traceback
            traceback.print_exc()
            code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # pylint: disable=broad-except
                pass
        os._exit(code)  # pylint: disable=protected-access


def read(path):
    with open(path, encoding='utf-8', errors='backslashreplace') as fh:
        return fh.read()


def run_all(cases, jobs, timeout, scratch):
    results = [None] * len(cases)
    running = {}  # pid -> (index, started)
    pending = list(range(len(cases)))
    paths = [(os.path.join(scratch, '{}.out'.format(i)), os.path.join(scratch, '{}.err'.format(i)))
             for i in range(len(cases))]
    while pending or running:
        while pending and len(running) < jobs:
            index = pending.pop(0)
            pid = os.fork()
            if pid == 0:
                child(cases[index], *paths[index])
            running[pid] = (index, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            for other, (index, started) in list(running.items()):
                if time.monotonic() - started > timeout:  # a hang detector, not a measure
                    os.killpg(other, signal.SIGKILL)
                    os.waitpid(other, 0)
                    del running[other]
                    results[index] = {'returncode': None}
            signal.sigtimedwait([signal.SIGCHLD], 0.2)
            continue
        index, _ = running.pop(pid)
        results[index] = {'returncode': os.waitstatus_to_exitcode(status)}
    for index, result in enumerate(results):
        result['stdout'], result['stderr'] = map(read, paths[index])
    return results


def main():
    cases_path, results_path, jobs, timeout = sys.argv[1:5]
    with open(cases_path) as fh:
        cases = json.load(fh)
    preload()
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGCHLD])
    scratch = os.path.join(os.path.dirname(os.path.abspath(results_path)), 'driver-output')
    os.makedirs(scratch, exist_ok=True)
    results = run_all(cases, int(jobs), float(timeout), scratch)
    with open(results_path, 'w') as fh:
        json.dump(results, fh)


if __name__ == '__main__':
    main()

"""Wall time and peak RSS of one child process (its own, from wait4, not its siblings')."""
import os
import subprocess
import time


def run_timed(argv, env, cwd):
    """``(seconds, peak RSS in MB, exit status)`` of ``argv``; its output is discarded."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024.0, process.returncode

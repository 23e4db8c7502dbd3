"""Worker processes: one ``python -m wa`` child per target, all at once, their console lines
shown with the target's name in front."""
import logging
import os
import signal
import subprocess
import sys
import threading

import wa

logger = logging.getLogger('fleet')
_print_lock = threading.Lock()


def wa_command(*arguments):
    """The command line that runs this very ``wa`` (same interpreter, same package)."""
    return [sys.executable, '-m', 'wa'] + [str(a) for a in arguments]


def _environment():
    """This process's environment, with this ``wa`` first on PYTHONPATH so that the workers
    import the same checkout."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(wa.__file__)))
    paths = [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p and p != root]
    return dict(os.environ, PYTHONPATH=os.pathsep.join([root] + paths))


def _relay(name, stream):
    """Copies the worker's console lines to ours, each prefixed with ``[name]``."""
    for line in stream:
        with _print_lock:
            sys.stdout.write('[{}] {}'.format(name, line if line.endswith('\n') else line + '\n'))
            sys.stdout.flush()
    stream.close()


def run_workers(commands):
    """Runs every command of ``commands`` ({name: argv}) at once; returns {name: exit status}.
    Ctrl-C (or SIGTERM) is passed on to every worker, which then writes what it finished;
    KeyboardInterrupt is raised once they all have ended."""
    processes, relays = {}, []
    env = _environment()
    for name, argv in commands.items():
        logger.info('Starting the worker of target %s', name)
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, universal_newlines=True, env=env,
                                   start_new_session=True)
        processes[name] = process
        relay = threading.Thread(target=_relay, args=(name, process.stdout), daemon=True)
        relay.start()
        relays.append(relay)
    interrupted = False
    while True:
        try:
            statuses = {name: p.wait() for name, p in processes.items()}
            break
        except KeyboardInterrupt:
            interrupted = True
            logger.warning('Interrupted: stopping the workers (they keep what they finished)')
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
    for relay in relays:
        relay.join()
    if interrupted:
        raise KeyboardInterrupt()
    return statuses

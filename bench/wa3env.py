"""The products' environments, made once under the bench cache directory: WA3 3.3.1 in a
virtual environment of its own, and one for this project's dependencies."""
import os
import subprocess
import sys

WA3_VERSION = '3.3.1'


def cache_dir():
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'wa-bench')


def ensure():
    """The path of WA3's ``wa``, installing ``wlauto==3.3.1`` into its own venv if needed."""
    venv = os.path.join(cache_dir(), 'wa3-' + WA3_VERSION)
    wa_bin = os.path.join(venv, 'bin', 'wa')
    if os.access(wa_bin, os.X_OK):
        return wa_bin
    print('Installing WA3 {} into {} (once)...'.format(WA3_VERSION, venv), flush=True)
    subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
    subprocess.run([os.path.join(venv, 'bin', 'pip'), 'install', '-q',
                    'wlauto=={}'.format(WA3_VERSION)], check=True)
    # The first start compiles WA3's modules: not part of any figure. WA3 writes a config.yaml
    # into its user directory on first start: keep it out of the user's own.
    env = dict(os.environ, WA_USER_DIRECTORY=os.path.join(venv, 'user-directory'))
    subprocess.run([wa_bin, '--version'], check=True, stdout=subprocess.DEVNULL, env=env)
    return wa_bin


def ensure_ours(checkout):
    """The ``wa`` script of a virtual environment holding this project's dependencies (made
    once by installing ``checkout`` into it; delete it when setup.py's dependencies change).
    Run with ``PYTHONPATH=<checkout>``, it runs that checkout's code on a Python started as
    WA3's is: without the system interpreter's ``.pth`` files (on this machine an editable
    install's finder and a sandbox certificate hook, about 45 ms of every start)."""
    venv = os.path.join(cache_dir(), 'ours-dependencies')
    wa_bin = os.path.join(venv, 'bin', 'wa')
    if not os.access(wa_bin, os.X_OK):
        print("Installing this project's dependencies into {} (once)...".format(venv), flush=True)
        subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
        subprocess.run([os.path.join(venv, 'bin', 'pip'), 'install', '-q', checkout], check=True)
    return wa_bin

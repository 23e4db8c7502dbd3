"""One signal sent to 20 callbacks, in each product's own Python (its own signal module)."""
import subprocess
import sys

CALLS = 2000

# The same measurement in each product's Python: (module of signals, signal sent).
CODE = '''
import timeit
from {module} import signal
callbacks = [lambda *a, **k: None for _ in range(20)]
for cb in callbacks:
    signal.connect(cb, signal.{name})
print(min(timeit.repeat(lambda: signal.send(signal.{name}, None, None), number={n},
                        repeat=5)) / {n})
'''
OURS = dict(module='wa.core', name='RUN_INIT')
WA3 = dict(module='wa.framework', name='RUN_INITIALIZED')


def seconds(python, names, env, cwd):
    out = subprocess.run([python, '-c', CODE.format(n=CALLS, **names)], env=env, cwd=cwd, check=True,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    return float(out.split()[-1])


def bench(products, wa3_bin, show):
    import os  # pylint: disable=import-outside-toplevel
    wa3_python = os.path.join(os.path.dirname(wa3_bin), 'python')
    ours = seconds(sys.executable, OURS, products.env["ours"], products.tmp)
    wa3 = seconds(wa3_python, WA3, products.env["wa3"], products.tmp)
    show('signal to 20 callbacks', [ours], [wa3], unit='us', scale=1e6)

"""The journal's cost per job at 100 and 10,000 jobs: ``bench/bench_journal.py`` of the
checkout measured ("ours"), whose figures are printed as they come."""
import os
import subprocess
import sys


def bench(products, show):  # pylint: disable=unused-argument
    checkout = products.env['ours']['PYTHONPATH'].split(os.pathsep)[0]
    script = os.path.join(checkout, 'bench', 'bench_journal.py')
    if not os.path.exists(script):
        print('journal cost per job: n/a ({} has no bench/bench_journal.py)'.format(checkout))
        return
    # 2 metrics per job, as a no-op shellscript job records (exit_code, runtime)
    process = subprocess.run([sys.executable, script, '2'], env=products.env['ours'],
                             cwd=products.tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, check=False)
    print('journal cost per job (bench/bench_journal.py):')
    for line in process.stdout.splitlines():
        print('  ' + line)

"""This checkout's ``wa`` against WA3 3.3.1, side by side on this machine.

Run: ``python3 bench/compare_wa3.py [--repeat N] [--only NAME,...] [--before CHECKOUT]``

WA3 (``wlauto==3.3.1``, whose package is also ``wa``) is installed once into a virtual
environment of its own under ``$XDG_CACHE_HOME/wa-bench`` (``~/.cache/wa-bench``), never into
the project's environment. Each scenario runs both products in turn, ``--repeat`` times,
interleaved so that the machine's load falls on both alike; the figures are medians, with the
spread (min-max) and the ratio ours / WA3. ``--before CHECKOUT`` (the main branch, say) adds
that checkout's ``wa`` as a third product, interleaved with the other two in the ``cli`` and
``jobs`` scenarios, so that a change is measured before and after under the same load. No
pass/fail: compare against the goals in ``bench/README.md``.

"Ours" is the checkout's code (``PYTHONPATH``) run by the ``wa`` script of a virtual
environment that holds only this project's dependencies, so that it starts as WA3 does, from a
clean environment; ``--system-python`` runs ``python3 -m wa`` with the calling interpreter
instead (with whatever its ``site`` loads).

Scenarios (names for ``--only``): ``jobs`` (framework cost per no-op ``shellscript`` job, the
marginal between a 20-job and a 200-job run, no instruments and no processors; and the fixed
cost of a run), ``cli`` (``wa --version``, ``wa list workloads``), ``dryrun`` (``wa run
--dry-run`` of 10k and 100k jobs: time and peak RSS; WA3 has no dry run), ``ssh`` (target
commands per job and per run, counted in the log of a real sshd on 127.0.0.1 at LogLevel
VERBOSE), ``journal`` (the journal's cost per job at 100 to 10,000 jobs: bench/bench_journal.py),
``signal`` (one signal sent to 20 callbacks).
"""
import argparse
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wa3env  # noqa: E402  pylint: disable=wrong-import-position
from measure import run_timed  # noqa: E402  pylint: disable=wrong-import-position

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(HERE)
OURS = [sys.executable, '-m', 'wa']
NOOP_SCRIPT = '#!/bin/sh\ntrue\n'
SMALL, BIG = 20, 200


def agenda(tmp, name, jobs, script, wa3, device=None):
    """An agenda of ``jobs`` no-op shellscript jobs; WA3's with its augmentations cleared."""
    lines = ['config:', '  iterations: {}'.format(jobs)]
    if wa3:
        lines += ['  augmentations: [~~]']
    if device:
        lines += ['  device: {}'.format(device[0]),
                  '  device_config: {}'.format(device[1])]
    elif wa3:
        lines += ['  device: generic_local']
    lines += ['workloads:', '  - name: shellscript',
              '    params: {{script_file: {}}}'.format(script)]
    path = os.path.join(tmp, name)
    with open(path, 'w') as fh:
        fh.write('\n'.join(lines) + '\n')
    return path


class Products:
    """How to run each product: argv prefix and environment (own user directories)."""

    def __init__(self, tmp, wa3_bin, checkout=CHECKOUT, before=None, ours=OURS):
        self.tmp = tmp
        self.argv = {'ours': ours, 'wa3': [wa3_bin]}
        checkouts = {'ours': checkout}
        if before:
            self.argv['before'] = ours
            checkouts['before'] = before
        self.names = list(self.argv)
        self.env = {}
        for name in self.argv:
            env = dict(os.environ, WA_USER_DIRECTORY=os.path.join(tmp, 'ud-' + name),
                       HOME=os.path.join(tmp, 'home-' + name), PYTHONDONTWRITEBYTECODE='')
            env.pop('WA_TARGET_COMMAND_LOG', None)
            if name in checkouts:
                env['PYTHONPATH'] = checkouts[name] + os.pathsep + env.get('PYTHONPATH', '')
            os.makedirs(env['HOME'], exist_ok=True)
            self.env[name] = env

    def run(self, name, args, cwd=None):
        """(seconds, peak RSS in MB, exit status) of one command."""
        return run_timed(self.argv[name] + list(args), self.env[name], cwd or self.tmp)


def summary(values):
    med = statistics.median(values)
    return med, min(values), max(values)


def fmt(values, unit='s', scale=1.0):
    med, low, high = summary([v * scale for v in values])
    return '{:9.3f} {} ({:.3f}-{:.3f})'.format(med, unit, low, high)


def show(label, ours, wa3=None, unit='s', scale=1.0, before=None):
    """One line of figures; with ``before``, a second one for the "before" checkout."""
    for name, values in (('ours', ours), ('before', before)):
        if not values:
            continue
        line = '{:34s} {:6s} {}'.format(label if name == 'ours' else '', name,
                                        fmt(values, unit, scale))
        if wa3:
            ratio = statistics.median(values) / statistics.median(wa3) \
                if statistics.median(wa3) else float('nan')
            line += '   wa3 {}   ratio {:.3f}x'.format(fmt(wa3, unit, scale), ratio)
        print(line, flush=True)


def bench_jobs(products, repeat):
    tmp = products.tmp
    script = os.path.join(tmp, 'noop.sh')
    with open(script, 'w') as fh:
        fh.write(NOOP_SCRIPT)
    times = {(p, n): [] for p in products.names for n in (SMALL, BIG)}
    for rep in range(repeat):
        for jobs in (SMALL, BIG):
            for product in products.names:
                path = agenda(tmp, '{}-{}.yaml'.format(product, jobs), jobs, script,
                              product == 'wa3')
                out = os.path.join(tmp, 'out-{}-{}-{}'.format(product, jobs, rep))
                seconds, _, code = products.run(product, ['run', path, '-d', out, '-f'])
                if code:
                    print('  {} run of {} jobs exited {}'.format(product, jobs, code))
                times[(product, jobs)].append(seconds)
    per_job, fixed = {}, {}
    for product in products.names:
        pairs = zip(times[(product, SMALL)], times[(product, BIG)])
        per_job[product] = [(big - small) / (BIG - SMALL) for small, big in pairs]
        fixed[product] = [small - SMALL * job
                          for small, job in zip(times[(product, SMALL)], per_job[product])]
    for jobs in (SMALL, BIG):
        show('run of {} no-op jobs'.format(jobs), times[('ours', jobs)], times[('wa3', jobs)],
             before=times.get(('before', jobs)))
    show('framework cost per job', per_job['ours'], per_job['wa3'], 'ms', 1000,
         before=per_job.get('before'))
    show('fixed cost of a run', fixed['ours'], fixed['wa3'], before=fixed.get('before'))


def bench_cli(products, repeat):
    for label, args in (('wa --version', ['--version']),
                        ('wa list workloads', ['list', 'workloads'])):
        results = {name: [] for name in products.names}
        for _ in range(repeat):
            for product in results:
                results[product].append(products.run(product, args)[0])
        show(label, results['ours'], results['wa3'], before=results.get('before'))


def bench_dryrun(products, repeat, sizes=(10000, 100000)):
    for jobs in sizes:
        path = os.path.join(products.tmp, 'dry-{}.yaml'.format(jobs))
        with open(path, 'w') as fh:
            fh.write('config: {{iterations: {}}}\nworkloads:\n'
                     '  - {{name: idle, params: {{duration: 0}}}}\n'.format(jobs))
        times, rss = [], []
        for rep in range(repeat):
            out = os.path.join(products.tmp, 'dry-out-{}-{}'.format(jobs, rep))
            seconds, peak, code = products.run('ours', ['run', path, '--dry-run', '-d', out])
            if code:
                print('  dry run of {} jobs exited {}'.format(jobs, code))
            times.append(seconds)
            rss.append(peak)
        show('dry-run {} jobs: time'.format(jobs), times)
        show('dry-run {} jobs: peak RSS'.format(jobs), rss, unit='MB')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--repeat', type=int, default=3, help='runs of each scenario (3)')
    parser.add_argument('--only', default='cli,jobs,ssh,dryrun,journal,signal',
                        help='comma-separated scenarios (default: all of them)')
    parser.add_argument('--checkout', default=CHECKOUT,
                        help='the checkout whose wa is "ours" (this one; another for a '
                             '"before" figure, e.g. the main branch)')
    parser.add_argument('--before', default=None,
                        help='another checkout run as a third product, interleaved with the '
                             'others in the cli and jobs scenarios (e.g. /work/main)')
    parser.add_argument('--system-python', action='store_true',
                        help='run ours as "python3 -m wa" with this interpreter, .pth files '
                             'and all, instead of from a clean virtual environment like WA3')
    args = parser.parse_args()
    wa3_bin = wa3env.ensure()
    ours = OURS if args.system_python else [wa3env.ensure_ours(os.path.abspath(args.checkout))]
    print('machine: {} CPUs, load average {}'.format(
        os.cpu_count(), ' '.join('{:.1f}'.format(x) for x in os.getloadavg())))
    with tempfile.TemporaryDirectory(prefix='wa-bench-') as tmp:
        products = Products(tmp, wa3_bin, os.path.abspath(args.checkout),
                            args.before and os.path.abspath(args.before), ours)
        for name in products.names:
            if name != 'wa3':
                print('{}: {}'.format(name, products.env[name]['PYTHONPATH'].split(os.pathsep)[0]))
        wanted = args.only.split(',')
        if 'cli' in wanted:
            bench_cli(products, max(args.repeat, 5))
        if 'jobs' in wanted:
            bench_jobs(products, args.repeat)
        if 'ssh' in wanted:
            import ssh_commands  # pylint: disable=import-outside-toplevel
            ssh_commands.bench(products, agenda, show)
        if 'dryrun' in wanted:
            bench_dryrun(products, args.repeat)
        if 'journal' in wanted:
            import journal  # pylint: disable=import-outside-toplevel
            journal.bench(products, show)
        if 'signal' in wanted:
            import dispatch  # pylint: disable=import-outside-toplevel
            dispatch.bench(products, wa3_bin, show)
    print('load average at the end: {}'.format(
        ' '.join('{:.1f}'.format(x) for x in os.getloadavg())))


if __name__ == '__main__':
    main()

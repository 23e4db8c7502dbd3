"""A shell loop on the target that reads chosen files at an interval until it is stopped.

Each sample is a ``SAMPLE_MARK`` line holding the target's /proc/uptime (seconds since boot),
then each file as ``dump_files_command`` prints it. The loop writes to a file on the target, so
nothing crosses the connection while the workload runs; ``stop`` kills it and reads the file.
"""
import shlex

from wa import InstrumentError
from wa.utils.processes import TargetProcess
from wa.utils.target_files import FAIL_MARK, FILE_MARK, parse_file_dump

# A line that starts every sample, followed by /proc/uptime.
SAMPLE_MARK = '==WA-SAMPLE== '


def sampler_script(paths, interval, output):
    """The shell script of the sampling loop (for ``sh -c``); SIGTERM ends it."""
    reads = ' '.join(
        'printf "\\n{mark}%s\\n" {q}; cat {q} 2>/dev/null || printf "\\n{fail}\\n";'.format(
            mark=FILE_MARK, q=shlex.quote(path), fail=FAIL_MARK)
        for path in paths)
    return ('sp=; trap \'[ -n "$sp" ] && kill $sp 2>/dev/null; exit 0\' '
            'TERM INT; exec > {output} 2>/dev/null; '
            'while :; do printf "\\n{sample}"; cat /proc/uptime; {reads} '
            'sleep {interval} & sp=$!; wait $sp; sp=; done').format(
                output=shlex.quote(output),
                sample=SAMPLE_MARK, reads=reads, interval='{:g}'.format(interval))


def parse_samples(text):
    """``[(uptime seconds, {path: text})]`` from the sampling loop's output."""
    samples = []
    chunks = ('\n' + text).split('\n' + SAMPLE_MARK)[1:]
    for chunk in chunks:
        head, _, rest = chunk.partition('\n')
        try:
            stamp = float(head.split()[0])
        except (IndexError, ValueError):
            continue
        samples.append((stamp, parse_file_dump('\n' + rest)))
    return samples


class BackgroundSampler:
    """Reads the target files ``paths`` every ``interval`` seconds between ``start()`` and
    ``stop()`` (a ``sampler_script`` run as a ``TargetProcess`` named ``name``; as root with
    ``as_root``). ``start`` raises InstrumentError when the loop does not start."""

    def __init__(self, target, paths, interval, name, as_root=False):
        self.paths = list(paths)
        self.interval = interval
        self.process = TargetProcess(target, name, as_root)

    def start(self):
        self.process.new_files()
        script = sampler_script(self.paths, self.interval, self.process.path('out'))
        if self.process.start(script) != 'ready':
            self.process.stop()
            raise InstrumentError('the sampling loop did not start on the target')

    def stop(self):
        """Stops the loop and returns what it read: ``[(uptime seconds, {path: text})]``."""
        return parse_samples(self.process.stop())

"""dhrystone: the classic integer CPU benchmark, from a binary or source the user provides."""
import math
import os
import re

from wa import ConfigError, NotSupportedError, Parameter, WorkloadError, types
from wa.utils.build import build_on_target, install_binary
from wa.utils.shell import shell_join, split_args
from wa.utils.tool_workload import Metric, ToolWorkload
from wa.utils.tools import tail, which

#: Millions of runs when neither ``mloops`` nor ``duration`` is given.
DEFAULT_MLOOPS = 100
#: Seconds one batch of runs lasts with ``duration`` (Dhrystone 2.1 needs 2 s to report).
BATCH_SECONDS = 2.5
#: Dhrystones per second of the VAX 11/780, the machine that defines 1 DMIPS.
VAX_DHRYSTONES_PER_SECOND = 1757.0

_COPY_MARKER = re.compile(r'^== dhrystone copy (\d+) ==\s*$', re.M)
_PER_SECOND = re.compile(r'Dhrystones per Second\s*:?\s*([0-9]+(?:\.[0-9]*)?)', re.I)
_MICROSECONDS = re.compile(
    r'Microseconds for one run through Dhrystone\s*:?\s*([0-9]+(?:\.[0-9]*)?)', re.I)
_TOO_SMALL = re.compile(r'Measured time too small', re.I)


def _sections(text):
    """``[(copy number, text)]``: the workload marks each parallel copy's output with
    ``== dhrystone copy N ==``; output without markers is one copy, number 0."""
    markers = list(_COPY_MARKER.finditer(text))
    if not markers:
        return [(0, text)]
    sections = []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        sections.append((int(marker.group(1)), text[marker.end():end]))
    return sections


def parse_dhrystone_output(text):
    """Metrics from Dhrystone's report (version 2.x: ``Microseconds for one run through
    Dhrystone:`` and ``Dhrystones per Second:`` lines), for one or more copies run in parallel.
    A copy that ran several times in a row (``duration``) scores the mean of its reports.

    ``dhrystones_per_second`` (sum over the copies), ``dmips`` (that / 1757, the VAX 11/780
    rating), ``microseconds_per_run`` (mean over the copies, when printed); with several copies
    also ``thread_<N>_dhrystones_per_second`` and ``thread_<N>_dmips``.
    """
    results = []
    for copy, section in _sections(text):
        scores = [float(value) for value in _PER_SECOND.findall(section)]
        if not scores:
            if _TOO_SMALL.search(section):
                raise ValueError('Dhrystone measured too short a time to report a result: '
                                 'increase mloops')
            raise ValueError('no "Dhrystones per Second" in the output of dhrystone copy {}'
                             .format(copy))
        micros = [float(value) for value in _MICROSECONDS.findall(section)]
        results.append((copy, _mean(scores), _mean(micros) if micros else None))
    total = sum(score for _, score, _ in results)
    metrics = [Metric('dhrystones_per_second', round(total, 1), 'dhrystones/s', False),
               Metric('dmips', round(total / VAX_DHRYSTONES_PER_SECOND, 2), 'DMIPS', False)]
    micros = [micro for _, _, micro in results if micro is not None]
    if micros:
        metrics.append(Metric('microseconds_per_run', round(sum(micros) / len(micros), 4), 'us',
                              True))
    if len(results) > 1:
        for copy, score, _ in results:
            classifiers = {'thread': copy}
            metrics.append(Metric('thread_{}_dhrystones_per_second'.format(copy), score,
                                  'dhrystones/s', False, classifiers))
            metrics.append(Metric('thread_{}_dmips'.format(copy),
                                  round(score / VAX_DHRYSTONES_PER_SECOND, 2), 'DMIPS', False,
                                  dict(classifiers)))
    return metrics


def _mean(values):
    return sum(values) / len(values)


def _source_files(paths):
    """The .c and .h files named in ``paths`` (files, or directories holding them)."""
    files = []
    for path in paths:
        path = os.path.abspath(os.path.expanduser(path))
        if os.path.isdir(path):
            files += sorted(os.path.join(path, name) for name in os.listdir(path)
                            if name.endswith(('.c', '.h')))
        elif os.path.isfile(path):
            files.append(path)
        else:
            raise NotSupportedError('the Dhrystone source "{}" does not exist on the host'
                                    .format(path))
    if not any(name.endswith('.c') for name in files):
        raise NotSupportedError('no Dhrystone .c file in {}'.format(', '.join(paths)))
    return files


class Dhrystone(ToolWorkload):

    name = 'dhrystone'
    description = """
    Runs the Dhrystone integer benchmark: Dhrystones per second and DMIPS.

    This project does not ship Dhrystone. Give either a ``binary`` built for the target (it is
    installed with devlib), or Dhrystone's C ``source`` (e.g. dhry_1.c, dhry_2.c and dhry.h
    of version 2.1, or the directory holding them), which is built on the target with its C
    compiler (Debian package ``gcc``) once per run. With neither, a ``dhrystone`` already on the
    target's PATH is used. The number of runs (``mloops`` million) is written to the program's
    standard input, as Dhrystone 2.1 asks for it there.

    ``threads`` copies run at the same time (pinned round-robin to ``cpus`` when given) and
    their scores are added up.

    Metrics: ``dhrystones_per_second`` (dhrystones/s), ``dmips`` (DMIPS: Dhrystones per second
    / 1757), ``microseconds_per_run`` (us), and per copy ``thread_<N>_dhrystones_per_second``
    and ``thread_<N>_dmips`` when more than one runs; ``time`` (seconds) is the wall-clock time
    of the whole run.

    Dhrystone 2.1 refuses to report when it ran for under 2 seconds: raise ``mloops`` then.
    With ``duration`` each copy instead runs for that many seconds (see the parameter), and
    ``delay`` staggers the copies' starts.
    """

    tool = 'dhrystone'
    package = None
    artifact_aliases = {'output': 'dhrystone-output'}  # WA3's name

    parameters = [
        Parameter('binary', kind=str, default=None,
                  description='Path on the host of a Dhrystone binary built for the target.'),
        Parameter('source', kind=types.list_of_str, default=None,
                  description='Dhrystone C source on the host: the .c/.h files, or a directory '
                              'holding them; built on the target.'),
        Parameter('mloops', kind=types.numeric, default=None,
                  constraint=lambda value: value > 0,
                  description='Millions of runs through Dhrystone, per copy (may be a fraction);'
                              ' {} when neither this nor ``duration`` is given.'.format(
                                  DEFAULT_MLOOPS)),
        Parameter('duration', kind=types.numeric, default=None,
                  constraint=lambda value: value > 0,
                  description='Seconds each copy runs for, instead of ``mloops`` (not both): '
                              'Dhrystone is run again and again, in batches of about {} s '
                              'measured once per job, until the time is up, so a copy runs '
                              'for up to one batch longer. Its score is the mean of its '
                              'batches.'.format(BATCH_SECONDS)),
        Parameter('delay', kind=types.numeric, default=0,
                  constraint=lambda value: value >= 0,
                  description='Seconds to wait between starting one copy and the next '
                              '(with ``threads`` > 1).'),
        Parameter('threads', kind=int, default=1, constraint=lambda value: value > 0,
                  description='Copies of Dhrystone run at the same time.'),
        Parameter('cpus', kind=types.list_of_ints, default=None,
                  description='CPUs the copies are pinned to with ``taskset``, round-robin.'),
        Parameter('compiler', kind=str, default=None,
                  description='C compiler on the target for ``source``; cc, gcc or clang when '
                              'not set.'),
        Parameter('cflags', kind=str, default='-O2 -DTIME -std=gnu89 -w',
                  description='Compiler flags for ``source`` (Dhrystone 2.1 needs -DTIME or '
                              '-DTIMES; gnu89 accepts its pre-ANSI C).'),
        Parameter('extra_args', kind=str, default='',
                  description='Arguments for the Dhrystone program, for variants that take '
                              'them on the command line.'),
        Parameter('timeout', kind=int, default=600, constraint=lambda value: value > 0,
                  description='Seconds Dhrystone may run before the job is failed.'),
    ]

    argument_parameters = ('extra_args',)

    def validate(self):
        super().validate()
        if self.binary and self.source:
            raise ConfigError('dhrystone: give either binary or source, not both')
        if self.duration and self.mloops:
            raise ConfigError('dhrystone: give either mloops or duration, not both')
        if self.binary:
            self.binary = os.path.abspath(os.path.expanduser(self.binary))

    def find_tool(self, context):
        if self.binary:
            return install_binary(self.target, self.binary, 'wa_dhrystone', what='Dhrystone')
        if self.source:
            return build_on_target(self.target, _source_files(self.source), 'wa_dhrystone',
                                   compiler=self.compiler, cflags=self.cflags,
                                   what='Dhrystone')
        path = which(self.target, 'dhrystone')
        if not path:
            raise NotSupportedError('no Dhrystone to run: give the "binary" or "source" '
                                    'parameter (WA does not ship Dhrystone and Debian has no '
                                    'package for it)')
        return path

    def _program(self):
        return shell_join([self.tool_path] + split_args(self.extra_args))

    def setup(self, context):
        super().setup(context)
        self.batch_runs = self._calibrate() if self.duration else None

    def _calibrate(self):
        """Runs in one batch of about ``BATCH_SECONDS``, from a trial run long enough for
        Dhrystone to report its speed."""
        runs = 1000000
        for _ in range(5):
            output = self.target.execute('echo {} | {}'.format(runs, self._program()),
                                         timeout=self.timeout, check_exit_code=False)
            match = _PER_SECOND.search(output)
            if match:
                return max(int(float(match.group(1)) * BATCH_SECONDS), 1)
            runs *= 8
        raise WorkloadError('dhrystone reported no speed when run {} times to measure it; its '
                            'output ends with:\n{}'.format(runs // 8, tail(output)))

    def _copy_command(self, pin):
        if not self.duration:
            runs = int((self.mloops or DEFAULT_MLOOPS) * 1000000)
            return 'echo {} | {}{}'.format(runs, pin, self._program())
        return ('( end=$(( $(date +%s) + {secs} )); while :; do echo {runs} | {pin}{prog}; '
                '[ "$(date +%s)" -lt "$end" ] || break; done )').format(
                    secs=int(math.ceil(self.duration)), runs=self.batch_runs, pin=pin,
                    prog=self._program())

    def build_command(self, context):
        lines = []
        for copy in range(self.threads):
            pin = ''
            if self.cpus:
                pin = 'taskset -c {} '.format(int(self.cpus[copy % len(self.cpus)]))
            if copy and self.delay:
                lines.append('sleep {:g}'.format(self.delay))
            lines.append('{} > dhrystone.{} 2>&1 & p{}=$!'.format(
                self._copy_command(pin), copy, copy))
        # Dhrystone 2.1 falls off the end of main(), so its exit status means nothing when it
        # printed its result: a copy fails the job only if it exited non-zero without one.
        lines.append('status=0')
        for copy in range(self.threads):
            lines.append('wait $p{0} || {{ code=$?; grep -qi "dhrystones per second" '
                         'dhrystone.{0} || status=$code; }}'.format(copy))
        if self.threads == 1:
            lines.append('cat dhrystone.0')
        else:
            lines += ['echo "== dhrystone copy {0} =="; cat dhrystone.{0}'.format(copy)
                      for copy in range(self.threads)]
        lines.append('rm -f ' + ' '.join('dhrystone.{}'.format(c) for c in range(self.threads)))
        lines.append('exit $status')
        return ['sh', '-c', '\n'.join(lines)]

    def run_timeout(self):
        if self.duration:
            return max(self.timeout, self.duration + self.delay * self.threads + 60)
        return self.timeout

    def parse(self, text):
        return parse_dhrystone_output(text)

    def update_result(self, context):
        super().update_result(context)
        if self.run_time is not None:
            context.add_metric('time', round(self.run_time, 3), units='seconds',
                               lower_is_better=True)

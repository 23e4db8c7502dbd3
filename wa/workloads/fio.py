"""fio: flexible storage I/O benchmark, from a job file or from a few parameters."""
import json
import os
import re
import shlex

from wa import ConfigError, Parameter
from wa.utils.numbers import to_number
from wa.utils.shell import split_args
from wa.utils.tool_workload import Metric, ToolWorkload
from wa.utils.tools import execute

DIRECTIONS = ('read', 'write', 'trim')
PERCENTILES = (('50.000000', 'p50'), ('90.000000', 'p90'), ('95.000000', 'p95'),
               ('99.000000', 'p99'), ('99.900000', 'p99.9'))
RW_MODES = ['read', 'write', 'randread', 'randwrite', 'rw', 'readwrite', 'randrw', 'trim',
            'randtrim', 'trimwrite']


def _load_json(text):
    """fio's JSON document; fio may print notes before it, so start at the first ``{``."""
    start = text.find('{')
    if start < 0:
        raise ValueError('no JSON document in the fio output')
    document, _ = json.JSONDecoder().raw_decode(text[start:])
    return document


def _latency_us(stats, new_key, old_key):
    """A latency block in microseconds: fio 3 writes ``*_ns`` (ns), older fio ``*`` (us)."""
    if new_key in stats:
        return stats[new_key], 1000.0
    if old_key in stats:
        return stats[old_key], 1.0
    return None, None


def parse_fio_json(text):
    """Metrics from ``fio --output-format=json``: for every job and every direction
    (read/write/trim) that did I/O:

    - ``<dir>_iops`` (iops) and ``<dir>_bandwidth`` (MiB/s);
    - ``<dir>_lat_min/mean/max`` (us): total latency, submission to completion;
    - ``<dir>_clat_p50/p90/p95/p99/p99.9`` (us): completion-latency percentiles.

    With more than one job in the file the names get the job's name as a prefix
    (``seqwrite_write_iops``). Every metric is classified with ``job`` and ``direction``.
    """
    document = _load_json(text)
    jobs = document.get('jobs') or []
    if not jobs:
        raise ValueError('fio reported no jobs')
    metrics = []
    for job in jobs:
        name = str(job.get('jobname', 'job'))
        if job.get('error'):
            raise ValueError('fio job "{}" failed with error {}'.format(name, job['error']))
        prefix = '{}_'.format(name) if len(jobs) > 1 else ''
        for direction in DIRECTIONS:
            stats = job.get(direction)
            if not stats or not stats.get('total_ios', stats.get('io_bytes', 0)):
                continue
            classifiers = {'job': name, 'direction': direction}
            base = prefix + direction

            def add(suffix, value, units, lower):
                metrics.append(Metric('{}_{}'.format(base, suffix), value, units, lower,
                                      dict(classifiers)))

            add('iops', round(float(stats['iops']), 3), 'iops', False)
            if 'bw_bytes' in stats:
                bandwidth = stats['bw_bytes'] / 1048576.0
            else:
                bandwidth = stats['bw'] / 1024.0  # KiB/s
            add('bandwidth', round(bandwidth, 3), 'MiB/s', False)
            lat, scale = _latency_us(stats, 'lat_ns', 'lat')
            if lat and lat.get('N', 1):
                for key in ('min', 'mean', 'max'):
                    if key in lat:
                        add('lat_' + key, round(to_number(lat[key]) / scale, 3), 'us', True)
            clat, scale = _latency_us(stats, 'clat_ns', 'clat')
            percentiles = (clat or {}).get('percentile') or {}
            for key, label in PERCENTILES:
                if key in percentiles:
                    add('clat_' + label, round(to_number(percentiles[key]) / scale, 3), 'us',
                        True)
    if not metrics:
        raise ValueError('fio did no I/O in any job')
    return metrics


def fio_size(value):
    value = str(value).strip()
    if not re.match(r'^[0-9]+(\.[0-9]+)?[kKmMgGtTpP]?(i?[bB])?$', value):
        raise ValueError('"{}" is not a size such as 4k, 64M or 1G'.format(value))
    return value


class Fio(ToolWorkload):

    name = 'fio'
    description = """
    Measures storage I/O with fio: IOPS, bandwidth and latency.

    Either runs the user's fio ``job_file`` (pushed to the target and run in a scratch
    directory of the target's working directory, removed after each job, so relative paths in
    it land there), or one job built
    from ``rw``, ``bs``, ``size``, ``iodepth``, ``numjobs`` and ``runtime`` that does I/O on
    files in ``directory``. fio (Debian package ``fio``) writes its results as JSON, which is
    saved in the job's directory.

    Metrics, per direction that did I/O (``read``, ``write``, ``trim``):

      - ``<dir>_iops`` (iops), ``<dir>_bandwidth`` (MiB/s);
      - ``<dir>_lat_min``, ``<dir>_lat_mean``, ``<dir>_lat_max``
        (us, total latency);
      - ``<dir>_clat_p50``, ``_p90``, ``_p95``, ``_p99``, ``_p99.9``
        (us, completion latency percentiles).

    When the job file has several jobs (and no ``group_reporting``), each metric name starts
    with the job's name.
    """

    tool = 'fio'
    package = 'fio'
    result_file = 'fio.json'

    parameters = [
        Parameter('job_file', kind=str, default=None,
                  description='Path on the host of a fio job file to run; when given, the '
                              'rw/bs/size/iodepth/numjobs/runtime/directory parameters are not '
                              'used.'),
        Parameter('rw', kind=str, default='randread', allowed_values=RW_MODES,
                  description='I/O pattern of the built-in job (fio ``rw``).'),
        Parameter('bs', kind=fio_size, default='4k', aliases=['block_size'],
                  description='Block size of each I/O (fio ``bs``).'),
        Parameter('size', kind=fio_size, default='64M',
                  description='Size of the file each job works on (fio ``size``).'),
        Parameter('iodepth', kind=int, default=1, constraint=lambda value: value > 0,
                  description='I/Os kept in flight (fio ``iodepth``; needs an asynchronous '
                              '``ioengine`` such as libaio to matter).'),
        Parameter('numjobs', kind=int, default=1, constraint=lambda value: value > 0,
                  description='Parallel copies of the job; their results are reported together '
                              '(``group_reporting``).'),
        Parameter('runtime', kind=int, default=10, aliases=['duration'],
                  constraint=lambda value: value > 0,
                  description='Seconds the built-in job runs for (time-based).'),
        Parameter('ioengine', kind=str, default=None,
                  description='fio ``ioengine`` (psync, libaio, io_uring, ...); fio\'s default '
                              'when not set.'),
        Parameter('direct', kind=bool, default=False,
                  description='Bypass the page cache (``direct=1``, O_DIRECT).'),
        Parameter('directory', kind=str, default=None,
                  description='Directory on the target for the built-in job\'s files; a '
                              'directory in the target\'s working directory when not set (files '
                              'created there are removed after the job).'),
        Parameter('extra_args', kind=str, default='',
                  description='More fio command-line options, as one string.'),
        Parameter('timeout', kind=int, default=None, constraint=lambda value: value > 0,
                  description='Seconds fio may run before the job is failed; runtime + 120 '
                              '(or 600 with a job file) when not set.'),
    ]

    argument_parameters = ('extra_args',)

    def validate(self):
        super().validate()
        if self.job_file:
            self.job_file = os.path.abspath(os.path.expanduser(self.job_file))
            if not os.path.isfile(self.job_file):
                raise ConfigError('fio: job file "{}" does not exist'.format(self.job_file))

    def initialize(self, context):
        super().initialize(context)
        self.data_dir = self.target.path.join(self.target_dir, 'data')
        if self.job_file:
            self.target_job_file = self.target.path.join(self.target_dir,
                                                         os.path.basename(self.job_file))

    @property
    def run_directory(self):
        # fio runs in a directory of its own, so that whatever a job file lays out with
        # relative paths is removed after the job.
        return self.data_dir

    def setup(self, context):
        super().setup(context)
        if self.job_file:
            self.target.push(self.job_file, self.target_job_file)
        elif self.directory:
            execute(self.target, 'mkdir -p {}'.format(shlex.quote(self.directory)),
                    what='creating the fio directory')

    def build_command(self, context):
        output = ['--output-format=json', '--output={}'.format(
            self._target_path(self.result_file))]
        if self.job_file:
            return [self.tool_path] + output + split_args(self.extra_args) + \
                [self.target_job_file]
        args = [self.tool_path, '--name=wa_fio', '--directory={}'.format(
                    self.directory or self.data_dir),
                '--rw={}'.format(self.rw), '--bs={}'.format(self.bs),
                '--size={}'.format(self.size), '--iodepth={}'.format(self.iodepth),
                '--numjobs={}'.format(self.numjobs), '--group_reporting',
                '--runtime={}'.format(self.runtime), '--time_based',
                '--direct={}'.format(int(self.direct))]
        if self.ioengine:
            args.append('--ioengine={}'.format(self.ioengine))
        return args + output + split_args(self.extra_args)

    def run_timeout(self):
        if self.timeout:
            return self.timeout
        return 600 if self.job_file else self.runtime + 120

    def parse(self, text):
        return parse_fio_json(text)

    def teardown(self, context):
        super().teardown(context)
        self.target.execute('rm -rf {}'.format(shlex.quote(self.data_dir)),
                            check_exit_code=False)
        if self.directory and not self.job_file:
            # Only the files fio laid out for the built-in job.
            self.target.execute('rm -f {}*'.format(
                shlex.quote(self.target.path.join(self.directory, 'wa_fio.'))),
                check_exit_code=False)

"""The ``file_poller`` instrument: reads chosen files at an interval while the workload runs."""
import csv
import os

from wa import Instrument, Parameter, ConfigError, NotSupportedError, types
from wa.instruments._ftrace_marker import find_trace_marker, marker_offset, write_marker
from wa.utils.numbers import to_number
from wa.utils.sampling import BackgroundSampler
from wa.utils.target_files import expand_globs

MARKER = 'WA_FILE_POLLER_START'


def label_for(path):
    """A column label made from a target path: its last two components joined by ``_``
    (``/sys/class/thermal/thermal_zone0/temp`` gives ``thermal_zone0_temp``)."""
    parts = [part for part in path.split('/') if part]
    return '_'.join(parts[-2:]) if parts else path


def samples_to_rows(samples, paths, offset=None):
    """``[[seconds since the first sample, value of each path...]]``: one row per sample; a
    file's value is its text on one line, or '' where it could not be read. With ``offset``
    (trace seconds minus uptime seconds) the time is the ftrace trace's instead."""
    if not samples:
        return []
    start = samples[0][0] if offset is None else -offset
    rows = []
    for stamp, files in samples:
        row = [round(stamp - start, 6 if offset is not None else 2)]
        for path in paths:
            text = files.get(path)
            row.append(' '.join(text.split()) if text is not None else '')
        rows.append(row)
    return rows


def column_stats(rows, labels):
    """``{label: (min, avg, max)}`` for every column whose values are all numbers (empty cells,
    from failed reads, are skipped; a column with no number at all is left out)."""
    stats = {}
    for index, label in enumerate(labels, start=1):
        values = []
        for row in rows:
            cell = row[index]
            if cell == '':
                continue
            number = to_number(cell, None)
            if number is None:
                values = None
                break
            values.append(number)
        if values:
            stats[label] = (min(values), sum(values) / len(values), max(values))
    return stats


class FilePoller(Instrument):

    name = 'file_poller'
    description = """Polls chosen files during the run: a CSV of the values, min/avg/max metrics.

    A shell loop on the target (started in ``slow_start``, killed in ``slow_stop``) reads every
    file in ``files`` each ``sample_interval`` milliseconds and writes to a file on the target, so
    nothing crosses the connection while the workload runs. The samples are written to
    ``file_poller.csv`` in the job directory (artifact ``file_poller``, also ``poller-output`` as
    WA3 names it): a ``time`` column (seconds since the first sample) and one column per file.
    For every column whose values are all numbers, the metrics ``<label>_min``, ``<label>_avg``
    and ``<label>_max`` are reported.

    With ``align_with_ftrace`` the ``time`` column is in the ftrace trace's seconds instead
    (from a marker written into the trace as polling starts; see the parameter).

    Example, thermal zones: ``files: [/sys/class/thermal/thermal_zone*/temp]`` (globs are
    expanded on the target once, at the start of the run). A file that does not exist is
    skipped with a warning; when none exist the instrument is disabled with a message.
    """
    parameters = [
        Parameter('files', kind=types.list_of_str, mandatory=True,
                  description='Target files to poll; shell globs are expanded on the target.'),
        Parameter('sample_interval', kind=int, default=1000, constraint=lambda v: v > 0,
                  description='Milliseconds between two samples.'),
        Parameter('labels', kind=types.list_of_str, default=None,
                  description='Column labels, one per file (after glob expansion); default: '
                              'the last two components of each path.'),
        Parameter('units', kind=str, default=None,
                  description='Units of the min/avg/max metrics (for example C, or mC for '
                              'raw thermal zone readings).'),
        Parameter('as_root', kind=bool, default=False,
                  description='Read the files as root (the target must be rooted).'),
        Parameter('align_with_ftrace', kind=bool, default=False,
                  description='Write a marker into the ftrace trace when polling starts and '
                              'give the CSV times in the trace\'s clock (seconds, as '
                              'trace-cmd report prints them), so the samples line up with the '
                              'trace; needs the trace_cmd instrument with its report.'),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.paths = []
        self.sampler = None
        self.samples = []
        self.marker_path = None

    def validate(self):
        has_globs = any(c in f for f in self.files for c in '*?[')
        if self.labels and not has_globs and len(self.labels) != len(self.files):
            raise ConfigError('file_poller: {} labels given for {} files'.format(
                len(self.labels), len(self.files)))

    def initialize(self, context):
        if self.as_root and not self.target.is_rooted:
            raise NotSupportedError('file_poller: as_root is set but the target is not rooted')
        self.paths = expand_globs(self.target, self.files)
        if not self.paths:
            raise NotSupportedError('none of the files to poll exist on the target: {}'.format(
                ', '.join(self.files)))
        if self.labels and len(self.labels) != len(self.paths):
            raise ConfigError('file_poller: {} labels given but {} files found on the target '
                              '({})'.format(len(self.labels), len(self.paths),
                                            ', '.join(self.paths)))
        missing = [f for f in self.files if f not in self.paths and
                   not any(_glob_match(f, p) for p in self.paths)]
        if missing:
            self.logger.warning('file_poller: these files do not exist on the target and are '
                                'not polled: %s', ', '.join(missing))
        self.marker_path = None
        if self.align_with_ftrace:
            self.marker_path = find_trace_marker(self.target) if self.target.is_rooted else None
            if self.marker_path is None:
                self.logger.warning('file_poller: align_with_ftrace needs a rooted target with '
                                    'tracefs (no trace_marker found); times are not aligned')

    def column_labels(self):
        if self.labels:
            return list(self.labels)
        labels = [label_for(path) for path in self.paths]
        if len(set(labels)) != len(labels):
            labels = [path for path in self.paths]
        return labels

    def slow_start(self, context):
        self.samples = []
        self.sampler = BackgroundSampler(self.target, self.paths, self.sample_interval / 1000.0,
                                         'file_poller', as_root=self.as_root)
        self.sampler.start()
        if self.marker_path:
            write_marker(self.target, self.marker_path, MARKER)

    def slow_stop(self, context):
        if self.sampler is not None:
            self.samples = self.sampler.stop()
            self.sampler = None

    def very_slow_update_result(self, context):
        """Runs after trace_cmd's update_result, so that its text trace is there to align
        with."""
        labels = self.column_labels()
        rows = samples_to_rows(self.samples, self.paths, self._trace_offset(context))
        path = os.path.join(context.output_directory, 'file_poller.csv')
        with open(path, 'w', newline='') as fh:
            writer = csv.writer(fh)
            writer.writerow(['time'] + labels)
            writer.writerows(rows)
        for name in ('file_poller', 'poller-output'):     # this project's name, WA3's
            context.add_artifact(name, path, 'data', description='values of {} every {} ms'
                                 .format(', '.join(self.paths), self.sample_interval))
        if not rows:
            self.logger.warning('file_poller: no sample was taken during this job')
        for label, (low, mean, high) in column_stats(rows, labels).items():
            for suffix, value in (('min', low), ('avg', round(mean, 3)), ('max', high)):
                context.add_metric('{}_{}'.format(label, suffix), value, self.units,
                                   classifiers={'file': self.paths[labels.index(label)]})


    def _trace_offset(self, context):
        if not self.marker_path:
            return None
        trace = next((a for a in context.result.artifacts if a.name == 'trace-cmd-txt'), None)
        offset = None
        if trace is not None:
            path = os.path.join(context.run_output_directory, trace.path)
            with open(path, errors='replace') as fh:
                offset = marker_offset(fh, MARKER)
        if offset is None:
            self.logger.warning('file_poller: align_with_ftrace: no marker found in a text '
                                'trace of this job (enable trace_cmd with report); times are '
                                'not aligned')
        return offset


def _glob_match(pattern, path):
    import fnmatch
    return fnmatch.fnmatchcase(path, pattern)

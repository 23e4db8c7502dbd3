"""Reading what rt-app prints and logs (rt-app 1.0, Debian package ``rt-app``).

Console lines are ``[rt-app] <level> message``: ``pLoad = 82ns : calib_cpu 0`` after the
calibration, ``<error>``/``<crit>`` lines for problems. Each thread writes
``<log_basename>-<task>-<instance>.log``: ``#`` comment lines, then one row per activation with
the columns named in the header ``#idx perf run period start end rel_st slack c_duration
c_period wu_lat`` (times in microseconds; rt-app prints some negative values, wu_lat and slack,
as unsigned 64-bit numbers, which are turned back into negative ones here).
"""
import re

from wa.utils.tool_workload import Metric

_PLOAD = re.compile(r'pLoad\s*=\s*([0-9.]+)\s*(\w+)(?:\s*:\s*calib_cpu\s+(\d+))?')
_SIGNED = 1 << 63


def parse_rt_app_console(text):
    """``pLoad`` (ns per loop), ``calib_cpu``, ``error_count``, ``crit_count`` (WA3's names)."""
    metrics = []
    match = _PLOAD.search(text)
    if match:
        metrics.append(Metric('pLoad', float(match.group(1)), match.group(2), True))
        if match.group(3) is not None:
            metrics.append(Metric('calib_cpu', int(match.group(3)), None))
    metrics.append(Metric('error_count', text.count('<error>'), 'count', True))
    metrics.append(Metric('crit_count', text.count('<crit>'), 'count', True))
    return metrics


def _signed(value):
    value = int(value)
    return value - (1 << 64) if value >= _SIGNED else value


def parse_thread_log(text):
    """``{column: [values]}`` from one thread's log (header ``#idx perf run ...``)."""
    columns = None
    rows = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith('#idx'):
            columns = stripped.lstrip('#').split()
        elif stripped and not stripped.startswith('#') and columns:
            fields = stripped.split()
            if len(fields) == len(columns):
                rows.append([_signed(field) for field in fields])
    if columns is None:
        raise ValueError('no "#idx ..." header in the rt-app log')
    return {name: [row[index] for row in rows] for index, name in enumerate(columns)}


def thread_metrics(name, table):
    """Metrics of one thread ``name`` (``<task>-<thread index>``): activations, run/period
    averages, slack min/avg, missed deadlines (negative slack) and wake-up latency (us)."""
    classifiers = {'task': name}
    count = len(table.get('run', []))
    metrics = [Metric('{}_activations'.format(name), count, 'count', False, classifiers)]
    if not count:
        return metrics
    for column, label, lower in (('run', 'run_avg', True), ('period', 'period_avg', True),
                                 ('slack', 'slack_avg', False), ('wu_lat', 'wu_lat_avg', True)):
        if column in table:
            metrics.append(Metric('{}_{}'.format(name, label),
                                  round(sum(table[column]) / count, 1), 'us', lower,
                                  dict(classifiers)))
    if 'slack' in table:
        metrics.append(Metric('{}_slack_min'.format(name), min(table['slack']), 'us', False,
                              dict(classifiers)))
        metrics.append(Metric('{}_missed_deadlines'.format(name),
                              sum(1 for slack in table['slack'] if slack < 0), 'count', True,
                              dict(classifiers)))
    if 'wu_lat' in table:
        metrics.append(Metric('{}_wu_lat_max'.format(name), max(table['wu_lat']), 'us', True,
                              dict(classifiers)))
    return metrics


def parse_rt_app_logs(logs, basename):
    """Per-thread metrics from ``{file name: text}`` of the thread logs (named
    ``<basename>-<task>-<thread index>.log``), and overall ones: ``activations``,
    ``missed_deadlines`` (sums), ``slack_min``, ``wu_lat_max`` (us)."""
    metrics = []
    tables = []
    prefix = basename + '-'
    for filename in sorted(logs):
        if not (filename.startswith(prefix) and filename.endswith('.log')):
            continue
        name = filename[len(prefix):-len('.log')]
        table = parse_thread_log(logs[filename])
        tables.append(table)
        metrics += thread_metrics(name, table)
    if not tables:
        raise ValueError('rt-app wrote no thread log')
    slack = [value for table in tables for value in table.get('slack', [])]
    latency = [value for table in tables for value in table.get('wu_lat', [])]
    metrics.append(Metric('activations', sum(len(t.get('run', [])) for t in tables), 'count'))
    if slack:
        metrics.append(Metric('missed_deadlines', sum(1 for s in slack if s < 0), 'count', True))
        metrics.append(Metric('slack_min', min(slack), 'us', False))
    if latency:
        metrics.append(Metric('wu_lat_max', max(latency), 'us', True))
    return metrics

"""What ``wa run --dry-run`` prints: the jobs of a run and, with ``-v``, each job's merged
configuration, so an agenda can be checked without a target."""
import yaml


def yaml_value(value):
    """A value as it would be written in an agenda: YAML flow style on one line."""
    try:
        text = yaml.safe_dump(value, default_flow_style=True, width=float('inf')).strip()
    except yaml.YAMLError:
        return repr(value)
    return text[:-3].strip() if text.endswith('\n...') else text


def _masked(mapping):
    """``mapping`` with the values of secret-looking keys (passwords) hidden."""
    return {key: '****' if 'password' in str(key).lower() and value else value
            for key, value in mapping.items()}


def _mapping_lines(title, mapping):
    if not mapping:
        return ['    {}: none'.format(title)]
    return ['    {}:'.format(title)] + ['      {}: {}'.format(key, yaml_value(mapping[key]))
                                       for key in sorted(mapping)]


def job_details(job):
    """The indented lines under one job: merged workload parameters (defaults included),
    runtime parameters, instruments and classifiers."""
    spec = job.spec
    params = spec.workload.parameter_values() if spec.workload is not None else spec.workload_parameters
    lines = ['    workload: {}'.format(spec.workload_name)]
    lines += _mapping_lines('workload_parameters', params)
    lines += _mapping_lines('runtime_parameters', spec.runtime_parameters)
    if spec.boot_parameters:
        lines += _mapping_lines('boot_parameters', spec.boot_parameters)
    lines.append('    instruments: {}'.format(', '.join(spec.instruments) or 'none'))
    lines += _mapping_lines('classifiers', spec.classifiers)
    if not spec.enabled:
        lines.append('    will not run: {} ({})'.format(spec.disabled_status,
                                                       spec.disabled_reason))
    return lines


def dry_run_lines(jobs, run_config, verbose=False):
    """Every job as ``id label iteration N``; with ``verbose``, the run's target and result
    processors first and each job's merged configuration under it."""
    lines = []
    if verbose:
        settings = run_config.settings
        lines += ['device: {} {}'.format(settings['device'],
                                         yaml_value(_masked(settings['device_config']))),
                  'execution_order: {}'.format(settings['execution_order']),
                  'result_processors: {}'.format(', '.join(run_config.processors) or 'none'),
                  '']
    for job in jobs:
        lines.append('{:<16} {:<20} iteration {}'.format(job.id, job.label, job.iteration))
        if verbose:
            lines += job_details(job)
    return lines

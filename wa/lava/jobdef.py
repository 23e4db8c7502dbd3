"""LAVA job definitions that run an agenda with this project's ``wa run`` on the device.

One job per device: deploy and boot over ``ssh`` (the device's own test shell), then one inline
Lava-Test Test Definition 1.0 whose steps

1. write the agenda and config files (carried base64-encoded in the definition) to a fresh
   directory, with ``WA_USER_DIRECTORY`` pointing inside it;
2. run ``<wa> run agenda.yaml -d wa_output`` (``<wa>``: how WA is started on the device);
3. run ``<wa> lava report wa_output``, which reports each job's status and each numeric metric
   with ``lava-test-case NAME --result pass --measurement V --units U``;
4. pack ``wa_output`` into ``<tarball>`` and send it back: copied into a directory the host can
   read (``return_dir``), and/or handed to an upload command (``upload``, with ``{tarball}``
   and ``{name}`` replaced by the quoted path and file name).

The job's ``metadata`` carries what collecting needs: the tarball's name and the jobs of the
agenda (``wa.tarball``, ``wa.jobs``).
"""
import base64
import json
import shlex

import yaml

DEFINITION_NAME = 'wa'
SUITE = '0_' + DEFINITION_NAME       # LAVA names a definition's suite <index>_<name>
WORK = '"$WA_LAVA_DIR"'


def _write_file(text, name):
    data = base64.b64encode(text.encode()).decode()
    return 'echo {} | base64 -d > {}/{}'.format(data, WORK, name)


def test_steps(agenda_text, config_texts, wa_command, tarball, return_dir=None, upload=None):
    """The shell steps of the test definition (see the module docstring)."""
    steps = ['WA_LAVA_DIR=$(mktemp -d /tmp/wa-lava.XXXXXX)',
             'export WA_USER_DIRECTORY={}/user'.format(WORK),
             _write_file(agenda_text, 'agenda.yaml')]
    configs = ''
    for index, text in enumerate(config_texts):
        steps.append(_write_file(text, 'config{}.yaml'.format(index)))
        configs += ' -c {}/config{}.yaml'.format(WORK, index)
    steps += ['{} run {}/agenda.yaml{} -d {}/wa_output'.format(wa_command, WORK, configs, WORK),
              '{} lava report {}/wa_output'.format(wa_command, WORK),
              'tar -czf {}/{} -C {} wa_output'.format(WORK, tarball, WORK)]
    path = '{}/{}'.format(WORK, tarball)
    if return_dir:
        steps.append('mkdir -p {0} && cp {1} {0}/'.format(shlex.quote(return_dir), path))
    if upload:
        steps.append(upload.format(tarball=path, name=shlex.quote(tarball)))
    return steps


def job_definition(job_name, steps, device_type, tags=(), prompts=('root@',), metadata=None,
                   minutes=30):
    """The YAML text of one LAVA job (LAVA 2023.01 pipeline format)."""
    definition = {
        'job_name': job_name,
        'device_type': device_type,
        'visibility': 'public',
        'priority': 'medium',
        'timeouts': {'job': {'minutes': minutes + 5}, 'action': {'minutes': minutes},
                     'connection': {'minutes': 2}},
        'metadata': dict(metadata or {}),
        'actions': [
            {'deploy': {'to': 'ssh', 'os': 'debian', 'timeout': {'minutes': 2}}},
            {'boot': {'method': 'ssh', 'connection': 'ssh', 'prompts': list(prompts),
                      'timeout': {'minutes': 2}}},
            {'test': {'timeout': {'minutes': minutes}, 'definitions': [{
                'from': 'inline', 'name': DEFINITION_NAME,
                'path': 'inline/{}.yaml'.format(DEFINITION_NAME),
                'repository': {
                    'metadata': {'format': 'Lava-Test Test Definition 1.0',
                                 'name': DEFINITION_NAME,
                                 'description': 'wa run of an agenda, metrics as test cases'},
                    'run': {'steps': list(steps)}}}]}},
        ],
    }
    if tags:
        definition['tags'] = list(tags)
    return yaml.safe_dump(definition, sort_keys=False, width=1000)


def job_metadata(tarball, jobs):
    """The ``metadata`` block: strings only, as LAVA keeps them."""
    return {'wa.tarball': tarball, 'wa.jobs': json.dumps(jobs, separators=(',', ':'))}


def case_name(job_id, iteration, metric=None):
    """The LAVA test case name of a job (``<id>.<iteration>``) or of one of its metrics
    (``<id>.<iteration>.<metric>``, the metric's name with anything but letters, digits,
    ``_`` and ``-`` made ``_``)."""
    name = '{}.{}'.format(job_id, iteration)
    if metric is None:
        return name
    return '{}.{}'.format(name, ''.join(c if c.isalnum() or c in '_-' else '_' for c in metric))

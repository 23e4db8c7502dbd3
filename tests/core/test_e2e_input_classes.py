"""Bad input of every class found by the attack on the product (issue 9 classes 1, 4, 5, 8, 11):
each is exit 2 and one line naming the file and line, before anything is created."""
import json
import os
import subprocess
import sys

import pytest


def wa(args, cwd, user_config=None, plugins=None):
    """Runs this checkout's ``wa`` with a user directory of its own under ``cwd``."""
    user = cwd / 'user'
    (user / 'plugins').mkdir(parents=True, exist_ok=True)
    if user_config is not None:
        (user / 'config.yaml').write_text(user_config)
    for name, text in (plugins or {}).items():
        (user / 'plugins' / name).write_text(text)
    env = dict(os.environ, WA_USER_DIRECTORY=str(user))
    return subprocess.run([sys.executable, '-m', 'wa'] + args, cwd=str(cwd), env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


def one_line_error(proc, *expected):
    """Asserts exit 2 and exactly one line on stderr holding every ``expected`` text."""
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, (proc.returncode, proc.stderr)
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


def created(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir() if p.name not in ('user', 'agenda.yaml'))


NAME_CASES = [
    ('workloads:\n  - {id: ../escaped, name: idle}\n', 'agenda.yaml:2: invalid workload id'),
    ('workloads:\n  - {id: /tmp/wavictim, name: idle}\n', 'agenda.yaml:2: invalid workload id'),
    ('workloads:\n  - {id: "..", name: idle}\n', 'agenda.yaml:2: invalid workload id'),
    ('sections:\n  - {id: ../sec}\nworkloads: [idle]\n', 'agenda.yaml:2: invalid section id'),
    ('workloads:\n  - {id: "a\\nb", name: idle}\n', 'control character'),
    ('workloads:\n  - {label: "x\\ty", name: idle}\n', 'agenda.yaml:2: invalid label'),
    ('workloads:\n  - {label: "..", name: idle}\n', 'agenda.yaml:2: invalid label'),
    ('workloads:\n  - {label: "a\\\\b", name: idle}\n', 'agenda.yaml:2: invalid label'),
    ('workloads:\n  - {label: ' + 'x' * 300 + ', name: idle}\n', 'longer than 255 bytes'),
]


@pytest.mark.parametrize('text, message', NAME_CASES)
def test_names_that_become_paths_are_checked_before_anything_runs(tmp_path, text, message):
    (tmp_path / 'agenda.yaml').write_text(text)
    for extra in ([], ['--dry-run']):
        proc = wa(['run', 'agenda.yaml', '-d', 'out'] + extra, tmp_path)
        one_line_error(proc, message)
    assert created(tmp_path) == []


BAD_WORKLOAD = '''
from wa import Workload, Parameter

class BadNames(Workload):
    name = 'bad_names'
    parameters = [Parameter('artifact', str, 'fine'), Parameter('metric', str, 'fine')]

    def update_result(self, context):
        context.add_metric(self.metric, 1)
        context.add_artifact(self.artifact, 'x.txt')
'''


def test_plugin_names_at_run_time_fail_the_job_not_the_run(tmp_path):
    """A bad name from update_result fails that step (the job is PARTIAL), the run goes on."""
    (tmp_path / 'agenda.yaml').write_text(
        'config: {max_retries: 0}\n'
        'workloads:\n'
        '  - {name: bad_names, params: {artifact: ../../outside}}\n'
        '  - {name: bad_names, params: {metric: "two\\nlines"}}\n'
        '  - {name: bad_names}\n')
    proc = wa(['run', 'agenda.yaml', '-d', 'out'], tmp_path, plugins={'bad.py': BAD_WORKLOAD})
    assert proc.returncode == 1, proc.stderr
    jobs = json.loads((tmp_path / 'out' / 'result.json').read_text())['jobs']
    assert [j['status'] for j in jobs] == ['PARTIAL', 'PARTIAL', 'OK'], jobs
    log = (tmp_path / 'out' / 'run.log').read_text()
    assert 'invalid artifact name "../../outside"' in log
    assert 'invalid metric name "two\\nlines"' in log
    assert created(tmp_path) == ['out']


def test_alias_bomb_is_refused_quickly(tmp_path):
    levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]']
    levels += ['a{0}: &a{0} [*a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, '
               '*a{1}]'.format(i, i - 1) for i in range(1, 8)]
    (tmp_path / 'agenda.yaml').write_text(
        'config:\n  classifiers:\n' + ''.join('    {}\n'.format(l) for l in levels) +
        'workloads: [idle]\n')
    proc = wa(['run', 'agenda.yaml', '--dry-run'], tmp_path)
    one_line_error(proc, 'agenda.yaml:', 'expands to more than')


MALFORMED = [
    ('workloads: &r [*r]\n', 'agenda.yaml:1: an alias refers to itself'),
    ('config:\n  classifiers: {a: &r [*r]}\nworkloads: [idle]\n', 'agenda.yaml:2: an alias'),
    ('workloads: ' + '[' * 1000 + ']' * 1000 + '\n', 'agenda.yaml:1: values nest more than'),
    ('workloads: [!!int "x"]\n', 'agenda.yaml:1: bad value "x" for !!int'),
    ('workloads: [!!float "x"]\n', 'agenda.yaml:1: bad value "x" for !!float'),
    ('config:\n  classifiers: {a: !!timestamp "2001-99-99"}\nworkloads: [idle]\n',
     'agenda.yaml:2: bad value "2001-99-99" for !!timestamp'),
    ('config: {csv: {1: x}}\nworkloads: [idle]\n', 'agenda.yaml:1: Unexpected config 1 for "csv"'),
    ('config: {device_config: {1: x}}\nworkloads: [idle]\n',
     'agenda.yaml:1: device_config of "local": Unexpected config "1"'),
    ('config: {extra_plugin_paths: 1.5}\nworkloads: [idle]\n',
     'agenda.yaml:1: Bad value 1.5 for parameter "extra_plugin_paths"'),
    ('workloads:\n  - {name: "idle\\nx"}\n', 'agenda.yaml:2: Unknown workload "idle\\nx"'),
    ('workloads: [!foo bar]\n', 'agenda.yaml:1: bad value "bar" for !foo'),
]


@pytest.mark.parametrize('text, message', MALFORMED)
def test_malformed_agendas_are_config_errors(tmp_path, text, message):
    (tmp_path / 'agenda.yaml').write_text(text)
    one_line_error(wa(['run', 'agenda.yaml', '--dry-run'], tmp_path), message)


def test_user_config_mistakes_do_not_break_listing(tmp_path):
    proc = wa(['list', 'workloads'], tmp_path, user_config='extra_plugin_paths: 5\n')
    assert proc.returncode == 0 and 'idle' in proc.stdout, proc.stderr
    proc = wa(['run', 'idle', '--dry-run'], tmp_path)
    one_line_error(proc, 'config.yaml:1: Bad value 5 for parameter "extra_plugin_paths"')
    for args in (['list', 'workloads'], ['show', 'idle'], ['run', 'idle', '--dry-run']):
        proc = wa(args, tmp_path, user_config='iterations: !!int "x"\n')
        one_line_error(proc, 'config.yaml:1: bad value "x" for !!int')


def test_secrets_never_reach_meta_or_log_in_clear(tmp_path):
    (tmp_path / 'agenda.yaml').write_text(
        'config:\n  device: linux\n'
        '  device_config: {host: 127.0.0.1, port: 1, username: root, password: S3cretPW_xyz}\n'
        '  reconnect_attempts: 0\n'
        '  my_secrets: {api_token: T0kenXYZ, service_password: Pw2xyz}\n'
        'workloads:\n  - {name: idle, params: {duration: 0}}\n')
    plugin = ('from wa import Instrument, Parameter\n'
              'class MySecrets(Instrument):\n    name = "my_secrets"\n'
              '    parameters = [Parameter("api_token", str), Parameter("service_password", str),\n'
              '                  Parameter("passkey", str, secret=True, default="Pk9xyz")]\n')
    (tmp_path / 'agenda.yaml').write_text((tmp_path / 'agenda.yaml').read_text())
    proc = wa(['run', 'agenda.yaml', '-d', 'out'], tmp_path, plugins={'sec.py': plugin})
    assert proc.returncode == 1, proc.stderr
    out = tmp_path / 'out'
    for path in out.rglob('*'):
        if path.is_file() and path.parent.name != 'raw_config':
            text = path.read_text(errors='replace')
            for secret in ('S3cretPW_xyz', 'T0kenXYZ', 'Pw2xyz', 'Pk9xyz'):
                assert secret not in text, (path, secret)
    config = json.loads((out / '__meta' / 'config.json').read_text())
    assert config['device_config']['password'] == '***'
    assert config['plugin_config']['my_secrets'] == {'api_token': '***',
                                                      'service_password': '***'}
    for copy in (out / '__meta' / 'raw_config').iterdir():
        assert copy.stat().st_mode & 0o777 == 0o600
    assert 'S3cretPW_xyz' not in proc.stderr + proc.stdout


def test_secret_values_are_masked_in_messages(tmp_path):
    plugin = ('from wa import Instrument, Parameter\n'
              'class Vault(Instrument):\n    name = "vault"\n'
              '    parameters = [Parameter("pin", int, secret=True),\n'
              '                  Parameter("api_token", str, allowed_values=["a", "b"])]\n')
    for block in ('{pin: S3cretPW_xyz}', '{api_token: S3cretPW_xyz}'):
        (tmp_path / 'agenda.yaml').write_text(
            'config:\n  instrumentation: [vault]\n  vault: %s\nworkloads: [idle]\n' % block)
        proc = wa(['run', 'agenda.yaml', '--dry-run'], tmp_path, plugins={'vault.py': plugin})
        line = one_line_error(proc, 'agenda.yaml:3')
        assert 'S3cretPW_xyz' not in line and '***' in line, line


WA3_WORKLOAD = '''
from wa import Workload, Parameter

class Wl3(Workload):
    name = 'wl3'
    parameters = [Parameter('n', kind=int, default=1)]

    def __init__(self, target, **kwargs):
        super(Wl3, self).__init__(target, **kwargs)
        self.out = None

    def run(self, context):
        self.out = '7'

    def update_result(self, context):
        context.add_metric('n', int(self.out) * self.n)
'''

BROKEN_WORKLOAD = '''
from wa import Workload

class Broken(Workload):
    name = 'broken'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        raise RuntimeError('no licence file')
'''


def test_plugins_with_wa3_constructor_run_and_broken_ones_are_named(tmp_path):
    plugins = {'wl3.py': WA3_WORKLOAD, 'broken.py': BROKEN_WORKLOAD}
    proc = wa(['run', 'wl3', '-d', 'out'], tmp_path, plugins=plugins)
    assert proc.returncode == 0, proc.stderr
    jobs = json.loads((tmp_path / 'out' / 'result.json').read_text())['jobs']
    assert jobs[0]['metrics'][0]['value'] == 7
    proc = wa(['run', 'broken', '-d', 'out2'], tmp_path, plugins=plugins)
    one_line_error(proc, 'workload "broken" (class Broken in ', 'broken.py',
                   'RuntimeError: no licence file')
    assert not (tmp_path / 'out2').exists()


def test_settings_in_an_enable_list_say_where_they_go(tmp_path):
    (tmp_path / 'agenda.yaml').write_text(
        'workloads:\n  - name: idle\n    instrumentation:\n'
        '      file_poller: {sample_interval: 200}\n')
    one_line_error(wa(['run', 'agenda.yaml', '--dry-run'], tmp_path),
                   'agenda.yaml:3: "instrumentation" takes plugin names',
                   '"file_poller: {...}" in config')


METER_CASES = [
    ('instrument: acme_cape\n    instrument_parameters: {host: acme.local, iio_devise: x}',
     'agenda.yaml:5: instrument_parameters: the acme_cape meter has no setting "iio_devise" '
     '(did you mean "iio_device"?)'),
    ('instrument: daq\n    instrument_parameters: {labels: [a]}',
     'agenda.yaml:5: instrument_parameters: the daq meter needs "resistor_values"'),
    ('instrument: rapl\n    instrument_parameters: {host: x}',
     'agenda.yaml:5: instrument_parameters are for the devlib meters'),
]


@pytest.mark.parametrize('block, message', METER_CASES)
def test_energy_meter_settings_are_checked_before_the_run(tmp_path, block, message):
    (tmp_path / 'agenda.yaml').write_text(
        'config:\n  instrumentation: [energy_measurement]\n  energy_measurement:\n'
        '    {}\nworkloads: [idle]\n'.format(block))
    one_line_error(wa(['run', 'agenda.yaml', '-d', 'out'], tmp_path), message)
    assert created(tmp_path) == []


def test_secrets_logged_by_a_plugin_are_masked_in_run_log(tmp_path):
    plugin = ('from wa import Instrument, Parameter\n'
              'class Chatty(Instrument):\n    name = "chatty"\n'
              '    parameters = [Parameter("api_token", str)]\n'
              '    def initialize(self, context):\n'
              '        self.logger.info("connecting with token %s", self.api_token)\n')
    (tmp_path / 'agenda.yaml').write_text(
        'config:\n  instrumentation: [chatty]\n  chatty: {api_token: T0kenXYZ42}\n'
        'workloads:\n  - {name: idle, params: {duration: 0}}\n')
    proc = wa(['run', 'agenda.yaml', '-d', 'out', '-v'], tmp_path, plugins={'chatty.py': plugin})
    assert proc.returncode == 0, proc.stderr
    log = (tmp_path / 'out' / 'run.log').read_text()
    assert 'connecting with token ***' in log
    assert 'T0kenXYZ42' not in log + proc.stderr + proc.stdout

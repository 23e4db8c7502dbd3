"""Secrets of the run (device_config passwords, plugin settings named or flagged secret) never
reach run.log, the console or any other file in clear, not even inside the traceback of a
plugin's exception logged with --debug (issue 9, class 8)."""
import os
import subprocess
import sys

import pytest

PLUGINS = '''
import logging
from wa import Instrument, Parameter, Workload


class Leaky(Instrument):
    name = 'leaky'
    parameters = [Parameter('api_token', str), Parameter('pin', str, secret=True)]

    def start(self, context):
        raise RuntimeError('login with token {} refused'.format(self.api_token))

    def initialize(self, context):
        try:
            raise KeyError(self.pin)
        except KeyError:
            logging.getLogger('leaky').debug('lookup failed', exc_info=True, stack_info=True)


class LeakyWorkload(Workload):
    name = 'leaky_workload'
    parameters = [Parameter('password', str), Parameter('device_password', str)]

    def run(self, context):
        def connect(password):
            raise ValueError('bad password ' + password)
        try:
            connect(self.device_password)
        except ValueError as error:
            raise OSError('cannot reach the board with password ' + self.password) from error
'''
AGENDA = '''config:
  instrumentation: [leaky]
  leaky: {api_token: T0kenXYZ42, pin: Pin0Secret}
  device_config: {password: S3cretPW_xyz}
workloads:
  - name: leaky_workload
    params: {password: Pw2xyz99, device_password: S3cretPW_xyz}
'''
SECRETS = ('T0kenXYZ42', 'Pin0Secret', 'S3cretPW_xyz', 'Pw2xyz99')


@pytest.mark.parametrize('flags', [['--debug'], ['-v']])
def test_plugin_exceptions_holding_secrets_are_masked_everywhere(tmp_path, flags):
    user = tmp_path / 'user'
    (user / 'plugins').mkdir(parents=True)
    (user / 'plugins' / 'leaky.py').write_text(PLUGINS)
    (tmp_path / 'agenda.yaml').write_text(AGENDA)
    proc = subprocess.run([sys.executable, '-m', 'wa', 'run', 'agenda.yaml', '-d', 'out'] + flags,
                          cwd=str(tmp_path), env=dict(os.environ, WA_USER_DIRECTORY=str(user)),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    log = (tmp_path / 'out' / 'run.log').read_text()
    # The tracebacks are there, with their messages masked
    assert 'Traceback (most recent call last)' in log
    assert 'RuntimeError: login with token *** refused' in log
    assert 'ValueError: bad password ***' in log
    assert 'OSError: cannot reach the board with password ***' in log
    assert 'KeyError: \'***\'' in log and 'Stack (most recent call last)' in log
    if flags == ['--debug']:
        assert 'ValueError: bad password ***' in proc.stderr
    for secret in SECRETS:
        assert secret not in proc.stdout + proc.stderr
    for path in (tmp_path / 'out').rglob('*'):
        if path.is_file() and path.parent.name != 'raw_config':
            text = path.read_text(errors='replace')
            assert not [s for s in SECRETS if s in text], path


def test_records_logged_before_the_secrets_were_known_are_masked_when_written():
    """What is logged before the configuration is read waits in a buffer for run.log."""
    import logging
    from wa.core.secrets import MaskingFormatter, hide_in_logs
    try:
        raise ValueError('early Early5ecret')
    except ValueError:
        record = logging.LogRecord('x', logging.ERROR, __file__, 1, 'was %s', ('Early5ecret',),
                                   sys.exc_info())
    hide_in_logs(['Early5ecret'])
    text = MaskingFormatter('%(message)s').format(record)
    assert text.startswith('was ***\nTraceback') and text.endswith('ValueError: early ***')

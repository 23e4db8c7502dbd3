"""The android target: how it is built from device_config, and its failure without a device."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from wa.core.exceptions import ConfigError
from wa.target.connection import AndroidTarget, attached_devices


def test_device_config_maps_to_devlib_connection_settings():
    target_type = AndroidTarget(device='0123456789ABCDEF', adb_server='127.0.0.1',
                                adb_as_root=True, connection_attempts=2)
    settings = target_type.connection_settings()
    assert settings['device'] == '0123456789ABCDEF'
    assert settings['adb_server'] == '127.0.0.1'
    assert settings['adb_as_root'] is True
    assert settings['connection_attempts'] == 2
    assert 'package_data_directory' not in settings


def test_adb_name_is_an_alias_of_the_serial():
    assert AndroidTarget(adb_name='emulator-5554').serial == 'emulator-5554'


def test_unknown_device_config_key_suggests_the_closest():
    with pytest.raises(ConfigError, match='did you mean "adb_server"'):
        AndroidTarget(adb_sever='host')


def test_attached_devices_parses_adb_output():
    listing = ('List of devices attached\n'
               'emulator-5554\tdevice\n'
               '0123456789ABCDEF\tunauthorized\n'
               '192.168.0.2:5555\tdevice product:x model:y\n\n')
    assert attached_devices(listing) == ['emulator-5554', '192.168.0.2:5555']


@pytest.mark.skipif(shutil.which('adb') is None, reason='adb is not installed')
def test_android_run_without_a_device_fails_at_once_naming_adb_and_serial(tmp_path):
    agenda = tmp_path / 'agenda.yaml'
    agenda.write_text('config: {device: android, device_config: {device: emulator-5554}}\n'
                      'workloads: [idle]\n')
    out = tmp_path / 'out'
    env = dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user'))
    proc = subprocess.run([sys.executable, '-m', 'wa', 'run', str(agenda), '-d', str(out)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 1
    assert 'Traceback' not in proc.stderr
    error_lines = [line for line in proc.stderr.splitlines() if line.startswith('ERROR')]
    assert 'emulator-5554' in error_lines[0] and 'adb' in error_lines[0]
    result = json.loads((out / 'result.json').read_text())
    assert result['status'] == 'FAILED'
    assert [job['status'] for job in result['jobs']] == ['SKIPPED']


def test_create_builds_a_devlib_android_target_from_device_config(monkeypatch):
    import devlib
    monkeypatch.setattr(AndroidTarget, '_check_attached', lambda self: None)
    monkeypatch.setattr('shutil.which', lambda name: '/usr/bin/' + name)
    target_type = AndroidTarget(device='0123456789ABCDEF', adb_as_root=True,
                                working_directory='/data/local/tmp/wa',
                                package_data_directory='/data/user/0', core_names=['a53'] * 4)
    target = target_type.create()
    assert isinstance(target, devlib.AndroidTarget)
    assert target.connection_settings['device'] == '0123456789ABCDEF'
    assert target.connection_settings['adb_as_root'] is True
    assert target.working_directory == '/data/local/tmp/wa'
    assert target.package_data_directory == '/data/user/0'
    assert target.platform.core_names == ['a53'] * 4

"""WA3's way of configuring energy_measurement's meter, a block named after it
(``acme_cape: {host: ..., iio_devices: [...]}``, case b06-energy-meter-params-unchecked): the
settings are checked before the run and reach devlib's meter. A stand-in ``iio-capture`` (the
host tool devlib's AcmeCapeInstrument runs) records how it was called and writes samples."""
import json
import os
import shutil
import subprocess
import sys

import pytest

IIO_CAPTURE = r'''#!/bin/sh
printf '%s\n' "$*" >> "$(dirname "$0")/iio-capture.args"
while [ $# -gt 0 ]; do [ "$1" = -f ] && out=$2; shift; done
printf 'shunt mV,bus mV,power mW,current mA,timestamp ms\n' > "$out"
printf '1,5000,2000,400,%s\n' 0 500 1000 >> "$out"
trap 'exit 15' TERM
while :; do sleep 0.05; done
'''


def wa_run(tmp_path, config, *args, meter='acme_cape'):
    (tmp_path / 'agenda.yaml').write_text(
        'config:\n  instrumentation: [energy_measurement]\n'
        '  energy_measurement: {instrument: %s}\n' % meter + config +
        'workloads:\n  - {name: idle, params: {duration: 0.2}}\n')
    return subprocess.run([sys.executable, '-m', 'wa', 'run', 'agenda.yaml', '-d', 'out'] +
                          list(args), cwd=str(tmp_path), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user')))


def test_wa3_acme_cape_block_reaches_one_meter_per_iio_device(tmp_path):
    tool = tmp_path / 'iio-capture'
    tool.write_text(IIO_CAPTURE)
    tool.chmod(0o755)
    proc = wa_run(tmp_path, '  acme_cape:\n    iio-capture: {}\n    host: acme.test\n'
                            '    iio_devices: [iio:device0, iio:device1]\n'
                            '    buffer-size: 64\n'.format(tool))
    assert proc.returncode == 0, proc.stderr
    calls = (tmp_path / 'iio-capture.args').read_text().splitlines()
    assert sorted(call.split()[:3] + call.split()[-1:] for call in calls) == [
        ['-n', 'acme.test', '-b', 'iio:device0'], ['-n', 'acme.test', '-b', 'iio:device1']]
    assert all(' 64 ' in call for call in calls)
    job = json.loads((tmp_path / 'out' / 'result.json').read_text())['jobs'][0]
    energy = {m['classifiers'].get('device'): m['value'] for m in job['metrics']
              if m['name'] == 'energy'}
    assert energy == {'iio:device0': pytest.approx(2.0), 'iio:device1': pytest.approx(2.0),
                      None: pytest.approx(4.0)}
    for artifact in job['artifacts']:
        assert (tmp_path / 'out' / artifact['path']).is_file()


@pytest.mark.parametrize('config, message', [
    ('  acme_cape:\n    host: acme.test\n    iio_devise: x\n',
     'agenda.yaml:4: acme_cape: the acme_cape meter has no setting "iio_devise" (did you mean '
     '"iio_device"?)'),
    ('  acme_cape: {iio_devices: [a], iio_device: b}\n',
     'agenda.yaml:4: acme_cape: give either "iio_devices" or "iio_device"'),
    ('  acme_cape: [host]\n', 'agenda.yaml:4: Bad value'),
    ('  acme_cape: {iio-capture: /nonexistent/iio-capture}\n',
     'agenda.yaml:4: acme_cape: the acme_cape meter\'s iio_capture "/nonexistent/iio-capture" '
     'is not a program on this host'),
])
def test_wa3_meter_block_is_checked_before_the_run(tmp_path, config, message):
    proc = wa_run(tmp_path, config)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count('\n') == 1 and message in proc.stderr, proc.stderr
    assert not (tmp_path / 'out').exists()


def test_a_meter_that_cannot_be_used_leaves_no_traceback_on_the_console(tmp_path):
    """devlib's AcmeCapeInstrument fails in ``__del__`` after failing in ``__init__`` (no
    iio-capture): Python's "Exception ignored in" traceback goes to run.log, not the console."""
    if shutil.which('iio-capture'):
        pytest.skip('iio-capture is installed')
    proc = wa_run(tmp_path, '  acme_cape: {host: acme.test}\n')
    assert proc.returncode == 0, proc.stderr
    assert 'the acme_cape power meter cannot be used' in proc.stderr
    assert 'Traceback' not in proc.stderr + proc.stdout
    assert 'Exception ignored in' in (tmp_path / 'out' / 'run.log').read_text()


def test_wa3_global_aliases_of_the_daq_settings(tmp_path):
    proc = wa_run(tmp_path, '  daq_labels: [a]\n', meter='daq')
    assert proc.returncode == 2 and proc.stderr.count('\n') == 1, proc.stderr
    assert 'agenda.yaml:4: daq_labels: the daq meter needs "resistor_values"' in proc.stderr
    proc = wa_run(tmp_path, '  daq_resistor_values: [0.01]\n  daq_server_port: 4567\n',
                  '--dry-run', meter='daq')
    assert proc.returncode == 0, proc.stderr

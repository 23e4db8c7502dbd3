"""The parts of ``wa lava`` that need no LAVA server: job definitions, the API client's
authentication, rebuilding results from test cases, and ``wa lava report``."""
import base64
import json
import subprocess
import sys
import threading
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

import pytest
import yaml

from wa.core.exceptions import WAError
from wa.core.results import JobResult, RunResult
from wa.lava.client import LavaServer, split_url
from wa.lava.collect import failure_reason, measurement, rebuild
from wa.lava.jobdef import SUITE
from wa.lava.report import test_cases as lava_test_cases


def wa(*args):
    return subprocess.run([sys.executable, '-m', 'wa'] + [str(a) for a in args],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=120)


def test_dry_run_prints_one_definition_per_job(tmp_path):
    agenda = tmp_path / 'agenda.yaml'
    agenda.write_text('workloads:\n  - name: idle\n    params: {duration: 0}\n')
    process = wa('lava', 'submit', agenda, '--server', 'http://127.0.0.1:9/RPC2',
                 '--device-type', 'ssh', '--count', '2', '--tags', 'big',
                 '--return-dir', '/srv/wa results', '--dry-run', '-d', tmp_path / 'o')
    assert process.returncode == 0, process.stdout
    definitions = list(yaml.safe_load_all(process.stdout))
    assert len(definitions) == 2 and not (tmp_path / 'o').exists()
    first = definitions[0]
    assert first['device_type'] == 'ssh' and first['tags'] == ['big']
    assert json.loads(first['metadata']['wa.jobs'])[0]['workload'] == 'idle'
    steps = first['actions'][2]['test']['definitions'][0]['repository']['run']['steps']
    assert "mkdir -p '/srv/wa results'" in steps[-1]
    assert first['metadata']['wa.tarball'] in steps[-1]
    encoded = next(s for s in steps if 'agenda.yaml' in s and 'base64' in s).split()[1]
    assert base64.b64decode(encoded).decode() == agenda.read_text()
    assert any(' lava report ' in s for s in steps)


def test_bad_selections_are_refused(tmp_path):
    agenda = tmp_path / 'agenda.yaml'
    agenda.write_text('config: {targets: [{name: a}]}\nworkloads: [{name: idle}]\n')
    process = wa('lava', 'submit', agenda, '--server', 'http://127.0.0.1:9/RPC2',
                 '--device-type', 'ssh', '--dry-run')
    assert process.returncode == 2 and '"targets" is for wa run' in process.stdout
    agenda.write_text('workloads: [{name: idle}]\n')
    process = wa('lava', 'submit', agenda, '--server', 'ftp://x/RPC2', '--device-type', 'ssh')
    assert process.returncode == 2 and 'expected http(s)://' in process.stdout


class _Recorder(SimpleXMLRPCRequestHandler):
    seen = []

    def do_POST(self):
        self.seen.append(self.headers.get('Authorization'))
        if self.headers.get('Authorization') != 'Basic ' + base64.b64encode(
                b'me:s3cret').decode():
            self.send_error(401)
            return
        super().do_POST()


@pytest.fixture
def fake_server():
    server = SimpleXMLRPCServer(('127.0.0.1', 0), requestHandler=_Recorder, logRequests=False,
                                allow_none=True)
    server.register_function(lambda job: {'id': job, 'state': 'Finished'},
                             'scheduler.jobs.show')
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield 'http://127.0.0.1:{}/RPC2'.format(server.server_address[1])
    server.shutdown()
    server.server_close()


def test_the_token_goes_in_a_header_only(fake_server):
    host = fake_server.split('//')[1]
    assert LavaServer('http://me:s3cret@' + host).show(7)['id'] == 7
    assert _Recorder.seen[-1].startswith('Basic ')
    with pytest.raises(WAError) as error:
        LavaServer(fake_server, 'me', 'wrong-token').show(7)
    assert '401' in str(error.value) and 'wrong-token' not in str(error.value)
    assert split_url('http://me:s3cret@lava.example:8000') == (
        'http://lava.example:8000/RPC2', 'me', 's3cret')


def test_results_rebuilt_from_lava_test_cases(tmp_path):
    jobs = [{'id': 'wk1', 'label': 'memcpy', 'workload': 'memcpy', 'iteration': 1},
            {'id': 'wk1', 'label': 'memcpy', 'workload': 'memcpy', 'iteration': 2}]
    cases = [{'suite': SUITE, 'name': 'wa-run', 'result': 'pass', 'measurement': 'None'},
             {'suite': SUITE, 'name': 'wk1.1', 'result': 'pass', 'measurement': 'None'},
             {'suite': SUITE, 'name': 'wk1.1.bandwidth', 'result': 'pass',
              'measurement': '0.0536000000000000018096635301390', 'unit': 'MB/s'},
             {'suite': SUITE, 'name': 'wk1.1.exit_code', 'result': 'pass',
              'measurement': '0E-10', 'unit': ''},
             {'suite': 'lava', 'name': 'job', 'result': 'pass'}]
    result = rebuild(cases, jobs, str(tmp_path))
    first, second = result.iteration_results
    assert first.status == 'OK' and second.status == 'NOT_STARTED'
    assert [(m.name, m.value, m.units) for m in first.metrics] == [
        ('bandwidth', 0.0536, 'MB/s'), ('exit_code', 0, None)]
    assert rebuild([c for c in cases if c['name'] != 'wa-run'], jobs, str(tmp_path)) is None
    assert measurement('59537.8500000000') == 59537.85


def test_failure_reason_names_lavas_error():
    cases = [{'suite': 'lava', 'name': 'login-ssh', 'result': 'fail',
              'metadata': {'level': '2'}},
             {'suite': 'lava', 'name': 'job', 'result': 'fail', 'metadata': {
                 'error_type': 'Infrastructure', 'error_msg': 'Connection closed'}}]
    info = {'id': 6, 'health': 'Incomplete'}
    assert failure_reason(info, cases) == (
        'LAVA job 6 Incomplete: InfrastructureError in login-ssh: Connection closed')
    assert failure_reason(dict(info, health='Canceled', failure_comment='by admin'), []) == (
        'LAVA job 6 Canceled: by admin')


def test_report_cases_and_outside_lava(tmp_path):
    result = RunResult(str(tmp_path))
    job = JobResult('s1-wk1', None, 2)
    job.status = 'FAILED'
    job.add_metric('time per op', 1.5, 'ms')
    job.add_metric('note', 'text is not a measurement')
    result.iteration_results.append(job)
    assert lava_test_cases(result) == [
        ['s1-wk1.2', '--result', 'fail'],
        ['s1-wk1.2.time_per_op', '--result', 'pass', '--measurement', '1.5', '--units', 'ms']]
    process = wa('lava', 'report', tmp_path)
    assert process.returncode == 1
    assert 'lava-test-case is not on PATH' in process.stdout

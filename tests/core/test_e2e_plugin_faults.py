"""A plugin that calls sys.exit() or fails late in the run, in a real ``wa run``
(issue 9 classes 2 and 9; cases r02 and r11): the failure is that plugin's, the run goes on,
and result.json, status.txt and the exit status agree."""
import os

import pytest

from wa_core_testlib import DATA, run_agenda

FAULTS = os.path.join(DATA, 'plugins_faults', 'faults.py')
THREE_JOBS = """
config:
  max_retries: 0
  result_processors: [status{processors}]
  {extra}
workloads:
  - {{name: idle, id: a, params: {{duration: 0}}}}
  - {middle}
  - {{name: idle, id: c, params: {{duration: 0}}}}
"""
IDLE = '{name: idle, id: b, params: {duration: 0}}'


def run(tmp, middle=IDLE, extra='', processors=''):
    return run_agenda(tmp, THREE_JOBS.format(middle=middle, extra=extra, processors=processors),
                      plugin_files=(FAULTS,))


def statuses(result):
    return {job['id']: job['status'] for job in result.jobs()}


def status_txt_run_status(result):
    for line in result.text('status.txt').splitlines():
        if line.startswith('Run status:'):
            return line.split(':', 1)[1].strip()
    return None


def check_agree(result, run_status, exit_status=1):
    assert result.returncode == exit_status, result.describe()
    assert result.result['status'] == run_status, result.describe()
    assert status_txt_run_status(result) == run_status
    assert 'Traceback' not in result.stderr, result.describe()


@pytest.mark.parametrize('where, job_status', [('setup', 'FAILED'), ('run', 'FAILED'),
                                               ('update_result', 'PARTIAL'),
                                               ('teardown', 'NONCRITICAL')])
def test_workload_sys_exit_fails_only_its_job(tmp_path, where, job_status):
    result = run(tmp_path, '{name: exiter, id: b, params: {where: %s}}' % where)
    assert statuses(result) == {'a': 'OK', 'b': job_status, 'c': 'OK'}, result.describe()
    job_b = [job for job in result.jobs() if job['id'] == 'b'][0]
    assert any('sys.exit(3)' in event['message'] for event in job_b['events'])
    if job_status == 'NONCRITICAL':
        check_agree(result, 'OK', 0)
    else:
        check_agree(result, 'PARTIAL')


def test_instrument_sys_exit_is_partial(tmp_path):
    result = run(tmp_path, extra="instrumentation: [exitinst]\n  exitinst: {job: b}")
    assert statuses(result) == {'a': 'OK', 'b': 'PARTIAL', 'c': 'OK'}, result.describe()
    assert 'Error in instrument exitinst' in result.stderr
    check_agree(result, 'PARTIAL')


def test_processor_sys_exit_is_partial(tmp_path):
    result = run(tmp_path, extra='exitproc: {job: b}', processors=', exitproc')
    assert statuses(result) == {'a': 'OK', 'b': 'PARTIAL', 'c': 'OK'}, result.describe()
    assert 'Error in result processor exitproc' in result.stderr
    check_agree(result, 'PARTIAL')


@pytest.mark.parametrize('extra, processors', [
    ("instrumentation: [exitinst]\n  exitinst: {where: on_run_end, how: raise}", ''),
    ("instrumentation: [exitinst]\n  exitinst: {where: finalize, how: exit}", ''),
    ("exitproc: {where: finalize, how: raise}", ', exitproc'),
    ("exitproc: {where: export_run_result, how: exit}", ', exitproc')])
def test_late_failure_makes_the_run_partial_everywhere(tmp_path, extra, processors):
    result = run(tmp_path, extra=extra, processors=processors)
    assert statuses(result) == {'a': 'OK', 'b': 'OK', 'c': 'OK'}, result.describe()
    # CONTRACT.md: the exit status follows the jobs' last attempts, all OK here.
    check_agree(result, 'PARTIAL', exit_status=0)


FIVE_JOBS = """
config: {max_retries: 0}
workloads:
  - {name: idle, id: j1, params: {duration: 0}}
  - {name: exiter, id: j2, params: {where: run, how: %s}}
  - {name: idle, id: j3, params: {duration: 0}}
"""


def test_output_directory_deleted_under_the_run(tmp_path):
    """Case r03: one line naming the file and the OS error, exit 1, the rest not run."""
    result = run_agenda(tmp_path, FIVE_JOBS % 'delete_output', plugin_files=(FAULTS,))
    assert result.returncode == 1, result.describe()
    assert 'Traceback' not in result.stderr and 'Logging error' not in result.stderr
    lines = [line for line in result.stderr.splitlines() if 'Cannot write' in line]
    assert lines and 'No such file or directory' in lines[0], result.describe()
    assert '] j3 ' not in result.stderr  # the console line of job j3: [3/5] j3 ...


def test_output_directory_made_read_only_under_the_run(tmp_path):
    """Case r03 with an immutable directory: the run's record stays valid and final, with
    the current job FAILED and the rest SKIPPED."""
    import subprocess
    probe = tmp_path / 'probe'
    probe.mkdir()
    if subprocess.run(['chattr', '+i', str(probe)], capture_output=True).returncode:
        pytest.skip('chattr +i is not supported here')
    subprocess.run(['chattr', '-i', str(probe)], check=True)
    try:
        result = run_agenda(tmp_path, FIVE_JOBS % 'immutable', plugin_files=(FAULTS,))
    finally:
        subprocess.run(['chattr', '-i', str(tmp_path / 'out')])
    assert result.returncode == 1, result.describe()
    assert 'Traceback' not in result.stderr
    assert any('Cannot write' in line and 'Operation not permitted' in line
               for line in result.stderr.splitlines()), result.describe()
    data = result.result
    assert data['status'] in ('RUNNING', 'FAILED')  # the last write that could be made
    assert statuses(result)['j1'] == 'OK'

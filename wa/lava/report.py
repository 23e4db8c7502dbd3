"""On the device, inside a LAVA test shell: a finished run's results as LAVA test cases.

Each job's latest attempt becomes ``lava-test-case <id>.<iteration> --result pass|fail|skip``
and each numeric metric ``lava-test-case <id>.<iteration>.<metric> --result pass
--measurement V [--units U]``; the run itself is ``wa-run`` (pass when it produced results).
"""
import os
import shutil
import subprocess

from wa.core import status as st
from wa.core.exceptions import WAError
from wa.output.directory import RESULT_FILE, read_json
from wa.core.results import RunResult
from wa.lava.jobdef import case_name

_CASE_RESULT = {st.OK: 'pass', st.NONCRITICAL: 'pass', st.SKIPPED: 'skip'}


def test_cases(result):
    """The argument lists of ``lava-test-case`` for RunResult ``result``."""
    cases = []
    for job in result.final_attempts():
        cases.append([case_name(job.id, job.iteration), '--result',
                      _CASE_RESULT.get(job.status, 'fail')])
        for metric in job.metrics:
            if isinstance(metric.value, bool) or not isinstance(metric.value, (int, float)):
                continue
            case = [case_name(job.id, job.iteration, metric.name), '--result', 'pass',
                    '--measurement', repr(metric.value)]
            cases.append(case + (['--units', metric.units] if metric.units else []))
    return cases


def report(output_dir):
    """Calls ``lava-test-case`` for every case of the run in ``output_dir``; returns the
    number of cases. WAError outside a LAVA test shell."""
    tool = shutil.which('lava-test-case')
    if tool is None:
        raise WAError('lava-test-case is not on PATH: "wa lava report" runs inside a LAVA '
                      'test shell')
    try:
        result = RunResult.from_dict(read_json(os.path.join(output_dir, RESULT_FILE)))
    except (OSError, ValueError, KeyError) as error:
        subprocess.run([tool, 'wa-run', '--result', 'fail'], check=False)
        raise WAError('No results in "{}": {}'.format(output_dir, error))
    cases = [['wa-run', '--result', 'pass']] + test_cases(result)
    for case in cases:
        subprocess.run([tool] + case, check=False)
    return len(cases)

"""The black-box fuzzer of issue 9: seeded mutants of real agendas and config files (given to
``-c`` or as the user's config.yaml) through ``wa run --dry-run`` (and, for some user configs,
``wa list`` and ``wa show``, which read it too). Every mutant either plans a run (exit 0,
nothing created) or is refused with exit 2 and one line on stderr naming the file and line;
never a traceback, never another exit status, never a hang.

400 mutants by default (seed 9); ``WA_FUZZ_MUTANTS`` and ``WA_FUZZ_SEED`` ask for more or others.
The mutants run through mutant_driver.py (one fresh forked ``wa`` per mutant, two at a time);
test_driver_runs_mutants_as_python_m_wa_does checks that it answers as ``python -m wa`` does.
"""
import collections
import json
import os
import re
import subprocess
import sys

import pytest

from agenda_mutants import SEEDS, mutants

HERE = os.path.dirname(os.path.abspath(__file__))
COUNT = int(os.environ.get('WA_FUZZ_MUTANTS', '400'))
SEED = int(os.environ.get('WA_FUZZ_SEED', '9'))
HANG = 120  # seconds: only a hang detector; a dry run takes well under a second
WHERE = r'(:\d+: |: the agenda is empty$)'  # file:line, or the file for its whole content
BASE_AGENDA = os.path.join(os.path.dirname(SEEDS['agendas'][0]), 'sections.yaml')


def write_case(root, index, mutant):
    """The mutant's files under ``root/index``; returns the driver's case and the file's name."""
    base = os.path.join(str(root), str(index))
    user = os.path.join(base, 'user')
    os.makedirs(user)
    argv = ['run', BASE_AGENDA, '--dry-run', '-d', os.path.join(base, 'out')]
    if mutant['kind'] == 'user_config':
        path = os.path.join(user, 'config.yaml')
        if index % 3 == 0:  # the user's config is read by every command
            argv = [['list', 'workloads'], ['show', 'idle']][index % 2]
    else:
        path = os.path.join(base, 'm{}-{}'.format(index, mutant['seed']))
        argv[1:2] = [path] if mutant['kind'] == 'agenda' else [BASE_AGENDA, '-c', path]
    with open(path, 'wb') as fh:
        fh.write(mutant['data'])
    env = dict(os.environ, WA_USER_DIRECTORY=user, HOME=base, PYTHONHASHSEED='0')
    return {'argv': argv, 'cwd': base, 'env': env}, path


def drive(tmp_path, cases, jobs=2):
    cases_path, results_path = tmp_path / 'cases.json', tmp_path / 'results.json'
    cases_path.write_text(json.dumps(cases))
    subprocess.run([sys.executable, os.path.join(HERE, 'mutant_driver.py'), str(cases_path),
                    str(results_path), str(jobs), str(HANG)], check=True,
                   timeout=HANG * len(cases))
    return json.loads(results_path.read_text())


def problem(result, path, out_dir):
    """What is wrong with one mutant's answer (None when nothing is)."""
    code, stderr = result['returncode'], result['stderr']
    lines = stderr.strip().splitlines()
    if code is None:
        return 'hang'
    if 'Traceback' in stderr + result['stdout']:
        return 'traceback'
    if code not in (0, 2):
        return 'exit {}'.format(code)
    if code == 2 and len(lines) != 1:
        return 'multi-line error'
    if code == 2 and not re.search(re.escape(os.path.basename(path)) + WHERE, lines[0]):
        return 'error not naming the file and line'
    if code == 0 and 'ERROR' in stderr:
        return 'error with exit 0'
    if os.path.exists(out_dir):
        return 'output directory created'
    return None


def test_mutated_agendas_and_configs_plan_or_fail_in_one_line(tmp_path):
    cases, paths = zip(*(write_case(tmp_path, i, m)
                         for i, m in enumerate(mutants(COUNT, SEED))))
    results = drive(tmp_path, list(cases))
    found = collections.defaultdict(list)
    for case, path, result in zip(cases, paths, results):
        out_dir = case['argv'][-1] if case['argv'][0] == 'run' else case['cwd'] + '/none'
        kind = problem(result, path, out_dir)
        if kind:
            found[kind].append('{} -> {!r}'.format(path, result['stderr'][-300:]))
    report = ['{} x{}: {}'.format(kind, len(items), '; '.join(items[:3]))
              for kind, items in sorted(found.items())]
    assert not found, '\n'.join(report)
    codes = collections.Counter(result['returncode'] for result in results)
    assert codes[0] and codes[2], codes  # the mutants reach both sides


@pytest.mark.parametrize('index', range(6))
def test_driver_runs_mutants_as_python_m_wa_does(tmp_path, index):
    mutant = list(mutants(index * 7 + 1, SEED))[-1]
    case, _ = write_case(tmp_path / 'driver', index, mutant)
    driven = drive(tmp_path, [case], jobs=1)[0]
    real = subprocess.run([sys.executable, '-m', 'wa'] + case['argv'], cwd=case['cwd'],
                          env=case['env'], stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=HANG)
    decoded = real.stderr.decode('utf-8', 'backslashreplace')
    assert (driven['returncode'], driven['stderr']) == (real.returncode, decoded)

"""Helpers for the results tests: real ``wa run`` of the deterministic ``probe`` workload
(tests/data/results/plugins/probe.py) in a user directory of its own."""
import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, '..', 'data', 'results'))
WA3_SAMPLE = os.path.join(DATA, 'wa3_run')

sys.modules.setdefault('wa_results_testlib', sys.modules[__name__])


def user_dir(root):
    path = os.path.join(str(root), 'wa_user')
    os.makedirs(os.path.join(path, 'plugins'), exist_ok=True)
    shutil.copy(os.path.join(DATA, 'plugins', 'probe.py'), os.path.join(path, 'plugins'))
    return path


def wa(args, root, **kwargs):
    """``python -m wa ARGS`` (this checkout) with the probe plugin; a CompletedProcess."""
    env = dict(os.environ, WA_USER_DIRECTORY=user_dir(root), PYTHONUNBUFFERED='1')
    env.pop('NO_COLOR', None)
    return subprocess.run([sys.executable, '-m', 'wa'] + [str(a) for a in args], env=env,
                          cwd=str(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, stdin=subprocess.DEVNULL,
                          timeout=kwargs.pop('timeout', 300), **kwargs)


def run(root, name, agenda, *extra):
    """Writes ``agenda`` (YAML text) and runs it into ``root/name``; returns (dir, process)."""
    os.makedirs(str(root), exist_ok=True)
    agenda_path = os.path.join(str(root), name + '.yaml')
    with open(agenda_path, 'w') as fh:
        fh.write(textwrap.dedent(agenda))
    out = os.path.join(str(root), name)
    process = wa(['run', agenda_path, '-d', out] + list(extra), root)
    assert os.path.exists(os.path.join(out, 'result.json')), process.stdout + process.stderr
    return out, process


def result_json(out):
    with open(os.path.join(out, 'result.json')) as fh:
        return json.load(fh)


PROBE_AGENDA = """
config:
  iterations: {iterations}
  instrumentation: [~execution_time]   # wall-clock: its spread depends on the machine's load
  result_processors: [csv, json, status, summary, html, sqlite, targz]
  sqlite: {{database: {database}}}
workloads:
  - name: probe
    id: fast
    params: {{scale: {scale}}}
    classifiers: {{kind: probe}}
  - name: probe
    id: slow
    label: probe_slow
    params: {{scale: {slow_scale}}}
"""


def probe_agenda(iterations=5, scale=1.0, slow_scale=2.0, database='results.sqlite'):
    return PROBE_AGENDA.format(iterations=iterations, scale=scale, slow_scale=slow_scale,
                               database=database)


@pytest.fixture(scope='session')
def runs(tmp_path_factory):
    """Three real runs sharing one SQLite file: ``base``, ``again`` (the same agenda) and
    ``slower`` (every value 20 % higher)."""
    root = tmp_path_factory.mktemp('runs')
    database = os.path.join(str(root), 'all.sqlite')
    made = {'root': str(root), 'database': database}
    for name, scale in (('base', 1.0), ('again', 1.0), ('slower', 1.2)):
        made[name], made[name + '_process'] = run(
            root, name, probe_agenda(scale=scale, database=database))
    return made

"""Bad agendas are refused before anything runs: exit status 2, one clear line naming the file
and line, no traceback (unless --debug), no output directory (CONTRACT.md; reference.md §1, §9).
"""
import os
import re

import pytest

from wa_core_testlib import DATA, make_user_dir, run_wa

AGENDAS = os.path.join(DATA, 'agendas')

# file, line the error must point at (the line of the offending key or value), words the
# message must contain
CASES = [
    ('bad_yaml.yaml', 4, []),
    ('bad_toplevel_key.yaml', 3, ['worklods', 'workloads']),
    ('bad_workload_name.yaml', 5, ['memcopy', 'memcpy']),
    ('bad_param_value.yaml', 6, ['duration', 'abc']),
    ('bad_instrument.yaml', 3, ['interupts', 'interrupts']),
    ('bad_entry_key.yaml', 5, ['iteratons', 'iterations']),
    ('bad_config_key.yaml', 2, ['iteratons', 'iterations']),
    ('bad_section_key.yaml', 5, ['classifers', 'classifiers']),
    ('bad_setting_value.yaml', 3, ['execution_order', 'by_time']),
    ('missing_mandatory.yaml', (4, 5), ['needed']),   # the entry or its params
    ('bad_allowed_value.yaml', 7, ['mode', 'medium']),
    ('bad_boot_params.yaml', 3, ['boot']),      # reference.md §5: local cannot reboot
    ('bad_plugin_config_key.yaml', 2, ['use_all_classifers', 'use_all_classifiers']),
    ('bad_csv_both.yaml', 2, ['use_all_classifiers', 'extra_columns']),
]


@pytest.fixture(scope='module')
def env_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp('bad')
    return str(root), make_user_dir(root)


@pytest.mark.parametrize('name,line,words', CASES, ids=[c[0][:-5] for c in CASES])
def test_bad_agenda(env_dir, name, line, words):
    root, user_dir = env_dir
    out = os.path.join(root, 'out_' + name[:-5])
    run = run_wa(['run', os.path.join(AGENDAS, name), '-d', out], user_dir, cwd=root)
    assert run.returncode == 2, run.describe()
    text = (run.stdout + run.stderr).strip()
    assert 'Traceback' not in text, run.describe()
    lines = [l for l in text.splitlines() if l.strip()]
    assert len(lines) == 1, run.describe()
    assert name in lines[0], run.describe()
    if line is not None:
        found = re.search(re.escape(name) + r':(\d+)', lines[0])
        wanted = line if isinstance(line, tuple) else (line,)
        assert found and int(found.group(1)) in wanted, run.describe()
    for word in words:
        assert word in lines[0], run.describe()
    assert not os.path.exists(out), 'no output directory for a config error'


def test_debug_shows_traceback(env_dir):
    root, user_dir = env_dir
    out = os.path.join(root, 'out_debug')
    run = run_wa(['run', os.path.join(AGENDAS, 'bad_workload_name.yaml'), '-d', out, '--debug'],
                 user_dir, cwd=root)
    assert run.returncode == 2, run.describe()
    assert 'Traceback' in run.stderr, run.describe()
    assert not os.path.exists(out)


def test_missing_agenda_file(env_dir):
    root, user_dir = env_dir
    run = run_wa(['run', os.path.join(root, 'nope.yaml'), '-d', os.path.join(root, 'o')],
                 user_dir, cwd=root)
    assert run.returncode == 2, run.describe()
    assert 'Traceback' not in run.stderr
    assert 'nope.yaml' in run.stderr + run.stdout
    assert not os.path.exists(os.path.join(root, 'o'))


def test_unknown_id_with_i(env_dir):
    """reference.md §3: an -i ID that matches nothing is an error."""
    root, user_dir = env_dir
    agenda = os.path.join(root, 'ids.yaml')
    with open(agenda, 'w') as fh:
        fh.write('workloads:\n  - {name: idle, params: {duration: 0.1}}\n')
    run = run_wa(['run', agenda, '-d', os.path.join(root, 'o2'), '-i', 'wk9'], user_dir, cwd=root)
    assert run.returncode == 2, run.describe()
    assert 'wk9' in run.stderr + run.stdout
    assert 'Traceback' not in run.stderr
    assert not os.path.exists(os.path.join(root, 'o2'))


def test_bad_config_file(env_dir):
    """A -c file holds the same keys as the agenda's config: an unknown key is refused with the
    file and line."""
    root, user_dir = env_dir
    config = os.path.join(root, 'extra_config.yaml')
    with open(config, 'w') as fh:
        fh.write('iterations: 2\nmax_retrys: 1\n')
    agenda = os.path.join(root, 'ok.yaml')
    with open(agenda, 'w') as fh:
        fh.write('workloads:\n  - {name: idle, params: {duration: 0.1}}\n')
    run = run_wa(['run', agenda, '-d', os.path.join(root, 'o3'), '-c', config], user_dir,
                 cwd=root)
    assert run.returncode == 2, run.describe()
    text = run.stderr + run.stdout
    assert 'extra_config.yaml:2' in text and 'max_retries' in text, run.describe()
    assert not os.path.exists(os.path.join(root, 'o3'))


def test_unknown_workload_name_as_agenda(env_dir):
    root, user_dir = env_dir
    run = run_wa(['run', 'idel', '-d', os.path.join(root, 'o4')], user_dir, cwd=root)
    assert run.returncode == 2, run.describe()
    text = run.stdout + run.stderr
    assert 'idle' in text and 'Traceback' not in text
    assert len([l for l in text.splitlines() if l.strip()]) == 1
    assert not os.path.exists(os.path.join(root, 'o4'))


@pytest.mark.parametrize('args,words', [
    (['-c', 'missing_config.yaml'], ['missing_config.yaml']),
    (['--disable', 'interupts'], ['interupts', 'interrupts']),
    (['-i', 'wk7'], ['wk7']),
])
def test_bad_options(env_dir, args, words):
    root, user_dir = env_dir
    agenda = os.path.join(root, 'fine.yaml')
    with open(agenda, 'w') as fh:
        fh.write('workloads:\n  - {name: idle, params: {duration: 0.1}}\n')
    out = os.path.join(root, 'o_opts')
    run = run_wa(['run', agenda, '-d', out] + args, user_dir, cwd=root)
    assert run.returncode == 2, run.describe()
    text = (run.stdout + run.stderr).strip()
    assert 'Traceback' not in text and len(text.splitlines()) == 1, run.describe()
    for word in words:
        assert word in text
    assert not os.path.exists(out)


@pytest.mark.parametrize('args', [[], ['frobnicate'], ['run'], ['list']])
def test_usage_errors_exit_2(env_dir, args):
    root, user_dir = env_dir
    run = run_wa(args, user_dir, cwd=root)
    assert run.returncode == 2, run.describe()
    assert 'Traceback' not in run.stderr


def test_list_unknown_kind(env_dir):
    root, user_dir = env_dir
    run = run_wa(['list', 'workloadz'], user_dir, cwd=root)
    assert run.returncode == 2, run.describe()
    text = (run.stdout + run.stderr).strip()
    assert 'workloads' in text and len(text.splitlines()) == 1 and 'Traceback' not in text

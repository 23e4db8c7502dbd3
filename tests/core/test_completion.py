"""``wa completion bash|zsh``: the script completes commands, options, plugin names and agenda
files in a real interactive bash (driven through COMP_WORDS/COMP_CWORD, as readline does), and
in zsh when it is installed."""
import os
import shutil
import subprocess
import sys

import pytest

from wa_core_testlib import make_user_dir, run_wa


@pytest.fixture(scope='module')
def shell_env(tmp_path_factory):
    """PATH with a ``wa`` that runs this checkout, a user directory, and a folder to
    complete in."""
    root = tmp_path_factory.mktemp('completion')
    bin_dir = root / 'bin'
    bin_dir.mkdir()
    (bin_dir / 'wa').write_text('#!/bin/sh\nexec "{}" -m wa "$@"\n'.format(sys.executable))
    (bin_dir / 'wa').chmod(0o755)
    work = root / 'work'
    (work / 'results').mkdir(parents=True)
    for name in ('agenda.yaml', 'other.yml', 'notes.txt'):
        (work / name).write_text('')
    user = make_user_dir(root)
    env = dict(os.environ, PATH='{}:{}'.format(bin_dir, os.environ['PATH']),
               WA_USER_DIRECTORY=user)
    return env, work


@pytest.fixture(scope='module')
def bash_script(shell_env, tmp_path_factory):
    env, work = shell_env
    run = run_wa(['completion', 'bash'], env['WA_USER_DIRECTORY'], cwd=work)
    assert run.returncode == 0, run.describe()
    path = tmp_path_factory.mktemp('script') / 'wa.bash'
    path.write_text(run.stdout)
    return path


def complete_bash(shell_env, script, *words):
    """COMPREPLY of the completion function for the command line ``words`` (the last one is
    the word being completed), in an interactive bash with the script sourced."""
    env, work = shell_env
    code = ('source "$1"; shift; complete -p wa >/dev/null || exit 3; COMP_WORDS=("$@"); '
            'COMP_CWORD=$(($# - 1)); _wa; printf "%s\\n" "${COMPREPLY[@]}"')
    proc = subprocess.run(['bash', '--norc', '--noprofile', '-i', '-c', code, 'bash',
                           str(script)] + list(words), cwd=str(work), env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return sorted(line for line in proc.stdout.splitlines() if line)


@pytest.mark.parametrize('words, expected', [
    (('wa', 'ru'), ['run']),
    (('wa', 'list', ''), ['commands', 'instruments', 'result_processors', 'targets',
                          'workloads']),
    (('wa', 'create', ''), ['agenda', 'instrument', 'result_processor', 'workload']),
    (('wa', 'create', 'agenda', 'idle', 'dh'), ['dhrystone']),
    (('wa', 'run', '--dr'), ['--dry-run']),
    (('wa', 'run', '-d', ''), ['results']),
    (('wa', 'run', '-c', 'n'), ['notes.txt']),
    (('wa', 'run', 'agenda.yaml', '--disable', 'ex'), ['execution_time']),
    (('wa', 'process', '-p', 'cs'), ['csv']),
    (('wa', 'completion', ''), ['bash', 'zsh']),
    (('wa', '-v', 'show', 'stress'), ['stress_ng']),
])
def test_bash_completes(shell_env, bash_script, words, expected):
    assert complete_bash(shell_env, bash_script, *words) == expected


def test_bash_completes_every_command(shell_env, bash_script):
    from wa.core.loader import PluginLoader
    commands = [cls.name for cls in PluginLoader.commands_only().list('command')]
    assert complete_bash(shell_env, bash_script, 'wa', '') == sorted(
        ['--help', '--version'] + commands)
    assert {'completion', 'create', 'list', 'process', 'run', 'show'} <= set(commands)


def test_bash_completes_agendas_dirs_and_workloads_for_run(shell_env, bash_script):
    found = complete_bash(shell_env, bash_script, 'wa', 'run', '')
    assert {'agenda.yaml', 'other.yml', 'results', 'idle', 'stress_ng'} <= set(found)
    assert 'notes.txt' not in found
    assert complete_bash(shell_env, bash_script, 'wa', 'run', 'agenda.yaml', '') == []


def test_user_plugins_are_completed(shell_env, bash_script):
    # coretest comes from the test plugins in the user directory
    assert complete_bash(shell_env, bash_script, 'wa', 'show', 'coret') == ['coretest']


@pytest.mark.skipif(shutil.which('zsh') is None, reason='zsh is not installed')
def test_zsh_script_loads_and_registers(shell_env, tmp_path):
    env, work = shell_env
    run = run_wa(['completion', 'zsh'], env['WA_USER_DIRECTORY'], cwd=work)
    script = tmp_path / '_wa'
    script.write_text(run.stdout)
    code = ('autoload -U compinit && compinit -u; source "$1"; print -r -- $_comps[wa]; '
            '_wa_action 2 wa show stress; print -r -- $_wa_act; print -r -- $_wa_words')
    proc = subprocess.run(['zsh', '-f', '-c', code, 'zsh', str(script)], cwd=str(work),
                          env=dict(env, HOME=str(tmp_path)), capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == '_wa_zsh' and lines[1] == 'words', proc.stdout
    assert 'stress_ng' in lines[2:], proc.stdout


def test_unknown_shell_is_one_line_exit_2(shell_env):
    env, work = shell_env
    run = run_wa(['completion', 'fish'], env['WA_USER_DIRECTORY'], cwd=work)
    assert run.returncode == 2 and 'invalid choice' in run.stderr

"""What the framework costs, counted rather than timed: target commands per job and per run
(through the command log devlib_target writes with WA_TARGET_COMMAND_LOG), and a dry run of a
large agenda. No clock is read here: timings live in bench/."""
import json
import os
import subprocess
import sys

import yaml

# Budgets for a no-op shellscript job on the local target (bench/README.md, issue 10): a job
# costs the command that runs the script; connecting, probing what target_info.json reports,
# pushing the script once and removing it at the end cost at most this many.
PER_JOB = 1
PER_RUN = 25


def run_wa(tmp_path, name, agenda, *args, env=None):
    path = tmp_path / '{}.yaml'.format(name)
    path.write_text(yaml.safe_dump(agenda))
    out = tmp_path / 'out-{}'.format(name)
    process = subprocess.run([sys.executable, '-m', 'wa', 'run', str(path), '-d', str(out)]
                             + list(args), capture_output=True, text=True, timeout=600,
                             env=dict(os.environ, **(env or {})))
    return process, out


def commands_of_run(tmp_path, jobs, script):
    log = tmp_path / 'commands-{}.log'.format(jobs)
    agenda = {'config': {'iterations': jobs},
              'workloads': [{'name': 'shellscript', 'params': {'script_file': str(script)}}]}
    process, _ = run_wa(tmp_path, 'noop{}'.format(jobs), agenda,
                        env={'WA_TARGET_COMMAND_LOG': str(log)})
    assert process.returncode == 0, process.stdout + process.stderr
    return log.read_text().splitlines()


def test_a_noop_job_costs_one_target_command_and_a_run_at_most_25(tmp_path):
    script = tmp_path / 'noop.sh'
    script.write_text('#!/bin/sh\ntrue\n')
    small, big = commands_of_run(tmp_path, 2, script), commands_of_run(tmp_path, 6, script)
    per_job = (len(big) - len(small)) / 4.0
    assert per_job <= PER_JOB, '\n'.join(big)
    assert len(small) - 2 * per_job <= PER_RUN, '\n'.join(small)
    # the script is pushed once per run, however many jobs run it
    assert sum(1 for line in big if line.startswith('push\t{}'.format(script))) == 1


def test_dry_run_of_10000_jobs_lists_every_job(tmp_path):
    agenda = {'config': {'iterations': 1},
              'workloads': [{'id': 'j{}'.format(i), 'name': 'idle', 'params': {'duration': 0}}
                            for i in range(10000)]}
    process, out = run_wa(tmp_path, 'big', agenda, '--dry-run')
    assert process.returncode == 0, process.stderr
    listed = [line.split()[0] for line in process.stdout.splitlines()
              if line.split()[1:2] == ['idle']]
    assert listed == ['j{}'.format(i) for i in range(10000)]
    assert not os.path.exists(out / 'result.json')


def modules_imported(stderr):
    """Names of the modules ``python -X importtime`` reports in ``stderr``, and of their
    top-level packages."""
    names = {line.rsplit('|', 1)[1].strip()
             for line in stderr.splitlines() if line.startswith('import time:')}
    return names | {name.split('.')[0] for name in names}


def test_a_local_run_imports_no_numerical_library_nor_ssh_transport(tmp_path):
    """The statistics at the end of a run (t quantiles for the confidence intervals) do not
    import scipy, nothing of a local shellscript run imports numpy, pandas or matplotlib, and
    ``import devlib`` leaves out its SSH transport (paramiko) and paramiko's invoke."""
    script = tmp_path / 'noop.sh'
    script.write_text('#!/bin/sh\ntrue\n')
    path = tmp_path / 'iterations.yaml'
    path.write_text(yaml.safe_dump({'config': {'iterations': 3}, 'workloads': [
        {'name': 'shellscript', 'params': {'script_file': str(script)}}]}))
    out = tmp_path / 'out'
    process = subprocess.run([sys.executable, '-X', 'importtime', '-m', 'wa', 'run', str(path),
                              '-d', str(out)], capture_output=True, text=True, timeout=600)
    assert process.returncode == 0, process.stderr[-3000:]
    heavy = modules_imported(process.stderr) & {'scipy', 'numpy', 'pandas', 'matplotlib',
                                                 'paramiko', 'invoke', 'tkinter', 'lxml.etree'}
    assert not heavy
    statistics = json.loads((out / 'result.json').read_text())['statistics']['metrics']
    assert all(len(s['ci95']) == 2 for s in statistics if s['name'] == 'runtime')


def test_local_commands_still_run_in_a_process_group_of_their_own(tmp_path):
    """Local target commands are spawned without forking the interpreter (process_group=0
    instead of devlib's preexec_fn=os.setpgrp): the shell devlib starts still leads a process
    group of its own, as devlib intends, so that it and its children can be killed together."""
    script = tmp_path / 'pgid.sh'
    script.write_text('#!/bin/sh\necho "pgid=$(cut -d" " -f5 /proc/$$/stat) ppid=$PPID"\n')
    process, out = run_wa(tmp_path, 'pgid', {'workloads': [
        {'name': 'shellscript', 'params': {'script_file': str(script)}}]})
    assert process.returncode == 0, process.stdout + process.stderr
    [text] = [p.read_text() for p in out.glob('*/script-output.txt')]
    fields = dict(item.split('=') for item in text.split())
    assert fields['pgid'] == fields['ppid'] and int(fields['pgid']) != os.getpgrp(), text

"""The console's progress lines, ETA, colour decision and end-of-run events: the pure
functions, then a real ``wa run`` piped (plain) and under a pty (colour)."""
import io
import os
import pty
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from wa.output import progress
from wa.core.results import Event, JobResult, RunResult
from wa_core_testlib import make_user_dir, run_agenda, wa_env


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_format_duration():
    assert progress.format_duration(0) == '0s'
    assert progress.format_duration(45.4) == '45s'
    assert progress.format_duration(190) == '3m10s'
    assert progress.format_duration(2 * 3600 + 5 * 60 + 9) == '2h05m'
    assert progress.format_duration(-3) == '0s'


def test_estimate_remaining_is_mean_duration_times_jobs_left():
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    results = []
    durations = progress.JobDurations(results)
    assert durations.estimate_remaining(5) is None
    for seconds in (10, 20):
        result = JobResult('wk1', None, 1, 0)
        result.start_time, result.end_time = start, start + timedelta(seconds=seconds)
        results.append(result)
    assert durations.estimate_remaining(0) is None
    assert durations.estimate_remaining(4) == 60.0


def test_job_durations_ignore_jobs_that_never_ran_and_read_the_running_one_again():
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    ran, skipped, running = (JobResult('wk1', None, 1, 0) for _ in range(3))
    ran.start_time, ran.end_time = start, start + timedelta(seconds=7)
    running.start_time = start
    results = [ran, skipped, running]
    durations = progress.JobDurations(results)
    assert durations.mean() == 7.0
    running.end_time = start + timedelta(seconds=9)
    results.append(JobResult('wk1', None, 2, 0))
    assert durations.mean() == 8.0 and durations.read == 4


def test_job_line():
    assert progress.job_line(5, 12, 'wk2', 'stress_ng', 2, eta=190) == \
        '[5/12] wk2 stress_ng iteration 2 ... ETA 3m10s'
    assert progress.job_line(1, 3, 'wk1', 'idle', 1) == '[1/3] wk1 idle iteration 1'
    assert progress.job_line(2, 3, 'wk1', 'idle', 1, retry=1) == \
        '[2/3] wk1 idle iteration 1 (retry 1)'


def test_colour_only_on_a_terminal_and_never_with_no_color():
    assert progress.use_colour(Tty(), environ={})
    assert not progress.use_colour(io.StringIO(), environ={})
    assert not progress.use_colour(Tty(), environ={'NO_COLOR': '1'})
    assert not progress.use_colour(Tty(), setting=True, environ={'NO_COLOR': 'yes'})
    assert progress.use_colour(io.StringIO(), setting=True, environ={'NO_COLOR': ''})
    assert not progress.use_colour(Tty(), setting=False, environ={})


def test_event_lines_run_first_then_each_attempt_first_line_only():
    run = RunResult('/tmp/x')
    run.events.append(Event('target went away'))
    job = JobResult('wk1', None, 2, 1)
    job.events.append(Event('boom in setup\nTraceback ...'))
    run.iteration_results.append(job)
    assert progress.event_lines(run) == [('run', 'target went away'),
                                         ('wk1 iteration 2 (retry 1)', 'boom in setup')]


def test_event_summary_caps_job_events_and_counts_run_events():
    run = RunResult('/tmp/x')
    assert progress.event_summary(run) == []
    run.events.extend(Event('warning {}'.format(n)) for n in range(2))
    job = JobResult('wk1', None, 1, 0)
    job.events.extend(Event('problem {}'.format(n)) for n in range(5))
    run.iteration_results.append(job)
    assert progress.event_summary(run, limit=3) == [
        'Events (also in status.txt):', '  wk1 iteration 1: problem 0',
        '  wk1 iteration 1: problem 1', '  wk1 iteration 1: problem 2', '  ... and 2 more',
        '  run: 2 warnings or errors outside the jobs, listed in status.txt']


AGENDA = """
config:
  retry_on_status: []
workloads:
  - {name: coretest, id: bad, label: setupfail, params: {fail_in: [setup]}}
  - {name: coretest, id: ok, label: fine, iterations: 2}
"""


def test_piped_run_plain_lines_with_position_eta_events_and_hint(tmp_path):
    run = run_agenda(tmp_path, AGENDA)
    out = run.stderr
    assert '\x1b[' not in out
    lines = re.findall(r'^INFO +(\[\d+/\d+\] .*)$', out, re.M)
    assert lines[0] == '[1/3] bad setupfail iteration 1', out
    assert re.fullmatch(r'\[2/3\] ok fine iteration 1 \.\.\. ETA \d+s', lines[1]), lines
    assert re.fullmatch(r'\[3/3\] ok fine iteration 2 \.\.\. ETA \d+s', lines[2]), lines
    assert re.search(r'^INFO +Events \(also in status.txt\):\n.*bad iteration 1: '
                     r'Error while setting up workload: .*boom in setup', out, re.M), out
    assert 'wa report {}'.format(run.out_dir) in out
    assert 'wa compare {}'.format(run.out_dir) in out
    status = run.text('status.txt').splitlines()
    assert [l.split()[:4] for l in status[5:8]] == [
        ['bad', 'setupfail', '1', 'FAILED'], ['ok', 'fine', '1', 'OK'],
        ['ok', 'fine', '2', 'OK']]
    events = status[status.index('Events:') + 1:]
    assert any(l.startswith('- bad iteration 1: ') and 'boom in setup' in l
               for l in events), status


def _pty_run(tmp_path, extra_env):
    user = make_user_dir(tmp_path)
    (tmp_path / 'agenda.yaml').write_text('workloads: [{name: coretest, id: ok}]\n')
    env = dict(wa_env(user), **extra_env)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, '-m', 'wa', 'run', 'agenda.yaml', '-d', 'out'],
                            cwd=str(tmp_path), env=env, stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=120) == 0
    return b''.join(chunks).decode()


def test_terminal_gets_colour_unless_no_color(tmp_path):
    env = {k: '' for k in ('NO_COLOR',)}
    coloured = _pty_run(tmp_path / 'a', env)
    assert re.search(r'\x1b\[\d+m.*\[1/1\] ok coretest iteration 1', coloured), coloured
    plain = _pty_run(tmp_path / 'b', {'NO_COLOR': '1'})
    assert '[1/1] ok coretest iteration 1' in plain and '\x1b[' not in plain, plain

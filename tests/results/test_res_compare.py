"""``wa compare`` of real runs: a rerun of the same agenda is not significantly different; a
run whose probe values are 20 % higher is, in the right direction for each metric."""
import csv
import io
import json

from wa_results_testlib import wa


def _json(runs, *args):
    process = wa(['compare', '--json', '-'] + list(args), runs['root'])
    assert process.returncode == 0, process.stderr
    rows = json.loads(process.stdout)['comparisons']
    return {(r['id'], r['metric'], str(sorted(r['classifiers'].items()))): r for r in rows}


def test_rerun_is_not_significantly_different(runs):
    rows = _json(runs, runs['base'], runs['again'])
    probe = [r for r in rows.values() if r['metric'] in ('score', 'latency', 'util')]
    assert len(probe) == 8
    assert all(r['verdict'] == 'same' and not r['significant'] for r in probe)
    assert all(r['change_percent'] == 0 for r in probe)


def test_slower_run_is_significantly_worse(runs):
    rows = _json(runs, runs['base'], runs['slower'])
    score = rows[('fast', 'score', "[('kind', 'probe')]")]
    latency = rows[('fast', 'latency', "[('kind', 'probe')]")]
    assert score['change_percent'] > 19.9 and score['verdict'] == 'better'   # higher is better
    assert latency['change_percent'] > 19.9 and latency['verdict'] == 'worse'
    assert latency['significant'] and latency['p_value'] < 0.001
    assert latency['test'] == 'welch' and latency['a_count'] == latency['b_count'] == 5


def test_fail_on_regression_exit_status(runs):
    failing = wa(['compare', runs['base'], runs['slower'], '--fail-on-regression', '5'],
                 runs['root'])
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert 'regressed by more than 5.0%' in failing.stderr and 'latency' in failing.stderr
    assert wa(['compare', runs['base'], runs['slower'], '--fail-on-regression', '50'],
              runs['root']).returncode == 0
    assert wa(['compare', runs['base'], runs['again'], '--fail-on-regression', '1'],
              runs['root']).returncode == 0


def test_table_csv_and_pooling(runs):
    table = wa(['compare', runs['base'], runs['slower']], runs['root'])
    assert table.returncode == 0 and '\033[' not in table.stdout    # not a terminal: no colour
    assert 'latency' in table.stdout and '+20.00%' in table.stdout and 'worse' in table.stdout
    pooled = wa(['compare', '-a', runs['base'], '-a', runs['again'], '-b', runs['slower'],
                 '--csv', '-'], runs['root'])
    rows = list(csv.DictReader(io.StringIO(pooled.stdout)))
    latency = next(r for r in rows if r['id'] == 'fast' and r['metric'] == 'latency')
    assert latency['a_count'] == '10' and latency['b_count'] == '5'
    assert latency['verdict'] == 'worse'


def test_bad_arguments_are_one_line_and_exit_2(runs, tmp_path):
    for args in ([runs['base']], [runs['base'], tmp_path], ['-a', runs['base']]):
        process = wa(['compare'] + [str(a) for a in args], runs['root'])
        assert process.returncode == 2, process.stderr
        assert len(process.stderr.strip().splitlines()) == 1 and 'Traceback' not in process.stderr


def test_colour_only_on_a_terminal_without_no_color(runs):
    import os
    import pty
    import subprocess
    import sys

    def on_terminal(**env):
        master, slave = pty.openpty()
        child = subprocess.Popen([sys.executable, '-m', 'wa', 'compare', runs['base'],
                                  runs['slower']], stdout=slave, stderr=subprocess.DEVNULL,
                                 env=dict(os.environ, **env))
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:       # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        child.wait(timeout=120)
        os.close(master)
        return b''.join(chunks).decode()
    coloured = on_terminal()
    assert '\033[31m' in coloured and '\033[32m' in coloured      # worse red, better green
    assert '\033[' not in on_terminal(NO_COLOR='1')

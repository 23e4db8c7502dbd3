"""``wa report`` of a finished run, of a run still going, and the HTML reports in a real
headless Chromium."""
import os
import shutil
import subprocess
import sys

import pytest

from wa_results_testlib import WA3_SAMPLE, user_dir, wa

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
needs_chromium = pytest.mark.skipif(not CHROMIUM, reason='headless Chromium is not installed '
                                    '(Debian package "chromium", see scripts/install.sh)')


def chromium(tmp_path, page, *args):
    """Runs headless Chromium on ``page`` with a fresh profile; returns its stdout."""
    profile = tmp_path / 'chromium-profile'
    command = [CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu',
               '--disable-background-networking', '--disable-component-update',
               '--disable-sync', '--no-first-run', '--user-data-dir={}'.format(profile)]
    process = subprocess.run(command + list(args) + ['file://{}'.format(page)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True, timeout=180, cwd=str(tmp_path))
    assert process.returncode == 0, process.stderr[-2000:]
    return process.stdout


def test_report_of_a_finished_run(runs):
    process = wa(['report', runs['base']], runs['root'])
    assert process.returncode == 0, process.stderr
    out = process.stdout
    assert 'Status:    OK' in out and 'Jobs:      10 OK' in out
    assert 'probe_slow' in out and out.count(' OK ') >= 10
    assert 'latency' in out and 'cpu=cpu1' in out and '95% CI' in out


def test_report_of_a_run_still_going(tmp_path):
    gate = tmp_path / 'gate'
    agenda = tmp_path / 'going.yaml'
    agenda.write_text('config: {iterations: 2}\nworkloads:\n  - name: probe\n'
                      '    params: {wait_for: %s}\n' % gate)
    out = tmp_path / 'going'
    env = dict(os.environ, WA_USER_DIRECTORY=user_dir(tmp_path))
    child = subprocess.Popen([sys.executable, '-m', 'wa', 'run', str(agenda), '-d', str(out)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL, universal_newlines=True)
    try:
        # the first job runs until the gate opens: result.json then says RUNNING
        report = None
        while child.poll() is None:
            report = wa(['report', out], tmp_path) if (out / 'result.json').exists() else None
            if report is not None and report.returncode == 0 and \
                    'NOT_STARTED' in report.stdout:
                break
        assert report is not None and 'Status:    RUNNING' in report.stdout, child.stderr
        assert 'NOT_STARTED' in report.stdout
    finally:
        gate.write_text('open')
        child.communicate(timeout=300)
    assert child.returncode == 0
    assert 'Status:    OK' in wa(['report', out], tmp_path).stdout


def test_report_reads_wa3_output_and_refuses_other_directories(tmp_path):
    process = wa(['report', WA3_SAMPLE], tmp_path)
    assert process.returncode == 0, process.stderr
    assert 'PARTIAL' in process.stdout and 'RuntimeError(probe asked to fail)' in process.stdout
    bad = wa(['report', tmp_path], tmp_path)
    assert bad.returncode == 2 and 'not a WA output directory' in bad.stderr


@needs_chromium
def test_html_report_in_headless_chromium(runs, tmp_path):
    page = os.path.join(runs['base'], 'report.html')
    with open(page) as fh:
        html = fh.read()
    assert 'src="http' not in html and 'href="http' not in html     # self-contained
    dom = chromium(tmp_path, page, '--dump-dom')
    assert 'id="run-status">OK<' in dom
    assert dom.count('<svg') >= 6                   # score, latency, util, ... of both specs
    assert 'fast probe: latency' in dom and 'cpu=cpu1' in dom
    chromium(tmp_path, page, '--window-size=1200,1600', '--screenshot={}'.format(
        tmp_path / 'report.png'))
    with open(tmp_path / 'report.png', 'rb') as fh:
        assert fh.read(8) == b'\x89PNG\r\n\x1a\n'
    assert os.path.getsize(tmp_path / 'report.png') > 20000     # a page, not a blank


@needs_chromium
def test_compare_html_in_headless_chromium(runs, tmp_path):
    page = tmp_path / 'compare.html'
    process = wa(['compare', runs['base'], runs['slower'], '--html', page], runs['root'])
    assert process.returncode == 0, process.stderr
    dom = chromium(tmp_path, page, '--dump-dom')
    assert 'id="change-chart"' in dom and '<svg' in dom
    assert '+20.00%' in dom and 'class="worse">worse<' in dom and 'class="better">better<' in dom

"""``perf record`` and labelled perf sessions in real runs (skipped where perf may not run)."""
import os
import subprocess
import sys

import pytest

from wa import ConfigError
from wa.instruments.perf import Perf, optionstrings
from wa.instruments._perf_session import perf_command

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from warun import run_agenda  # noqa: E402  pylint: disable=wrong-import-position


def perf_can_record(tmp_path):
    try:
        subprocess.run(['perf', 'record', '-q', '-a', '-o', str(tmp_path / 'probe.data'), '--',
                        'sleep', '0.01'], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def test_command_lines_are_quoted():
    assert perf_command('perf', 'record', ['cpu-clock'], "-a -C '0'", '/t/x y.data') == \
        "perf record -e cpu-clock -a -C 0 -o '/t/x y.data'"
    assert perf_command('perf', 'stat', [], '-p 1', None, per_cpu=True) == \
        'perf stat -x, -A -p 1'


def test_optionstrings_and_labels():
    assert optionstrings('-a -C 0,1') == ['-a -C 0,1']
    assert optionstrings(['-a', '-C 1']) == ['-a', '-C 1']
    perf = Perf(None, optionstring=['-a', '-C 0'], labels=['all', 'cpu0'])
    perf.validate()
    assert perf.session_labels() == [('all', '-a'), ('cpu0', '-C 0')]
    with pytest.raises(ConfigError, match='2 labels for 1 optionstrings'):
        Perf(None, labels=['a', 'b']).validate()
    with pytest.raises(ConfigError, match='not a plain file name'):
        Perf(None, labels=['../x']).validate()


def perf_run(tmp_path, perf_config):
    agenda = {'config': {'instrumentation': ['perf'], 'perf': perf_config},
              'workloads': [{'name': 'idle', 'params': {'duration': 0.5}}]}
    out, result, process = run_agenda(tmp_path, agenda)
    assert result['status'] == 'OK', process.stdout
    job = result['jobs'][0]
    assert not job['events'], job['events']
    return out, job


def test_perf_record_gives_perf_data_and_a_report(tmp_path):
    if not perf_can_record(tmp_path):
        pytest.skip('perf record is not permitted or not installed here')
    out, job = perf_run(tmp_path, {'command': 'record', 'report_option_string': '--sort comm'})
    artifacts = {a['name']: a for a in job['artifacts']}
    data = out / artifacts['perf.data']['path']
    assert data.name == 'perf.data' and data.stat().st_size > 0
    report = (out / artifacts['perf_report']['path']).read_text()
    assert '# Samples' in report and 'Command' in report
    # a report made by hand from the pulled data counts the same samples
    by_hand = subprocess.run(['perf', 'report', '-i', str(data), '--stdio', '--sort', 'comm'],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             universal_newlines=True).stdout
    assert [l for l in by_hand.splitlines() if l.startswith('# Samples')] == \
        [l for l in report.splitlines() if l.startswith('# Samples')]
    leftovers = subprocess.run(['pgrep', '-f', 'perf record'], stdout=subprocess.PIPE)
    assert not leftovers.stdout


def test_labelled_perf_stat_sessions(tmp_path):
    if not perf_can_record(tmp_path):
        pytest.skip('perf is not permitted or not installed here')
    out, job = perf_run(tmp_path, {'optionstring': ['-a', '-a -C 0'], 'labels': ['all', 'cpu0'],
                                   'events': ['task-clock']})
    metrics = {m['name']: m['value'] for m in job['metrics']}
    assert metrics['all_task-clock'] > metrics['cpu0_task-clock'] > 0
    assert {a['name'] for a in job['artifacts']} >= {'all', 'cpu0'}

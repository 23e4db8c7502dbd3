"""The reading API on real runs of this checkout: ``from wa import RunOutput, ...``."""
import os
import tarfile
import json

import pytest

from wa import RunOutput, Status, discover_wa_outputs

from wa_results_testlib import result_json


def test_run_output_reads_a_real_run(runs):
    run = RunOutput(runs['base'])
    assert run.status == Status.OK and run.status == 'OK' and run.format == 'wa'
    assert run.basepath == os.path.abspath(runs['base'])
    assert run.info.uuid and run.info.run_name == 'base'
    assert run.info.start_time < run.info.end_time and run.info.duration.total_seconds() > 0
    assert run.run_config.execution_order == 'by_iteration'
    assert run.target_info.kernel_version.release == os.uname().release
    assert [(j.id, j.iteration) for j in run.jobs][:3] == [('fast', 1), ('slow', 1), ('fast', 2)]
    assert len(run.jobs) == 10 and all(j.status == Status.OK for j in run.jobs)
    job = run.jobs[0]
    assert job.label == 'probe' and job.retry == 0 and job.classifiers == {'kind': 'probe'}
    assert job.spec.workload_name == 'probe' and job.spec.workload_parameters['scale'] == 1.0
    assert job.spec.runtime_parameters == {}
    assert job.basepath == os.path.join(run.basepath, 'fast-probe-1')
    score = job.get_metric('score')
    assert (score.name, score.value, score.units, score.lower_is_better) == \
        ('score', 100.0, 'points', False)
    assert score.classifiers == {'kind': 'probe'}
    assert [m.classifiers['cpu'] for m in job.metrics if m.name == 'util'] == ['cpu0', 'cpu1']
    assert job.get_metric('nothing') is None
    assert os.path.isfile(run.get_artifact_path('runlog'))
    with pytest.raises(Exception, match='not found'):
        run.get_artifact('nothing')


def test_status_compares_with_names_and_in_order():
    assert Status('ok') == Status.OK == 'OK' and Status.OK != 'FAILED'
    assert Status.PENDING < Status.RUNNING < Status.OK < Status.PARTIAL < Status.FAILED
    assert Status.FAILED < Status.ABORTED < Status.SKIPPED and Status.OK < 'NONCRITICAL'
    assert sorted(['FAILED', 'OK'], key=Status) == ['OK', 'FAILED']
    with pytest.raises(ValueError, match='not a status'):
        Status('GREAT')


def test_discover_finds_every_run_but_not_job_directories(runs):
    found = {os.path.basename(r.basepath) for r in discover_wa_outputs(runs['root'])}
    assert found == {'base', 'again', 'slower'}


def test_statistics_in_result_json_and_api(runs):
    section = result_json(runs['base'])['statistics']
    assert section['confidence'] == 0.95
    score = next(s for s in section['metrics'] if s['id'] == 'fast' and s['name'] == 'score')
    values = [100.0, 101.0, 99.0, 100.5, 99.5]
    assert score['count'] == 5 and score['mean'] == pytest.approx(100.0)
    assert score['min'] == 99.0 and score['max'] == 101.0 and score['median'] == 100.0
    std = (sum((v - 100) ** 2 for v in values) / 4) ** 0.5
    assert score['std'] == pytest.approx(std) and score['cv'] == pytest.approx(std / 100)
    half = 2.7764451051977987 * std / 5 ** 0.5          # Student's t(0.975, 4)
    assert score['ci95'] == pytest.approx([100 - half, 100 + half])
    util = [s for s in section['metrics'] if s['id'] == 'fast' and s['name'] == 'util']
    assert [s['classifiers']['cpu'] for s in util] == ['cpu0', 'cpu1']
    api = {(s.id, s.name, s.classifier_text): s for s in RunOutput(runs['base']).statistics}
    assert api[('fast', 'score', 'kind=probe')].mean == pytest.approx(100.0)


def test_summary_warns_of_high_variation(tmp_path):
    from wa_results_testlib import run
    out, process = run(tmp_path, 'noisy', """
        config: {iterations: 2, instrumentation: [~execution_time]}
        workloads: [{name: probe}]
        """)
    assert process.returncode == 0, process.stderr
    # two iterations 1 % apart: the 95 % CI (t = 12.7) is far wider than ±5 %
    assert 'High variation' in process.stderr and 'fast' not in process.stderr
    assert 'wk1 score' in process.stderr and 'would narrow it' in process.stderr


def test_summary_txt_and_archive(runs):
    with open(os.path.join(runs['base'], 'summary.txt')) as fh:
        summary = fh.read()
    assert 'mean' in summary and '95% CI' in summary and 'cpu=cpu0' in summary
    with tarfile.open(runs['base'] + '.tar.gz') as archive:
        names = archive.getnames()
        final = json.load(archive.extractfile('base/result.json'))
    assert 'base/fast-probe-5/result.json' in names and 'base/run.log' in names
    assert final['status'] == 'OK' and final['end_time'] and 'statistics' in final


def test_to_dataframe(runs):
    pandas = pytest.importorskip('pandas', reason='pandas is only needed for to_dataframe')
    frame = RunOutput(runs['base']).to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    util = frame[(frame.metric == 'util') & (frame.id == 'fast')]
    assert sorted(util.cpu.unique()) == ['cpu0', 'cpu1'] and len(util) == 10

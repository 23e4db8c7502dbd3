"""The reading API on WA3's output directories: a hand-written sample of WA 3.3.1's format, and
a real WA 3.3.1 run (WA3 installed in a virtual environment of its own under /tmp, never in
this project's), read the way LISA's ``lisa.wa`` reads them."""
import fcntl
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from wa import RunOutput, Status, discover_wa_outputs

from wa_results_testlib import DATA, WA3_SAMPLE

WA3_VENV = os.environ.get('WA_TEST_WA3_VENV', '/tmp/wa-tests-wa3-3.3.1')


def test_sample_reads_like_wa3(tmp_path):
    run = RunOutput(WA3_SAMPLE)
    assert run.format == 'wa3' and run.status == Status.PARTIAL
    assert run.info.uuid == '6a0c7cb4-2d2f-4a59-9d8e-3c1b2f1e0a11'
    assert run.info.run_name == 'wa3 sample' and run.info.duration.total_seconds() == 5.0
    assert run.run_config.execution_order == 'by_iteration'
    kernel = run.target_info.kernel_version
    assert (kernel.release, kernel.sha1, kernel.version_number, kernel.major, kernel.rc) == \
        ('5.10.0-rc3-00042-gabcdef1234', 'abcdef1234', 5, 10, 3)
    assert [(j.id, j.iteration, j.status) for j in run.jobs] == \
        [('wk1', 1, 'OK'), ('wk2', 1, 'FAILED'), ('wk1', 2, 'OK')]
    failed = run.jobs[1]
    assert failed.retry == 1 and failed.events[-1].message == 'RuntimeError(probe asked to fail)'
    job = run.jobs[0]
    assert job.spec.workload_name == 'probe' and job.spec.workload_parameters['base'] == 10.0
    assert job.spec.runtime_parameters == {'cpu0_governor': 'performance'}
    assert job.classifiers == {'kind': 'fast'}
    assert job.get_metric('util').classifiers == {'kind': 'fast', 'cpu': 'cpu0'}
    # WA3 artifact paths are relative to the job's own directory
    with open(job.get_artifact_path('probe_log')) as fh:
        assert fh.read() == 'iteration 1\n'
    assert run.get_artifact_path('runlog') == os.path.join(run.basepath, 'run.log')
    assert run.events[0].message.startswith('Job wk2 iteration 1')
    score = next(s for s in run.statistics if s.name == 'score')
    assert (score.count, score.mean) == (2, 11.5)


def lisa_results(path):
    """What ``lisa.wa.WAOutput(path)['results'].df`` gathers, step by step, with the calls LISA
    makes on the results API."""
    pandas = pytest.importorskip('pandas', reason='LISA-style DataFrames need pandas')
    frames = []
    for output in discover_wa_outputs(path):
        kernel = output.target_info.kernel_version
        for job in (j for j in output.jobs if j.status == Status.OK):
            df = pandas.DataFrame.from_records(
                {**metric.classifiers, 'metric': metric.name, 'value': metric.value,
                 'unit': metric.units or ''} for metric in job.metrics)
            df['iteration'], df['workload'], df['id'] = job.iteration, job.label, job.id
            df = df.assign(**job.classifiers)
            df['kernel_name'], df['kernel_sha1'] = kernel.release, kernel.sha1
            df['wa_path'] = os.path.basename(output.basepath)
            assert os.path.isdir(job.basepath) and job.spec.workload_name
            frames.append(df)
    return pandas.concat(frames, ignore_index=True)


def test_lisa_style_dataframe_of_this_projects_run(runs):
    df = lisa_results(runs['base'])
    util = df[(df.metric == 'util') & (df.id == 'fast')]
    assert sorted(util.cpu.unique()) == ['cpu0', 'cpu1'] and len(util) == 10
    assert set(df.kernel_name) == {os.uname().release}


def _wa3_venv():
    """WA 3.3.1 in its own venv (made once, in place since a venv cannot be moved, and shared
    by later test runs); skips if it cannot be installed (no package index)."""
    wa3 = os.path.join(WA3_VENV, 'bin', 'wa')
    complete = os.path.join(WA3_VENV, '.installed')
    with open(WA3_VENV + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(complete):
            return wa3
        shutil.rmtree(WA3_VENV, ignore_errors=True)
        subprocess.run([sys.executable, '-m', 'venv', WA3_VENV], check=True)
        try:
            install = subprocess.run([os.path.join(WA3_VENV, 'bin', 'pip'), 'install', '-q',
                                      'wlauto==3.3.1'], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, universal_newlines=True,
                                     timeout=1500)
        except subprocess.TimeoutExpired:
            pytest.skip('installing wlauto==3.3.1 from the package index took too long')
        if install.returncode != 0:
            pytest.skip('cannot install wlauto==3.3.1 (package index not reachable?): ' +
                        install.stdout.strip().splitlines()[-1][:200])
        with open(complete, 'w') as fh:
            fh.write('wlauto==3.3.1\n')
    return wa3


@pytest.fixture(scope='module')
def wa3_run(tmp_path_factory):
    wa3 = _wa3_venv()
    root = tmp_path_factory.mktemp('wa3')
    user = root / 'user'
    (user / 'plugins').mkdir(parents=True)
    shutil.copy(os.path.join(DATA, 'wa3_plugins', 'wa3probe.py'), str(user / 'plugins'))
    (root / 'agenda.yaml').write_text(textwrap.dedent("""
        config:
          device: generic_local
          iterations: 3
          augmentations: [~interrupts, ~cpufreq, csv, status]
        workloads:
          - name: probe
            params: {base: 10}
            classifiers: {kind: fast}
          - name: probe
            label: failing
            iterations: 1
            params: {fail: true}
        """))
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}   # WA3's own ``wa``
    env.update(WA_USER_DIRECTORY=str(user), HOME=str(root))
    process = subprocess.run([wa3, 'run', 'agenda.yaml', '-d', 'out'], cwd=str(root), env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True, timeout=600, stdin=subprocess.DEVNULL)
    assert os.path.isdir(str(root / 'out' / '__meta')), process.stdout[-3000:]
    return str(root / 'out')


def test_real_wa3_run(wa3_run):
    run = RunOutput(wa3_run)
    assert run.format == 'wa3' and run.status == Status.PARTIAL and run.info.uuid
    assert run.target_info.kernel_version.release == os.uname().release
    ok = [j for j in run.jobs if j.status == Status.OK]
    assert [(j.id, j.iteration) for j in ok] == [('wk1', 1), ('wk1', 2), ('wk1', 3)]
    assert [j.get_metric('score').value for j in ok] == [11, 12, 13]
    assert ok[0].get_metric('util').classifiers == {'kind': 'fast', 'cpu': 'cpu0'}
    failed = next(j for j in run.jobs if j.status == Status.FAILED)
    assert failed.label == 'failing' and any('probe asked to fail' in e.message
                                             for e in failed.events)
    assert ok[0].spec.workload_parameters['base'] == 10.0
    assert os.path.isfile(run.get_artifact_path('runlog'))
    df = lisa_results(wa3_run)
    assert sorted(df[df.metric == 'score'].value) == [11, 12, 13]

"""``job_timeout`` (global, per section, per spec): a job that overruns is stopped, FAILED with
the reason, torn down, and the run goes on (issue 9, "A hung job")."""
from wa_core_testlib import run_agenda


def test_overrunning_job_fails_and_the_run_goes_on(tmp_path):
    result = run_agenda(tmp_path, """
        config: {job_timeout: 60, max_retries: 0}
        sections:
          - id: s
            job_timeout: 30
        workloads:
          - {name: idle, id: slow, job_timeout: 1, params: {duration: 600}}
          - {name: idle, id: quick, params: {duration: 0}}
        """)
    assert result.returncode == 1, result.describe()
    jobs = {job['id']: job for job in result.jobs()}
    assert jobs['s-slow']['status'] == 'FAILED' and jobs['s-quick']['status'] == 'OK'
    assert any('job_timeout (1 s)' in e['message'] for e in jobs['s-slow']['events'])
    assert 'job_timeout (1 s)' in result.stderr and 'Traceback' not in result.stderr
    specs = {spec['id']: spec for spec in result.json('__meta', 'jobs.json')}
    assert specs['s-slow']['job_timeout'] == 1 and specs['s-quick']['job_timeout'] == 30


def test_bad_job_timeout_is_a_config_error(tmp_path):
    result = run_agenda(tmp_path, """
        workloads:
          - {name: idle, job_timeout: soon}
        """)
    assert result.returncode == 2, result.describe()
    assert 'job_timeout' in result.stderr and 'agenda.yaml:' in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

"""An instrument written for WA3 whose callback fails is contained as WA3 contains it: it stays
on for the rest of the job, and the job is left OK for a target error, FAILED for a
WorkloadError and PARTIAL for anything else; WA3's ``before_job`` hook is called per job."""
import json
import textwrap

from wa_compat_testlib import wa

PLUGIN = textwrap.dedent('''
    from wa import Instrument
    from wa.framework.exception import WorkloadError


    class Failing(Instrument):
        name = 'failing_on_target'

        def before_job(self, context):
            self.logger.info('before_job of %s', context.current_job.label)

        def setup(self, context):
            self.target.execute('exit 3')       # a devlib TargetStableError

        def update_output(self, context):
            context.add_metric('still_on', 1)


    class FailingWorkload(Failing):
        name = 'failing_workload'

        def setup(self, context):
            raise WorkloadError('the workload cannot go on')


    class FailingBug(Failing):
        name = 'failing_bug'

        def setup(self, context):
            raise ValueError('a bug')
    ''')


def test_wa3_instrument_failures_set_wa3_statuses(user_dir, tmp_path):
    with open(user_dir + '/plugins/failing.py', 'w') as fh:
        fh.write(PLUGIN)
    agenda = tmp_path / 'agenda.yaml'
    agenda.write_text(textwrap.dedent('''
        config: {max_retries: 0, augmentations: [~~]}
        workloads:
          - {name: idle, label: target, params: {duration: 0}, augmentations: [failing_on_target]}
          - {name: idle, label: workload, params: {duration: 0}, augmentations: [failing_workload]}
          - {name: idle, label: bug, params: {duration: 0}, augmentations: [failing_bug]}
        '''))
    process = wa('run', agenda, '-d', tmp_path / 'out')
    jobs = json.loads((tmp_path / 'out' / 'result.json').read_text())['jobs']
    statuses = {job['label']: job['status'] for job in jobs}
    assert statuses == {'target': 'OK', 'workload': 'FAILED', 'bug': 'PARTIAL'}, process.stdout
    still_on = {job['label'] for job in jobs if any(m['name'] == 'still_on'
                                                    for m in job['metrics'])}
    assert still_on == set(statuses), process.stdout    # still on after its setup failed
    target_job = next(job for job in jobs if job['label'] == 'target')
    assert any('exit 3' in event['message'] for event in target_job['events']), target_job
    log = (tmp_path / 'out' / 'run.log').read_text()
    assert all('before_job of ' + label in log for label in statuses), log

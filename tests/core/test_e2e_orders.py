"""Each execution order in a real run: the reference.md §7 example, its jobs in result.json and
its directories (the by_iteration row is run in test_e2e_commands.py)."""
import pytest

from wa_core_testlib import job_dirs, run_agenda

AGENDA = """
config:
  iterations: 2
  execution_order: {order}
sections: [{{id: x}}, {{id: y}}]
workloads:
  - {{name: idle, params: {{duration: 0.1}}}}
  - {{name: coretest, iterations: 1, params: {{duration: 0.1}}}}
"""

TABLE = {
    'by_section': ['x-wk1#1', 'x-wk2#1', 'y-wk1#1', 'y-wk2#1', 'x-wk1#2', 'y-wk1#2'],
    'by_spec': ['x-wk1#1', 'x-wk1#2', 'x-wk2#1', 'y-wk1#1', 'y-wk1#2', 'y-wk2#1'],
    'random': None,
}

DIRS = ['x-wk1-idle-1', 'x-wk1-idle-2', 'x-wk2-coretest-1', 'y-wk1-idle-1', 'y-wk1-idle-2',
        'y-wk2-coretest-1']


@pytest.mark.parametrize('order', sorted(TABLE))
def test_execution_order_run(tmp_path, order):
    run = run_agenda(tmp_path, AGENDA.format(order=order))
    assert run.returncode == 0, run.describe()
    jobs = ['{}#{}'.format(j['id'], j['iteration']) for j in run.jobs()]
    if TABLE[order] is None:
        assert sorted(jobs) == sorted(TABLE['by_spec'])
    else:
        assert jobs == TABLE[order]
    assert job_dirs(run.out_dir) == DIRS
    assert all(j['status'] == 'OK' for j in run.jobs())

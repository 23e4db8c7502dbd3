"""The ``random`` execution order records its seed and replays with ``wa run --seed``."""
import os

from wa_core_testlib import make_user_dir, run_agenda, run_wa, write

AGENDA = """
config: {execution_order: random, iterations: 3}
workloads:
""" + ''.join('  - {{name: idle, id: w{}, params: {{duration: 0}}}}\n'.format(i) for i in range(6))


def dry_run_order(tmp_path, *extra):
    user_dir = make_user_dir(tmp_path)
    agenda = write(os.path.join(str(tmp_path), 'agenda.yaml'), AGENDA)
    result = run_wa(['run', agenda, '--dry-run'] + list(extra), user_dir, cwd=tmp_path)
    assert result.returncode == 0, result.describe()
    return result.stdout.split()


def test_same_seed_same_order(tmp_path):
    assert dry_run_order(tmp_path, '--seed', '7') == dry_run_order(tmp_path, '--seed', '7')
    assert dry_run_order(tmp_path, '--seed', '7') != dry_run_order(tmp_path, '--seed', '8')


def test_run_records_its_seed_and_the_order_replays(tmp_path):
    run = run_agenda(tmp_path, AGENDA)
    assert run.returncode == 0, run.describe()
    seed = run.json('__meta', 'run_info.json')['seed']
    assert isinstance(seed, int)
    order = [(job['id'], job['iteration']) for job in run.jobs()]
    replay = dry_run_order(tmp_path / 'again', '--seed', str(seed))
    assert [(w, int(i)) for w, _, _, i in zip(*[iter(replay)] * 4)] == order

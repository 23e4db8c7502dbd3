"""Unit tests of execution orders (reference.md §7, the table exactly) and the job queue."""
import textwrap

import pytest

from wa_core_testlib import PLUGINS
from wa import ConfigError
from wa.config.agenda import load_agenda
from wa.config.configuration import RunConfiguration
from wa.core.jobs import job_queue
from wa.core.loader import PluginLoader


@pytest.fixture(scope='module')
def loader():
    return PluginLoader(extra_paths=[PLUGINS], use_user_directory=False, use_entry_points=False)


def configure(tmp_path, loader, text):
    path = tmp_path / 'agenda.yaml'
    path.write_text(textwrap.dedent(text).lstrip('\n'))
    return RunConfiguration(loader, load_agenda(str(path)))


def queue(config, order=None):
    order = order or config.settings['execution_order']
    return ['{}#{}'.format(job.id, job.iteration) for job in job_queue(config.specs, order)]


EXAMPLE = """
config: {{iterations: 2, execution_order: {order}}}
sections: [{{id: x}}, {{id: y}}]
workloads: [idle, {{name: memcpy, iterations: 1}}]
"""

TABLE = {
    'by_iteration': ['x-wk1#1', 'y-wk1#1', 'x-wk2#1', 'y-wk2#1', 'x-wk1#2', 'y-wk1#2'],
    'by_section': ['x-wk1#1', 'x-wk2#1', 'y-wk1#1', 'y-wk2#1', 'x-wk1#2', 'y-wk1#2'],
    'by_spec': ['x-wk1#1', 'x-wk1#2', 'x-wk2#1', 'y-wk1#1', 'y-wk1#2', 'y-wk2#1'],
}


@pytest.mark.parametrize('order', sorted(TABLE))
def test_reference_table(tmp_path, loader, order):
    config = configure(tmp_path, loader, EXAMPLE.format(order=order))
    assert config.settings['execution_order'] == order
    assert queue(config) == TABLE[order]


@pytest.mark.parametrize('alias', ['by_workload', 'classic'])
def test_by_spec_aliases(tmp_path, loader, alias):
    config = configure(tmp_path, loader, EXAMPLE.format(order=alias))
    assert queue(config) == TABLE['by_spec']


def test_random_is_a_shuffle(tmp_path, loader):
    config = configure(tmp_path, loader, EXAMPLE.format(order='random'))
    orders = {tuple(queue(config)) for _ in range(20)}
    for jobs in orders:
        assert sorted(jobs) == sorted(TABLE['by_iteration'])
    assert len(orders) > 1, 'random should shuffle'


def test_default_is_by_iteration(tmp_path, loader):
    config = configure(tmp_path, loader, """
        config: {iterations: 2}
        sections: [{id: x}, {id: y}]
        workloads: [idle, {name: memcpy, iterations: 1}]
    """)
    assert queue(config) == TABLE['by_iteration']


def test_first_directory(tmp_path, loader):
    config = configure(tmp_path, loader, EXAMPLE.format(order='by_iteration'))
    first = job_queue(config.specs, 'by_iteration')[0]
    assert first.directory_name == 'x-wk1-idle-1'


def test_without_sections_by_iteration_equals_by_section(tmp_path, loader):
    """A with 3 iterations and B with 1 give A#1, B#1, A#2, A#3."""
    config = configure(tmp_path, loader, """
        workloads:
          - {name: idle, iterations: 3}
          - memcpy
    """)
    for order in ('by_iteration', 'by_section'):
        assert queue(config, order) == ['wk1#1', 'wk2#1', 'wk1#2', 'wk1#3']
    assert queue(config, 'by_spec') == ['wk1#1', 'wk1#2', 'wk1#3', 'wk2#1']


def test_by_iteration_uneven_sections(tmp_path, loader):
    """Spec k of every section in turn: sections with their own workloads."""
    config = configure(tmp_path, loader, """
        sections:
          - id: a
            workloads: [memcpy, coretest]
          - id: b
        workloads: [idle]
    """)
    assert [s.id for s in config.specs] == ['a-wk1', 'a-wk2', 'a-wk3', 'b-wk1']
    assert queue(config, 'by_iteration') == ['a-wk1#1', 'b-wk1#1', 'a-wk2#1', 'a-wk3#1']
    assert queue(config, 'by_section') == ['a-wk1#1', 'a-wk2#1', 'a-wk3#1', 'b-wk1#1']


def test_jobs_start_with_retry_zero(tmp_path, loader):
    config = configure(tmp_path, loader, 'workloads: [idle]\n')
    jobs = job_queue(config.specs, 'by_iteration')
    assert [(j.iteration, j.retry) for j in jobs] == [(1, 0)]
    retry = jobs[0].retried()
    assert (retry.id, retry.iteration, retry.retry) == ('wk1', 1, 1)
    assert retry.directory_name == jobs[0].directory_name


def test_unknown_execution_order(tmp_path, loader):
    with pytest.raises(ConfigError):
        configure(tmp_path, loader, 'config: {execution_order: by_magic}\nworkloads: [idle]\n')

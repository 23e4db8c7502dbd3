"""WA3's documented plugin examples (written from its developer guide, as a user would) and
WA3-style plugin code run here unchanged."""
import csv
import os
import shutil

import pytest

from wa_compat_testlib import wa
from wa.framework import resource as resources

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'data',
                    'compat')
CASE_B02 = '/work/shared/cases/b02-wa3-plugin-init-signature/plugins/wl3.py'


@pytest.fixture
def examples(user_dir):
    for name in os.listdir(os.path.join(DATA, 'plugins')):
        shutil.copy(os.path.join(DATA, 'plugins', name), os.path.join(user_dir, 'plugins'))
    dependencies = os.path.join(user_dir, 'dependencies', 'trace-errors')
    os.makedirs(dependencies)
    shutil.copy(os.path.join(DATA, 'trace'), dependencies)
    return user_dir


def test_ziptest_trace_errors_and_table_examples_run(examples, tmp_path):
    agenda = tmp_path / 'agenda.yaml'
    agenda.write_text('config:\n  augmentations: [trace-errors, table]\n'
                      '  device_config: {working_directory: %s, executables_directory: %s}\n'
                      % (tmp_path / 'target', tmp_path / 'target' / 'bin') +
                      'workloads:\n  - {name: ziptest, params: {file_size: 100000}}\n')
    out = tmp_path / 'out'
    process = wa('run', agenda, '-d', out)
    assert process.returncode == 0, process.stdout
    with open(str(out / 'results.csv')) as fh:
        metrics = {row['metric']: row['value'] for row in csv.DictReader(fh)}
    assert float(metrics['time']) >= 0 and metrics['number_of_errors'] == '2'
    job = out / 'wk1-ziptest-1'
    assert (job / 'timing_results').exists() and (job / 'trace.txt').exists()
    table = (out / 'table.txt').read_text().splitlines()
    assert table[0].split() == ['id', 'metric', 'value', 'units']
    assert any(line.split()[:2] == ['wk1', 'number_of_errors'] for line in table)


def test_wa3_constructor_signature_runs(user_dir, tmp_path):
    """shared case b02: ``__init__(self, target, **kwargs)`` as WA3's docs write it."""
    if not os.path.exists(CASE_B02):
        pytest.skip('case b02 not available')
    shutil.copy(CASE_B02, os.path.join(user_dir, 'plugins'))
    process = wa('run', 'wl3', '-d', tmp_path / 'out')
    assert process.returncode == 0, process.stdout
    assert 'wk1,wl3,wl3,1,n,1,' in (tmp_path / 'out' / 'results.csv').read_text()


class _Owner:
    name = 'owner_plugin'


def test_resources_user_dependencies_then_package_then_host(user_dir, tmp_path):
    owner = _Owner()
    package_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data.txt')
    with pytest.raises(resources.ResourceError, match='owner_plugin.*data.txt'):
        resources.get_resource(resources.File(owner, 'data.txt'))
    assert resources.get_resource(resources.File(owner, 'data.txt'), strict=False) is None
    user_copy = os.path.join(user_dir, 'dependencies', 'owner_plugin', 'data.txt')
    os.makedirs(os.path.dirname(user_copy))
    open(user_copy, 'w').close()
    assert resources.get_resource(resources.File(owner, 'data.txt')) == user_copy
    assert resources.get_resource(resources.File(owner, 'conftest.py')) == \
        os.path.join(os.path.dirname(package_file), 'conftest.py')
    assert resources.get_resource(resources.Executable(owner, 'x86_64', 'sh')) == \
        shutil.which('sh')


def test_exec_control_once_decorators():
    from wa.utils.exec_control import (once, once_per_class, once_per_instance,
                                       reset_environment)
    calls = []

    class A:
        @once
        def a(self):
            calls.append('once')

        @once_per_class
        def b(self):
            calls.append(type(self).__name__)

        @once_per_instance
        def c(self):
            calls.append(id(self))

    class B(A):
        pass

    reset_environment()
    objects = [A(), A(), B()]
    for obj in objects:
        obj.a(), obj.b(), obj.c()
    assert calls.count('once') == 1 and calls.count('A') == 1 and calls.count('B') == 1
    assert len([c for c in calls if isinstance(c, int)]) == 3

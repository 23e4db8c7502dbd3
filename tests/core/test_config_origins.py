"""Configuration holds intent: merged values carry the file:line that set them (one lookup),
a job spec is an immutable record, and the agenda is not changed by merging it."""
import copy
import dataclasses

import pytest

from wa.config.agenda import load_agenda
from wa.config.configuration import RunConfiguration, load_config_file
from wa.config.jobspec import SpecRun
from wa.core.loader import PluginLoader

CONFIG = """\
device_config:
  working_directory: /tmp/x
idle:
  duration: 0.5
"""
AGENDA = """\
config:
  workload_parameters:
    duration: 0.25
  iterations: 2
sections:
  - id: s
    iterations: 3
workloads:
  - name: idle
  - name: idle
    params:
      duration: 0.125
"""


@pytest.fixture(scope='module')
def loader():
    return PluginLoader(use_user_directory=False, use_entry_points=False)


@pytest.fixture
def run_config(tmp_path, loader):
    (tmp_path / 'config.yaml').write_text(CONFIG)
    (tmp_path / 'agenda.yaml').write_text(AGENDA)
    agenda = load_agenda(str(tmp_path / 'agenda.yaml'))
    before = copy.deepcopy([data for data, _, _ in agenda.config] +
                           [s.values for s in agenda.sections] +
                           [w.values for w in agenda.workloads])
    config = RunConfiguration(loader, agenda, [load_config_file(str(tmp_path / 'config.yaml'))])
    after = [data for data, _, _ in agenda.config] + [s.values for s in agenda.sections] + \
        [w.values for w in agenda.workloads]
    assert after == before   # merging never changes the agenda
    return config


def test_every_merged_value_knows_its_line(run_config):
    assert run_config.where('device_config', 'working_directory').endswith('config.yaml:2')
    assert run_config.where('idle', 'duration').endswith('config.yaml:4')
    assert run_config.where('iterations').endswith('agenda.yaml:4')
    first, second = run_config.specs
    assert first.where('workload_parameters', 'duration').endswith('agenda.yaml:3')
    assert second.where('workload_parameters', 'duration').endswith('agenda.yaml:12')
    assert first.where('iterations').endswith('agenda.yaml:7')
    assert first.where('label').endswith('agenda.yaml:9')     # not set: the entry's name


def test_a_spec_is_an_immutable_record_and_run_state_is_apart(run_config):
    spec = run_config.specs[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.iterations = 5
    run = SpecRun(spec)
    run.disable('SKIPPED', 'because')
    assert not run.enabled and run.id == spec.id and run.label == spec.label
    assert not hasattr(spec, 'enabled')

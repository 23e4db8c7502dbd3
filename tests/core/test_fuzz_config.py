"""Property-based fuzzing (hypothesis) of YAML, agenda, config and parameter parsing, in process:
any input loads, or fails with a ConfigError of one printable line. Examples are capped so the
suite stays quick; a failing example is printed by hypothesis and belongs in
tests/data/core/nasty."""
import os
import tempfile

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from wa.config import yamlfile
from wa.config.agenda import entry_keys, load_agenda
from wa.config.configuration import RUN_SETTINGS, RunConfiguration
from wa.core.exceptions import ConfigError
from wa.core.executor import Executor
from wa.core.loader import PluginLoader

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
LOADER = PluginLoader(use_user_directory=False, use_entry_points=False)
KINDS = ('workload', 'instrument', 'result_processor')
WORKLOADS = [cls.name for cls in LOADER.list('workload')]
PLUGINS = [cls.name for kind in KINDS for cls in LOADER.list(kind)]
PARAMETERS = [(cls, param) for kind in KINDS + ('target',) for cls in LOADER.list(kind)
              for param in cls.parameters] + [(None, param) for param in RUN_SETTINGS]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10 ** 30, 10 ** 30),
                    st.floats(allow_nan=False), st.text(max_size=12),
                    st.sampled_from(['~~', '../x', 'a/b', '..', '', 'idle', 'csv', '1,2',
                                     'by_spec', 'yes', '0x10', '\n', '\x85', '\u2028']))
keys = st.one_of(st.text(max_size=12), st.integers(-5, 5), st.booleans())


def nested(leaves):
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) |
                        st.dictionaries(keys, inner, max_size=4), max_leaves=12)


values = nested(scalars)


def entry(place):
    names = entry_keys(place) + (PLUGINS + [p.name for p in RUN_SETTINGS]
                                 if place == 'config' else [])
    key = st.one_of(st.sampled_from(names), st.text(max_size=8))
    value = st.one_of(values, st.sampled_from(WORKLOADS + PLUGINS),
                      st.lists(st.sampled_from(PLUGINS + ['~' + p for p in PLUGINS]), max_size=3))
    return st.dictionaries(key, value, max_size=5)


workload_entries = st.one_of(st.sampled_from(WORKLOADS), entry('workload').map(
    lambda e: dict(e, name=e.get('name', 'idle'))))
agendas = st.fixed_dictionaries({}, optional={
    'config': entry('config'),
    'workloads': st.lists(workload_entries, max_size=3),
    'sections': st.lists(entry('section').map(
        lambda s: dict(s, workloads=s.get('workloads', ['idle']))), max_size=2),
})


def assert_one_line(error):
    message = str(error)
    assert message and message.isprintable(), repr(message)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_loads_or_is_one_config_error(text):
    try:
        yamlfile.loads(text, 'fuzz.yaml')
    except ConfigError as error:
        assert_one_line(error)


@FUZZ
@given(values)
def test_yaml_data_comes_back_as_dumped_with_a_line_for_every_value(data):
    loaded, located = yamlfile.loads(yaml.safe_dump(data), 'fuzz.yaml')
    assert loaded == data
    assert located.line(()) == 1 or data is None


@FUZZ
@given(st.sampled_from(PARAMETERS), values)
def test_any_parameter_value_converts_or_is_one_config_error(owned, value):
    cls, param = owned
    try:
        param.convert(value, cls.name if cls else 'config')
    except ConfigError as error:
        assert_one_line(error)


@FUZZ
@given(agendas)
def test_any_agenda_builds_a_run_or_is_one_config_error(agenda):
    with tempfile.TemporaryDirectory() as root:
        path = os.path.join(root, 'agenda.yaml')
        with open(path, 'w') as fh:
            yaml.safe_dump(agenda, fh)
        try:
            run_config = RunConfiguration(LOADER, load_agenda(path))
            Executor(LOADER, run_config).job_list()
        except ConfigError as error:
            assert_one_line(error)
            assert str(error).startswith(path), str(error)

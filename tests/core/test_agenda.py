"""Unit tests of agenda parsing and configuration merging (CONTRACT.md "Agenda";
reference.md §1-§4)."""
import re
import textwrap

import pytest

from wa_core_testlib import PLUGINS
from wa import ConfigError
from wa.config.agenda import load_agenda
from wa.config.configuration import RunConfiguration, load_config_file
from wa.core.jobs import Job
from wa.core.loader import PluginLoader


@pytest.fixture(scope='module')
def loader():
    return PluginLoader(extra_paths=[PLUGINS], use_user_directory=False, use_entry_points=False)


@pytest.fixture
def make(tmp_path, loader):
    """make(agenda_text, configs=(texts...), disabled=(), only_ids=()) -> RunConfiguration."""
    def build(text, configs=(), disabled=(), only_ids=(), name='agenda.yaml'):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip('\n'))
        files = []
        for index, config in enumerate(configs):
            cpath = tmp_path / 'config{}.yaml'.format(index)
            cpath.write_text(textwrap.dedent(config).lstrip('\n'))
            files.append(load_config_file(str(cpath)))
        return RunConfiguration(loader, load_agenda(str(path)), files, disabled, only_ids)
    return build


def error_of(make, text, **kwargs):
    with pytest.raises(ConfigError) as info:
        make(text, **kwargs)
    return str(info.value)


def line_of(message, name='agenda.yaml'):
    found = re.search(re.escape(name) + r':(\d+)', message)
    assert found, message
    return int(found.group(1))


def ids(config):
    return [spec.id for spec in config.specs]


# -- ids, labels, job ids --------------------------------------------------------------------
def test_generated_ids_skip_explicit_ones(make):
    config = make("""
        workloads:
          - idle
          - {name: idle, id: wk1}
          - memcpy
          - {name: idle, id: wk3}
          - coretest
    """)
    assert ids(config) == ['wk2', 'wk1', 'wk4', 'wk3', 'wk5']


def test_ids_are_strings(make):
    config = make("""
        workloads:
          - {name: idle, id: 1}
          - idle
    """)
    assert ids(config) == ['1', 'wk1']


def test_section_ids_and_job_ids(make):
    """reference.md §3, checked on WA3."""
    config = make("""
        sections:
          - id: big
          - {}
        workloads:
          - idle
          - {name: idle, id: myid, label: second}
    """)
    assert ids(config) == ['big-wk1', 'big-myid', 's1-wk1', 's1-myid']
    spec = config.specs[1]
    assert (spec.section_id, spec.workload_id, spec.label) == ('big', 'myid', 'second')
    assert Job(spec, 1).directory_name == 'big-myid-second-1'
    assert Job(config.specs[2], 2).directory_name == 's1-wk1-idle-2'


def test_section_numbering_skips_explicit(make):
    config = make("""
        sections: [{}, {id: s1}, {}]
        workloads: [idle]
    """)
    assert ids(config) == ['s2-wk1', 's1-wk1', 's3-wk1']


def test_cross_product_with_section_workloads(make):
    """Sections [X, Y], top-level [A, B], Y.workloads [C] -> X-A, X-B, Y-A, Y-B, Y-C; top-level
    workloads are numbered first."""
    config = make("""
        sections:
          - id: X
          - id: Y
            workloads:
              - {name: coretest, label: C}
        workloads:
          - {name: idle, label: A}
          - {name: memcpy, label: B}
    """)
    assert [(s.id, s.label) for s in config.specs] == [
        ('X-wk1', 'A'), ('X-wk2', 'B'), ('Y-wk1', 'A'), ('Y-wk2', 'B'), ('Y-wk3', 'C')]


def test_workloads_only_in_sections(make):
    config = make("""
        sections:
          - id: a
            workloads: [idle]
    """)
    assert ids(config) == ['a-wk1']


def test_label_defaults_to_workload_name(make):
    config = make("""
        workloads:
          - idle
          - {name: idle, label: mine}
          - workload_name: memcpy
    """)
    assert [s.label for s in config.specs] == ['idle', 'mine', 'memcpy']
    assert [s.workload_name for s in config.specs] == ['idle', 'idle', 'memcpy']


def test_label_in_section_and_config(make):
    config = make("""
        sections:
          - {id: a, label: fromsection}
          - {id: b}
        workloads:
          - idle
    """)
    assert [s.label for s in config.specs] == ['fromsection', 'idle']


@pytest.mark.parametrize('bad_id', ['a-b', 'global'])
def test_bad_ids(make, bad_id):
    message = error_of(make, """
        workloads:
          - idle
          - {{name: idle, id: {}}}
    """.format(bad_id))
    assert line_of(message) == 3


def test_duplicate_workload_id(make):
    message = error_of(make, """
        workloads:
          - {name: idle, id: same}
          - {name: memcpy, id: same}
    """)
    assert 'same' in message and line_of(message) == 3


def test_duplicate_id_across_section_workloads(make):
    message = error_of(make, """
        sections:
          - id: a
            workloads: [{name: idle, id: w}]
        workloads:
          - {name: idle, id: w}
    """)
    assert 'w' in message


def test_duplicate_section_id(make):
    message = error_of(make, """
        sections: [{id: a}, {id: a}]
        workloads: [idle]
    """)
    assert '"a"' in message or ' a' in message


def test_iterations(make):
    config = make("""
        config: {iterations: 3}
        sections:
          - {id: a, iterations: 2}
          - {id: b}
        workloads:
          - idle
          - {name: idle, iterations: 5}
    """)
    assert [s.iterations for s in config.specs] == [2, 5, 3, 5]
    assert make('workloads: [idle]\n').specs[0].iterations == 1


@pytest.mark.parametrize('value', ['0', '-1', 'two'])
def test_bad_iterations(make, value):
    message = error_of(make, """
        workloads:
          - name: idle
            iterations: {}
    """.format(value))
    assert line_of(message) == 3


# -- workload parameters and aliases --------------------------------------------------------------
@pytest.mark.parametrize('key', ['workload_parameters', 'workload_params', 'parameters', 'params'])
def test_workload_parameter_aliases(make, key):
    config = make("""
        workloads:
          - name: idle
            {}: {{duration: 0.5}}
    """.format(key))
    assert config.specs[0].workload_parameters == {'duration': 0.5}


def test_params_in_config_and_section_are_runtime_params(make):
    config = make("""
        config:
          params: {sysfile_values: {/sys/a: 1}}
        sections:
          - id: s
            params: {sysfile_values: {/sys/b: 2}}
        workloads: [idle]
    """)
    spec = config.specs[0]
    assert spec.runtime_parameters == {'sysfile_values': {'/sys/a': 1, '/sys/b': 2}}
    assert spec.workload_parameters == {}


def test_two_aliases_of_one_key_is_error(make):
    message = error_of(make, """
        workloads:
          - name: idle
            params: {duration: 1}
            workload_parameters: {duration: 2}
    """)
    assert line_of(message) in (3, 4)


def test_section_params_and_runtime_params_is_error(make):
    error_of(make, """
        sections:
          - id: s
            params: {a: 1}
            runtime_params: {b: 2}
        workloads: [idle]
    """)


def test_workload_parameter_precedence(make):
    """plugin defaults < top-level <name>: block < config workload_parameters < section <
    entry."""
    config = make("""
        config:
          coretest: {duration: 1.0, score: 1}
          workload_parameters: {score: 2}
        sections:
          - {id: a, workload_parameters: {fail_in: [teardown]}}
        workloads:
          - {name: coretest, params: {duration: 2.0}}
    """)
    assert config.specs[0].workload_parameters == {'duration': 2.0, 'score': 2,
                                                   'fail_in': ['teardown']}


@pytest.mark.parametrize('params,words', [
    ('{duraton: 1}', ['duraton', 'idle', '"duration"']),
    ('{duration: abc}', ['duration', 'abc']),
])
def test_bad_workload_parameter_before_run(make, loader, params, words):
    """Bad workload parameters are rejected when the run is prepared, with file and line."""
    from wa.core.executor import Executor
    with pytest.raises(ConfigError) as info:
        Executor(loader, make("""
            workloads:
              - idle
              - name: idle
                params: {}
        """.format(params)))
    message = str(info.value)
    assert line_of(message) in (3, 4)
    for word in words:
        assert word in message


# -- classifiers, merging -----------------------------------------------------------------------
def test_reference_merge_example(make):
    """reference.md §2 merge example."""
    config = make("""
        config: {iterations: 3, runtime_params: {sysfile_values: {/sys/a: 1}},
                 classifiers: {board: pi}, instrumentation: [execution_time, interrupts]}
        sections:
          - {id: fast, runtime_params: {sysfile_values: {/sys/b: 2}}, classifiers: {gov: perf}}
        workloads:
          - {name: idle, iterations: 5, classifiers: {gov: custom},
             instrumentation: [~interrupts]}
    """)
    spec, = config.specs
    assert spec.id == 'fast-wk1'
    assert spec.iterations == 5
    assert spec.runtime_parameters == {'sysfile_values': {'/sys/a': 1, '/sys/b': 2}}
    assert spec.classifiers == {'board': 'pi', 'gov': 'custom'}
    assert 'execution_time' in spec.instruments
    assert 'interrupts' not in spec.instruments


def test_reference_merge_example_interrupts_installed(make):
    """reference.md §2: "`interrupts` installed but off for this spec"."""
    config = make("""
        config: {instrumentation: [execution_time, interrupts]}
        sections:
          - {id: fast}
        workloads:
          - {name: idle, instrumentation: [~interrupts]}
    """)
    assert 'interrupts' in config.instruments


def test_classifiers_merge(make):
    config = make("""
        config: {classifiers: {a: 1, b: 1}}
        sections:
          - {id: s, classifiers: {b: 2, c: 2}}
        workloads:
          - {name: idle, classifiers: {c: 3, d: 3}}
          - idle
    """)
    assert config.specs[0].classifiers == {'a': 1, 'b': 2, 'c': 3, 'd': 3}
    assert config.specs[1].classifiers == {'a': 1, 'b': 2, 'c': 2}


def test_global_alias_of_config_applied_after(make):
    config = make("""
        config: {iterations: 2, classifiers: {x: config}}
        global: {iterations: 4}
        workloads: [idle]
    """)
    assert config.specs[0].iterations == 4
    assert config.specs[0].classifiers == {'x': 'config'}


def test_config_sources_precedence(make):
    """config.yaml / -c files < agenda config; scalars replaced, dicts merged, retry_on_status
    replaced whole, enable lists add to each other."""
    config = make("""
        config:
          max_retries: 5
          device_config: {timeout: 30}
          instrumentation: [cpufreq]
          retry_on_status: [failed]
        workloads: [idle]
    """, configs=["""
        iterations: 2
        max_retries: 1
        device_config: {unrooted: true}
        instrumentation: [interrupts]
        retry_on_status: [FAILED, PARTIAL, NONCRITICAL]
    """, """
        iterations: 3
    """])
    settings = config.settings
    assert settings['max_retries'] == 5
    assert settings['device_config'] == {'unrooted': True, 'timeout': 30}
    assert settings['retry_on_status'] == ['FAILED']
    assert config.specs[0].iterations == 3
    assert config.instruments == ['execution_time', 'interrupts', 'cpufreq']


def test_run_settings_defaults(make):
    settings = make('workloads: [idle]\n').settings
    assert settings['device'] == 'local'
    assert settings['execution_order'] == 'by_iteration'
    assert settings['reboot_policy'] == 'as_needed'
    assert [s.upper() for s in settings['retry_on_status']] == ['FAILED', 'PARTIAL']
    assert settings['max_retries'] == 2
    assert settings['bail_on_init_failure'] is True


def test_default_enable_lists(make):
    config = make('workloads: [idle]\n')
    assert config.instruments == ['execution_time']
    assert sorted(config.processors) == ['csv', 'json', 'status']


def test_clear_with_double_tilde(make):
    config = make("""
        config: {augmentations: ['~~', interrupts]}
        workloads: [idle]
    """)
    assert config.instruments == ['interrupts']
    assert config.processors == []


# -- enable lists: per spec, augmentations --------------------------------------------------------
def test_per_spec_instrument_disable_and_enable(make):
    config = make("""
        config: {instrumentation: [interrupts]}
        workloads:
          - {name: idle, instrumentation: [~interrupts]}
          - {name: idle, instrumentation: [cpufreq, ~execution_time]}
          - idle
    """)
    assert config.specs[0].instruments == ['execution_time']
    assert config.specs[1].instruments == ['interrupts', 'cpufreq']
    assert config.specs[2].instruments == ['execution_time', 'interrupts']
    assert config.instruments == ['execution_time', 'interrupts', 'cpufreq']


def test_section_instruments(make):
    config = make("""
        sections:
          - {id: a, instrumentation: [interrupts]}
          - {id: b}
        workloads:
          - idle
          - {name: idle, instrumentation: [~interrupts]}
    """)
    assert [sorted(s.instruments) for s in config.specs] == [
        ['execution_time', 'interrupts'], ['execution_time'], ['execution_time'],
        ['execution_time']]


def test_augmentations_sorted_by_kind(make):
    config = make("""
        config: {augmentations: [interrupts, recproc, ~json]}
        workloads: [idle]
    """)
    assert config.instruments == ['execution_time', 'interrupts']
    assert sorted(config.processors) == ['csv', 'recproc', 'status']


def test_processors_are_run_wide(make):
    config = make("""
        workloads:
          - idle
          - {name: idle, result_processors: [recproc]}
    """)
    assert 'recproc' in config.processors


def test_disabling_processor_per_spec_is_error(make):
    message = error_of(make, """
        workloads:
          - name: idle
            result_processors: [~csv]
    """)
    assert line_of(message) in (2, 3)


def test_conflicting_entries_at_same_level(make):
    message = error_of(make, """
        config:
          instrumentation: [interrupts]
          augmentations: [~interrupts]
        workloads: [idle]
    """)
    assert 'interrupts' in message and 'conflicting' in message


def test_disable_option_wins(make):
    config = make("""
        workloads:
          - {name: idle, instrumentation: [interrupts]}
    """, disabled=['interrupts', 'csv'])
    assert config.specs[0].instruments == ['execution_time']
    assert 'interrupts' not in config.instruments
    assert 'csv' not in config.processors


def test_disable_unknown_is_error(make):
    message = error_of(make, 'workloads: [idle]\n', disabled=['interupts'])
    assert 'interrupts' in message


@pytest.mark.parametrize('text,line,suggestion', [
    ('config:\n  instrumentation: [execution_time, interupts]\nworkloads: [idle]\n', 2,
     'interrupts'),
    ('config:\n  result_processors: [cvs]\nworkloads: [idle]\n', 2, 'csv'),
    ('workloads:\n  - name: idle\n    instrumentation: [~interupts]\n', 3, 'interrupts'),
])
def test_unknown_plugin_in_enable_list(make, text, line, suggestion):
    message = error_of(make, text)
    assert line_of(message) == line and suggestion in message


# -- unknown keys, bad structure ------------------------------------------------------------------
@pytest.mark.parametrize('text,line,bad,good', [
    ('config:\n  iterations: 1\nworklods: [idle]\n', 3, 'worklods', 'workloads'),
    ('config:\n  iteratons: 2\nworkloads: [idle]\n', 2, 'iteratons', 'iterations'),
    ('config:\n  execution_ordr: by_spec\nworkloads: [idle]\n', 2, 'execution_ordr',
     'execution_order'),
    ('workloads:\n  - idle\nsections:\n  - id: a\n    classifers: {x: 1}\n', 5, 'classifers',
     'classifiers'),
    ('workloads:\n  - name: idle\n    lable: x\n', 3, 'lable', 'label'),
    ('workloads:\n  - name: idle\n    workload_paramters: {duration: 1}\n', 3,
     'workload_paramters', 'workload_parameters'),
])
def test_unknown_key_suggests_with_file_and_line(make, text, line, bad, good):
    message = error_of(make, text)
    assert line_of(message) == line
    assert bad in message and '"{}"'.format(good) in message


def test_unknown_workload_suggests(make):
    message = error_of(make, 'workloads:\n  - idle\n  - name: memcopy\n')
    assert line_of(message) == 3 and 'memcpy' in message


def test_bad_setting_value(make):
    message = error_of(make, 'config:\n  max_retries: lots\nworkloads: [idle]\n')
    assert line_of(message) == 2 and 'max_retries' in message


def test_bad_execution_order(make):
    message = error_of(make, 'config:\n  execution_order: sideways\nworkloads: [idle]\n')
    assert line_of(message) == 2


@pytest.mark.parametrize('text', [
    'workloads:\n',
    'config: {iterations: 1}\n',
    'sections: [{id: a}]\n',
    'config:\nworkloads: [idle]\n',
    '',
    '- idle\n',
])
def test_empty_or_missing_workloads(make, text):
    error_of(make, text)


def test_id_in_config_is_error(make):
    message = error_of(make, 'config:\n  id: x\nworkloads: [idle]\n')
    assert line_of(message) == 2


def test_flash_is_error(make):
    error_of(make, 'workloads:\n  - name: idle\n    flash: {image: x}\n')


def test_yaml_syntax_error_has_line(make):
    message = error_of(make, 'workloads:\n  - name: idle\n    params: {duration: 1\n  - x: y: z\n')
    assert 'agenda.yaml' in message


def test_run_name_only_in_agenda(make):
    assert make('config: {run_name: mine}\nworkloads: [idle]\n').settings['run_name'] == 'mine'
    message = error_of(make, 'workloads: [idle]\n', configs=['run_name: nope\n'])
    assert 'config0.yaml' in message and 'run_name' in message


def test_config_file_unknown_key(make):
    message = error_of(make, 'workloads: [idle]\n', configs=['iterations: 1\nmax_retrys: 1\n'])
    assert line_of(message, 'config0.yaml') == 2 and 'max_retries' in message


# -- plugin config blocks ---------------------------------------------------------------------------
def test_plugin_config_block(make):
    config = make("""
        config:
          csv: {use_all_classifiers: true}
          trace-cmd: {buffer_size: 1000}
        workloads: [idle]
    """)
    assert config.plugin_config['csv'] == {'use_all_classifiers': True}
    assert 'trace_cmd' in config.plugin_config or 'trace-cmd' in config.plugin_config
    assert 'trace_cmd' not in config.instruments   # naming a plugin does not enable it


def test_plugin_config_block_merges_over_config_files(make):
    config = make("""
        config:
          failinst: {fail_in: [stop]}
        workloads: [idle]
    """, configs=['failinst: {fail_in: [start]}\nrecproc: {fail_in: [finalize]}\n'])
    assert config.plugin_config['failinst'] == {'fail_in': ['stop']}
    assert config.plugin_config['recproc'] == {'fail_in': ['finalize']}


# -- -i ------------------------------------------------------------------------------------------------
SELECT = """
    sections: [{id: x}, {id: y}]
    workloads:
      - idle
      - {name: idle, id: two}
      - {name: idle, id: wk10}
"""


@pytest.mark.parametrize('only,expected', [
    (['x-two'], ['x-two']),
    (['two'], ['x-two', 'y-two']),
    (['y'], ['y-wk1', 'y-two', 'y-wk10']),
    (['wk1'], ['x-wk1', 'y-wk1']),                  # exact, not a substring (wk10)
    (['y-wk10', 'x-wk1'], ['x-wk1', 'y-wk10']),     # spec order kept
    (['x', 'x-two'], ['x-wk1', 'x-two', 'x-wk10']),
])
def test_select_ids(make, only, expected):
    assert ids(make(SELECT, only_ids=only)) == expected


@pytest.mark.parametrize('only', [['wk'], ['z'], ['x-wk2'], ['two', 'nothing']])
def test_select_unknown_id_is_error(make, only):
    error_of(make, SELECT, only_ids=only)


def test_misspelt_plugin_config_block(make):
    message = error_of(make, 'config:\n  cvs: {use_all_classifiers: true}\nworkloads: [idle]\n')
    assert line_of(message) == 2 and 'cvs' in message and '"csv"' in message


def test_plugin_config_block_names_compared_as_identifiers(make):
    config = make('config:\n  rec-a: {}\n  Execution-Time: {}\nworkloads: [idle]\n')
    assert 'rec_a' in config.plugin_config and 'execution_time' in config.plugin_config

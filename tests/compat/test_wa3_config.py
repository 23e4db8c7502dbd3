"""A WA3 user's configuration works unchanged: the config.yaml WA3 writes on first use, WA3-only
keys (accepted, named in one warning), include#, section groups and global aliases."""
import json
import os
import textwrap

from wa_compat_testlib import wa

# The settings WA3 3.3.1 writes to ~/.workload_automation/config.yaml on first use (its
# explanatory comments left out), with its default augmentations.
WA3_FIRST_RUN_CONFIG = """
user_directory: {user_dir}
assets_repository: ''
logging:
  color: true
  file_format: '%(asctime)s %(levelname)-8s %(name)s: %(message)s'
  regular_format: '%(levelname)-8s %(message)s'
  verbose_format: '%(asctime)s %(levelname)-8s %(name)s: %(message)s'
verbosity: 0
default_output_directory: wa_output
extra_plugin_paths: null
execution_order: by_iteration
reboot_policy: as_needed
device: generic_android
retry_on_status:
- FAILED
- PARTIAL
max_retries: 2
bail_on_init_failure: true
bail_on_job_failure: false
allow_phone_home: true
augmentations:
 - execution_time
 - interrupts
 - cpufreq
 - status
 - csv
"""


def write(path, text):
    with open(str(path), 'w') as fh:
        fh.write(textwrap.dedent(text))
    return str(path)


def jobs_of(out):
    with open(os.path.join(str(out), '__meta', 'jobs.json')) as fh:
        return json.load(fh)


def test_wa3_first_run_config_works_as_it_is(tmp_path, user_dir):
    write(os.path.join(user_dir, 'config.yaml'), WA3_FIRST_RUN_CONFIG.format(user_dir=user_dir))
    agenda = write(tmp_path / 'agenda.yaml', """
        config:
          device: generic_local
        workloads:
          - name: idle
            params: {duration: 0}
        """)
    process = wa('run', agenda, '-d', tmp_path / 'out')
    assert process.returncode == 0, process.stdout
    warnings = [l for l in process.stdout.splitlines() if 'accepted and ignored' in l]
    assert len(warnings) == 1 and '"assets_repository"' in warnings[0], process.stdout
    assert 'config.yaml:' in warnings[0]
    assert (tmp_path / 'out' / 'results.csv').exists()


def test_global_aliases_set_their_plugins_parameters(tmp_path):
    config = write(tmp_path / 'config.yaml', """
        trace_events: ['sched_switch', 'sched_wakeup']
        perf_events: [task-clock]
        sysfs_extract_dirs: [/proc/sys/kernel/pid_max]
        use_all_classifiers: true
        """)
    agenda = write(tmp_path / 'agenda.yaml', "workloads: [{name: idle, params: {duration: 0}}]\n")
    process = wa('run', agenda, '-c', config, '-d', tmp_path / 'out', '--dry-run')
    assert process.returncode == 0, process.stdout
    process = wa('-c', config, 'run', agenda, '-d', tmp_path / 'out2')
    assert process.returncode == 0, process.stdout
    with open(str(tmp_path / 'out2' / '__meta' / 'config.json')) as fh:
        plugin_config = json.load(fh)['plugin_config']
    assert plugin_config['trace_cmd'] == {'events': ['sched_switch', 'sched_wakeup']}
    assert plugin_config['perf'] == {'events': ['task-clock']}
    assert plugin_config['sysfs_extractor'] == {'paths': ['/proc/sys/kernel/pid_max']}
    assert plugin_config['csv'] == {'use_all_classifiers': True}


def test_global_alias_and_parameter_in_one_file_is_an_error(tmp_path):
    config = write(tmp_path / 'config.yaml', """
        perf_events: [task-clock]
        perf: {events: [cycles]}
        """)
    process = wa('run', 'idle', '-c', config, '-d', tmp_path / 'out')
    assert process.returncode == 2 and 'set twice' in process.stdout, process.stdout
    assert not (tmp_path / 'out').exists()


def test_wa3_only_global_alias_is_accepted_with_a_warning(tmp_path):
    config = write(tmp_path / 'config.yaml', "perf_type: simpleperf\npostgres: {}\n")
    process = wa('run', 'idle', '-c', config, '-d', tmp_path / 'out', '--dry-run')
    assert process.returncode == 0, process.stdout
    warning = next(l for l in process.stdout.splitlines() if 'accepted and ignored' in l)
    assert '"perf_type"' in warning and 'simpleperf' in warning and '"postgres"' in warning


def test_include_nested_relative_and_local_keys_win(tmp_path):
    (tmp_path / 'inc' / 'deeper').mkdir(parents=True)
    write(tmp_path / 'inc' / 'deeper' / 'workloads.yaml', """
        workloads:
          - {name: idle, id: inc1, params: {duration: 0}}
        """)
    write(tmp_path / 'inc' / 'common.yaml', """
        include#: deeper/workloads.yaml
        config:
          iterations: 2
          classifiers: {origin: included}
        """)
    agenda = write(tmp_path / 'agenda.yaml', """
        include#: inc/common.yaml
        config:
          classifiers: {origin: agenda}
        workloads:
          - {name: idle, id: local1, params: {duration: 0}}
        """)
    process = wa('run', agenda, '-d', tmp_path / 'out')
    assert process.returncode == 0, process.stdout
    jobs = jobs_of(tmp_path / 'out')
    assert [j['id'] for j in jobs] == ['inc1', 'local1']
    assert all(j['iterations'] == 2 and j['classifiers'] == {'origin': 'agenda'} for j in jobs)


def test_include_in_a_config_file_and_errors_name_the_included_file(tmp_path):
    write(tmp_path / 'part.yaml', "max_retries: 1\nbogus_key: 3\n")
    config = write(tmp_path / 'config.yaml', "include#: part.yaml\n")
    process = wa('run', 'idle', '-c', config, '-d', tmp_path / 'out')
    assert process.returncode == 2
    assert 'part.yaml:2: Unknown key "bogus_key"' in process.stdout, process.stdout


def test_include_cycle_is_refused_with_file_and_line(tmp_path):
    write(tmp_path / 'a.yaml', "config: {iterations: 1}\ninclude#: b.yaml\n")
    write(tmp_path / 'b.yaml', "include#: a.yaml\n")
    agenda = write(tmp_path / 'agenda.yaml', "include#: a.yaml\nworkloads: [idle]\n")
    process = wa('run', agenda, '-d', tmp_path / 'out')
    assert process.returncode == 2, process.stdout
    assert 'b.yaml:1: "include#: a.yaml"' in process.stdout and 'cycle' in process.stdout
    assert 'Traceback' not in process.stdout and not (tmp_path / 'out').exists()


def test_missing_include_names_the_including_line(tmp_path):
    agenda = write(tmp_path / 'agenda.yaml', "workloads: [idle]\ninclude#: nothere.yaml\n")
    process = wa('run', agenda, '-d', tmp_path / 'out')
    assert process.returncode == 2
    assert 'agenda.yaml:2: "include#: nothere.yaml": no such file' in process.stdout


def test_section_groups_make_the_cross_product(tmp_path):
    agenda = write(tmp_path / 'agenda.yaml', """
        sections:
          - {id: a, group: first, classifiers: {x: 1}}
          - {id: b, group: first}
          - {id: x, group: second}
          - {id: y, group: second}
        workloads:
          - {name: idle, id: w, params: {duration: 0}}
        """)
    process = wa('run', agenda, '-d', tmp_path / 'out')
    assert process.returncode == 0, process.stdout
    jobs = jobs_of(tmp_path / 'out')
    assert [j['id'] for j in jobs] == ['a-x-w', 'a-y-w', 'b-x-w', 'b-y-w']
    assert jobs[1]['classifiers'] == {'x': 1, 'first': 'a', 'second': 'y'}
    process = wa('run', agenda, '-d', tmp_path / 'out2', '-i', 'y', '--dry-run')
    assert process.returncode == 0 and 'a-y-w' in process.stdout and 'a-x-w' not in process.stdout

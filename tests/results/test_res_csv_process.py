"""results.csv tells every row apart (b05: per-CPU metrics), and ``wa process`` takes processor
settings (-c) and processes every run under a directory (-r)."""
import csv
import os
import sqlite3

from wa_results_testlib import run, wa

from wa.processors.csv import distinguishing_classifiers


def _rows(out):
    with open(os.path.join(out, 'results.csv')) as fh:
        return list(csv.DictReader(fh))


def test_per_cpu_rows_get_their_classifier_column(tmp_path):
    out, process = run(tmp_path, 'b05', """
        config:
          instrumentation: [interrupts, proc_stat]
          proc_stat: {period: 1}
        workloads:
          - name: idle               # long enough for every CPU to count /proc/stat ticks
            params: {duration: 0.5}
            classifiers: {kind: probe}
        """)
    assert process.returncode == 0, process.stderr
    rows = _rows(out)
    assert 'cpu' in rows[0] and 'kind' not in rows[0]     # only the column that is needed
    keys = [(r['id'], r['iteration'], r['metric'], r['cpu']) for r in rows]
    assert len(keys) == len(set(keys))
    cpus = {r['cpu'] for r in rows if r['metric'] == 'cpu_util_user'}
    assert {'total', 'cpu0'} <= cpus, cpus


def test_distinguishing_classifiers_only_where_keys_collide():
    class Job:
        id, iteration = 'wk1', 1

    class Metric:
        def __init__(self, name, **classifiers):
            self.name, self.classifiers = name, classifiers
    rows = [(Job, Metric('a', cpu='0', kind='x')), (Job, Metric('a', cpu='1', kind='x')),
            (Job, Metric('b', stage='s')), (None, Metric('a', cpu='0'))]
    assert distinguishing_classifiers(rows) == ['cpu']
    assert distinguishing_classifiers(rows[2:]) == []


def test_process_with_config_and_recursive(tmp_path):
    for name in ('one', 'two'):
        out, process = run(tmp_path / 'runs', name, """
            config: {iterations: 2}
            workloads: [{name: probe, classifiers: {kind: probe}}]
            """)
        assert process.returncode == 0, process.stderr
    assert 'kind' not in _rows(out)[0]
    database = tmp_path / 'all.sqlite'
    config = tmp_path / 'process.yaml'
    config.write_text('result_processors: [sqlite]\ncsv: {use_all_classifiers: true}\n'
                      'sqlite: {database: %s}\ndevice: local\n' % database)
    process = wa(['process', '-r', tmp_path / 'runs', '-c', config], tmp_path)
    assert process.returncode == 0, process.stderr
    assert process.stdout.count('Processed ') == 2 and 'sqlite' in process.stdout
    assert 'kind' in _rows(out)[0] and _rows(out)[0]['kind'] == 'probe'
    connection = sqlite3.connect(str(database))
    assert sorted(connection.execute('SELECT run_name FROM runs').fetchall()) == \
        [('one',), ('two',)]
    connection.close()


def test_process_rejects_bad_processor_settings(tmp_path):
    out, _ = run(tmp_path, 'plain', 'workloads: [probe]\n')
    config = tmp_path / 'bad.yaml'
    config.write_text('csv: {use_all_classifers: true}\n')
    process = wa(['process', out, '-c', config], tmp_path)
    assert process.returncode == 2 and 'use_all_classifiers' in process.stderr
    assert 'Traceback' not in process.stderr
    empty = wa(['process', '-r', tmp_path / 'nowhere'], tmp_path)
    assert empty.returncode == 2 and 'No WA output directory' in empty.stderr

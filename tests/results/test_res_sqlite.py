"""The sqlite processor: a real SQLite file that several runs append to, queried together."""
import sqlite3

from wa_results_testlib import wa


def _query(path, sql, *args):
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, args).fetchall()
    finally:
        connection.close()


def test_runs_appended_to_one_database(runs):
    db = runs['database']
    assert _query(db, 'SELECT version FROM schema_version') == [(1,)]
    assert sorted(r[0] for r in _query(db, 'SELECT run_name FROM runs')) == \
        ['again', 'base', 'slower']
    means = dict(_query(db, """
        SELECT runs.run_name, AVG(metrics.value) FROM metrics
        JOIN jobs ON metrics.job_ref = jobs.id JOIN runs ON metrics.run_id = runs.id
        WHERE metrics.name = 'latency' AND jobs.job_id = 'fast' GROUP BY runs.run_name"""))
    assert abs(means['base'] - 20) < 1e-6 and abs(means['slower'] - 24) < 1e-6
    per_cpu = _query(db, """
        SELECT classifiers.value, COUNT(*) FROM metrics
        JOIN classifiers ON classifiers.metric_id = metrics.id
        JOIN runs ON metrics.run_id = runs.id
        WHERE runs.run_name = 'base' AND metrics.name = 'util' AND classifiers.key = 'cpu'
        GROUP BY classifiers.value""")
    assert per_cpu == [('cpu0', 10), ('cpu1', 10)]
    assert _query(db, "SELECT COUNT(*) FROM jobs JOIN runs ON jobs.run_id = runs.id "
                      "WHERE runs.run_name = 'base' AND jobs.status = 'OK'") == [(10,)]
    assert _query(db, "SELECT COUNT(*) FROM artifacts WHERE name = 'runlog'") == [(3,)]


def test_processing_again_replaces_the_run(runs, tmp_path):
    before = _query(runs['database'], 'SELECT COUNT(*) FROM metrics')
    config = tmp_path / 'db.yaml'
    config.write_text('sqlite: {database: %s}\n' % runs['database'])
    process = wa(['process', runs['base'], '-c', config], runs['root'])
    assert process.returncode == 0, process.stderr
    assert _query(runs['database'], 'SELECT COUNT(*) FROM runs') == [(3,)]
    assert _query(runs['database'], 'SELECT COUNT(*) FROM metrics') == before
    # wa process knows the run's uuid (written at the end of the run)
    assert _query(runs['database'], "SELECT COUNT(*) FROM runs WHERE run_name = 'base' "
                                    "AND uuid IS NOT NULL") == [(1,)]


def test_foreign_database_is_refused(runs, tmp_path):
    other = tmp_path / 'other.sqlite'
    connection = sqlite3.connect(str(other))
    connection.execute('CREATE TABLE things (x)')
    connection.commit()
    connection.close()
    config = tmp_path / 'db.yaml'
    config.write_text('sqlite: {database: %s}\n' % other)
    process = wa(['process', runs['again'], '-c', config, '-p', 'sqlite'], runs['root'])
    assert process.returncode == 1
    assert 'not a WA results database' in process.stderr

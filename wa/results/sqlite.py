"""Runs in an SQLite database (stdlib sqlite3): the schema, its version, and appending a run.

The schema is documented in doc/sqlite.rst; SCHEMA_VERSION goes up with every change to it.
A run is identified by its output directory and start time: storing it again (``wa process``)
replaces its rows, so one file can collect many runs without duplicates.
"""
import contextlib
import json
import sqlite3

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY, uuid TEXT, run_name TEXT, project TEXT, project_stage TEXT,
    status TEXT, start_time TEXT, end_time TEXT, duration REAL, output_directory TEXT NOT NULL,
    format TEXT, wa_version TEXT, target TEXT, kernel_release TEXT,
    UNIQUE (output_directory, start_time));
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    job_id TEXT NOT NULL, label TEXT, workload TEXT, iteration INTEGER, retry INTEGER,
    status TEXT, start_time TEXT, end_time TEXT, duration REAL, final INTEGER NOT NULL,
    workload_parameters TEXT, runtime_parameters TEXT);
CREATE TABLE metrics (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    job_ref INTEGER REFERENCES jobs(id) ON DELETE CASCADE,
    name TEXT NOT NULL, value NUMERIC, units TEXT, lower_is_better INTEGER NOT NULL);
CREATE TABLE classifiers (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    job_ref INTEGER REFERENCES jobs(id) ON DELETE CASCADE,
    metric_id INTEGER REFERENCES metrics(id) ON DELETE CASCADE,
    key TEXT NOT NULL, value TEXT);
CREATE TABLE artifacts (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    job_ref INTEGER REFERENCES jobs(id) ON DELETE CASCADE,
    name TEXT NOT NULL, path TEXT NOT NULL, kind TEXT, description TEXT);
CREATE TABLE events (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    job_ref INTEGER REFERENCES jobs(id) ON DELETE CASCADE,
    timestamp TEXT, message TEXT NOT NULL);
CREATE INDEX metrics_by_name ON metrics (name);
CREATE INDEX jobs_by_run ON jobs (run_id);
"""


class SchemaError(Exception):
    """The file is not a database this version can append to."""


def connect(path, timeout=60):
    """An open connection to ``path`` with the schema in place (created in a new or empty
    file). Raises SchemaError for another program's database or another schema version."""
    connection = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    connection.execute('PRAGMA foreign_keys = ON')
    try:
        with _transaction(connection):
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                for statement in SCHEMA.split(';'):
                    if statement.strip():
                        connection.execute(statement)
                connection.execute('INSERT INTO schema_version VALUES (?)', (SCHEMA_VERSION,))
            elif 'schema_version' not in tables:
                raise SchemaError('"{}" is not a WA results database (no schema_version '
                                  'table)'.format(path))
            version = connection.execute('SELECT MAX(version) FROM schema_version').fetchone()[0]
            if version != SCHEMA_VERSION:
                raise SchemaError('"{}" has schema version {}; this WA writes version {}'
                                  .format(path, version, SCHEMA_VERSION))
    except BaseException:
        connection.close()
        raise
    return connection


@contextlib.contextmanager
def _transaction(connection):
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error): concurrent writers wait their turn."""
    connection.execute('BEGIN IMMEDIATE')
    try:
        yield
    except BaseException:
        connection.execute('ROLLBACK')
        raise
    connection.execute('COMMIT')


def _iso(moment):
    return moment.isoformat() if moment is not None else None


def _seconds(delta):
    return delta.total_seconds() if delta is not None else None


def _value(value):
    return value if isinstance(value, (int, float, str)) or value is None else json.dumps(value)


def store_run(connection, run):
    """Writes ``run`` (a RunOutput) in one transaction, replacing an earlier copy of it;
    returns its ``runs.id``."""
    info = run.info
    key = (run.basepath, _iso(info.start_time))
    with _transaction(connection):
        connection.execute('DELETE FROM runs WHERE output_directory = ? AND start_time IS ?', key)
        run_id = connection.execute(
            'INSERT INTO runs (uuid, run_name, project, project_stage, status, start_time, '
            'end_time, duration, output_directory, format, wa_version, target, kernel_release) '
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            (info.uuid, info.run_name, info.project, info.project_stage, str(run.status),
             key[1], _iso(info.end_time), _seconds(info.duration), run.basepath, run.format,
             (run.metadata.get('versions') or {}).get('wa'), run.metadata.get('target'),
             run.target_info.kernel_version.release or None)).lastrowid
        _store_results(connection, run_id, None, run)
        for job in run.all_attempts:
            spec = job.spec or {}
            job_ref = connection.execute(
                'INSERT INTO jobs (run_id, job_id, label, workload, iteration, retry, status, '
                'start_time, end_time, duration, final, workload_parameters, '
                'runtime_parameters) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                (run_id, job.id, job.label, job.workload_name, job.iteration, job.retry,
                 str(job.status), _iso(job.start_time), _iso(job.end_time),
                 _seconds(job.duration), int(job in run.jobs),
                 json.dumps(spec.get('workload_parameters'), default=str),
                 json.dumps(spec.get('runtime_parameters'), default=str))).lastrowid
            for key_, value in job.classifiers.items():
                connection.execute('INSERT INTO classifiers (run_id, job_ref, key, value) '
                                   'VALUES (?, ?, ?, ?)', (run_id, job_ref, key_, str(value)))
            _store_results(connection, run_id, job_ref, job)
    return run_id


def _store_results(connection, run_id, job_ref, output):
    for metric in output.metrics:
        metric_id = connection.execute(
            'INSERT INTO metrics (run_id, job_ref, name, value, units, lower_is_better) '
            'VALUES (?, ?, ?, ?, ?, ?)', (run_id, job_ref, metric.name, _value(metric.value),
                                          metric.units, int(metric.lower_is_better))).lastrowid
        connection.executemany(
            'INSERT INTO classifiers (run_id, metric_id, key, value) VALUES (?, ?, ?, ?)',
            [(run_id, metric_id, k, str(v)) for k, v in metric.classifiers.items()])
    connection.executemany(
        'INSERT INTO artifacts (run_id, job_ref, name, path, kind, description) '
        'VALUES (?, ?, ?, ?, ?, ?)', [(run_id, job_ref, a.name, a.path, a.kind, a.description)
                                      for a in output.artifacts])
    connection.executemany(
        'INSERT INTO events (run_id, job_ref, timestamp, message) VALUES (?, ?, ?, ?)',
        [(run_id, job_ref, _iso(e.timestamp), e.message) for e in output.events])

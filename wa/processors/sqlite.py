"""sqlite: the run appended to an SQLite database that can collect many runs."""
import os

from wa import ResultProcessor, ResultProcessorError, Parameter


class SqliteProcessor(ResultProcessor):
    name = 'sqlite'
    description = """Stores the run in an SQLite database: runs, jobs, metrics, classifiers,
    artifacts and events, in tables described in doc/sqlite.rst (versioned by the
    schema_version table).

    Give several runs the same ``database`` to collect them in one file and query them together;
    processing a run again (``wa process``) replaces its rows.
    """
    parameters = [
        Parameter('database', str, None, global_alias='sqlite_database',
                  description='The database file; by default results.sqlite in the run\'s '
                              'output directory. A relative path is taken from the current '
                              'directory; "~" is expanded.'),
    ]

    def export_run_result(self, result, context):
        import sqlite3  # noqa  (here, like the results API: loading plugins need not import them)
        from wa import RunOutput  # noqa
        from wa.results.sqlite import SchemaError, connect, store_run  # noqa
        root = context.run_output_directory
        path = os.path.abspath(os.path.expanduser(self.database or
                                                  os.path.join(root, 'results.sqlite')))
        run = RunOutput.from_result(root, result.to_dict())
        try:
            connection = connect(path)
        except (SchemaError, OSError, sqlite3.Error) as error:
            raise ResultProcessorError('sqlite: {}'.format(error))
        try:
            store_run(connection, run)
        finally:
            connection.close()
        if path.startswith(root + os.sep) and \
                not any(a.name == 'sqlite_database' for a in result.artifacts):
            result.add_artifact('sqlite_database', path, 'export', 'the run in SQLite')

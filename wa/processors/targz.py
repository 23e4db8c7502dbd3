"""targz: the output directory archived at the end of the run."""
import os

from wa import ResultProcessor, Parameter, write_json


class TargzProcessor(ResultProcessor):
    name = 'targz'
    description = """Archives the run's output directory into a .tar.gz at the end of the run.

    The archive holds the directory as it is when the processors finalise; its result.json is
    the run's final record (status, end time, every job and the statistics), although the file
    on disk is rewritten once more afterwards. The archive is written beside the output
    directory (``<dir>.tar.gz``) unless ``path`` is given, and replaces an older one.
    """
    parameters = [
        Parameter('path', str, None,
                  description='Where to write the archive (default: beside the output '
                              'directory, named after it, with .tar.gz).'),
    ]

    def finalize(self, context):
        import tarfile  # noqa  (here: 10 ms that listing or running without targz need not pay)
        from wa.results.record import with_statistics  # noqa
        root = context.run_output_directory.rstrip(os.sep)
        path = os.path.abspath(os.path.expanduser(self.path or root + '.tar.gz'))
        base = os.path.basename(root)
        staged = os.path.join(root, '__meta', '.result.final.json')
        write_json(staged, with_statistics(root, context.run_result.to_dict())[0])
        partial = path + '.partial'
        left_out = {os.path.join(base, os.path.relpath(p, root)) for p in (staged, path, partial)}
        left_out.add(os.path.join(base, 'result.json'))
        try:
            with tarfile.open(partial, 'w:gz') as archive:
                archive.add(root, arcname=base,
                            filter=lambda info: None if info.name in left_out else info)
                archive.add(staged, arcname=os.path.join(base, 'result.json'))
            os.replace(partial, path)
        finally:
            os.remove(staged)
            if os.path.exists(partial):
                os.remove(partial)
        self.logger.info('Output directory archived in %s', path)

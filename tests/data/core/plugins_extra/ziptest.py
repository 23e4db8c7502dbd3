"""The contract's example plugin, filled in (CONTRACT.md, Plugins)."""
import time

from wa import Workload, Instrument, ResultProcessor, Parameter


class Ziptest(Workload):
    name = 'ziptest'
    description = """Times gzip of a file of a given size."""
    parameters = [Parameter('file_size', kind=int, default=2000000,
                            description='Bytes to compress.')]

    def setup(self, context):
        self.path = self.target.path.join(self.target.working_directory, 'ziptest.bin')
        self.target.execute('head -c {} /dev/urandom > {}'.format(self.file_size, self.path))

    def run(self, context):
        start = time.monotonic()
        self.device.execute('gzip -c {} > {}.gz'.format(self.path, self.path))
        self.elapsed = time.monotonic() - start

    def update_result(self, context):
        context.result.add_metric('time', 1.5, 'seconds', lower_is_better=True)

    def teardown(self, context):
        self.target.execute('rm -f {} {}.gz'.format(self.path, self.path))

"""The "ziptest" workload of WA3's developer guide (Adding a Workload), written as a user would:
compresses a file of random bytes with gzip on the target and reports how long it took."""
import os

from wa import Parameter, Workload


class ZipTestWorkload(Workload):

    name = 'ziptest'
    description = '''
    Times gzip compression of a file of random data on the target.
    '''

    parameters = [
        Parameter('file_size', kind=int, default=2000000,
                  description='Size of the file (in bytes) to be gzipped.'),
    ]

    def setup(self, context):
        super(ZipTestWorkload, self).setup(context)
        self.host_infile = os.path.join(context.output_directory, 'infile')
        self.target_infile = self.target.get_workpath('infile')
        self.target_outfile = self.target.get_workpath('outfile')
        with open(self.host_infile, 'wb') as wfh:
            wfh.write(os.urandom(self.file_size))
        self.target.push(self.host_infile, self.target_infile)

    def run(self, context):
        cmd = 'cd {} && start=$(date +%s.%N) && gzip -f {} && end=$(date +%s.%N) && ' \
              'echo "real $start $end" > {}'
        self.target.execute(cmd.format(self.target.working_directory, self.target_infile,
                                       self.target_outfile))

    def extract_results(self, context):
        super(ZipTestWorkload, self).extract_results(context)
        self.host_outfile = os.path.join(context.output_directory, 'timing_results')
        self.target.pull(self.target_outfile, self.host_outfile)
        context.add_artifact('ziptest-results', self.host_outfile, kind='raw')

    def update_output(self, context):
        super(ZipTestWorkload, self).update_output(context)
        with open(self.host_outfile) as fh:
            _, start, end = fh.read().split()
        context.add_metric('time', float(end) - float(start), 'seconds', lower_is_better=True)

    def teardown(self, context):
        super(ZipTestWorkload, self).teardown(context)
        self.target.remove(self.target_infile + '.gz')
        self.target.remove(self.target_outfile)

"""The "trace-errors" instrument of WA3's developer guide (Adding an Instrument), written as a
user would: installs its ``trace`` binary (from the dependencies directory) on the target,
starts and stops it around the workload and counts the errors in what it recorded."""
import os

from wa import Executable, Instrument, Parameter, very_slow
from wa.utils.exec_control import once


class TraceErrorsInstrument(Instrument):

    name = 'trace-errors'
    description = 'Counts the errors a tracing tool records while the workload runs.'
    parameters = [Parameter('limit', kind=int, default=0, description='Errors tolerated.')]

    def __init__(self, target, **kwargs):
        super(TraceErrorsInstrument, self).__init__(target, **kwargs)
        self.trace_on_target = None
        self.trace_file = None

    @once
    def initialize(self, context):
        host_binary = context.get_resource(Executable(self, self.target.abi, 'trace'))
        self.trace_on_target = self.target.install(host_binary)
        self.trace_file = self.target.get_workpath('trace.txt')

    def setup(self, context):
        self.target.execute('{} start {}'.format(self.trace_on_target, self.trace_file))

    def stop(self, context):
        self.target.execute('{} stop {}'.format(self.trace_on_target, self.trace_file))

    @very_slow
    def update_output(self, context):
        outfile = os.path.join(context.output_directory, 'trace.txt')
        self.target.pull(self.trace_file, outfile)
        context.add_artifact('error_trace', outfile, kind='log')
        with open(outfile) as fh:
            errors = sum(1 for line in fh if 'ERROR' in line)
        context.add_metric('number_of_errors', errors, lower_is_better=True)

"""Plugins that misbehave on request: sys.exit() or an exception in a named method."""
import os
import shutil
import subprocess
import sys

from wa import Instrument, Parameter, ResultProcessor, Workload


def _misbehave(how, where, context=None):
    if how == 'exit':
        sys.exit(3)
    if how == 'delete_output':
        shutil.rmtree(context.run_output_directory)
        return
    if how == 'immutable':
        subprocess.check_call(['chattr', '+i', context.run_output_directory])
        return
    raise RuntimeError('failed in {}'.format(where))


class Exiter(Workload):
    name = 'exiter'
    description = """Misbehaves (``how``: exit or raise) in the workload method ``where``."""
    parameters = [Parameter('where', kind=str, default='run'),
                  Parameter('how', kind=str, default='exit'),
                  Parameter('fail_if', kind=str, default='',
                            description='initialize raises while this file exists')]

    def initialize(self, context):
        if self.fail_if and os.path.exists(self.fail_if):
            raise RuntimeError('{} exists'.format(self.fail_if))

    def _maybe(self, method, context):
        if method == self.where:
            _misbehave(self.how, method, context)

    def setup(self, context):
        self._maybe('setup', context)

    def run(self, context):
        self._maybe('run', context)

    def update_result(self, context):
        self._maybe('update_result', context)

    def teardown(self, context):
        self._maybe('teardown', context)


class ExitInst(Instrument):
    name = 'exitinst'
    description = """Misbehaves in the instrument method ``where`` (for job ``job``, if set)."""
    parameters = [Parameter('where', kind=str, default='start'),
                  Parameter('how', kind=str, default='exit'),
                  Parameter('job', kind=str, default='')]

    def _maybe(self, method, context):
        if method == self.where and (not self.job or context.job_id == self.job):
            _misbehave(self.how, method)

    def start(self, context):
        self._maybe('start', context)

    def on_run_end(self, context):
        self._maybe('on_run_end', context)

    def finalize(self, context):
        self._maybe('finalize', context)


class ExitProc(ResultProcessor):
    name = 'exitproc'
    description = """Misbehaves in the processor method ``where``."""
    parameters = [Parameter('where', kind=str, default='process_iteration_result'),
                  Parameter('how', kind=str, default='exit'),
                  Parameter('job', kind=str, default='')]

    def process_iteration_result(self, result, context):
        if self.where == 'process_iteration_result' and (not self.job or result.id == self.job):
            _misbehave(self.how, self.where)

    def export_run_result(self, result, context):
        if self.where == 'export_run_result':
            _misbehave(self.how, self.where)

    def finalize(self, context):
        if self.where == 'finalize':
            _misbehave(self.how, self.where)

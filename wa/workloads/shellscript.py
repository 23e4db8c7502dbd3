"""shellscript: run a shell script of the user's on the target."""
import hashlib
import os
import re
import shlex
import time

from wa import ConfigError, Parameter, Workload, WorkloadError

_EXIT_MARK = 'WA_EXIT_CODE='
# Scripts already on each target (by id of the devlib target): pushed once per run, however
# many specs and jobs run them.
_PUSHED = {}


class ShellScript(Workload):
    name = 'shellscript'
    description = """Runs a shell script from the host on the target.

    The script is pushed once per run to the target's working directory (into
    ``wa-shellscript-<hash of its content>/``) and run with ``sh`` by every job. Its exit code
    and run time are reported as metrics, and what it prints (stdout and stderr) is saved as
    ``script-output.txt``. A non-zero exit code fails the job.
    """
    parameters = [
        Parameter('script_file', str, mandatory=True,
                  description='Path on the host of the script to run.'),
        Parameter('argstring', str, '',
                  description='Arguments passed to the script, split as a shell would split '
                              'them; each reaches the target quoted, so $(...) and ; stay text.'),
        Parameter('as_root', bool, False, description='Run the script as root.'),
        Parameter('timeout', int, 60, constraint=lambda v: v > 0,
                  description='Seconds the script may take.'),
    ]

    def validate(self):
        self.script_file = os.path.abspath(os.path.expanduser(self.script_file))
        if not os.path.isfile(self.script_file):
            raise ConfigError('script_file "{}" does not exist'.format(self.script_file))

    def initialize(self, context):
        with open(self.script_file, 'rb') as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()[:12]
        self.on_target = self.target.path.join(
            self.target.get_workpath('wa-shellscript-{}'.format(digest)),
            os.path.basename(self.script_file))
        pushed = _PUSHED.setdefault(id(self.target), set())
        if self.on_target not in pushed:
            self.target.push(self.script_file, self.on_target)
            pushed.add(self.on_target)

    def run(self, context):
        args = ' '.join(shlex.quote(arg) for arg in shlex.split(self.argstring))
        command = '{{ sh {} {}; }} 2>&1; echo "{}$?"'.format(
            shlex.quote(self.on_target), args, _EXIT_MARK)
        start = time.monotonic()
        output = self.target.execute(command, timeout=self.timeout, as_root=self.as_root,
                                     check_exit_code=False)
        runtime = time.monotonic() - start
        match = re.search(r'{}(\d+)\s*$'.format(_EXIT_MARK), output)
        exit_code = int(match.group(1)) if match else None
        path = os.path.join(context.output_directory, 'script-output.txt')
        with open(path, 'w') as fh:
            fh.write(output[:match.start()] if match else output)
        context.add_artifact('script_output', path, 'raw', 'what the script printed')
        context.add_metric('exit_code', exit_code, lower_is_better=True)
        context.add_metric('runtime', runtime, 'seconds', lower_is_better=True)
        if exit_code is None:
            # Cut output may hide a dropped connection: a target that no longer answers raises
            # devlib's TargetNotRespondingError here, which makes the run reconnect.
            self.target.check_responsive()
            raise WorkloadError('the script\'s output ended before its exit status: its shell '
                                'was killed (the target still answers)')
        if exit_code != 0:
            raise WorkloadError('the script exited with status {}'.format(exit_code))

    def finalize(self, context):
        pushed = _PUSHED.get(id(self.target), set())
        if self.on_target in pushed:
            pushed.discard(self.on_target)
            self.target.remove(self.target.path.dirname(self.on_target))

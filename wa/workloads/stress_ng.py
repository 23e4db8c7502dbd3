"""stress-ng: load the target with one of stress-ng's stressors and report its bogo ops."""
import shlex

from wa import NotSupportedError, Parameter
from wa.utils.numbers import to_number
from wa.utils.shell import split_args
from wa.utils.tool_workload import Metric, ToolWorkload

# YAML key in stress-ng's "metrics" entries -> (metric suffix, units, lower_is_better)
_YAML_METRICS = [
    ('bogo-ops', 'bogo_ops', 'ops', False),
    ('bogo-ops-per-second-real-time', 'bogo_ops_per_second_real_time', 'ops/s', False),
    ('bogo-ops-per-second-usr-sys-time', 'bogo_ops_per_second_usr_sys_time', 'ops/s', False),
    ('wall-clock-time', 'wall_clock_time', 'seconds', True),
    ('user-time', 'user_time', 'seconds', True),
    ('system-time', 'system_time', 'seconds', True),
]


def parse_stress_ng_yaml(text, primary=None):
    """Metrics from the YAML file that ``stress-ng --metrics-brief --yaml FILE`` writes.

    One set of metrics per stressor in the file's ``metrics`` list. The stressor named
    ``primary`` (the workload's ``stressor``) gets plain names (``bogo_ops``); any other stressor
    (added through ``extra_args``) gets its name as a prefix (``vm_bogo_ops``). Every metric is
    classified with ``stressor``.
    """
    import yaml
    document = yaml.safe_load(text) or {}
    entries = document.get('metrics') or []
    if not entries:
        raise ValueError('stress-ng wrote no metrics into its YAML output')
    metrics = []
    for entry in entries:
        stressor = str(entry.get('stressor'))
        prefix = '' if primary is not None and stressor == primary else stressor + '_'
        if primary is None and len(entries) == 1:
            prefix = ''
        for key, suffix, units, lower in _YAML_METRICS:
            if key in entry and entry[key] is not None:
                metrics.append(Metric(prefix + suffix, to_number(entry[key]), units, lower,
                                      {'stressor': stressor}))
    return metrics


class StressNg(ToolWorkload):

    name = 'stress_ng'
    aliases = ('stress-ng',)
    description = """
    Stresses the target with a stress-ng stressor and reports its bogo operations.

    Runs ``stress-ng --<stressor> <threads> --timeout <duration>s --metrics-brief --yaml FILE``
    on the target (Debian package ``stress-ng``) and reads the metrics from the YAML file.

    Metrics (for the chosen stressor; stressors added with ``extra_args`` get their name as a
    prefix, e.g. ``vm_bogo_ops``):

      - ``bogo_ops`` (ops): bogus operations completed in the run;
      - ``bogo_ops_per_second_real_time`` (ops/s): bogo ops per wall-clock second;
      - ``bogo_ops_per_second_usr_sys_time`` (ops/s): bogo ops per second of
        user + system CPU time;
      - ``wall_clock_time``, ``user_time``, ``system_time`` (seconds).

    Bogo ops are only comparable between runs of the same stressor and stress-ng version.
    The console output and the YAML file are saved in the job's directory.
    """

    tool = 'stress-ng'
    package = 'stress-ng'
    artifact_aliases = {'output': 'stress_ng_log'}  # WA3's name
    result_file = 'stress-ng.yaml'

    parameters = [
        Parameter('stressor', kind=str, default='cpu',
                  constraint=lambda value: bool(value) and not value.startswith('-'),
                  description='The stress-ng stressor to run (``stress-ng --stressors`` lists '
                              'them): cpu, vm, matrix, io, hdd, ...'),
        Parameter('threads', kind=int, default=0, constraint=lambda value: value >= 0,
                  description='Number of instances of the stressor; 0 runs one per online CPU.'),
        Parameter('duration', kind=int, default=60, aliases=['timeout'],
                  constraint=lambda value: value > 0,
                  description='How long the stressor runs, in seconds (stress-ng ``--timeout``). '
                              'Some stressors (vm) need more time to produce stable numbers.'),
        Parameter('extra_args', kind=str, default='',
                  description='More stress-ng options, as one string split the way a shell '
                              'would (e.g. ``"--cpu-method matrixprod"``).'),
    ]

    argument_parameters = ('extra_args',)

    def initialize(self, context):
        super().initialize(context)
        try:
            available = self.target.execute('{} --stressors'.format(
                shlex.quote(self.tool_path))).split()
        except Exception:  # pylint: disable=broad-except
            available = []  # an old stress-ng without --stressors: let it report the error
        if available and self.stressor not in available:
            raise NotSupportedError('stress-ng on the target has no stressor "{}"; it has: {}'
                                    .format(self.stressor, ' '.join(available)))

    def build_command(self, context):
        return ([self.tool_path, '--' + self.stressor, self.threads,
                 '--timeout', '{}s'.format(self.duration), '--metrics-brief',
                 '--yaml', self._target_path(self.result_file)]
                + split_args(self.extra_args))

    def run_timeout(self):
        return self.duration * 2 + 60

    def parse(self, text):
        return parse_stress_ng_yaml(text, primary=self.stressor)

"""rt-app: periodic real-time tasks described in JSON, with per-thread scheduling logs."""
import json
import os
import shlex

from wa import ConfigError, Parameter, WorkloadError
from wa.workloads._rt_app_logs import parse_rt_app_console, parse_rt_app_logs
from wa.utils.tool_workload import add_metrics, cpus_parameter, ToolWorkload
from wa.utils.tools import execute

POLICIES = ['SCHED_OTHER', 'SCHED_FIFO', 'SCHED_RR']
LOG_BASENAME = 'rt-app'
LOG_DIRECTORY = 'rt-app-logs'


def load_config(path):
    """The rt-app description in the JSON file ``path`` (a dict); ConfigError naming the file
    and line when it is not JSON or has no ``tasks``."""
    try:
        with open(path) as fh:
            config = json.load(fh)
    except OSError as error:
        raise ConfigError('rt_app: cannot read config "{}": {}'.format(path, error.strerror))
    except ValueError as error:
        line = getattr(error, 'lineno', '?')
        raise ConfigError('rt_app: {}:{}: not JSON: {}'.format(path, line,
                                                              getattr(error, 'msg', error)))
    if not isinstance(config, dict) or not isinstance(config.get('tasks'), dict):
        raise ConfigError('rt_app: {} has no "tasks" object (rt-app\'s JSON format)'.format(path))
    return config


def periodic_tasks(count, period, run, policy, priority, cpus=None):
    """rt-app's ``tasks``: ``count`` threads named ``periodic_<N>``, each running ``run`` us of
    busy loop every ``period`` us (rt-app's ``run`` and ``timer`` events), forever (until the
    global duration ends); each pinned to one of ``cpus`` round-robin when given."""
    tasks = {}
    for index in range(count):
        task = {'loop': -1, 'run': run, 'timer': {'ref': 'tick{}'.format(index),
                                                  'period': period},
                'policy': policy}
        if priority is not None:
            task['priority'] = priority
        if cpus:
            task['cpus'] = [cpus[index % len(cpus)]]
        tasks['periodic_{}'.format(index)] = task
    return tasks


class RtApp(ToolWorkload):

    name = 'rt_app'
    aliases = ('rt-app',)
    description = """
    Runs rt-app: a real-time periodic load from a JSON description of tasks.

    The description is either the user's JSON file (``config_file``; its ``global`` section
    gets the ``duration`` given here and this job's log directory), or, without it, one
    generated from ``tasks``, ``period``, ``runtime``, ``policy`` and ``priority``: that many
    periodic threads, each running ``runtime`` microseconds of busy loop every ``period``
    microseconds. rt-app is Debian's ``rt-app`` package; it runs as root where the target is
    rooted (SCHED_FIFO/SCHED_RR need it).

    Metrics (WA3's): ``pLoad`` (ns per busy loop, from rt-app's calibration), ``calib_cpu``,
    ``error_count`` and ``crit_count`` (lines rt-app printed at those levels). From the
    per-thread logs: for each thread ``<task>-<thread index>``: ``_activations``, ``_run_avg``,
    ``_period_avg``, ``_slack_avg``, ``_slack_min``, ``_wu_lat_avg``, ``_wu_lat_max`` (us),
    ``_missed_deadlines`` (activations with negative slack); overall ``activations``,
    ``missed_deadlines``, ``slack_min`` and ``wu_lat_max``.

    Artifacts: the JSON rt-app ran (``rt-app.json``), its console output, and the directory of
    thread logs (``rt-app-logs``, read by scheduler analysis tools).
    """

    tool = 'rt-app'
    package = 'rt-app'
    run_as_root = True

    parameters = [
        Parameter('config_file', kind=str, default=None, aliases=['config'],
                  description='(WA3: ``config``) Path on the host of an rt-app JSON '
                              'description; generated from the task parameters below when '
                              'not given.'),
        Parameter('duration', kind=int, default=None, constraint=lambda value: value > 0,
                  description='Seconds rt-app runs (its global ``duration``); overrides the '
                              "config's. A generated description runs 5 s when not set."),
        Parameter('tasks', kind=int, default=1, constraint=lambda value: value > 0,
                  description='Generated description: number of periodic threads.'),
        Parameter('period', kind=int, default=10000, constraint=lambda value: value > 0,
                  description='Generated description: period of each thread, in microseconds.'),
        Parameter('runtime', kind=int, default=2000, constraint=lambda value: value > 0,
                  description='Generated description: busy time of each thread per period, in '
                              'microseconds (rt-app calibrates its loop to it).'),
        Parameter('policy', kind=str, default='SCHED_OTHER', allowed_values=POLICIES,
                  description='Generated description: scheduling policy of the threads.'),
        Parameter('priority', kind=int, default=None,
                  description='Generated description: priority (nice value for SCHED_OTHER, '
                              'real-time priority 1-99 otherwise); rt-app\'s default if unset.'),
        Parameter('calibration', kind=str, default=None,
                  description='rt-app\'s global ``calibration``: ``CPU<n>`` to measure the busy '
                              'loop on that CPU (takes several seconds), or the ns per loop '
                              'from an earlier run\'s pLoad to skip it; the config\'s own, or '
                              '``CPU0``, when not set.'),
        cpus_parameter(),
        Parameter('timeout', kind=int, default=300, constraint=lambda value: value > 0,
                  description='Seconds rt-app may run beyond ``duration`` before the job is '
                              'failed.'),
    ]

    def validate(self):
        super().validate()
        if self.config_file:
            self.config_file = os.path.abspath(os.path.expanduser(self.config_file))
            load_config(self.config_file)
        if self.runtime > self.period:
            raise ConfigError('rt_app: runtime ({} us) is longer than period ({} us)'.format(
                self.runtime, self.period))

    def description_json(self):
        """The rt-app description this job runs, as a dict."""
        if self.config_file:
            config = load_config(self.config_file)
        else:
            config = {'tasks': periodic_tasks(self.tasks, self.period, self.runtime, self.policy,
                                              self.priority, self.cpus),
                      'global': {'duration': 5, 'default_policy': self.policy,
                                 'calibration': 'CPU0', 'lock_pages': False, 'ftrace': False}}
        config.setdefault('global', {})
        if self.duration:
            config['global']['duration'] = self.duration
        if self.calibration:
            value = self.calibration
            config['global']['calibration'] = int(value) if value.isdigit() else value
        config['global']['logdir'] = self._target_path(LOG_DIRECTORY)
        config['global']['log_basename'] = LOG_BASENAME
        return config

    @property
    def json_name(self):
        return 'rt-app.json'

    def setup(self, context):
        super().setup(context)
        self.config_file_data = self.description_json()
        local = os.path.join(context.output_directory, self.json_name)
        with open(local, 'w') as fh:
            json.dump(self.config_file_data, fh, indent=2, sort_keys=True)
        context.add_artifact('rt_app_config', self.json_name, 'meta',
                             description='The JSON description rt-app ran')
        logdir = self._target_path(LOG_DIRECTORY)
        self.target.execute('rm -rf {0} && mkdir -p {0}'.format(shlex.quote(logdir)))
        self.target.push(local, self._target_path(self.json_name))

    def build_command(self, context):
        return self.pin + [self.tool_path, self._target_path(self.json_name)]

    def run_timeout(self):
        duration = self.config_file_data.get('global', {}).get('duration') or 0
        return max(int(duration), 0) + self.timeout

    def update_result(self, context):
        text = self.collect_file(context, self.output_name, 'output', 'What rt-app printed')
        add_metrics(context, parse_rt_app_console(text))
        logs = self._pull_logs(context)
        try:
            add_metrics(context, parse_rt_app_logs(logs, LOG_BASENAME))
        except ValueError as error:
            raise WorkloadError('could not read rt-app\'s logs: {}'.format(error))

    def _pull_logs(self, context):
        """Pulls every thread log into ``rt-app-logs/``; returns ``{file name: text}``."""
        remote = self._target_path(LOG_DIRECTORY)
        names = execute(self.target, 'cd {} && ls'.format(shlex.quote(remote)),
                        what='listing rt-app logs').split()
        local = os.path.join(context.output_directory, LOG_DIRECTORY)
        os.makedirs(local, exist_ok=True)
        logs = {}
        for name in names:
            if name.endswith('.log'):
                self.target.pull(self.target.path.join(remote, name), os.path.join(local, name))
                with open(os.path.join(local, name), errors='replace') as fh:
                    logs[name] = fh.read()
        context.add_artifact('rt_app_logs', LOG_DIRECTORY, 'raw',
                             description='rt-app per-thread logs')
        return logs

    def teardown(self, context):
        super().teardown(context)
        self.target.execute('rm -rf {} {}'.format(
            shlex.quote(self._target_path(LOG_DIRECTORY)),
            shlex.quote(self._target_path(self.json_name))), check_exit_code=False)

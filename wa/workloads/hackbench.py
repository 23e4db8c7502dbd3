"""hackbench: scheduler and IPC stress: groups of senders and receivers pass messages."""
import re

from wa import Parameter
from wa.utils.numbers import to_number
from wa.utils.shell import split_args
from wa.utils.tool_workload import Metric, ToolWorkload


def parse_hackbench_output(text):
    """Metrics from what hackbench (rt-tests, or the classic standalone one) prints.

    ``test_time`` (seconds, from ``Time: X``); from the header, when hackbench prints it
    (``Running in process mode with G groups using F file descriptors each (== T tasks)`` and
    ``Each sender will pass L messages of S bytes``): ``total_groups``, ``total_fd`` (senders
    and receivers of all groups), ``total_tasks``, ``total_messages`` (every sender to every
    receiver of its group) and ``total_bytes``. Classified with ``mode`` (process/threaded).
    """
    time_match = re.search(r'^Time:\s*([0-9]+(?:\.[0-9]+)?)', text, re.M)
    if not time_match:
        raise ValueError('no "Time:" line in the hackbench output')
    metrics = [Metric('test_time', to_number(time_match.group(1)), 'seconds', True)]
    setup = re.search(r'with (\d+) groups? using (\d+) file descriptors each \(== (\d+) tasks\)',
                      text)
    messages = re.search(r'Each sender will pass (\d+) messages of (\d+) bytes', text)
    if setup:
        # "file descriptors each" counts a group's senders and receivers together.
        groups, fds_per_group, tasks = (int(value) for value in setup.groups())
        metrics += [Metric('total_groups', groups, 'groups'),
                    Metric('total_fd', fds_per_group * groups, 'fds'),
                    Metric('total_tasks', tasks, 'tasks')]
        if messages:
            loops, size = (int(value) for value in messages.groups())
            # Each of a group's senders sends ``loops`` messages to each of its receivers.
            senders = fds_per_group // 2
            total = groups * senders * senders * loops
            metrics += [Metric('total_messages', total, 'messages'),
                        Metric('total_bytes', total * size, 'bytes')]
    mode = re.search(r'Running in (\w+) mode', text)
    if mode:
        metrics = [metric._replace(classifiers={'mode': mode.group(1)}) for metric in metrics]
    return metrics


class Hackbench(ToolWorkload):

    name = 'hackbench'
    description = """
    Stresses the scheduler with hackbench: groups of tasks passing messages.

    Each group has ``fds`` senders and ``fds`` receivers; every sender sends ``loops`` messages
    of ``datasize`` bytes to every receiver in its group, through sockets (or pipes). Runs the
    rt-tests hackbench (Debian package ``rt-tests``) on the target.

    Metrics: ``test_time`` (seconds, the time hackbench reports), and ``total_groups``,
    ``total_fd``, ``total_tasks``, ``total_messages``, ``total_bytes`` describing the work.

    hackbench's output is saved in the job's directory.
    """

    tool = 'hackbench'
    package = 'rt-tests'
    artifact_aliases = {'output': 'hackbench-results'}  # WA3's name

    parameters = [
        Parameter('groups', kind=int, default=10, constraint=lambda value: value > 0,
                  description='Number of groups of senders and receivers.'),
        Parameter('loops', kind=int, default=100, constraint=lambda value: value > 0,
                  description='Messages each sender sends to each receiver.'),
        Parameter('datasize', kind=int, default=100, constraint=lambda value: value > 0,
                  description='Size of a message in bytes.'),
        Parameter('fds', kind=int, default=40, constraint=lambda value: value > 0,
                  description='Senders (and receivers) per group.'),
        Parameter('threads', kind=bool, default=False,
                  description='Use POSIX threads (``-T``) instead of processes (``-P``).'),
        Parameter('pipe', kind=bool, default=False,
                  description='Pass messages through pipes instead of sockets (``-p``).'),
        Parameter('extra_params', kind=str, default='',
                  description='More hackbench options, as one string.'),
        Parameter('timeout', kind=int, default=30, constraint=lambda value: value > 0,
                  description='Seconds hackbench may run before the job is failed.'),
    ]

    argument_parameters = ('extra_params',)

    def build_command(self, context):
        args = [self.tool_path, '--groups', self.groups, '--loops', self.loops,
                '--datasize', self.datasize, '--fds', self.fds,
                '--threads' if self.threads else '--process']
        if self.pipe:
            args.append('--pipe')
        return args + split_args(self.extra_params)

    def run_timeout(self):
        return self.timeout

    def parse(self, text):
        return parse_hackbench_output(text)

"""iperf3: network throughput between a client on the target and an iperf3 server."""
import json
import os

from wa import Parameter
from wa.workloads._server import TargetServer
from wa.utils.shell import split_args
from wa.utils.tool_workload import cpus_parameter, Metric, ToolWorkload

PROTOCOLS = ['tcp', 'udp']
LOOPBACK = '127.0.0.1'


def _json_document(text):
    """The JSON object iperf3 -J printed (anything before its opening brace is skipped)."""
    start = text.find('{')
    if start < 0:
        raise ValueError('iperf3 printed no JSON: {}'.format(' '.join(text.split())[:300]))
    return json.loads(text[start:])


def parse_iperf3_json(text):
    """Metrics from ``iperf3 --json`` (iperf 3.x): its ``end`` section.

    TCP: ``throughput_sent`` and ``throughput_received`` (Mbit/s), ``bytes_sent``,
    ``bytes_received`` and ``retransmits`` (sender side). UDP: ``throughput`` (Mbit/s),
    ``jitter`` (ms), ``lost_packets``, ``lost_percent`` and ``packets``. Both:
    ``cpu_utilization_host`` and ``cpu_utilization_remote`` (percent). A run iperf3 reports as
    failed (its ``error`` key) raises ValueError with iperf3's message.
    """
    document = _json_document(text)
    if document.get('error'):
        raise ValueError('iperf3: {}'.format(document['error']))
    end = document.get('end') or {}
    metrics = []
    if 'sum' in end:        # UDP
        summary = end['sum']
        metrics += [Metric('throughput', round(summary['bits_per_second'] / 1e6, 3), 'Mbit/s'),
                    Metric('jitter', round(summary.get('jitter_ms', 0.0), 4), 'ms', True),
                    Metric('lost_packets', summary.get('lost_packets', 0), 'count', True),
                    Metric('lost_percent', summary.get('lost_percent', 0), 'percent', True),
                    Metric('packets', summary.get('packets', 0), 'count')]
    elif 'sum_sent' in end:
        sent, received = end['sum_sent'], end.get('sum_received', {})
        metrics += [Metric('throughput_sent', round(sent['bits_per_second'] / 1e6, 3),
                           'Mbit/s'),
                    Metric('bytes_sent', sent.get('bytes', 0), 'bytes')]
        if received:
            metrics += [Metric('throughput_received',
                               round(received['bits_per_second'] / 1e6, 3), 'Mbit/s'),
                        Metric('bytes_received', received.get('bytes', 0), 'bytes')]
        if 'retransmits' in sent:
            metrics.append(Metric('retransmits', sent['retransmits'], 'count', True))
    else:
        raise ValueError('no "end" summary in iperf3\'s JSON output')
    cpu = end.get('cpu_utilization_percent') or {}
    for key, name in (('host_total', 'cpu_utilization_host'),
                      ('remote_total', 'cpu_utilization_remote')):
        if key in cpu:
            metrics.append(Metric(name, round(cpu[key], 2), 'percent', True))
    return metrics


class Iperf3(ToolWorkload):

    name = 'iperf3'
    description = """
    Measures network throughput with iperf3 (Debian package ``iperf3``).

    The client runs on the target. By default the server runs there too, started for the job
    (``iperf3 -s -1`` listening on ``127.0.0.1:<port>``) and stopped after it, so the
    loopback path is measured; give ``server`` to measure against an iperf3 server that is
    already running elsewhere (then none is started).

    Metrics, from ``iperf3 --json``: TCP: ``throughput_sent`` and ``throughput_received``
    (Mbit/s), ``bytes_sent``, ``bytes_received``, ``retransmits``; UDP: ``throughput``
    (Mbit/s), ``jitter`` (ms), ``lost_packets``, ``lost_percent``, ``packets``; both:
    ``cpu_utilization_host`` and ``cpu_utilization_remote`` (percent). The JSON output is
    saved in the job's directory, and the server's log with it.
    """

    tool = 'iperf3'
    package = 'iperf3'

    parameters = [
        Parameter('server', kind=str, default=None,
                  description='Host name or address of an iperf3 server to measure against; '
                              'when not set, one is started on the target (loopback).'),
        Parameter('port', kind=int, default=5201, constraint=lambda value: 0 < value < 65536,
                  description='TCP port of the server.'),
        Parameter('protocol', kind=str, default='tcp', allowed_values=PROTOCOLS,
                  description='tcp, or udp (for jitter and packet loss).'),
        Parameter('duration', kind=int, default=10, aliases=['time'],
                  constraint=lambda value: value > 0,
                  description='Seconds the client sends for (iperf3 ``-t``).'),
        Parameter('parallel', kind=int, default=1, constraint=lambda value: value > 0,
                  description='Parallel streams (iperf3 ``-P``).'),
        Parameter('bandwidth', kind=str, default=None,
                  description='Target bitrate (iperf3 ``-b``, e.g. ``100M``); iperf3 sends UDP '
                              'at 1 Mbit/s and TCP unlimited when not set.'),
        Parameter('reverse', kind=bool, default=False,
                  description='The server sends and the client receives (iperf3 ``-R``).'),
        Parameter('extra_args', kind=str, default='',
                  description='More iperf3 client options, as one string.'),
        cpus_parameter(),
    ]

    argument_parameters = ('extra_args',)

    def setup(self, context):
        super().setup(context)
        self.server_process = None
        if not self.server:
            self.server_process = TargetServer(
                self.target, 'iperf3-server',
                [self.tool_path, '-s', '-1', '-B', LOOPBACK, '-p', self.port], self.port,
                self.target_dir)
            self.server_process.start()

    def build_command(self, context):
        args = self.pin + [self.tool_path, '-c', self.server or LOOPBACK, '-p', self.port,
                           '-t', self.duration, '-P', self.parallel, '--json']
        if self.protocol == 'udp':
            args.append('-u')
        if self.bandwidth:
            args += ['-b', self.bandwidth]
        if self.reverse:
            args.append('-R')
        return args + split_args(self.extra_args)

    def run_timeout(self):
        return self.duration + 60

    def parse(self, text):
        return parse_iperf3_json(text)

    def update_result(self, context):
        try:
            super().update_result(context)
        finally:
            self._keep_server_log(context)

    def _keep_server_log(self, context):
        if self.server_process is None:
            return
        path = 'iperf3-server.log'
        with open(os.path.join(context.output_directory, path), 'w') as fh:
            fh.write(self.server_process.log())
        context.add_artifact('iperf3_server_log', path, 'log',
                             description='What the iperf3 server printed')

    def teardown(self, context):
        if self.server_process is not None:
            self.server_process.stop()
        super().teardown(context)

"""apache: ApacheBench (``ab``) against an Apache server started on the target for the job."""
import os
import re
import shlex

from wa import NotSupportedError, Parameter
from wa.workloads._server import TargetServer
from wa.utils.tool_workload import Metric, ToolWorkload
from wa.utils.tools import execute, missing_tool_message, which

MODULES_DIRECTORY = '/usr/lib/apache2/modules'
MODULES = ['mpm_event', 'authz_core', 'dir', 'mime']
LOOPBACK = '127.0.0.1'

_NUMBER = r'([0-9]+(?:\.[0-9]+)?)'
# (label in ab's report, metric name, units, lower_is_better)
_VALUES = [
    ('Complete requests', 'complete_requests', 'count', False),
    ('Failed requests', 'failed_requests', 'count', True),
    ('Requests per second', 'requests_per_second', 'requests/s', False),
    ('Time per request', 'time_per_request', 'ms', True),
    ('Transfer rate', 'transfer_rate', 'KB/s', False),
]


def parse_ab_output(text):
    """Metrics from ApacheBench's report (``ab`` 2.3, apache2-utils).

    ``requests_per_second``, ``time_per_request`` (ms, the first, per-client, line),
    ``transfer_rate`` (KB/s), ``complete_requests``, ``failed_requests`` and WA3's
    ``failed_request`` (percent of the requests), ``request_<P>percentile`` (ms) for each line
    of the "Percentage of the requests served within a certain time" table, and
    ``longest_request`` (ms, its 100% line).
    """
    metrics = []
    values = {}
    for label, name, units, lower in _VALUES:
        match = re.search(r'^{}:\s*{}'.format(re.escape(label), _NUMBER), text, re.M)
        if match:
            value = float(match.group(1)) if '.' in match.group(1) else int(match.group(1))
            values[name] = value
            metrics.append(Metric(name, value, units, lower))
    if 'requests_per_second' not in values:
        raise ValueError('no "Requests per second" in the ab output')
    if values.get('complete_requests'):
        metrics.append(Metric('failed_request', round(100.0 * values.get('failed_requests', 0) /
                                                      values['complete_requests'], 3),
                              'percent', True))
    for percent, millis in re.findall(r'^\s*(\d+)%\s+(\d+)', text, re.M):
        name = 'longest_request' if percent == '100' else 'request_{}percentile'.format(percent)
        metrics.append(Metric(name, int(millis), 'ms', True))
    return metrics


def httpd_conf(root, port):
    """A minimal apache2 configuration serving ``root``/www on 127.0.0.1:``port``, with its
    pid, logs and everything else under ``root``, so that apache2 runs as any user."""
    modules = '\n'.join('LoadModule {0}_module {1}/mod_{0}.so'.format(name, MODULES_DIRECTORY)
                        for name in MODULES)
    return ('ServerRoot "{root}"\nServerName localhost\nListen {host}:{port}\n{modules}\n'
            'TypesConfig /etc/mime.types\nPidFile "{root}/httpd.pid"\n'
            'ErrorLog "{root}/error.log"\nDocumentRoot "{root}/www"\n'
            'DirectoryIndex index.html\nKeepAlive On\nMaxKeepAliveRequests 0\n'
            '<Directory "{root}/www">\n    Require all granted\n</Directory>\n').format(
                root=root, host=LOOPBACK, port=port, modules=modules)


class Apache(ToolWorkload):

    name = 'apache'
    aliases = ('ab',)
    description = """
    Measures a web server with ApacheBench (``ab -k -c N -n TOTAL``).

    By default the Apache HTTP server (Debian package ``apache2``) is started on the target
    for the job, listening on 127.0.0.1:``port`` with a minimal configuration of its own (four
    modules, its files in a temporary directory), serving one page of ``document_size``
    bytes, and stopped after the job. Apache runs fine as an unprivileged user that way, so the
    real Apache is measured (as WA3's apache workload does) rather than a stand-in server.
    Give ``host`` to measure a server that already runs instead (none is started then). ``ab``
    (Debian package ``apache2-utils``) runs on the target.

    Metrics (WA3's names): ``requests_per_second``, ``time_per_request`` (ms),
    ``transfer_rate`` (KB/s), ``failed_request`` (percent), ``request_<P>percentile`` (ms,
    50 to 99), ``longest_request`` (ms); also ``complete_requests`` and ``failed_requests``.
    ab's report and Apache's error log are saved in the job's directory.
    """

    tool = 'ab'
    package = 'apache2-utils'

    parameters = [
        Parameter('port', kind=int, default=8080, constraint=lambda value: 0 < value < 65536,
                  description='TCP port of the server (WA3 used 80, which only root may '
                              'listen on).'),
        Parameter('path', kind=str, default='/',
                  constraint=lambda value: value.startswith('/'),
                  description='Path requested from the server.'),
        Parameter('parallel_requests', kind=int, default=350,
                  constraint=lambda value: value > 0,
                  description='Requests in flight at once (ab ``-c``).'),
        Parameter('total_requests', kind=int, default=100000,
                  constraint=lambda value: value > 0,
                  description='Requests made in all (ab ``-n``).'),
        Parameter('host', kind=str, default=None,
                  description='Host of an already running server to measure; when not set, '
                              'Apache is started on the target for the job.'),
        Parameter('document_size', kind=int, default=4096, constraint=lambda value: value >= 0,
                  description='Size in bytes of the page the started Apache serves.'),
        Parameter('timeout', kind=int, default=300, constraint=lambda value: value > 0,
                  description='Seconds ab may run before the job is failed.'),
    ]

    def validate(self):
        super().validate()
        if self.parallel_requests > self.total_requests:
            self.parallel_requests = self.total_requests

    def initialize(self, context):
        super().initialize(context)
        self.apache_path = None
        if not self.host:
            # apache2 is in /usr/sbin, which an unprivileged user's PATH lacks.
            self.apache_path = which(self.target, 'apache2')
            if not self.apache_path and self.target.file_exists('/usr/sbin/apache2'):
                self.apache_path = '/usr/sbin/apache2'
            if not self.apache_path or not self.target.file_exists(
                    self.target.path.join(MODULES_DIRECTORY, 'mod_mpm_event.so')):
                raise NotSupportedError(missing_tool_message('apache2', 'apache2'))

    def setup(self, context):
        super().setup(context)
        self.server = None
        self.server_root = None
        if self.host:
            return
        self.server_root = execute(self.target, 'mktemp -d /tmp/wa-apache.XXXXXX',
                                   what='mktemp').strip()
        local = os.path.join(context.output_directory, 'httpd.conf')
        with open(local, 'w') as fh:
            fh.write(httpd_conf(self.server_root, self.port))
        conf = self.target.path.join(self.server_root, 'httpd.conf')
        self.target.push(local, conf)
        os.remove(local)
        www = self.target.path.join(self.server_root, 'www')
        execute(self.target, 'chmod 755 {0} && mkdir -p {1} && head -c {2} /dev/zero | '
                'tr "\\0" x > {1}/index.html && chmod -R a+rX {1}'.format(
                    shlex.quote(self.server_root), shlex.quote(www), int(self.document_size)),
                what='preparing the document root')
        self.server = TargetServer(self.target, 'apache2', [self.apache_path, '-f', conf,
                                                            '-DFOREGROUND'],
                                   self.port, self.server_root)
        self.server.start()

    def build_command(self, context):
        url = 'http://{}:{}{}'.format(self.host or LOOPBACK, self.port, self.path)
        return [self.tool_path, '-k', '-c', self.parallel_requests, '-n', self.total_requests,
                url]

    def run_timeout(self):
        return self.timeout

    def parse(self, text):
        return parse_ab_output(text)

    def update_result(self, context):
        try:
            super().update_result(context)
        finally:
            if self.server is not None:
                log = execute(self.target, 'cat {} 2>/dev/null; true'.format(shlex.quote(
                    self.target.path.join(self.server_root, 'error.log'))), what='cat')
                with open(os.path.join(context.output_directory, 'apache-error.log'),
                          'w') as fh:
                    fh.write(log)
                context.add_artifact('apache_error_log', 'apache-error.log', 'log',
                                     description="Apache's error log")

    def teardown(self, context):
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.server_root:
            self.target.execute('rm -rf {}'.format(shlex.quote(self.server_root)),
                                check_exit_code=False)
        super().teardown(context)

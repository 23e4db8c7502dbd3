"""A LAVA server's XML-RPC API (``/RPC2``), through the standard ``xmlrpc.client``.

LAVA authenticates an API call with HTTP basic authentication of ``username:token``. The token
goes only into that header: never into the URL (which xmlrpc.client puts in its error
messages), a log line or a file.

Calls used (LAVA 2023.01 and later): ``scheduler.jobs.submit``, ``scheduler.jobs.show``,
``scheduler.jobs.definition``, ``scheduler.devices.show``, ``results.get_testjob_results_yaml``.
"""
import base64
import os
import xmlrpc.client
from urllib.parse import urlsplit, urlunsplit

import yaml

from wa.core.exceptions import ConfigError, WAError


class _AuthMixin:
    """Adds the Authorization header to every request."""

    authorization = None

    def send_headers(self, connection, headers):
        connection.putheader('Authorization', self.authorization)
        super().send_headers(connection, headers)


class _Transport(_AuthMixin, xmlrpc.client.Transport):
    pass


class _SafeTransport(_AuthMixin, xmlrpc.client.SafeTransport):
    pass


def read_token(token=None, token_file=None):
    """The API token: ``token``, else the first line of ``token_file``, else $LAVA_TOKEN."""
    if token:
        return token.strip()
    if token_file:
        try:
            with open(token_file) as fh:
                return fh.readline().strip()
        except OSError as error:
            raise ConfigError('Cannot read the LAVA token file "{}": {}'.format(
                token_file, error.strerror))
    return os.environ.get('LAVA_TOKEN', '').strip() or None


def split_url(url):
    """(URL without user info, username, password) of a server URL such as
    ``http://user:token@host/RPC2``; ``/RPC2`` is added when the URL has no path."""
    parts = urlsplit(url)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ConfigError('--server "{}": expected http(s)://HOST[:PORT]/RPC2'.format(
            parts._replace(netloc=parts.hostname or '').geturl()))
    netloc = parts.hostname + (':{}'.format(parts.port) if parts.port else '')
    clean = urlunsplit((parts.scheme, netloc, parts.path or '/RPC2', '', ''))
    return clean, parts.username, parts.password


class LavaServer:
    """One LAVA server. ``url`` may carry ``user:token@``; ``username``/``token`` win."""

    def __init__(self, url, username=None, token=None):
        self.url, url_user, url_token = split_url(url)
        username, token = username or url_user, token or url_token
        transport = (_SafeTransport if self.url.startswith('https') else _Transport)()
        if username and token:
            pair = '{}:{}'.format(username, token).encode()
            transport.authorization = 'Basic ' + base64.b64encode(pair).decode()
        elif username or token:
            raise ConfigError('LAVA needs both a username and a token (or neither, for public '
                              'read-only calls)')
        self._proxy = xmlrpc.client.ServerProxy(self.url, transport=transport, allow_none=True)

    def call(self, method, *params):
        """The result of API ``method``; WAError naming the server on any failure."""
        function = self._proxy
        for part in method.split('.'):
            function = getattr(function, part)
        try:
            return function(*params)
        except xmlrpc.client.Fault as fault:
            raise WAError('LAVA {} at {}: {}'.format(method, self.url, fault.faultString))
        except xmlrpc.client.ProtocolError as error:
            raise WAError('LAVA {} at {}: HTTP {} {}'.format(method, self.url, error.errcode,
                                                            error.errmsg))
        except OSError as error:
            raise WAError('Cannot reach the LAVA server {}: {}'.format(self.url, error))

    def submit(self, definition):
        """Submits a job definition (YAML text); returns the job id(s) as a list of ints."""
        ids = self.call('scheduler.jobs.submit', definition)
        return [int(i) for i in (ids if isinstance(ids, list) else [ids])]

    def show(self, job_id):
        """The job's details: ``state`` (Submitted, Scheduled, Running, Finished...),
        ``health`` (Unknown, Complete, Incomplete, Canceled), ``device``, ``failure_comment``."""
        return self.call('scheduler.jobs.show', int(job_id))

    def definition(self, job_id):
        """The job definition as submitted, parsed."""
        return yaml.safe_load(self.call('scheduler.jobs.definition', int(job_id)))

    def device(self, hostname):
        return self.call('scheduler.devices.show', hostname)

    def results(self, job_id):
        """The job's test cases: dicts with suite, name, result, measurement (a Decimal
        string or None), unit and metadata."""
        return yaml.safe_load(self.call('results.get_testjob_results_yaml', int(job_id))) or []

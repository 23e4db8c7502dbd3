"""``device_config: timeout`` reaches every wait of an SSH connect (b01): devlib passes it to
paramiko as the TCP timeout only, the banner and login waits are lengthened by WA."""
import socket
import threading

import paramiko
import pytest

from wa.core.exceptions import TargetError
from wa.core.plugin import create
from wa.target.connection import LinuxTarget, TargetConnection


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never sends an SSH banner."""
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(4)
    accepted = []
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_timeout_reaches_paramiko_banner_and_login_waits(monkeypatch, silent_server):
    seen = {}
    original = paramiko.SSHClient.connect

    def recording_connect(client, *args, **kwargs):
        seen.update(kwargs)
        kwargs['banner_timeout'] = 0.2   # keep the test short: the server never answers
        return original(client, *args, **kwargs)

    monkeypatch.setattr(paramiko.SSHClient, 'connect', recording_connect)
    target = create(LinuxTarget, {'host': '127.0.0.1', 'port': silent_server,
                                  'username': 'tester', 'password': 'x', 'timeout': 45})
    with pytest.raises(TargetError):
        TargetConnection(target).connect()
    assert seen['timeout'] == 45
    assert seen['banner_timeout'] == 45 and seen['auth_timeout'] == 45
    assert paramiko.SSHClient.connect is recording_connect   # restored after the connect


def test_without_timeout_paramiko_defaults_stay(monkeypatch, silent_server):
    seen = {}
    original = paramiko.SSHClient.connect

    def recording_connect(client, *args, **kwargs):
        seen.update(kwargs)
        return original(client, *args, **dict(kwargs, banner_timeout=0.2))

    monkeypatch.setattr(paramiko.SSHClient, 'connect', recording_connect)
    target = create(LinuxTarget, {'host': '127.0.0.1', 'port': silent_server,
                                  'username': 'tester', 'password': 'x'})
    with pytest.raises(TargetError):
        TargetConnection(target).connect()
    assert 'banner_timeout' not in seen

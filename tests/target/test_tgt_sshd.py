"""The test SSH server (tests/sshd.py) against devlib's LinuxTarget.

Also pins down what devlib 1.3 does when the SSH server goes away, which the runner's
reconnect logic relies on:

- server stopped, then any call on the old connection: devlib TargetTransientError
  ("SSH logic error: SSH session not active"), at once; check_responsive() raises
  TargetNotRespondingError (or returns False with explode=False).
- server stopped while a command runs: TargetStableCalledProcessError with returncode -1
  (shown as "died with SIGHUP"), at once.
- connecting while the server is down: TargetNotRespondingError ("Connection lost: Unable to
  connect to port ..."), at once (connection refused).
- the old connection never heals: after the server is back, connect() again (or
  ``target.conn = target.get_connection()``).
- server hung (SIGSTOP): connect() fails with TargetTransientError ("No existing session")
  after the connection timeout (connect(timeout=...), 10 s by default); check_responsive()
  gives up after its own 5 s. A command already running on a hung connection never returns:
  SshConnection.execute's timeout only bounds opening the channel, not the command.
- a 'timeout' key in connection_settings makes Target.connect() fail with a TypeError
  (get_connection passes timeout= itself): give it to connect(timeout=...) instead.
"""
import os
import sys
import threading
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from sshd import SshServer, free_port, sshd_available, ssh_server  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.skipif(not sshd_available(), reason='needs openssh-server and openssh-client')


@pytest.fixture
def server(tmp_path):
    yield from ssh_server(tmp_path)


def linux_target(server, **extra):
    from devlib import LinuxTarget
    settings = dict(server.connection_settings(), **extra)
    return LinuxTarget(connection_settings=settings, connect=False)


def connected(server, **extra):
    target = linux_target(server, **extra)
    target.connect()
    return target


def test_server_files_and_restart(tmp_path):
    server = SshServer(tmp_path)
    assert server.username
    server.start()
    try:
        assert server.running
        port, pid = server.port, server.process.pid
        assert os.path.exists(server.keyfile) and os.path.exists(server.keyfile + '.pub')
        with open(server.config) as fh:
            config = fh.read()
        for line in ('PermitRootLogin yes', 'StrictModes no', 'UsePAM no',
                     'ListenAddress 127.0.0.1', 'Port {}'.format(port)):
            assert line in config
        assert server.wait_ready(2)
        server.stop()
        assert not server.running
        assert not os.path.exists('/proc/{}'.format(pid)) or _is_zombie_free(pid)
        server.stop()  # twice is fine
        server.start()
        assert server.port == port
        assert server.wait_ready(2)
    finally:
        server.close()
    assert server.process is None


def _is_zombie_free(pid):
    try:
        with open('/proc/{}/stat'.format(pid)) as fh:
            return fh.read().split()[2] != 'Z'
    except OSError:
        return True


def test_free_port_is_free():
    import socket
    port = free_port()
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', port))


def test_only_the_generated_key_is_accepted(server, tmp_path):
    from devlib.exception import TargetStableError
    import subprocess
    other = str(tmp_path / 'other_key')
    subprocess.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', other], check=True)
    with pytest.raises(TargetStableError, match='authenticate'):
        connected(server, keyfile=other)


def test_connect_drop_and_reconnect(server):
    from devlib.exception import TargetError, TargetNotRespondingError, TargetTransientError
    target = connected(server)
    assert target.execute('echo hi').strip() == 'hi'
    assert target.execute('id -un').strip() == server.username
    # push/pull go over SFTP
    target.write_value(target.path.join(target.working_directory, 'probe'), 'x y')
    assert target.read_value(target.path.join(target.working_directory, 'probe')) == 'x y'

    server.stop()
    start = time.time()
    # Usually devlib's TargetTransientError; when the drop races with opening the channel,
    # paramiko's bare EOFError comes through unwrapped (the runner checks the target then).
    with pytest.raises((TargetError, EOFError)) as info:
        target.execute('echo hi')
    elapsed = time.time() - start
    assert isinstance(info.value, (TargetTransientError, EOFError)), type(info.value)
    assert elapsed < 5
    assert target.check_responsive(explode=False) is False
    with pytest.raises(TargetNotRespondingError):
        target.check_responsive()

    # While the server is down, connecting is refused at once.
    start = time.time()
    with pytest.raises(TargetNotRespondingError, match='Connection lost'):
        target.connect()
    assert time.time() - start < 5

    server.start()
    # The old connection does not heal by itself...
    with pytest.raises(TargetTransientError):
        target.execute('echo hi')
    # ...a new one does.
    target.connect()
    assert target.execute('echo again').strip() == 'again'
    target.disconnect()


def test_drop_in_the_middle_of_a_command(server):
    from devlib.exception import TargetCalledProcessError, TargetNotRespondingError
    target = connected(server)
    timer = threading.Timer(1.0, server.stop)
    timer.start()
    start = time.time()
    try:
        with pytest.raises(TargetCalledProcessError) as info:
            target.execute('sleep 30; echo done')
    finally:
        timer.join()
    assert info.value.returncode == -1
    assert time.time() - start < 10
    # By the time the session drops, the listener is gone: an immediate reconnect is refused
    # cleanly (not accepted and then reset half-way through the SSH banner).
    with pytest.raises(TargetNotRespondingError, match='Unable to connect'):
        target.get_connection()
    assert target.check_responsive(explode=False) is False
    server.start()
    # A cheaper reconnect than connect(): a fresh connection object for this thread.
    target.conn = target.get_connection()
    assert target.execute('echo back').strip() == 'back'


def test_server_never_comes_back(server):
    from devlib.exception import TargetNotRespondingError
    target = connected(server)
    server.stop()
    start = time.time()
    for _ in range(3):
        with pytest.raises(TargetNotRespondingError):
            target.connect()
    assert time.time() - start < 10


def test_hung_server_times_out(server):
    from devlib.exception import TargetTransientError
    target = connected(server)
    server.freeze()
    try:
        start = time.time()
        assert target.check_responsive(explode=False) is False
        assert time.time() - start < 15
        start = time.time()
        # (A 'timeout' in connection_settings clashes with the one Target.get_connection
        # passes itself -- TypeError in devlib 1.3 -- so it goes to connect().)
        with pytest.raises(TargetTransientError):
            linux_target(server).connect(timeout=3)
        assert time.time() - start < 15
    finally:
        server.thaw()
    # Thawed, the very same connection carries on.
    assert target.execute('echo alive', timeout=10).strip() == 'alive'


def test_local_runtime_params_over_ssh(server, tmp_path):
    """RuntimeParams over a real SSH connection: sysfile_values applied and restored."""
    from wa.target.runtime_params import RuntimeParams
    if os.geteuid() != 0:
        pytest.skip('needs root on the target (the SSH user is the current user)')
    path = str(tmp_path / 'value')
    with open(path, 'w') as fh:
        fh.write('before')
    target = connected(server)
    rp = RuntimeParams(target)
    params = {'sysfile_values': {path: "it's $HOME"}}
    rp.validate(params)
    rp.apply(params)
    with open(path) as fh:
        assert fh.read() == "it's $HOME"
    rp.restore()
    with open(path) as fh:
        assert fh.read() == 'before'

"""A throw-away OpenSSH server on 127.0.0.1 for tests that need a real ``device: linux`` target.

The server runs as the current user (root included: root login is allowed) on a free port,
with a host key and a client key generated in its own directory. Only that client key is
authorised, for the current user. The server can be stopped -- which also ends the sessions
it serves, as when a board drops off the network -- and started again on the same port.

    server = SshServer(tmpdir)
    server.start()
    settings = server.connection_settings()   # host, port, username, keyfile, strict_host_check
    ...
    server.stop()      # connections drop; new ones are refused
    server.start()     # same port, same keys
    server.close()     # stop and forget

``freeze()``/``thaw()`` instead suspend the server and its sessions (SIGSTOP/SIGCONT), so that
the target stops answering without the connection being refused: a hung board.

Needs Debian's ``openssh-server`` (``/usr/sbin/sshd``) and ``openssh-client`` (``ssh-keygen``).
As root, sshd also needs its privilege separation directory ``/run/sshd``, which is created
when it is missing.
"""
import atexit
import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref

SSHD_CANDIDATES = ('/usr/sbin/sshd', '/usr/local/sbin/sshd', '/sbin/sshd')

_live_servers = weakref.WeakSet()


@atexit.register
def _stop_leftovers():
    """A test that forgot to stop its server must not leave an sshd behind."""
    for server in list(_live_servers):
        try:
            server.stop()
        except Exception:  # pylint: disable=broad-except
            pass


def find_sshd():
    """Path of the sshd binary, or None."""
    for path in SSHD_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return shutil.which('sshd')


def sshd_available():
    """True when an SSH server can be started here (sshd and ssh-keygen are installed)."""
    return bool(find_sshd() and shutil.which('ssh-keygen'))


def free_port(host='127.0.0.1'):
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _children(pid):
    """Every descendant of ``pid`` (read from /proc), as lists by depth: children first."""
    parents = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/{}/stat'.format(entry)) as fh:
                stat = fh.read()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after it.
        fields = stat[stat.rfind(')') + 2:].split()
        parents.setdefault(int(fields[1]), []).append(int(entry))
    levels, level = [], [pid]
    while True:
        level = [child for parent in level for child in parents.get(parent, [])]
        if not level:
            return levels
        levels.append(level)


def _descendants(pid):
    return [p for level in _children(pid) for p in level]


def _kill_and_wait(pids, timeout=2.0):
    """SIGKILL ``pids`` and wait (briefly) until they are gone."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.time() + timeout
    while time.time() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.02)


def _alive(pid):
    """True while ``pid`` runs (a zombie, waiting for its new parent to reap it, is dead)."""
    try:
        with open('/proc/{}/stat'.format(pid)) as fh:
            stat = fh.read()
    except OSError:
        return False
    return stat[stat.rfind(')') + 2:].split()[0] != 'Z'


class SshServer(object):
    """An sshd on 127.0.0.1 with its own keys, in ``tmpdir`` (which must exist)."""

    host = '127.0.0.1'

    def __init__(self, tmpdir, port=None):
        self.dir = os.path.join(str(tmpdir), 'sshd')
        os.makedirs(self.dir, exist_ok=True)
        self.port = port or free_port(self.host)
        self.username = getpass.getuser()
        self.sshd = find_sshd()
        self.keyfile = os.path.join(self.dir, 'client_key')
        self.host_key = os.path.join(self.dir, 'host_key')
        self.config = os.path.join(self.dir, 'sshd_config')
        self.pidfile = os.path.join(self.dir, 'sshd.pid')
        self.logfile = os.path.join(self.dir, 'sshd.log')
        self.process = None
        self._sessions = []
        self._prepared = False
        self._lock = threading.RLock()

    # --------------------------------------------------------------- setup

    def _keygen(self, path, comment):
        if not os.path.exists(path):
            subprocess.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def _prepare(self):
        if self._prepared:
            return
        if not self.sshd:
            raise RuntimeError('sshd is not installed (Debian package openssh-server)')
        if not shutil.which('ssh-keygen'):
            raise RuntimeError('ssh-keygen is not installed (Debian package openssh-client)')
        self._keygen(self.host_key, 'wa-test-host')
        self._keygen(self.keyfile, 'wa-test-client')
        shutil.copyfile(self.keyfile + '.pub', os.path.join(self.dir, 'authorized_keys'))
        if os.geteuid() == 0 and not os.path.isdir('/run/sshd'):
            # Debian's sshd refuses to start as root without its privilege separation directory.
            os.makedirs('/run/sshd', mode=0o755, exist_ok=True)
        lines = [
            'Port {}'.format(self.port),
            'ListenAddress {}'.format(self.host),
            'HostKey {}'.format(self.host_key),
            'PidFile {}'.format(self.pidfile),
            'AuthorizedKeysFile {}'.format(os.path.join(self.dir, 'authorized_keys')),
            'AllowUsers {}'.format(self.username),
            'PermitRootLogin yes',
            'PubkeyAuthentication yes',
            'PasswordAuthentication no',
            'KbdInteractiveAuthentication no',
            'ChallengeResponseAuthentication no',
            'StrictModes no',
            'UsePAM no',
            'PrintMotd no',
            'PrintLastLog no',
            'UseDNS no',
            'X11Forwarding no',
            'MaxSessions 50',
            'MaxStartups 50',
            # devlib transfers files over SFTP; the built-in server needs no helper binary.
            'Subsystem sftp internal-sftp',
            'LogLevel VERBOSE',
        ]
        with open(self.config, 'w') as fh:
            fh.write('\n'.join(lines) + '\n')
        os.chmod(self.keyfile, 0o600)
        os.chmod(self.host_key, 0o600)
        check = subprocess.run([self.sshd, '-t', '-f', self.config], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, universal_newlines=True)
        if check.returncode:
            raise RuntimeError('sshd rejected its configuration: {}'.format(check.stdout.strip()))
        self._prepared = True

    # --------------------------------------------------------------- life cycle

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def start(self, timeout=10):
        """Start the server (on the same port as before) and wait until it accepts connections."""
        with self._lock:
            if self.running:
                return self
            self._prepare()
            log = open(self.logfile, 'a')
            try:
                # -D: stay in the foreground, so that self.process is the listener itself;
                # -e: log to stderr (our log file).
                self.process = subprocess.Popen([self.sshd, '-D', '-e', '-f', self.config],
                                                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                                start_new_session=True)
            finally:
                log.close()
            _live_servers.add(self)
            try:
                self.wait_ready(timeout)
            except Exception:
                self.stop()
                raise
            return self

    def wait_ready(self, timeout=10):
        """Wait until the server answers with an SSH banner; RuntimeError after ``timeout`` s."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError('sshd exited with status {}: {}'.format(
                    self.process.returncode, self.log_tail()))
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as sock:
                    sock.settimeout(2)
                    if sock.recv(64).startswith(b'SSH-'):
                        return True
            except OSError as exc:
                last = exc
            time.sleep(0.05)
        raise RuntimeError('sshd on {}:{} not ready after {} s ({}): {}'.format(
            self.host, self.port, timeout, last, self.log_tail()))

    def stop(self, timeout=10):
        """Stop the server and end every session it serves: clients see the connection drop."""
        with self._lock:
            process, self.process = self.process, None
            if process is None:
                return
            self.thaw()
            # The sessions are children of the listener and outlive it: note them first.
            levels = _children(process.pid) if process.poll() is None else []
            # The listener goes first, closing its socket, so that a client reconnecting at
            # once is refused. (A suspended listener is no good: the kernel still completes
            # handshakes into its backlog, and those connections are reset when it exits --
            # paramiko then logs "Error reading SSH protocol banner" with a traceback.)
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout)
            # Then the per-connection processes, as a network drop would end them: their TCP
            # connections close and the commands they run get SIGHUP.
            if levels:
                _kill_and_wait(levels[0])
            if os.path.exists(self.pidfile):
                os.remove(self.pidfile)

    def freeze(self):
        """Suspend the server and its sessions: the target hangs instead of refusing."""
        with self._lock:
            if not self.running:
                return
            self._sessions = [self.process.pid] + _descendants(self.process.pid)
            for pid in self._sessions:
                try:
                    os.kill(pid, signal.SIGSTOP)
                except ProcessLookupError:
                    pass

    def thaw(self):
        """Undo :meth:`freeze`."""
        for pid in self._sessions:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        self._sessions = []

    def close(self):
        """Stop the server; its directory is left to the test's tmpdir clean-up."""
        self.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    # --------------------------------------------------------------- for tests

    def connection_settings(self):
        """``device_config``/``connection_settings`` for devlib's LinuxTarget."""
        return {'host': self.host, 'port': self.port, 'username': self.username,
                'keyfile': self.keyfile, 'strict_host_check': False}

    def log_tail(self, lines=20):
        try:
            with open(self.logfile) as fh:
                return ' | '.join(fh.read().splitlines()[-lines:])
        except OSError:
            return ''

    def __repr__(self):
        return 'SshServer({}@{}:{}, {})'.format(self.username, self.host, self.port,
                                                'running' if self.running else 'stopped')


def ssh_server(tmpdir):
    """Generator for a pytest fixture: a started server, stopped afterwards.

    In a test module or conftest::

        @pytest.fixture
        def sshd(tmp_path):
            if not sshd_available():
                pytest.skip('needs openssh-server')
            yield from ssh_server(tmp_path)
    """
    server = SshServer(tmpdir)
    server.start()
    try:
        yield server
    finally:
        server.close()


def main():
    """``python tests/sshd.py [DIR]``: run a server until Ctrl-C, printing a device_config for it."""
    import tempfile
    root = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix='wa-sshd-')
    server = SshServer(root)
    server.start()
    settings = server.connection_settings()
    print('device: linux')
    print('device_config: {{host: {host}, port: {port}, username: {username}, keyfile: {keyfile}, '
          'strict_host_check: false}}'.format(**settings))
    print('sshd pid {}, log {}; Ctrl-C stops it'.format(server.process.pid, server.logfile), flush=True)
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


if __name__ == '__main__':
    main()

"""Making an SSH connect honour ``device_config: timeout``.

devlib passes its connect timeout to paramiko's ``SSHClient.connect`` as the TCP timeout only;
the wait for the server's banner and for authentication keep paramiko's 15 s defaults
(ARM-software/devlib#725), so a slow board could never be given longer. While ``connect_waits``
is active, those waits default to the same timeout.
"""
import contextlib


@contextlib.contextmanager
def connect_waits(timeout):
    """A context in which paramiko's connects wait up to ``timeout`` seconds for the server's
    banner and for authentication (``None``: paramiko's defaults, nothing changed)."""
    if timeout is None:
        yield
        return
    import paramiko  # pylint: disable=import-outside-toplevel
    original = paramiko.SSHClient.connect

    def connect(client, *args, **kwargs):
        kwargs.setdefault('banner_timeout', timeout)
        kwargs.setdefault('auth_timeout', timeout)
        return original(client, *args, **kwargs)

    paramiko.SSHClient.connect = connect
    try:
        yield
    finally:
        paramiko.SSHClient.connect = original

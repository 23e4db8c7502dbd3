"""A real LAVA board farm on 127.0.0.1 for the ``wa lava`` tests, started once per test module
with scripts/lava-farm.sh (three ``ssh`` devices ssh01..ssh03 whose "boards" are sshds on this
machine) and stopped afterwards."""
import os
import shutil
import signal
import socket
import subprocess

import pytest

CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FARM_SCRIPT = os.path.join(CHECKOUT, 'scripts', 'lava-farm.sh')


class Farm:
    """The running farm: its XML-RPC URL, user, token file and devices."""

    def __init__(self, state_dir, values):
        self.dir = state_dir
        self.server = values['SERVER']
        self.username = values['USERNAME']
        self.token_file = values['TOKEN_FILE']
        self.devices = ['ssh01', 'ssh02', 'ssh03']
        self.prompt = 'root@{}:'.format(socket.gethostname())

    def token(self):
        with open(self.token_file) as fh:
            return fh.read().strip()

    def server_args(self):
        return ['--server', self.server, '--username', self.username,
                '--token-file', self.token_file]

    def kill_board(self, device):
        """Stops the sshd of ``device``: a dead board."""
        with open(os.path.join(self.dir, 'sshd-' + device, 'sshd.pid')) as fh:
            os.kill(int(fh.read()), signal.SIGTERM)

    def revive_board(self, device):
        subprocess.run(['/usr/sbin/sshd', '-f', os.path.join(self.dir, 'sshd-' + device,
                                                             'sshd_config')], check=True)


def _farm_missing():
    if not shutil.which('lava-server') or not shutil.which('lava-worker'):
        return 'lava-server and lava-dispatcher are not installed (scripts/install.sh)'
    if os.geteuid() != 0:
        return 'the LAVA farm needs root (it starts postgres and LAVA services)'
    return None


@pytest.fixture(scope='module')
def lava_farm():
    reason = _farm_missing()
    if reason:
        pytest.skip(reason)
    # One fixed place, so that a farm left by an interrupted run is found and reused.
    state = os.environ.get('WA_LAVA_FARM') or '/tmp/wa-lava-farm'
    env = dict(os.environ, WA_LAVA_FARM=state)
    up = subprocess.run(['bash', FARM_SCRIPT, 'up', '3', '2'], env=env, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
    try:
        assert up.returncode == 0, up.stdout
        values = dict(line.split('=', 1) for line in up.stdout.splitlines() if '=' in line
                      and line.split('=', 1)[0] in ('SERVER', 'USERNAME', 'TOKEN_FILE'))
        yield Farm(state, values)
    finally:
        subprocess.run(['bash', FARM_SCRIPT, 'down'], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)

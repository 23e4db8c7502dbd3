"""``import devlib`` as WA does it leaves devlib's SSH transport (paramiko) out until an SSH
connection is made; devlib's names for its SSH classes still behave as the classes. (Runs over
SSH through those names: tests/target/test_tgt_sshd.py.)"""
import subprocess
import sys

PROBE = """
import sys
from wa.target.devlib_target import import_devlib
devlib = import_devlib()
print('paramiko before:', 'paramiko' in sys.modules)
print('isinstance before:', isinstance(object(), devlib.SshConnection))
import devlib.utils.ssh as real
print('real module:', type(real).__name__, real.SshConnection.__module__)
print('name:', devlib.SshConnection.__name__)
print('subclass:', issubclass(real.SshConnection, devlib.SshConnection))
class Mine(devlib.SshConnection):
    pass
print('derived:', Mine.__mro__[1] is real.SshConnection)
print('paramiko after:', 'paramiko' in sys.modules)
"""


def test_devlib_ssh_classes_load_paramiko_only_when_used():
    process = subprocess.run([sys.executable, '-c', PROBE], capture_output=True, text=True,
                             timeout=300)
    assert process.returncode == 0, process.stderr
    lines = process.stdout.splitlines()
    assert lines == ['paramiko before: False', 'isinstance before: False',
                     'real module: module devlib.utils.ssh', 'name: SshConnection',
                     'subclass: True', 'derived: True', 'paramiko after: True'], process.stdout

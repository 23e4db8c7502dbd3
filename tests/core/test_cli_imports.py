"""The commands that only describe things stay light: they never import devlib (or paramiko),
which only the target layer loads when a run connects."""
import subprocess
import sys

import pytest

PROBE = """
import sys
from wa.core.entry_point import run
try:
    run({argv!r})
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('devlib', 'paramiko', 'pandas'))
print('HEAVY:' + ','.join(heavy))
"""


@pytest.mark.parametrize('argv', [['-h'], ['list', 'workloads'], ['list', 'instruments'],
                                  ['list', 'targets'], ['show', 'stress_ng'], ['show', 'perf'],
                                  ['show', 'linux'], ['run', '-h']])
def test_describing_commands_do_not_import_devlib(argv, tmp_path):
    proc = subprocess.run([sys.executable, '-c', PROBE.format(argv=argv)], capture_output=True,
                          text=True, env={'WA_USER_DIRECTORY': str(tmp_path), 'PATH': '/usr/bin:/bin'})
    heavy = [line for line in proc.stdout.splitlines() if line.startswith('HEAVY:')]
    assert heavy == ['HEAVY:'], proc.stdout + proc.stderr


def test_version_loads_no_plugins_yaml_or_louie():
    code = ("import sys\nfrom wa.core.entry_point import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('yaml', 'louie', 'devlib') or m.startswith(('wa.workloads.', 'wa.instruments.', "
            "'wa.commands.', 'wa.core.loader'))))")
    proc = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert proc.stdout.strip().splitlines()[-1] == '[]', proc.stdout + proc.stderr

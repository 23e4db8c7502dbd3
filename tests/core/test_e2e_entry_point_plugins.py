"""Plugins from installed packages that declare the ``wa.plugins`` entry point."""
import os
import subprocess
import sys


def make_distribution(site, info_dir='wa_extra_pkg-1.0.dist-info'):
    """A minimal installed distribution on ``site`` whose module holds a workload (metadata in
    ``info_dir``: a wheel's ``.dist-info`` or setuptools' ``.egg-info``)."""
    (site / 'wa_extra_pkg.py').write_text(
        'from wa import Workload, Parameter\n\n'
        'class PackagedWorkload(Workload):\n'
        '    name = "packaged"\n'
        '    description = "A workload shipped by an installed package."\n'
        '    parameters = [Parameter("level", kind=int, default=1)]\n\n'
        '    def update_result(self, context):\n'
        '        context.add_metric("level", self.level)\n')
    info = site / info_dir
    info.mkdir()
    (info / 'METADATA').write_text('Metadata-Version: 2.1\nName: wa-extra-pkg\nVersion: 1.0\n')
    (info / 'entry_points.txt').write_text('[wa.plugins]\nextra = wa_extra_pkg\n')


def test_entry_point_plugins_are_listed_and_run(tmp_path):
    site = tmp_path / 'site'
    site.mkdir()
    make_distribution(site)
    env = dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user'),
               PYTHONPATH=os.pathsep.join([str(site), os.environ.get('PYTHONPATH', '')]))
    listing = subprocess.run([sys.executable, '-m', 'wa', 'list', 'workloads'],
                             capture_output=True, text=True, env=env, check=True).stdout
    assert 'packaged' in listing and 'A workload shipped by an installed package.' in listing
    agenda = tmp_path / 'agenda.yaml'
    agenda.write_text('workloads:\n  - {name: packaged, params: {level: 4}}\n')
    proc = subprocess.run([sys.executable, '-m', 'wa', 'run', str(agenda), '-d',
                           str(tmp_path / 'out')], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert 'packaged,packaged,1,level,4' in (tmp_path / 'out' / 'results.csv').read_text()


def test_egg_info_plugins_are_listed(tmp_path):
    site = tmp_path / 'site'
    site.mkdir()
    make_distribution(site, 'wa_extra_pkg.egg-info')
    env = dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user'),
               PYTHONPATH=os.pathsep.join([str(site), os.environ.get('PYTHONPATH', '')]))
    listing = subprocess.run([sys.executable, '-m', 'wa', 'list', 'workloads'],
                             capture_output=True, text=True, env=env, check=True).stdout
    assert 'packaged' in listing


PROBE = """
import sys
from wa.core.entry_point import run
try:
    run(['list', 'workloads'])
except SystemExit:
    pass
print('METADATA:', 'importlib.metadata' in sys.modules)
"""


def test_no_package_metadata_is_parsed_when_no_package_declares_plugins(tmp_path):
    """Listing plugins reads importlib.metadata (about 30 ms) only when some installed
    distribution's entry_points.txt names ``wa.plugins``."""
    site = tmp_path / 'site'
    info = site / 'other_pkg-1.0.dist-info'
    info.mkdir(parents=True)
    (info / 'entry_points.txt').write_text('[console_scripts]\nother = other:main\n')
    env = dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user'),
               PYTHONPATH=os.pathsep.join([str(site), os.environ.get('PYTHONPATH', '')]))
    probe = subprocess.run([sys.executable, '-c', PROBE], capture_output=True, text=True,
                           env=env, cwd=str(tmp_path))
    assert 'METADATA: False' in probe.stdout, probe.stdout + probe.stderr
    make_distribution(site)
    probe = subprocess.run([sys.executable, '-c', PROBE], capture_output=True, text=True,
                           env=env, cwd=str(tmp_path))
    assert 'METADATA: True' in probe.stdout and 'packaged' in probe.stdout, probe.stderr

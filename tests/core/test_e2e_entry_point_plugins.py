"""Plugins from installed packages that declare the ``wa.plugins`` entry point."""
import os
import subprocess
import sys


def make_distribution(site):
    """A minimal installed distribution on ``site`` whose module holds a workload."""
    (site / 'wa_extra_pkg.py').write_text(
        'from wa import Workload, Parameter\n\n'
        'class PackagedWorkload(Workload):\n'
        '    name = "packaged"\n'
        '    description = "A workload shipped by an installed package."\n'
        '    parameters = [Parameter("level", kind=int, default=1)]\n\n'
        '    def update_result(self, context):\n'
        '        context.add_metric("level", self.level)\n')
    info = site / 'wa_extra_pkg-1.0.dist-info'
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

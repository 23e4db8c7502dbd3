"""WA3 3.3.1's own plugins, fetched at test time (nothing of WA3 is kept in this repository).

``wlauto==3.3.1`` is downloaded once per test session with pip into the pytest temporary
directory; the Linux-relevant plugins are copied unchanged into a user plugin directory, except
that each plugin's ``name`` gets the prefix ``wa3_`` so it does not clash with this project's
built-in plugin of the same name.
"""
import os
import re
import shutil
import subprocess
import sys
import tarfile

import pytest

VERSION = '3.3.1'
# The 28 WA3 plugins that run on a Linux target (APK/UI workloads and Android-only
# instruments left out), as (source path under wa/, the names its module defines).
LINUX_PLUGINS = [
    ('workloads/dhrystone', ['dhrystone']), ('workloads/hackbench', ['hackbench']),
    ('workloads/idle.py', ['idle']), ('workloads/lmbench', ['lmbench']),
    ('workloads/manual', ['manual']), ('workloads/meabo', ['meabo']),
    ('workloads/memcpy', ['memcpy']), ('workloads/mongoperf', ['mongoperf']),
    ('workloads/openssl', ['openssl']), ('workloads/rt_app', ['rt-app']),
    ('workloads/schbench', ['schbench']), ('workloads/shellscript', ['shellscript']),
    ('workloads/stress_ng', ['stress-ng']), ('workloads/sysbench', ['sysbench']),
    ('instruments/misc.py', ['cpufreq', 'execution_time', 'interrupts', 'sysfs_extractor']),
    ('instruments/delay.py', ['delay']), ('instruments/dmesg.py', ['dmesg']),
    ('instruments/hwmon.py', ['hwmon']), ('instruments/perf.py', ['perf']),
    ('instruments/trace_cmd.py', ['trace-cmd']), ('instruments/poller', ['file_poller']),
    ('instruments/proc_stat', ['proc_stat']),
    ('output_processors/csvproc.py', ['csv']), ('output_processors/status.py', ['status']),
    ('output_processors/targz.py', ['targz']),
]
NAMES = [name for _, names in LINUX_PLUGINS for name in names]
_NAME_LINE = re.compile(r"^(    name = ')([^']+)(')", re.MULTILINE)


def download(directory):
    """The path of the wlauto sdist in ``directory``; skips the test if the package index
    cannot be reached."""
    process = subprocess.run([sys.executable, '-m', 'pip', 'download', '--no-deps', '-q',
                              '-d', str(directory), 'wlauto=={}'.format(VERSION)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True, timeout=600)
    found = [f for f in os.listdir(str(directory)) if f.startswith('wlauto-')]
    if process.returncode or not found:
        pytest.skip('wlauto=={} could not be downloaded (package index unreachable?): '
                    '{}'.format(VERSION, process.stdout.strip().splitlines()[-1:]))
    return os.path.join(str(directory), found[0])


def install_plugins(sdist, plugins_dir):
    """Copies LINUX_PLUGINS from ``sdist`` into ``plugins_dir`` as ``wa3_*`` files/packages."""
    wanted = {'wa/' + path: 'wa3_' + os.path.basename(path) for path, _ in LINUX_PLUGINS}
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            parts = member.name.split('/', 1)
            inner = parts[1] if len(parts) > 1 else ''
            source = next((s for s in wanted if inner == s or inner.startswith(s + '/')), None)
            if source is None or not member.isfile() or '__pycache__' in inner:
                continue
            target = os.path.join(plugins_dir, wanted[source] + inner[len(source):])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with tar.extractfile(member) as src, open(target, 'wb') as dst:
                data = src.read()
                if target.endswith('.py'):
                    data = _NAME_LINE.sub(r'\1wa3_\2\3', data.decode()).encode()
                dst.write(data)
            os.chmod(target, 0o755 if member.mode & 0o111 else 0o644)


# WA3's plugins that ship a C source but no x86 binary: (plugin, source under wa/, binary name).
# A WA3 user on x86 builds them and puts them in WA3's dependencies directory.
BUILT_FROM_SOURCE = [('dhrystone', 'workloads/dhrystone/src/dhrystone.c', 'dhrystone'),
                     ('memcpy', 'workloads/memcpy/src/memcopy.c', 'memcpy'),
                     ('file_poller', 'instruments/poller/poller.c', 'poller')]


def install_dependencies(sdist, user_dir, host_tools=()):
    """Fills the user's ``dependencies/wa3_<plugin>/bin/x86_64/`` as a WA3 user on x86 would:
    BUILT_FROM_SOURCE built with gcc from the sdist's sources, and each (plugin, tool) of
    ``host_tools`` copied from the host's PATH. Skips the test if gcc is missing."""
    if shutil.which('gcc') is None:
        pytest.skip('gcc is needed to build WA3\'s dhrystone, memcpy and poller')
    sources = {path: name for _, path, name in BUILT_FROM_SOURCE}
    build = os.path.join(user_dir, 'build')
    os.makedirs(build, exist_ok=True)
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            inner = member.name.split('/', 1)[-1]
            if inner.startswith('wa/') and inner[3:] in sources:
                with tar.extractfile(member) as src, \
                        open(os.path.join(build, os.path.basename(inner)), 'wb') as dst:
                    dst.write(src.read())
    for plugin, path, name in BUILT_FROM_SOURCE:
        subprocess.run(['gcc', '-O2', '-w', os.path.basename(path), '-o', name], cwd=build,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _put(os.path.join(build, name), user_dir, plugin)
    for plugin, tool in host_tools:
        _put(shutil.which(tool), user_dir, plugin)


def _put(binary, user_dir, plugin):
    directory = os.path.join(user_dir, 'dependencies', 'wa3_' + plugin, 'bin', 'x86_64')
    os.makedirs(directory, exist_ok=True)
    shutil.copy(binary, directory)

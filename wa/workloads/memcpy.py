"""memcpy: memory copy bandwidth, from a small C program shipped with WA."""
import os
import re

from wa import ConfigError, Parameter, types
from wa.utils.build import build_on_target, install_binary
from wa.utils.numbers import byte_size, to_number
from wa.utils.tool_workload import cpus_parameter, Metric, ToolWorkload

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'src', 'memcpy.c')

_LINE = re.compile(r'^size_bytes=(\d+)\s+iterations=(\d+)\s+seconds=([0-9.eE+-]+)\s+'
                   r'bandwidth_MBps=([0-9.eE+-]+)\s*$', re.M)


def parse_memcpy_output(text):
    """Metrics from the memcpy program's lines
    ``size_bytes=S iterations=N seconds=T bandwidth_MBps=B``.

    With one buffer size: ``bandwidth`` (MB/s) and ``time`` (seconds for all iterations,
    lower is better). With several, each name ends with the size in bytes
    (``bandwidth_4096``). Every metric is classified with ``buffer_size`` and ``iterations``.
    """
    rows = [match.groups() for match in _LINE.finditer(text)]
    if not rows:
        raise ValueError('no "size_bytes=... bandwidth_MBps=..." lines in the memcpy output')
    metrics = []
    for size, iterations, seconds, bandwidth in rows:
        suffix = '' if len(rows) == 1 else '_{}'.format(size)
        classifiers = {'buffer_size': int(size), 'iterations': int(iterations)}
        metrics.append(Metric('bandwidth' + suffix, to_number(bandwidth), 'MB/s', False,
                              classifiers))
        metrics.append(Metric('time' + suffix, to_number(seconds), 'seconds', True,
                              dict(classifiers)))
    return metrics


class Memcpy(ToolWorkload):

    name = 'memcpy'
    description = """
    Measures memory copy bandwidth with memcpy() for one or more buffer sizes.

    Uses a small C program that ships with WA (``wa/workloads/src/memcpy.c``): at initialize it
    is built on the target with the target's C compiler (Debian package ``gcc``), once per run
    for the same flags, or a prebuilt ``binary`` given by the user is installed instead. For each
    buffer size the program copies one buffer into another ``loops`` times and reports the
    elapsed time.

    Metrics: ``bandwidth`` (MB/s, 10^6 bytes copied per second) and ``time`` (seconds for all
    loops, lower is better); with several ``buffer_sizes`` each name ends with the size in bytes
    (``bandwidth_65536``). Small buffers measure the caches, large ones main memory.
    """

    tool = 'memcpy'
    package = 'gcc'

    parameters = [
        Parameter('buffer_sizes', kind=types.list_of(byte_size), default=[5 * 1024 * 1024],
                  aliases=['buffer_size'],
                  constraint=lambda sizes: len(sizes) > 0 and all(size > 0 for size in sizes),
                  description='Sizes of the buffer copied, in bytes (one or a list); ``64K``, '
                              '``5M``, ``1G`` are powers of 1024.'),
        Parameter('loops', kind=int, default=1000, aliases=['iterations'],
                  constraint=lambda value: value > 0,
                  description='How many times each buffer is copied.'),
        cpus_parameter(),
        Parameter('binary', kind=str, default=None,
                  description='Path on the host of a memcpy binary built for the target (from '
                              'wa/workloads/src/memcpy.c); it is installed instead of building '
                              'the source on the target.'),
        Parameter('compiler', kind=str, default=None,
                  description='C compiler on the target used to build the program; the first '
                              'of cc, gcc and clang found when not set.'),
        Parameter('cflags', kind=str, default='-O2',
                  description='Compiler flags for the build.'),
        Parameter('timeout', kind=int, default=300, constraint=lambda value: value > 0,
                  description='Seconds the measurement may take before the job is failed.'),
    ]

    def validate(self):
        super().validate()
        if self.binary:
            self.binary = os.path.abspath(os.path.expanduser(self.binary))
        if self.compiler and not re.match(r'^[A-Za-z0-9_./+-]+$', self.compiler):
            raise ConfigError('memcpy: "{}" is not a compiler command'.format(self.compiler))

    def find_tool(self, context):
        if self.binary:
            return install_binary(self.target, self.binary, 'wa_memcpy', what='memcpy')
        return build_on_target(self.target, [SOURCE], 'wa_memcpy', compiler=self.compiler,
                               cflags=self.cflags, what='memcpy')

    def build_command(self, context):
        return (self.pin + [self.tool_path, '-i', self.loops] + list(self.buffer_sizes))

    def run_timeout(self):
        return self.timeout

    def parse(self, text):
        return parse_memcpy_output(text)

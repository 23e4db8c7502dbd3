"""A user's workload written with wa.utils: dd copies zeros, its own report gives the speed."""
import re

from wa import Parameter
from wa.utils.numbers import byte_size, to_number
from wa.utils.shell import split_args
from wa.utils.tool_workload import Metric, ToolWorkload, cpus_parameter

# GNU dd's last line: "67108864 bytes (67 MB, 64 MiB) copied, 0.0123 s, 5.4 GB/s"
_COPIED = re.compile(r'^(\d+) bytes .*copied, ([0-9.e+-]+) s', re.M)


def parse_dd_output(text):
    """Metrics from what dd prints; ValueError when it printed no summary."""
    match = _COPIED.search(text)
    if not match:
        raise ValueError('no "bytes ... copied" line in the dd output')
    copied, seconds = to_number(match.group(1)), to_number(match.group(2))
    metrics = [Metric('copied', copied, 'bytes'), Metric('time', seconds, 'seconds', True)]
    if seconds > 0:
        metrics.append(Metric('speed', round(copied / seconds / 1e6, 1), 'MB/s'))
    return metrics


class DdSpeed(ToolWorkload):
    name = 'ddspeed'
    description = """Copies ``size`` bytes of zeros with dd; reports dd's time and speed."""
    tool = 'dd'                 # looked up on the target at initialize ...
    package = 'coreutils'       # ... and named in the error when it is missing
    argument_parameters = ['extra_args']
    parameters = [
        Parameter('size', kind=byte_size, default='64M', description='Bytes to copy.'),
        Parameter('block_size', kind=byte_size, default='1M', description='dd bs=.'),
        Parameter('extra_args', kind=str, default='', description='More dd operands.'),
        cpus_parameter(),
    ]

    def build_command(self, context):
        count = max(self.size // self.block_size, 1)
        return self.pin + [self.tool_path, 'if=/dev/zero', 'of=/dev/null',
                           'bs={}'.format(self.block_size), 'count={}'.format(count)] \
            + split_args(self.extra_args)

    def parse(self, text):
        return parse_dd_output(text)

"""``wa show`` of the instruments and processor of issue 13 describes every parameter."""
import pytest

from wa.instruments.delay import Delay
from wa.instruments.file_poller import FilePoller
from wa.instruments.perf import Perf
from wa.instruments.sysfs_extractor import SysfsExtractor
from wa.instruments.trace_cmd import TraceCmd
from wa.processors.cpustates import CpuStates


@pytest.mark.parametrize('cls', [Delay, Perf, TraceCmd, FilePoller, SysfsExtractor, CpuStates],
                         ids=lambda cls: cls.name)
def test_show_describes_every_parameter(cls):
    from wa.commands.show import render
    text = render(cls, 80)
    for line in text.splitlines():
        assert len(line) <= 80, line
    for param in cls.parameters:
        assert param.description, param.name
        assert '\n  {}\n'.format(param.name) in text

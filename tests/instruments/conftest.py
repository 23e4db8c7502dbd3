"""Fixtures shared by the instrument tests."""
import os
import shutil

import pytest


@pytest.fixture
def perf_as_nobody(tmp_path):
    """A perf wrapper that runs perf as user nobody, so that it is really refused where
    perf_event_paranoid is above 0; skips where that cannot be shown."""
    if os.geteuid() != 0 or shutil.which('setpriv') is None or shutil.which('perf') is None:
        pytest.skip('needs root (to drop privileges), setpriv and perf')
    with open('/proc/sys/kernel/perf_event_paranoid') as fh:
        if int(fh.read()) <= 0:
            pytest.skip('perf_event_paranoid lets everybody count here')
    wrapper = tmp_path / 'perf-as-nobody'
    wrapper.write_text('#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups '
                       '{} "$@"\n'.format(shutil.which('perf')))
    wrapper.chmod(0o755)
    return wrapper

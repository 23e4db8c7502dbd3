"""Reading, summarising and comparing runs: the results API (see doc/results.rst).

Importing this package is cheap: statistics import scipy, and DataFrames pandas, only when used.
"""
from wa.results.status import Status
from wa.results.model import JobOutput, KernelVersion
from wa.results.runoutput import RunOutput, discover_wa_outputs

__all__ = ['Status', 'JobOutput', 'KernelVersion', 'RunOutput', 'discover_wa_outputs']

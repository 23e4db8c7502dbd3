"""Reading, summarising and comparing runs: the results API (see doc/results.rst).

Importing this package is cheap: comparisons import scipy, and DataFrames pandas, only when used
(the statistics' t quantiles are scipy's, tabulated in ``wa.results.t_table``).
"""
from wa.results.status import Status
from wa.results.model import JobOutput, KernelVersion
from wa.results.runoutput import RunOutput, discover_wa_outputs

__all__ = ['Status', 'JobOutput', 'KernelVersion', 'RunOutput', 'discover_wa_outputs']

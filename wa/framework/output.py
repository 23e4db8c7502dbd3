"""WA3's ``wa.framework.output`` names: statuses and the reading API, from ``wa.results``."""
from wa.results import JobOutput, RunOutput, Status, discover_wa_outputs

__all__ = ['JobOutput', 'RunOutput', 'Status', 'discover_wa_outputs']

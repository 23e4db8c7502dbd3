"""WA3's ``wa.framework.workload``: the Workload base (Linux workloads; no APK/UI ones)."""
from wa.core.workload import Workload  # noqa: F401

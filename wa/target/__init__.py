"""The target: the devlib connection behind each target type (local, linux over SSH,
android), its hang watchdog and target info, and the runtime parameters applied to it with
their undo log (doc/architecture.rst).

Imported by the run only when it connects, so ``wa -h`` and ``wa list`` never load devlib.
"""

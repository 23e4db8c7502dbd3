"""From files to job specs: YAML loading with file:line, ``include#``, the agenda, the merged
run configuration and the frozen ``JobSpec`` records (doc/architecture.rst).

Depends on ``wa.core`` (exceptions, parameters, types, secrets); nothing here touches a target.
"""

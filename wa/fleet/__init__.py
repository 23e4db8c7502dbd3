"""Fleets: one agenda over several targets, run by WA itself (a worker process per target) or by
a LAVA board farm (``wa.lava``), merged into one run output directory. See doc/fleet.rst."""

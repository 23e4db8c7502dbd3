"""Running an agenda on a LAVA board farm: job definitions that run ``wa run`` on each device,
submission and waiting over LAVA's XML-RPC API, and merging what comes back into one run
output directory (``wa lava submit`` / ``wa lava collect``). See doc/fleet.rst."""

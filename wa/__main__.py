"""``python -m wa`` runs the command line, like the ``wa`` script."""
from wa.core.entry_point import main

main()

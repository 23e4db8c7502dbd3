"""The Command base: one ``wa`` subcommand, found like any other plugin."""
from wa.core.plugin import Plugin


class Command(Plugin):
    """A subcommand of ``wa``. ``add_arguments`` fills its argparse parser; ``execute`` does the
    work and returns the exit status."""

    kind = 'command'
    usage = None
    writes_run_log = False   # True: what is logged before run.log exists is kept for it

    def add_arguments(self, parser):
        """Adds this command's options to ``parser``."""

    def execute(self, args, loader):
        """Runs the command; returns the process exit status."""
        raise NotImplementedError

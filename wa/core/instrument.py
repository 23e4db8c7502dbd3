"""The Instrument base: observes workloads through methods named after the run's signals."""
from wa.core.parameter import Parameter
from wa.core.plugin import Plugin


class Instrument(Plugin):
    """Methods named after stages (``setup``, ``start``, ``stop``, ``update_result``,
    ``teardown``, ``on_run_start``, ...; see ``wa.core.instrumentation.METHOD_MAP``) are connected
    to the matching signals when the instrument is installed for a run. A prefix
    ``very_fast_``, ``fast_``, ``normal_``, ``slow_`` or ``very_slow_`` sets the priority.

    ``initialize`` may raise ``NotSupportedError`` when the target lacks what the instrument
    needs: it is then disabled for the run with one warning, and the run goes on.
    """

    kind = 'instrument'
    parameters = [
        Parameter('cleanup_assets', kind=bool, default=True, global_alias='cleanup_assets',
                  description='Remove what the instrument put on the target at the end (WA3).'),
    ]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if 'update_output' in cls.__dict__ and 'update_result' not in cls.__dict__:
            cls.update_result = cls.__dict__['update_output']   # WA3's name for the stage

    def initialize(self, context):
        """Called once per run, on run-init, with the target connected."""

    def finalize(self, context):
        """Called once per run, on run-fin."""

"""The Workload base: what a user writes to run one benchmark on the target."""
from wa.core.parameter import Parameter
from wa.core.plugin import Plugin


class Workload(Plugin):
    """One benchmark. The framework calls, for each job: ``setup``, ``run`` (the measured part),
    ``update_result`` and ``teardown``; once per run: ``validate``, ``init_resources``,
    ``initialize`` (target connected) and ``finalize``.

    ``initialize`` may raise ``NotSupportedError`` when the target lacks the tool the workload
    needs: the spec's jobs then fail with that message and the other specs still run.
    """

    kind = 'workload'
    phones_home = False
    parameters = [
        Parameter('cleanup_assets', kind=bool, default=True, global_alias='cleanup_assets',
                  description='Remove what the workload put on the target (binaries, data) '
                              'in its teardown/finalize (WA3).'),
        Parameter('uninstall', kind=bool, default=False,
                  description='Uninstall what the workload installed at the end of the run '
                              '(WA3; a no-op for workloads that install nothing).'),
    ]

    def init_resources(self, context):
        """Finds files the workload needs on the host, before the target is connected."""

    def initialize(self, context):
        """One-time preparation on the connected target (install binaries, build sources)."""

    def setup(self, context):
        """Prepares the target for this job; not measured."""

    def run(self, context):
        """Runs the part that is measured."""

    def update_result(self, context):
        """Adds this job's metrics and artifacts through ``context``; by default WA3's two
        steps: ``extract_results`` then ``update_output``."""
        self.extract_results(context)
        self.update_output(context)

    def extract_results(self, context):
        """WA3: pulls the job's raw output from the target to the host."""

    def update_output(self, context):
        """WA3: parses what ``extract_results`` fetched into metrics and artifacts."""

    def teardown(self, context):
        """Cleans up after this job."""

    def finalize(self, context):
        """One-time clean-up at the end of the run."""

"""The end of a run: the ``statistics`` section of result.json and the variation warning.

Called once by the executor after the run's final result.json is written (and by
``wa process``); it reads that file, so it does not depend on how the run wrote it.
"""
import logging
import os

from wa.output.directory import RESULT_FILE, read_json, write_json
from wa.results.runoutput import RunOutput
from wa.results.stats import statistics_section, variation_warning, run_statistics

logger = logging.getLogger('statistics')


def with_statistics(run_directory, data):
    """``(data with its "statistics" section, the MetricStatistics list)`` for ``data``, the
    content of ``run_directory``'s result.json."""
    stats = run_statistics(RunOutput.from_result(run_directory, data).jobs)
    return dict(data, statistics=statistics_section(stats)), stats


def record_statistics(run_directory, warn=True):
    """Adds ``statistics`` to ``run_directory``'s result.json and, with ``warn``, logs the
    metrics whose variation is too high to trust. Returns the MetricStatistics list (empty if
    they could not be computed: that is logged, and the run's own record stays as it was)."""
    path = os.path.join(run_directory, RESULT_FILE)
    try:
        data, stats = with_statistics(run_directory, read_json(path))
        write_json(path, data)
    except Exception as error:  # pylint: disable=broad-except
        logger.error('Could not add statistics to %s: %s: %s', path, type(error).__name__, error)
        return []
    if warn:
        for line in variation_warning(stats):
            logger.warning('%s', line)
    return stats

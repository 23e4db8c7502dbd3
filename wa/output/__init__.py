"""Writing a run's output: the output directory and its atomic file writes, the journal that
keeps ``result.json`` complete at every moment, and the console (per-job lines, progress,
summary, tables). Listeners of the run; reading outputs back is ``wa.results``.
"""

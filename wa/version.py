"""The project's version, kept apart so that ``wa --version`` imports nothing else."""
__version__ = '3.4.0.dev0'

"""Sphinx configuration of WA's documentation (build: python3 -m sphinx -W -b html doc OUT)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# This checkout's wa (whose metadata the reference pages are generated from), then the
# documentation's own extension.
sys.path[:0] = [os.path.dirname(HERE), os.path.join(HERE, '_ext')]

from wa.version import __version__  # noqa: E402  pylint: disable=wrong-import-position

project = 'Workload Automation'
author = 'Workload Automation developers'
copyright = 'Workload Automation developers'  # pylint: disable=redefined-builtin
version = release = __version__

# autodoc for pages that document the Python reading API from its docstrings.
extensions = ['sphinx.ext.autodoc', 'wadoc']
source_suffix = {'.rst': 'restructuredtext'}
root_doc = 'index'
exclude_patterns = ['_build', '_ext', 'Thumbs.db', '.DS_Store']
templates_path = []
highlight_language = 'none'

try:
    import sphinx_rtd_theme  # noqa: F401  pylint: disable=unused-import
    html_theme = 'sphinx_rtd_theme'
except ImportError:  # the docs extra is not installed: Sphinx's own default theme
    html_theme = 'alabaster'
html_static_path = []
html_title = 'Workload Automation {}'.format(version)

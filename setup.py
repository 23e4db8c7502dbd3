"""Installs the ``wa`` package and its ``wa`` console script."""
import os
from setuptools import setup, find_packages

here = os.path.dirname(os.path.abspath(__file__))
version = {}
with open(os.path.join(here, 'wa', 'version.py')) as fh:
    exec(fh.read(), version)

setup(
    name='wa',
    version=version['__version__'],
    description='Workload Automation: run benchmark workloads on Linux and Android '
                'targets with instruments hooked into every stage.',
    long_description=open(os.path.join(here, 'README.rst')).read(),
    packages=find_packages(include=['wa', 'wa.*']),
    package_data={'wa': ['workloads/src/*', 'commands/templates/*', 'results/templates/*']},
    python_requires='>=3.8',
    # scipy: Student's t for the confidence intervals in result.json and the tests of
    # wa compare; jinja2 and matplotlib: the html processor and wa report/compare --html.
    install_requires=['louie', 'pyyaml', 'devlib', 'colorama', 'scipy', 'jinja2', 'matplotlib'],
    # pandas: only RunOutput.to_dataframe(); the tests that use it skip without it.
    extras_require={'test': ['pytest', 'hypothesis', 'pandas'], 'pandas': ['pandas'],
                    'docs': ['sphinx>=5', 'sphinx-rtd-theme>=1.2']},
    entry_points={'console_scripts': ['wa = wa.core.entry_point:main']},
)

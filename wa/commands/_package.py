"""``wa create package``: a pip-installable plugin package registered through the ``wa.plugins``
entry point, so that ``pip install DIR`` makes its plugins available to ``wa``."""
import os
import string

SETUP_PY = '''"""${name}: Workload Automation plugins, found by wa through the wa.plugins entry point."""
from setuptools import find_packages, setup

setup(
    name='${name}',
    version='0.1.0',
    description='Workload Automation plugins',
    packages=find_packages(),
    install_requires=[],
    entry_points={'wa.plugins': ['${name} = ${name}']},
)
'''

INIT_PY = '''"""${name}: the plugins of this package (each module that defines plugins is imported here,
so that wa finds them through the entry point)."""
from ${name}.workloads import *  # noqa: F401,F403
'''


def package_files(name, workload_text):
    """{relative path: text} of a new package called ``name`` holding one workload."""
    values = {'name': name}
    return {
        'setup.py': string.Template(SETUP_PY).substitute(values),
        os.path.join(name, '__init__.py'): string.Template(INIT_PY).substitute(values),
        os.path.join(name, 'workloads.py'): workload_text,
    }

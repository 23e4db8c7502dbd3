"""The Sphinx documentation builds with warnings as errors, its reference tables come from the
code, and every command of the quick start works when run as written."""
import os
import re
import subprocess
import sys

import pytest

CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(CHECKOUT, 'doc')

try:
    import sphinx  # noqa: F401  pylint: disable=unused-import
    HAVE_SPHINX = True
except ImportError:
    HAVE_SPHINX = False

needs_sphinx = pytest.mark.skipif(
    not HAVE_SPHINX, reason='Sphinx is not installed (scripts/install.sh installs the docs '
                            'extra: pip install -e ".[docs]")')


@pytest.fixture(scope='module')
def html(tmp_path_factory):
    out = tmp_path_factory.mktemp('html')
    proc = subprocess.run([sys.executable, '-m', 'sphinx', '-W', '--keep-going', '-q', '-b',
                           'html', DOC, str(out)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def page(html, name):
    return (html / '{}.html'.format(name)).read_text()


@needs_sphinx
def test_docs_build_without_warnings(html):
    assert (html / 'index.html').exists()


@needs_sphinx
def test_reference_tables_generated_from_the_code(html):
    from wa.config.configuration import RUN_SETTINGS
    from wa.core.loader import PluginLoader
    settings = page(html, 'configuration')
    for param in RUN_SETTINGS:
        assert '<span class="pre">{}</span>'.format(param.name) in settings, param.name
    reference = page(html, 'plugin_reference')
    loader = PluginLoader(use_user_directory=False, use_entry_points=False)
    for kind in ('workload', 'instrument', 'result_processor', 'target'):
        for cls in loader.list(kind):
            assert 'id="{}-{}"'.format(kind, cls.name).replace('_', '-') in reference, cls.name
    signals = page(html, 'execution')
    assert 'before-workload-execution-signal' in signals and 'very_fast_' in signals
    commands = page(html, 'commands')
    assert 'wa run --resume DIR' in commands


def quickstart_commands():
    """The shell blocks of quickstart.rst, in order, as one script."""
    text = open(os.path.join(DOC, 'quickstart.rst')).read()
    blocks = re.findall(r'^\.\. code-block:: sh\n\n((?:    .*\n|\n)+)', text, re.M)
    return '\n'.join(re.sub(r'^    ', '', block, flags=re.M) for block in blocks)


def test_quickstart_word_for_word(tmp_path):
    """Runs every command of the quick start with a ``wa`` that is this checkout, in an empty
    directory with an empty HOME; each must succeed."""
    script = quickstart_commands()
    assert 'wa run agenda.yaml -d my_results' in script
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    (bin_dir / 'wa').write_text('#!/bin/sh\nexec "{}" -m wa "$@"\n'.format(sys.executable))
    (bin_dir / 'wa').chmod(0o755)
    home = tmp_path / 'home'
    home.mkdir()
    env = dict(os.environ, HOME=str(home), PATH='{}:{}'.format(bin_dir, os.environ['PATH']))
    env.pop('WA_USER_DIRECTORY', None)
    proc = subprocess.run(['bash', '-e', '-x', '-c', script], cwd=str(tmp_path), env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-5000:]
    assert re.search(r'\[4/4\] wk2 stress_ng iteration 2 \.\.\. ETA', proc.stderr)
    assert (tmp_path / 'wa_quickstart' / 'zip_results' / 'result.json').exists()

"""run.log holds what a run logged before its output directory existed (the MemoryHandler of
wa/output/log_buffer.py), and commands that write no run.log do not load logging.handlers."""
import subprocess
import sys

from warun import run_agenda


def test_run_log_starts_with_what_was_logged_before_the_output_directory(tmp_path):
    # A WA3-only key is warned about while the configuration is read, before out/ exists.
    out, _, process = run_agenda(tmp_path, {
        'config': {'augmentations': [], 'assets_repository': '/nowhere'},
        'workloads': [{'name': 'idle', 'params': {'duration': 0.1}}]})
    assert process.returncode == 0, process.stdout
    first = (out / 'run.log').read_text().splitlines()[0]
    assert 'WARNING' in first and 'assets_repository' in first, first


def test_wa_list_does_not_load_the_buffer():
    code = ('import sys; from wa.core.entry_point import run; run(["list", "workloads"]); '
            'print("logging.handlers" in sys.modules)')
    process = subprocess.run([sys.executable, '-c', code], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, universal_newlines=True, timeout=60)
    assert process.stdout.strip().splitlines()[-1] == 'False'

"""shellscript for real: its metrics, its output artifact, and quoting of its arguments."""
import json
import os
import subprocess
import sys

import yaml


def test_arguments_reach_the_script_as_text_and_exit_code_is_reported(tmp_path):
    script = tmp_path / 'args.sh'
    script.write_text('for a in "$@"; do echo "[$a]"; done\necho "to stderr" >&2\nexit 3\n')
    marker = tmp_path / 'pwned'
    agenda = tmp_path / 'agenda.yaml'
    agenda.write_text(yaml.safe_dump({'config': {'retry_on_status': []},
                                      'workloads': [{'name': 'shellscript', 'params': {
        'script_file': str(script),
        'argstring': 'one "two words" $(touch {}) ;ls'.format(marker)}}]}))
    out = tmp_path / 'out'
    env = dict(os.environ, WA_USER_DIRECTORY=str(tmp_path / 'user'))
    proc = subprocess.run([sys.executable, '-m', 'wa', 'run', str(agenda), '-d', str(out)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert not marker.exists()
    lines = (out / 'wk1-shellscript-1' / 'script-output.txt').read_text().split()
    assert lines == ['[one]', '[two', 'words]', '[$(touch]', '[{})]'.format(marker), '[;ls]',
                     'to', 'stderr']
    job = json.loads((out / 'result.json').read_text())['jobs'][0]
    metrics = {m['name']: m for m in job['metrics']}
    assert metrics['exit_code']['value'] == 3
    assert metrics['runtime']['units'] == 'seconds' and metrics['runtime']['value'] > 0
    assert job['status'] == 'FAILED' and 'status 3' in job['events'][0]['message']
    assert proc.returncode == 1
    assert {'name': 'script_output', 'path': 'wk1-shellscript-1/script-output.txt',
            'kind': 'raw', 'description': 'what the script printed'} in job['artifacts']

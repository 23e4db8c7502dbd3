"""The public helpers of ``wa.utils`` that plugins share (shell quoting, numbers, reading
target files, snapshots, background sampling), on local files and shells. No target."""
import os
import shlex
import subprocess
import time

import pytest

from wa.utils import sampling, snapshot, target_files
from wa.utils.numbers import byte_size, to_number
from wa.utils.shell import quote_glob, shell_join
from wa.utils.tools import last_words, tail

DATA = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data',
                                     'instruments'))


def read(name):
    with open(os.path.join(DATA, name)) as fh:
        return fh.read()


# --- shell helpers -------------------------------------------------------------------------

def test_quote_glob_keeps_wildcards_and_quotes_the_rest():
    assert quote_glob('/sys/class/thermal/thermal_zone*/temp') == \
        '/sys/class/thermal/thermal_zone*/temp'
    assert quote_glob('/tmp/a b/c[0-9]') == "'/tmp/a b/c'[0-9]"
    assert quote_glob("/x;rm -rf /") == "'/x;rm -rf /'"
    assert quote_glob("/tmp/it's/*") == "'/tmp/it'\"'\"'s/'*"


def test_dump_files_command_reads_a_tree_and_parses_back(tmp_path):
    (tmp_path / 'd' / 'sub').mkdir(parents=True)
    (tmp_path / 'd' / 'a').write_text('1\n')
    (tmp_path / 'd' / 'sub' / 'b c').write_text('two words\nsecond line\n')
    (tmp_path / 'd' / 'no_newline').write_text('x')
    (tmp_path / 'single').write_text('42\n')
    command = target_files.dump_files_command([str(tmp_path / 'd'), str(tmp_path / 'sing*'),
                                               str(tmp_path / 'missing')])
    output = subprocess.run(['sh', '-c', command], capture_output=True, text=True,
                            check=True).stdout
    files = target_files.parse_file_dump(output)
    assert files == {str(tmp_path / 'd' / 'a'): '1\n',
                     str(tmp_path / 'd' / 'sub' / 'b c'): 'two words\nsecond line\n',
                     str(tmp_path / 'd' / 'no_newline'): 'x',
                     str(tmp_path / 'single'): '42\n'}


def test_parse_file_dump_leaves_out_unreadable_files():
    text = '\n{m}/a\n1\n\n{m}/b\n\n{f}\n\n{m}/c\nok\n'.format(m=target_files.FILE_MARK,
                                                           f=target_files.FAIL_MARK)
    assert target_files.parse_file_dump(text) == {'/a': '1\n', '/c': 'ok\n'}


def test_to_number():
    assert to_number(' 42\n') == 42
    assert to_number('-1.5') == -1.5
    assert to_number('1,234.5') == 1234.5 and to_number(7) == 7
    assert to_number('abc', None) is None and to_number('0,1', None) is None
    with pytest.raises(ValueError, match='"abc" is not a number'):
        to_number('abc')


# --- snapshots and diffs -------------------------------------------------------------------

def test_diff_of_interrupts_matches_lines_by_irq_and_subtracts_counts():
    rows = snapshot.diff_text(read('proc_interrupts_before.txt'),
                               read('proc_interrupts_after.txt'))
    by_key = {row[0]: row for row in rows}
    assert by_key['24:'][1:5] == ['60', '0', '0', '0']
    assert by_key['24:'][5:] == ['PCI-MSI', '327680-edge', 'xhci_hcd']
    assert by_key['LOC:'][1:5] == ['500', '400', '100', '100']
    assert by_key['ERR:'] == ['ERR:', '1']
    assert by_key['+'][:3] == ['+', '26:', '0']      # IRQ 26 appeared
    assert by_key['CPU0'] == ['CPU0', 'CPU1', 'CPU2', 'CPU3']


def test_diff_by_position_and_changed_words():
    rows = snapshot.diff_text('performance\n100 200\nx\n', 'powersave\n150 200\n')
    assert rows == [['performance->powersave'], ['50', '0'], ['-', 'x']]


def test_diff_snapshots_only_lists_changed_files():
    before = {'/a': '1\n', '/b': 'same\n', '/gone': 'x\n'}
    after = {'/a': '3\n', '/b': 'same\n', '/new': 'y\n'}
    diffs = snapshot.diff_snapshots(before, after)
    assert set(diffs) == {'/a', '/gone', '/new'}
    assert diffs['/a'].strip() == '2'
    assert 'appeared' in diffs['/new'] and 'vanished' in diffs['/gone']


def test_write_tree_keeps_target_paths(tmp_path):
    snapshot.write_tree({'/proc/interrupts': 'x\n', '/sys/a/b': 'y'}, str(tmp_path))
    assert (tmp_path / 'proc' / 'interrupts').read_text() == 'x\n'
    assert (tmp_path / 'sys' / 'a' / 'b').read_text() == 'y'



# --- background sampling

def test_parse_samples():
    text = ('\n{s}100.50 300.00\n\n{f}/t\n45000\n\n{s}101.00 301.00\n\n{f}/t\n\n{x}\n'
            .format(s=sampling.SAMPLE_MARK, f=target_files.FILE_MARK, x=target_files.FAIL_MARK))
    assert sampling.parse_samples(text) == [(100.5, {'/t': '45000\n'}), (101.0, {})]


def test_sampler_script_runs_in_a_shell(tmp_path):
    value = tmp_path / 'value'
    value.write_text('7\n')
    out = tmp_path / 'out'
    script = sampling.sampler_script([str(value), str(tmp_path / 'missing')], 0.05, str(out))
    proc = subprocess.Popen(['sh', '-c', script])
    try:
        deadline = time.time() + 5
        while time.time() < deadline and (not out.exists() or
                                           out.read_text().count('SAMPLE') < 3):
            time.sleep(0.05)
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0        # the loop's trap ends it cleanly
    samples = sampling.parse_samples(out.read_text())
    assert len(samples) >= 3
    assert all(files == {str(value): '7\n'} for _, files in samples)
    assert samples[-1][0] >= samples[0][0]


def test_shell_join_quotes():
    assert shell_join(['echo', 'a b', "it's", 3]) == "echo 'a b' 'it'\"'\"'s' 3"
    assert shlex.split(shell_join(['x', '$(reboot)'])) == ['x', '$(reboot)']


def test_byte_sizes():
    assert byte_size(4096) == 4096
    assert byte_size('64K') == 65536
    assert byte_size('5M') == 5 * 1024 * 1024
    assert byte_size('1GiB') == 1024 ** 3
    for bad in ('lots', '1.5M', True, '-4K'):
        with pytest.raises(ValueError):
            byte_size(bad)


def test_error_summaries_of_a_tools_output():
    output = 'starting\n\n  warming up\nline 3\nfatal: no such event\n'
    assert tail(output, 2) == 'line 3\nfatal: no such event'
    assert last_words(output) == 'starting warming up line 3 fatal: no such event'
    assert last_words(output, 12) == 'o such event'
    assert last_words(None) == '' and tail(None) == ''

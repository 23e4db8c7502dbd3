"""Seeded mutants of real agendas and config files (tests/data/robustness), for the black-box
fuzzer: byte flips, deleted, duplicated and re-indented lines, type swaps, deep nesting, huge
numbers, unicode, aliases, bad tags and keys moved between levels. The same seed always gives
the same mutants."""
import copy
import os
import random

import yaml

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'robustness')
SEEDS = {kind: sorted(os.path.join(DATA, kind, name)
                      for name in os.listdir(os.path.join(DATA, kind)))
         for kind in ('agendas', 'configs')}

ODD_TEXT = ['\u202e', '\u200b', '\u2028', '\x85', '\ufeff', '\U0001f4a5', 'e\u0301', '\x00',
            '\x1b[31m', '\t', '\\', '%s', '{0}', '"', "'", '../..', '/', ':', '#', '- ', '&a',
            '*a', '!', '~', '\u4e2d\u6587', '\ud7ff']
ODD_VALUES = [None, True, False, 0, -1, 10 ** 40, -10 ** 40, 1e308, float('inf'),
              float('-inf'), '', 'idle', '~', [], {}, [1, [2]], {'a': {'b': None}},
              'x' * 5000, '1,2,3', '0x1f', '1e9', 'yes', 'null', '\u202eabc']
TEXT_SNIPPETS = ['!!python/object/apply:os.system ["true"]', '!!binary "AAAA"', '!!set {a}',
                 '!!timestamp "2001-99-99"', '!!int "x"', '!!float "y"', '!foo bar',
                 '!!str', '!!map [1]', '&a [*a]', '*undefined', '<<: *nowhere', '<<: 5',
                 '9' * 400, '1e99999', '-.inf', '.nan', '0o777', '0b101', '1_000', '"\\x00"',
                 '"\\ud800"', '{', '[', '}', '|', '>-', '? [a]', '%YAML 1.1', '---', '...',
                 '@', '`', '\t- x']


def _lines(text):
    return text.splitlines(True) or ['\n']


def flip_bytes(rng, text):
    data = bytearray(text.encode('utf-8'))
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(data))
        data[i] = rng.choice([data[i] ^ (1 << rng.randrange(8)), rng.randrange(256)])
    return bytes(data)


def delete_lines(rng, text):
    lines = _lines(text)
    i = rng.randrange(len(lines))
    del lines[i:i + rng.randint(1, 3)]
    return ''.join(lines)


def duplicate_line(rng, text):
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return ''.join(lines)


def reindent_line(rng, text):
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines[i] = (' ' * rng.choice([1, 2, 4]) + lines[i] if rng.random() < 0.6
                else lines[i].lstrip(' '))
    return ''.join(lines)


def insert_snippet(rng, text):
    """A bad tag, alias, huge number or YAML token put where a value or a line was."""
    lines = _lines(text)
    i = rng.randrange(len(lines))
    snippet = rng.choice(TEXT_SNIPPETS)
    line = lines[i].rstrip('\n')
    if ':' in line and rng.random() < 0.7:
        key = line.split(':', 1)[0]
        lines[i] = '{}: {}\n'.format(key, snippet)
    else:
        lines.insert(i, line[:len(line) - len(line.lstrip())] + snippet + '\n')
    return ''.join(lines)


def unicode_text(rng, text):
    i = rng.randrange(len(text) + 1)
    return text[:i] + rng.choice(ODD_TEXT) * rng.choice([1, 1, 3, 300]) + text[i:]


def deep_nesting(rng, text):
    depth = rng.choice([30, 200, 2000, 20000])
    if rng.random() < 0.5:
        value = '[' * depth + ']' * depth
    else:
        value = '{a: ' * depth + '1' + '}' * depth
    return insert_value_text(rng, text, value)


def insert_value_text(rng, text, value):
    lines = _lines(text)
    candidates = [i for i, line in enumerate(lines) if ':' in line] or [0]
    i = rng.choice(candidates)
    key = lines[i].split(':', 1)[0] if ':' in lines[i] else 'workloads'
    lines[i] = '{}: {}\n'.format(key, value)
    return ''.join(lines)


def _paths(data, prefix=(), above=()):
    """Every path into ``data``, once (a mapping or list met again through an alias is not
    walked twice)."""
    yield prefix
    if id(data) in above:
        return
    above += (id(data),)
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,), above)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, prefix + (index,), above)


def _get(data, path):
    for part in path:
        data = data[part]
    return data


def swap_type(rng, data):
    path = rng.choice(list(_paths(data))[1:] or [()])
    if not path:
        return rng.choice(ODD_VALUES)
    _get(data, path[:-1])[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
    return data


def move_key(rng, data):
    """A key of one mapping moved into another mapping, at another level."""
    mappings = [p for p in _paths(data) if isinstance(_get(data, p), dict)]
    if not mappings:
        return data
    source = rng.choice(mappings)
    keys = list(_get(data, source))
    if not keys:
        return data
    key = rng.choice(keys)
    value = _get(data, source).pop(key)
    targets = [_get(data, p) for p in _paths(data)
               if isinstance(_get(data, p), dict) and p != source]
    target = rng.choice(targets) if targets else _get(data, source)
    target[key] = value
    return data


def alias_values(rng, data):
    """A value shared through an anchor and aliases, sometimes many times (safe_dump writes
    shared objects as anchors)."""
    paths = list(_paths(data))[1:]
    if not paths:
        return data
    shared = _get(data, rng.choice(paths))
    for path in rng.sample(paths, min(len(paths), rng.randint(1, 4))):
        try:
            _get(data, path[:-1])[path[-1]] = shared
        except (KeyError, IndexError, TypeError):
            pass
    return data


TEXT_MUTATIONS = [flip_bytes, delete_lines, duplicate_line, reindent_line, insert_snippet,
                  unicode_text, deep_nesting]
DATA_MUTATIONS = [swap_type, move_key, alias_values]


def mutate(rng, text):
    """One mutant of ``text``: bytes, as written to the file."""
    steps = rng.choice([1, 1, 1, 2, 3])
    for _ in range(steps):
        if isinstance(text, bytes):
            text = text.decode('utf-8', 'replace')
        if rng.random() < 0.3:
            try:
                data = yaml.safe_load(text)
            except (yaml.YAMLError, ValueError, RecursionError):
                data = None
            if isinstance(data, (dict, list)):
                data = rng.choice(DATA_MUTATIONS)(rng, data)
                text = yaml.safe_dump(data, allow_unicode=rng.random() < 0.5,
                                      default_flow_style=rng.choice([None, True, False]))
                continue
        text = rng.choice(TEXT_MUTATIONS)(rng, text)
    return text if isinstance(text, bytes) else text.encode('utf-8', 'surrogatepass')


def mutants(count, seed):
    """``count`` mutants: dicts with ``kind`` (agenda, config or user_config), ``seed`` (the
    file mutated) and ``data`` (bytes). About a third are config files."""
    rng = random.Random(seed)
    texts = {path: open(path, encoding='utf-8').read()
             for paths in SEEDS.values() for path in paths}
    for _ in range(count):
        kind = rng.choice(['agenda', 'agenda', 'config', 'user_config'])
        source = rng.choice(SEEDS['agendas' if kind == 'agenda' else 'configs'])
        yield {'kind': kind, 'seed': os.path.basename(source),
               'data': mutate(rng, texts[source])}

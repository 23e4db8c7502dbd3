"""Reading YAML safely, in one pass, while remembering the line of every value.

The text is composed once into PyYAML's node graph (the safe tag set only) and walked once to
build the data and a ``path -> line`` table together, so errors can point at ``file:line``.
What a file may cost is capped: its size, its nesting depth and the number of values it expands
to once aliases are followed (a few hundred bytes of aliases can otherwise expand to 10^7
values); an alias that refers to itself is an error, as are values that the safe constructors
reject (``!!int "x"``, ``!!timestamp "2001-99-99"``, unknown tags).
"""
import re
from itertools import accumulate

import yaml

from wa.core.exceptions import ConfigError
from wa.core.naming import shown

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100000

_MAP_TAG = 'tag:yaml.org,2002:map'
_SEQ_TAG = 'tag:yaml.org,2002:seq'

# libyaml's safe loader when PyYAML was built with it: the same documents, about ten times
# faster (a 10,000-job agenda is parsed in well under a second). Its composer recurses in C
# with no depth check, so it only gets texts whose bracket nesting is known to be shallow.
_CSafeLoader = getattr(yaml, 'CSafeLoader', None)


class Located:
    """Where values of one YAML document came from: ``where(path)`` gives ``file:line``."""

    def __init__(self, filename, lines):
        self.filename = filename
        self._lines = lines

    def line(self, path):
        """The line of the value at ``path`` (a tuple of keys and indexes), or of its nearest
        parent that has one."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get(())

    def where(self, path=()):
        line = self.line(path)
        return '{}:{}'.format(self.filename, line) if line else str(self.filename)

    def error(self, path, message):
        """A ConfigError that starts with ``file:line:``."""
        return ConfigError('{}: {}'.format(self.where(path), message))


class _Loader(yaml.SafeLoader):  # pylint: disable=too-many-ancestors
    """The safe loader, refusing to compose nesting deeper than MAX_DEPTH (PyYAML's composer
    recurses, so a deep file would otherwise end in a RecursionError)."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _loader_for(text):
    """libyaml's loader where it is safe (see _CSafeLoader), else the depth-checking _Loader.
    Block nesting is bounded by the file size (each level costs a column), flow nesting is not:
    the count of brackets, strings and comments included, bounds it from above."""
    if _CSafeLoader is not None:
        depth = max(accumulate(1 if c in '[{' else -1 for c in _BRACKETS.findall(text)),
                    default=0)
        if depth <= MAX_DEPTH:
            return _CSafeLoader(text)
    return _Loader(text)


_BRACKETS = re.compile(r'[\[\]{}]')


class _TooDeep(Exception):
    def __init__(self, mark):
        super().__init__()
        self.mark = mark


class _Builder:
    """Builds the data of a composed document and the line of every value in one walk."""

    def __init__(self, filename, loader):
        self.filename = filename
        self.loader = loader
        self.lines = {}
        self.count = 0
        self.active = set()

    def error(self, node, message):
        return ConfigError('{}:{}: {}'.format(self.filename, node.start_mark.line + 1, message))

    def build(self, node, path):
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.error(node, 'the file expands to more than {} values (through aliases?); '
                             'this is not a sensible agenda or config'.format(MAX_VALUES))
        if len(path) > MAX_DEPTH:
            raise self.error(node, 'values nest more than {} levels deep (through aliases)'
                             .format(MAX_DEPTH))
        if id(node) in self.active:
            raise self.error(node, 'an alias refers to itself (a value that contains itself)')
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
                return self.mapping(node, path)
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
                return [self.build(item, path + (index,)) for index, item in enumerate(node.value)]
        finally:
            self.active.discard(id(node))
        raise self.error(node, 'the tag {} is not supported here'.format(_tag(node)))

    def scalar(self, node):
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
            problem = getattr(error, 'problem', None) or str(error) or type(error).__name__
            raise self.error(node, 'bad value {} for {}: {}'.format(
                shown(node.value), _tag(node), problem))

    def mapping(self, node, path):
        try:
            self.loader.flatten_mapping(node)
        except RecursionError:
            raise self.error(node, 'a merge ("<<") refers to itself')
        except yaml.YAMLError as error:
            raise self.error(node, getattr(error, 'problem', None) or str(error))
        data, seen = {}, {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, 'a key must be a single value, not a list or mapping')
            key = self.scalar(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise self.error(key_node, '{} is given twice (also at line {})'.format(
                    shown(key), seen[key]))
            seen[key] = line
            data[key] = self.build(value_node, path + (key,))
            self.lines[path + (key,)] = line
        return data


def _tag(node):
    """``!!int`` for PyYAML's ``tag:yaml.org,2002:int``."""
    return node.tag.replace('tag:yaml.org,2002:', '!!')


def load(path):
    """Returns ``(data, Located)`` for a YAML file; a ConfigError names the file and line of
    any problem."""
    try:
        with open(path, 'rb') as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ConfigError('Cannot read {}: {}'.format(shown(str(path)), error.strerror))
    if len(raw) > MAX_FILE_BYTES:
        raise ConfigError('{}: the file is larger than {} MiB; this is not a sensible agenda '
                          'or config'.format(path, MAX_FILE_BYTES // (1024 * 1024)))
    try:
        text = raw.decode('utf-8-sig')
    except UnicodeDecodeError as error:
        raise ConfigError('{}:{}: not a UTF-8 text file (byte {} of that line is {})'.format(
            path, raw.count(b'\n', 0, error.start) + 1,
            error.start - raw.rfind(b'\n', 0, error.start), hex(raw[error.start])))
    return loads(text, path)


def loads(text, filename='<string>'):
    """Like ``load`` for text already read."""
    loader = None
    try:
        loader = _loader_for(text)
        node = loader.get_single_node()
    except _TooDeep as error:
        raise ConfigError('{}:{}: values nest more than {} levels deep'.format(
            filename, error.mark.line + 1, MAX_DEPTH))
    except yaml.reader.ReaderError as error:
        raise ConfigError('{}:{}: invalid YAML: the character {} is not allowed'.format(
            filename, text.count('\n', 0, error.position) + 1, shown(chr(error.character))))
    except yaml.YAMLError as error:
        mark = getattr(error, 'problem_mark', None)
        where = '{}:{}'.format(filename, mark.line + 1) if mark else filename
        problem = getattr(error, 'problem', None) or str(error)
        raise ConfigError('{}: invalid YAML: {}'.format(where, problem))
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None, Located(filename, {})
    builder = _Builder(filename, loader)
    data = builder.build(node, ())
    return data, Located(filename, builder.lines)

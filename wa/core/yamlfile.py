"""Reading YAML safely while remembering the line of every value, for errors that point at it."""
import yaml

from wa.core.exceptions import ConfigError

# libyaml's safe loader when PyYAML was built with it: the same documents, about ten times
# faster (a 10,000-job agenda is parsed in well under a second).
SafeLoader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)


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


def _index_lines(node, path, lines, filename):
    """Records the line of every value; a key given twice in one mapping is an error (YAML
    would silently keep the last)."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise ConfigError('{}:{}: "{}" is given twice (also at line {})'.format(
                    filename, line, key, seen[key]))
            seen[key] = line
            _index_lines(value_node, path + (key,), lines, filename)
            lines[path + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, path + (index,), lines, filename)


def load(path):
    """Returns ``(data, Located)`` for a YAML file; a ConfigError names the file and line of a
    syntax error."""
    try:
        with open(path, encoding='utf-8') as fh:
            text = fh.read()
    except OSError as error:
        raise ConfigError('Cannot read "{}": {}'.format(path, error.strerror))
    except UnicodeDecodeError:
        raise ConfigError('"{}" is not a YAML text file'.format(path))
    return loads(text, path)


def _parse(text):
    """The document's node tree and its data, from one parse with a safe loader."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def loads(text, filename='<string>'):
    """Like ``load`` for text already read."""
    try:
        node, data = _parse(text)
    except yaml.YAMLError as error:
        mark = getattr(error, 'problem_mark', None)
        where = '{}:{}'.format(filename, mark.line + 1) if mark else filename
        problem = getattr(error, 'problem', None) or str(error)
        raise ConfigError('{}: invalid YAML: {}'.format(where, problem))
    lines = {}
    if node is not None:
        _index_lines(node, (), lines, filename)
    return data, Located(filename, lines)

"""WA3's ``wa.utils.serializer``: YAML and JSON reading and writing, safely.

``yaml.load`` here is ``yaml.safe_load`` (WA3 plugins call ``yaml.load(fh)``); nothing can
construct Python objects from a file.
"""
import json as _json
import os

import yaml as _yaml


class yaml:  # pylint: disable=invalid-name
    """``load``/``dump`` with safe YAML."""

    @staticmethod
    def load(stream, *args, **kwargs):  # pylint: disable=unused-argument
        return _yaml.safe_load(stream)

    @staticmethod
    def dump(data, stream=None, **kwargs):
        kwargs.setdefault('default_flow_style', False)
        return _yaml.safe_dump(data, stream, **kwargs)


class json:  # pylint: disable=invalid-name
    @staticmethod
    def load(stream, *args, **kwargs):
        return _json.load(stream, *args, **kwargs)

    @staticmethod
    def loads(text, *args, **kwargs):
        return _json.loads(text, *args, **kwargs)

    @staticmethod
    def dump(data, stream, **kwargs):
        kwargs.setdefault('indent', 4)
        kwargs.setdefault('default', str)
        return _json.dump(data, stream, **kwargs)


def read_pod(path):
    """A ``.yaml``/``.yml`` or ``.json`` file's data."""
    with open(path) as fh:
        if os.path.splitext(path)[1].lower() == '.json':
            return _json.load(fh)
        return _yaml.safe_load(fh)


def write_pod(data, path):
    with open(path, 'w') as fh:
        if os.path.splitext(path)[1].lower() == '.json':
            _json.dump(data, fh, indent=4, default=str)
        else:
            _yaml.safe_dump(data, fh, default_flow_style=False)

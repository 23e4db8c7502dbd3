"""Helpers for plugins: the modules WA3 plugins import (``exec_control``, ``types``, ``misc``,
``serializer``, ``diff``, ``trace_cmd``) and this project's shared plugin helpers."""

"""Helpers for plugins (doc/plugin_helpers.rst), one module per job: ``tools`` (finding,
requiring and running target tools), ``shell`` (quoted command lines), ``numbers``,
``target_files``, ``snapshot``, ``sampling``, ``processes``, ``build``, ``tool_workload`` and
``trace_cmd``; and the modules WA3 plugins import (``exec_control``, ``types``, ``misc``,
``serializer``, ``diff``, ``trace_cmd``, ``android``), built on the same code."""

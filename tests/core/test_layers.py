"""The layers of ``wa/`` (doc/architecture.rst, "Packages"), read from the source's imports:
no import cycles; ``wa.core`` never imports a command or a plugin; plugins use only the public
API; the config, target and output packages build on ``wa.core`` and not on each other."""
import ast
import os

import pytest

import wa

ROOT = os.path.dirname(wa.__file__)
PLUGIN_PACKAGES = ('wa.workloads', 'wa.instruments', 'wa.processors')
PUBLIC_API = ('wa', 'wa.utils', 'wa.framework', 'wa.results', 'wa.version')


def _module_name(path):
    name = os.path.relpath(path, os.path.dirname(ROOT))[:-3].replace(os.sep, '.')
    return name[:-len('.__init__')] if name.endswith('.__init__') else name


def _modules():
    found = {}
    for directory, _, names in os.walk(ROOT):
        for name in names:
            if name.endswith('.py'):
                path = os.path.join(directory, name)
                found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imports(module):
    """Every ``wa`` module that ``module`` imports, at any depth of its code."""
    path = MODULES[module]
    with open(path) as fh:
        tree = ast.parse(fh.read(), path)
    package = module if path.endswith('__init__.py') else module.rpartition('.')[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                parts = package.split('.')
                base = '.'.join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                full = base + '.' + alias.name
                found.add(full if full in MODULES else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: _imports(module) for module in MODULES}


def _package(module):
    return '.'.join(module.split('.')[:2])


def _cycles():
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in GRAPH[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while not component or component[-1] != module:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    return cycles


def _offending(importers, allowed):
    return sorted('{} imports {}'.format(module, other)
                  for module in GRAPH if _package(module) in importers
                  for other in GRAPH[module] if _package(other) not in allowed)


def test_no_module_imports_itself_through_others():
    assert _cycles() == []


def test_core_never_imports_a_command_or_a_plugin():
    forbidden = {'wa.commands'} | set(PLUGIN_PACKAGES)
    assert _offending({'wa.core'}, set(_package(m) for m in MODULES) - forbidden) == []


def test_plugins_use_only_the_public_api():
    assert _offending(set(PLUGIN_PACKAGES), set(PUBLIC_API) | set(PLUGIN_PACKAGES)) == []


@pytest.mark.parametrize('layer', ['wa.config', 'wa.target', 'wa.output'])
def test_config_target_and_output_build_only_on_core(layer):
    assert _offending({layer}, {layer, 'wa.core', 'wa.version'}) == []


def test_plugin_helpers_never_import_a_plugin_or_a_command():
    """``wa.utils`` (doc/plugin_helpers.rst) is what plugins build on, never the reverse."""
    forbidden = {'wa.commands'} | set(PLUGIN_PACKAGES)
    assert _offending({'wa.utils'}, set(_package(m) for m in MODULES) - forbidden) == []

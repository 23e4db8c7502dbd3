"""Section groups (WA3): sections of different groups combine as a cross product.

Sections sharing a ``group`` (or all having none) are alternatives at one level; each group is a
level, in the order its first section appears. A job spec is made for every path that picks one
section per level, so groups ``g1: [a, b]`` and ``g2: [x, y]`` give a-x, a-y, b-x, b-y. Each
section with a group adds the classifier ``<group>: <section id>`` to the specs under it.
"""


def section_paths(sections):
    """Every combination of one section per group level, as tuples in level order; ``[()]``
    when there are no sections."""
    levels = {}
    for section in sections:
        levels.setdefault(section.values.get('group'), []).append(section)
    paths = [()]
    for level in levels.values():
        paths = [path + (section,) for path in paths for section in level]
    return paths


def group_classifiers(path):
    """``{group: section id}`` for the sections of ``path`` that belong to a group."""
    return {str(s.values['group']): s.values['id'] for s in path if s.values.get('group')}

"""Bounds on hostile input (issue 19): nesting depth and alias expansion of YAML, the checks that
keep a small file from costing minutes or gigabytes. Each limit is documented in
docs/configuration.md ("Limits"); input beyond one is refused with an error naming the file.
"""
from __future__ import annotations

from typing import Any, Optional

import regex

# Nested flow collections (`[[[...]]]`) deeper than this are refused: libyaml stops at 1,000 and
# PyYAML's scanner is quadratic in the depth.
MAX_YAML_DEPTH = 1000
# Nodes a YAML document may expand to through aliases (a "billion laughs" bomb expands a few
# hundred bytes to billions); the largest real pack or config has a few thousand.
MAX_ALIAS_NODES = 1_000_000
# Characters a vocabulary reference (`{@name}`) may expand a pattern to (the largest built-in
# vocabulary is about 2,000).
MAX_EXPANDED_PATTERN = 100_000

_FLOW = regex.compile(r"""[\[\]{}"'#]""")
_DOUBLE_QUOTED_END = regex.compile(r'(?:[^"\\]|\\.)*"', regex.DOTALL)
_SINGLE_QUOTED_END = regex.compile(r"(?:[^']|'')*'")


def deep_flow_offset(source: str, limit: int = MAX_YAML_DEPTH) -> Optional[int]:
    """The offset where YAML flow collections nest deeper than `limit`, or None. Linear; quoted
    scalars and comments are skipped (brackets in block scalars count, harmlessly: only a page
    of a thousand unclosed brackets could reach the limit)."""
    if source.count("[") + source.count("{") <= limit:  # the usual case: nothing to scan
        return None
    depth = 0
    position = 0
    length = len(source)
    while True:
        match = _FLOW.search(source, position)
        if match is None:
            return None
        char, offset = match.group(), match.start()
        position = offset + 1
        if char in "[{":
            depth += 1
            if depth > limit:
                return offset
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "#":
            if offset == 0 or source[offset - 1] in " \t\n":
                newline = source.find("\n", offset)
                position = length if newline < 0 else newline
        else:
            before = source[:offset].rstrip(" \t")
            if depth or not before or before[-1] in "\n:-?,[{":
                closing = (_DOUBLE_QUOTED_END if char == '"' else _SINGLE_QUOTED_END).match(source, position)
                position = length if closing is None else closing.end()


def expanded_size(data: Any, limit: int = MAX_ALIAS_NODES) -> int:
    """Nodes of `data` counted as a tree (what a walk of it visits, aliases expanded), stopping
    past `limit`; shared containers are counted once each and multiplied, never walked again."""
    sizes = {}
    stack = [(data, False)]
    while stack:
        node, children_done = stack.pop()
        if not isinstance(node, (dict, list, tuple)) or id(node) in sizes:
            continue
        children = list(node.values()) + list(node.keys()) if isinstance(node, dict) else list(node)
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for child in children if isinstance(child, (dict, list, tuple))
                         and id(child) not in sizes)
            continue
        total = 1
        for child in children:
            total += sizes.get(id(child), 1)
            if total > limit:
                return total
        sizes[id(node)] = total
    return sizes.get(id(data), 1)

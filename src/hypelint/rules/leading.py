"""What every match of a rule pattern begins with, and the equivalent pattern `regex` runs faster.

Every rule pattern is compiled as `(?<![\\w])(?:SOURCE)(?![\\w])` (whole words only). A pattern
that starts with a lookbehind defeats the `regex` module's fast scan for a possible first
character: it tries the whole pattern at every position, and a vocabulary alternation of a few
hundred words then costs about 300 ns per character of text. Two rewrites give the same matches
much faster (about 40% less search time on the benchmark corpus, benchmarks/README.md):

- When every match starts with a word character (a letter, digit or `_` of the pattern's first
  literal, class or `\\d`/`\\w`), "no word character before" is exactly a word boundary, and
  `\\b` lets `regex` skip to candidate positions.
- When every match starts with one of a small set of short strings (the first atoms of each
  branch: literal characters, small classes, `\\d`, `\\s`, `\\w`), a lookahead of those strings,
  factored by shared prefix, rejects almost every position in a few steps.

Both only add conditions that every match already meets, so the matches (and their spans) are
the same; tests/test_leading.py checks it on every built-in pattern and on random text. The
analysis reads the pattern with Python's own parser under the same guards as hypelint.prefilter:
syntax only `regex` has, or flags the analysis does not know, leave the pattern as it is. The
rewritten source is only what gets compiled: a pattern's identity (its `pattern` attribute, the
prefilter's keys, messages) stays the declared one. Rewritten sources are kept in the pattern
cache under hypelint.rules.patterns.LEADING_FORMAT: bump it when the rewrite changes.
"""
from __future__ import annotations

import re
from typing import FrozenSet, List, Optional, Set, Tuple

from ..prefilter import REPEATS, parse_pattern, sre
from .spec import WORD_START

MAX_ATOMS = 4  # atoms per leading string: enough to reject almost every position
MAX_STRINGS = 256  # leading strings per pattern before the analysis tries shorter ones

_Atoms = Tuple[str, ...]  # one leading string: regex atoms ("a", "\\d", "[A-Z]")
_STOP = ("stop", None)  # ends a leading string (what follows a repeat is not known)
_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_WORD: r"\w"}
_WORD_ATOMS = {r"\d", r"\w"}
_WORD_CLASS = re.compile(r"\[(?:[A-Za-z0-9_]|[A-Za-z0-9]-[A-Za-z0-9])+\]")
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}


class _TooMany(Exception):
    pass


def _atom(op, value) -> Optional[List[str]]:
    """The atoms one character node can match: several for a small class of literals."""
    if op is sre.LITERAL:
        return [chr(value).lower()] if value < 128 else None
    if op is not sre.IN:
        return None
    if len(value) == 1 and value[0][0] is sre.CATEGORY:
        category = _CATEGORIES.get(value[0][1])
        return None if category is None else [category]
    literals: Set[str] = set()
    ranges: Set[Tuple[int, int]] = set()
    for item, argument in value:
        if item is sre.LITERAL and argument < 128:
            literals.add(chr(argument).lower())
        elif item is sre.RANGE and argument[1] < 128:
            ranges.add(argument)
        else:  # a negated class, non-ASCII, a category among others: no atom
            return None
    if not ranges:
        return sorted(literals) if len(literals) <= 8 else None
    parts = [re.escape(char) for char in sorted(literals)]
    parts += [f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in sorted(ranges)]
    return ["[" + "".join(parts) + "]"]


def _leading(items, limit: int) -> Set[_Atoms]:
    """Strings of at most `limit` atoms such that every match of `items` starts with one of
    them; the empty tuple means some match starts with anything."""
    if limit == 0 or not items:
        return {()}
    (op, value), rest = items[0], items[1:]
    if op is _STOP[0]:
        return {()}
    if op in _ZERO_WIDTH:  # consumes nothing: leaving its condition out only widens the set
        return _leading(rest, limit)
    if op is sre.LITERAL or op is sre.IN:
        atoms = _atom(op, value)
        if atoms is None:
            return {()}
        tails = _leading(rest, limit - 1)
        return {(atom,) + tail for atom in atoms for tail in tails}
    if op is sre.SUBPATTERN:
        return _leading(list(value[-1]) + rest, limit)
    if getattr(sre, "ATOMIC_GROUP", None) is op:
        return _leading(list(value) + [_STOP], limit)
    if op is sre.BRANCH:
        found: Set[_Atoms] = set()
        for alternative in value[1]:
            found |= _leading(list(alternative) + rest, limit)
            if len(found) > MAX_STRINGS:
                raise _TooMany
        return found
    if op in REPEATS:
        low, high, inner = value
        inner = list(inner)
        if () in _leading(inner + [_STOP], limit):  # may match nothing, or start with anything
            return {()}
        # one repetition, then the remaining ones (the same repeat with both bounds lowered)
        again = [] if high == 1 else [(op, (max(low - 1, 0), high if high == sre.MAXREPEAT else high - 1, inner))]
        found = _leading(inner + again + rest, limit)
        return found | _leading(rest, limit) if low == 0 else found
    return {()}  # anything else (back-references, conditionals): no constraint known


def leading(pattern: str, flags: int) -> Optional[FrozenSet[_Atoms]]:
    """The leading strings of a whole-word rule pattern, or None when there is no usable set."""
    parsed = parse_pattern(pattern, flags) if pattern.startswith(WORD_START) else None
    if parsed is None:
        return None
    tree = list(parsed)
    for limit in range(MAX_ATOMS, 0, -1):
        try:
            strings = _leading(tree, limit)
        except _TooMany:
            continue
        except RecursionError:
            return None
        return None if () in strings else frozenset(strings)
    return None


def _lookahead(strings) -> str:
    """`(?i:...)` of the strings factored by shared prefix; a string that ends early accepts
    whatever follows it."""
    trie: dict = {}
    for string in strings:
        node = trie
        for atom in string:
            node = node.setdefault(atom, {})
        node[None] = {}

    def emit(node: dict) -> str:
        if None in node:
            return ""
        branches = [(re.escape(atom) if len(atom) == 1 else atom) + emit(child) for atom, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    # case-insensitive whatever the pattern's flags: a case-sensitive literal only widens it
    return f"(?=(?i:{emit(trie)}))"


def _word_atom(atom: str) -> bool:
    if len(atom) == 1:
        return atom.isalnum() or atom == "_"
    return atom in _WORD_ATOMS or bool(_WORD_CLASS.fullmatch(atom))


def faster(pattern: str, flags: int) -> str:
    """The source to compile for `pattern`: the rewrite above, or `pattern` itself."""
    strings = leading(pattern, flags)
    if not strings:
        return pattern
    start = r"\b" if all(_word_atom(string[0]) for string in strings) else WORD_START
    return start + _lookahead(strings) + pattern[len(WORD_START):]

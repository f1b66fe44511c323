"""Pattern syntax shared by rules, exceptions and disclosures.

- `regex:` a regular expression (the `regex` module's syntax). A literal space matches any run
  of whitespace, so patterns survive line wrapping and markup removal.
- `phrases:` literal phrases; a space matches any whitespace and a hyphen matches a hyphen, a
  space or nothing ("side-effect free" also finds "side effect free" and "sideeffect free").
Both are case-insensitive unless `case_sensitive: true`, and match whole words only.
"""
from __future__ import annotations

from typing import List

import regex

from .. import regexcache
from .spec import WORD_END, WORD_START

LEADING_FORMAT = 1  # bump when hypelint.rules.leading rewrites patterns differently


# an escape, a character class (to its closing bracket, if any), or a literal space with its quantifier
_SPACE_TOKEN = regex.compile(r"\\.|\[(?:\\.|[^\]\\])*\]?| [?*+]?", regex.DOTALL)


def _space_token(match) -> str:
    token = match.group()
    if token[0] != " ":
        return token
    return r"\s*" if token in (" ?", " *") else r"\s+"


def spaces_to_whitespace(source: str) -> str:
    """Replace unescaped literal spaces outside character classes with `\\s+`.

    A quantified space keeps its meaning: " ?" and " *" become `\\s*`, " +" becomes `\\s+`.
    """
    return _SPACE_TOKEN.sub(_space_token, source) if " " in source else source


def phrase_to_regex(phrase: str) -> str:
    parts = []
    for word in phrase.split():
        pieces = [regex.escape(piece, literal_spaces=True) for piece in word.split("-")]
        parts.append(r"[-\u2010\u2011 ]?".join(pieces))
    return r"\s+".join(parts)


def compile_source(source: str, case_sensitive: bool = False, lazy: bool = False) -> "LazyPattern":
    """The whole-word pattern for `source`. `lazy` defers compiling to the first search: for the
    built-in packs, whose patterns the test suite compiles and runs, so start-up only pays for
    the rules a page can trigger. Otherwise it is compiled now, so a bad regex fails the load."""
    flags = 0 if case_sensitive else regex.IGNORECASE
    pattern = LazyPattern(f"{WORD_START}(?:{source}){WORD_END}", flags)
    if not lazy:
        pattern.compiled()
    return pattern


def program(pattern: str, flags: int) -> regex.Pattern:
    """The compiled program for a rule pattern: the equivalent, faster source of
    hypelint.rules.leading when it has one (worked out once and kept in the pattern cache)."""
    key = ("leading", LEADING_FORMAT, pattern, flags)
    source = regexcache.lookup(key)
    if not isinstance(source, str):
        from .leading import faster

        source = faster(pattern, flags)
        regexcache.remember(key, source)
    if source != pattern:
        try:
            return regexcache.compile(source, flags)
        except regex.error:  # an invalid pattern reports its own error, not the rewrite's
            pass
    return regexcache.compile(pattern, flags)


_REPORTED_FLAGS: dict = {}


class LazyPattern:
    """A rule pattern: its declared `pattern` and `flags` (its identity) and the search API of
    its program (`program()`), compiled on first use."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int):
        self.pattern = pattern
        # the flags the compiled pattern will report (regex adds UNICODE and VERSION0 for str)
        reported = _REPORTED_FLAGS.get(flags)
        if reported is None:
            reported = _REPORTED_FLAGS[flags] = regex.compile("", flags).flags
        self.flags = reported
        self._compiled = None

    def compiled(self) -> regex.Pattern:
        if self._compiled is None:
            self._compiled = program(self.pattern, self.flags)
        return self._compiled

    def finditer(self, *args, **kwargs):
        return self.compiled().finditer(*args, **kwargs)

    def search(self, *args, **kwargs):
        return self.compiled().search(*args, **kwargs)

    def match(self, *args, **kwargs):
        return self.compiled().match(*args, **kwargs)

    def findall(self, *args, **kwargs):
        return self.compiled().findall(*args, **kwargs)

    def sub(self, *args, **kwargs):
        return self.compiled().sub(*args, **kwargs)

    def __eq__(self, other) -> bool:
        return (getattr(other, "pattern", None), getattr(other, "flags", None)) == (self.pattern, self.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __reduce__(self):
        return (LazyPattern, (self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern[:40]!r}...)"

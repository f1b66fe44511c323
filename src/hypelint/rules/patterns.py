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

from .spec import WORD_END, WORD_START


def spaces_to_whitespace(source: str) -> str:
    """Replace unescaped literal spaces outside character classes with `\\s+`."""
    out: List[str] = []
    in_class = False
    escaped = False
    for char in source:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[" and not in_class:
            in_class = True
            out.append(char)
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        elif char == " " and not in_class:
            if out[-2:] != ["\\s", "+"] and "".join(out[-3:]) != "\\s+":
                out.append(r"\s+")
        else:
            out.append(char)
    return "".join(out)


def phrase_to_regex(phrase: str) -> str:
    parts = []
    for word in phrase.split():
        pieces = [regex.escape(piece, literal_spaces=True) for piece in word.split("-")]
        parts.append(r"[-\u2010\u2011 ]?".join(pieces))
    return r"\s+".join(parts)


def compile_source(source: str, case_sensitive: bool = False) -> regex.Pattern:
    flags = 0 if case_sensitive else regex.IGNORECASE
    return regex.compile(f"{WORD_START}(?:{source}){WORD_END}", flags)

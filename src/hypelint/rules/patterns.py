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
    """Replace unescaped literal spaces outside character classes with `\\s+`.

    A quantified space keeps its meaning: " ?" and " *" become `\\s*`, " +" becomes `\\s+`.
    """
    out: List[str] = []
    in_class = False
    escaped = False
    index = 0
    while index < len(source):
        char = source[index]
        following = source[index + 1] if index + 1 < len(source) else ""
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
            if following in "?*":
                out.append(r"\s*")
                index += 1
            else:
                if following == "+":
                    index += 1
                out.append(r"\s+")
        else:
            out.append(char)
        index += 1
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

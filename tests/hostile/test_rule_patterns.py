"""Built-in patterns have no empty alternative: `tissue||nerves?` matched the empty string, so
HL106 flagged "We repair & replace broken phone screens" (found by fuzzing, issue 19)."""
from __future__ import annotations

import pytest

from hypelint import lint_text
from hypelint.linter import Linter
from hypelint.rules import builtin_pack_names, load_packs


def empty_alternatives(pattern: str):
    """Offsets of `|` that start or end an empty branch (outside character classes and escapes)."""
    found = []
    in_class = False
    previous = None  # the last significant token: "(", "|", or "x" for anything else
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            previous = "x"
            continue
        if in_class:
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
            if pattern[index + 1:index + 2] == "^":
                index += 1
            if pattern[index + 1:index + 2] == "]":  # a literal ] first in the class
                index += 1
        elif char == "(":
            if pattern.startswith("(?", index):
                close = index + 2
                while close < len(pattern) and pattern[close] not in ":)>=!|" and not pattern.startswith("<=", close) \
                        and not pattern.startswith("<!", close):
                    close += 1
                if pattern.startswith("<", close) and close + 1 < len(pattern):
                    close += 1  # (?<= and (?<!
                if close < len(pattern) and pattern[close] == ")":  # inline flags: (?i)
                    index = close + 1
                    previous = "x"
                    continue
                index = close
            previous = "("
            index += 1
            continue
        elif char == "|":
            if previous in ("(", "|", None):
                found.append(index)
            previous = "|"
            index += 1
            continue
        elif char == ")":
            if previous == "|":
                found.append(index - 1)
        index += 1
        previous = "x" if not in_class or char == "]" else previous
    if previous == "|":
        found.append(len(pattern) - 1)
    return found


@pytest.mark.parametrize("pattern, expected", [
    ("tissue||nerves?", [7]), ("(?:|a)", [3]), ("(?:a|)", [4]), ("a|", [1]), ("|a", [0]),
    ("[|]|a", []), (r"a\||b", []), ("(?i)a|b", []), ("(?<=x)a|b", []), ("a(?:b|c)|d", []),
])
def test_the_scanner_finds_empty_branches(pattern, expected):
    assert empty_alternatives(pattern) == expected


def test_no_builtin_pattern_has_an_empty_alternative():
    offenders = []
    for rule in load_packs(builtin_pack_names()):
        for field_name in Linter.PATTERN_FIELDS:
            for pattern in getattr(rule, field_name):
                if empty_alternatives(pattern.pattern):
                    offenders.append(f"{rule.source}: {rule.code} {field_name}: {pattern.pattern[:80]}")
    assert offenders == []


def test_phone_screen_repair_is_not_a_regeneration_claim():
    assert [d.code for d in lint_text("We repair & replace broken phone screens.")] == []
    assert "HL106" in [d.code for d in lint_text("Stem cells repair damaged tissue.")]

"""Every bundled rule's embedded examples run as tests, and the rule data itself is linted."""
from __future__ import annotations

import pytest

from hypelint.linter import Linter
from hypelint.rules import CATEGORIES, builtin_pack_names, load_packs
from hypelint.rules.leading import faster

ALL_RULES = load_packs(builtin_pack_names())
CASES_BAD = [(r, i) for r in ALL_RULES for i in range(len(r.bad_examples))]
CASES_GOOD = [(r, i) for r in ALL_RULES for i in range(len(r.good_examples))]


def _found(rule, text):
    linter = Linter(ALL_RULES, select=[rule.code])
    return [d for d in linter.lint_text(text, format="markdown") if d.code == rule.code]


@pytest.mark.parametrize("rule,index", CASES_BAD, ids=[f"{r.code}-bad{i}" for r, i in CASES_BAD])
def test_bad_example_flags_exactly_the_marked_span(rule, index):
    example = rule.bad_examples[index]
    found = _found(rule, example.text)
    if rule.scope == "document":
        assert len(found) == 1, f"{rule.code}: expected one document finding in {example.text!r}"
        assert found[0].document_level
    else:
        got = [(d.start, d.end) for d in found]
        expected = list(example.spans)
        assert got == expected, (
            f"{rule.code} on {example.text!r}: expected {[example.text[s:e] for s, e in expected]}, "
            f"got {[example.text[s:e] for s, e in got]}")


@pytest.mark.parametrize("rule,index", CASES_GOOD, ids=[f"{r.code}-good{i}" for r, i in CASES_GOOD])
def test_good_example_is_quiet(rule, index):
    example = rule.good_examples[index]
    found = _found(rule, example.text)
    assert not found, f"{rule.code} flagged {[d.matched for d in found]} in good example {example.text!r}"


def test_codes_and_names_are_unique():
    codes = [r.code for r in ALL_RULES]
    names = [r.name for r in ALL_RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", list(ALL_RULES), ids=lambda r: r.code)
def test_rule_is_complete(rule):
    assert rule.bad_examples, "needs at least one bad example"
    assert rule.good_examples, "needs at least one good example"
    assert rule.references, "needs at least one reference"
    assert rule.category in CATEGORIES
    assert rule.rationale and rule.message
    assert not rule.name.startswith("no-"), "names say the risky pattern, not the fix"


def test_every_pack_loads_and_defaults_exist():
    from hypelint.rules import default_pack_names

    assert "core" in builtin_pack_names()
    assert "core" in default_pack_names()


def test_every_builtin_pattern_compiles():
    """Built-in packs compile lazily at run time (start-up cost); here every pattern is compiled."""
    for rule in ALL_RULES:
        for patterns in (rule.patterns, rule.exceptions, rule.requires, rule.sentence_has,
                         rule.document_has, rule.before, rule.after):
            for pattern in patterns:
                compiled = pattern.compiled()
                # the program is the declared pattern or its faster equivalent (rules/leading.py)
                assert compiled.pattern in (pattern.pattern, faster(pattern.pattern, pattern.flags))
                assert compiled.flags == pattern.flags

"""The prefilter is exact: the same diagnostics, in the same order, with and without it."""
from __future__ import annotations

import random
import re
import sys

import pytest

from conftest import needs_shared
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypelint.linter import Linter
from hypelint.prefilter import ASCII_FOLDS, Prefilter, analyse, fold, prefix_free_keys, trie_pattern
from hypelint.rules import builtin_pack_names, load_packs
from hypelint.rules.patterns import compile_source, spaces_to_whitespace

ALL_RULES = load_packs(builtin_pack_names())

# A ruleset written for these tests: literal-rich, literal-poor and opaque patterns, exceptions,
# a case-sensitive pattern and a document rule.
TRICKY_RULES = """
pack: tricky
rules:
  - code: TX101
    name: cure-word
    category: claim.cure
    severity: error
    message: '"{match}" cure.'
    rationale: Test rule.
    references: [{title: t, url: 'https://example.org/t'}]
    patterns:
      - regex: 'cure[sd]?|curing|cure-all'
      - regex: 'revers(?:e[sd]?|ing) (?:your )?(?:hair loss|baldness)'
    exceptions:
      - regex: 'cured (?:ham|meat)'
    examples:
      bad: ['It [[cures]] it.']
      good: ['Cured ham.']
  - code: TX102
    name: stem-cells
    category: claim.cure
    severity: warning
    message: 'stem'
    rationale: Test rule.
    references: [{title: t, url: 'https://example.org/t'}]
    patterns:
      - phrases: [stem cells, side-effect free, no side effects]
      - {regex: 'FDA[- ]approved', case_sensitive: true}
    examples:
      bad: ['Our [[stem cells]] work.']
      good: ['Stems of cells.']
  - code: TX103
    name: number-percent
    category: evidence.unsourced-statistic
    severity: info
    message: 'number'
    rationale: A pattern with no literal at all runs on every document.
    references: [{title: t, url: 'https://example.org/t'}]
    patterns:
      - regex: '\\d{2,3}% of (?:users|patients)'
    examples:
      bad: ['[[95% of users]] agree.']
      good: ['Some users agree.']
  - code: TX104
    name: letters-opaque
    category: claim.puffery
    severity: info
    message: 'opaque'
    rationale: Syntax only the regex module knows makes the rule opaque, never skipped.
    references: [{title: t, url: 'https://example.org/t'}]
    patterns:
      - regex: 'miracle\\p{L}*'
      - regex: '(?:breakthrough){e<=1}'
    examples:
      bad: ['A [[miracles]] day.']
      good: ['A calm day.']
  - code: TX105
    name: wide-span
    category: claim.puffery
    severity: info
    message: 'wide'
    rationale: A pattern that can run across markup and block ends is not segment-local.
    references: [{title: t, url: 'https://example.org/t'}]
    patterns:
      - regex: 'best[^.]{0,20}ever'
    examples:
      bad: ['The [[best serum ever]].']
      good: ['The best.']
  - code: TX901
    name: missing-status
    category: disclosure.regulatory-status
    severity: warning
    scope: document
    message: 'status "{match}"'
    rationale: Test rule.
    references: [{title: t, url: 'https://example.org/t'}]
    patterns:
      - regex: 'exosomes?|PRP'
    requires:
      - regex: 'not FDA[- ]approved'
    examples:
      bad: ['Exosome facials.']
      good: ['Exosomes are not FDA-approved.']
"""

FRAGMENTS = [
    "Our serum cures baldness.", "It reverses your hair loss", "cured ham", "curing", "cure-all",
    "STEM CELLS", "stem\ncells", "side-effect free", "side effect free", "sideeffect free",
    "no side effects", "FDA-approved", "fda approved", "95% of users", "miracles", "breakthrougx",
    "the best serum ever", "best", "ever.", "exosomes", "PRP", "not FDA-approved", "secure",
    "guaranteed", "Studies have shown", "clinically proven", "risk-free trial", "completely safe",
    "\u212aelvin", "ſtudies have shown", "İ", "CURE\u0130", "reverſes baldneſs", "`cures`",
    "[cures](https://cure.example)", "<!-- cures -->", "**cures**", "> cures", "- cures", "| cures |",
    "\n\n", "\n", " ", "# Cure", "```\ncures\n```\n", "www.cures.example", "stem-cell",
]


def _as_data(diagnostics):
    return [(d.to_dict(), d.start, d.end, d.matched, d.document_level) for d in diagnostics]


def _both(rules, text, format="markdown"):
    fast = Linter(rules)
    slow = Linter(rules)
    slow.use_prefilter = False
    return (_as_data(fast.lint_text(text, path="doc.md", format=format)),
            _as_data(slow.lint_text(text, path="doc.md", format=format)))


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    path = tmp_path_factory.mktemp("rules") / "tricky.yaml"
    path.write_text(TRICKY_RULES, encoding="utf-8")
    return load_packs([str(path)])


def test_ascii_folds_match_the_installed_regex_module():
    # every non-ASCII character the `regex` module matches case-insensitively with an ASCII letter
    text = "".join(chr(cp) for cp in range(128, sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    found = {char: char for char in regex.findall(r"[a-z]", text, flags=regex.IGNORECASE)}
    assert set(found) == set(ASCII_FOLDS)
    for char, ascii_char in ASCII_FOLDS.items():
        assert regex.fullmatch(ascii_char, char, flags=regex.IGNORECASE)
    assert fold("CURE \u0130 \u017f \u212a") == "cure i s k"


def test_caseless_ranges_match_only_themselves_case_insensitively():
    """A literal may hold characters of CASELESS_RANGES: no other character matches one of them
    case-insensitively, and they have no case mapping or folding (so none folds to another)."""
    from hypelint.prefilter import CASELESS_RANGES

    chars = [chr(code) for low, high in CASELESS_RANGES for code in range(low, high + 1)]
    assert all(char.lower() == char.upper() == char.casefold() == char for char in chars)
    text = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    in_ranges = regex.compile("[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in CASELESS_RANGES) + "]",
                              flags=regex.IGNORECASE)
    assert set(in_ranges.findall(text)) == set(chars)
    info = analyse(compile_source(spaces_to_whitespace("five star reviews|\u2605\u2605\u2605\u2605\u2605")))
    assert info.literals == frozenset({"reviews", "\u2605\u2605\u2605\u2605\u2605"})


@pytest.mark.parametrize("source,literals", [
    ("cure[sd]?|curing|cure-all", {"cure", "cures", "cured", "curing", "cure-all"}),
    ("FDA[- ](?:approved|certified)", {"fda approved", "fda-approved", "fda certified", "fda-certified"}),
    ("(?:clinically|medically) (?:proven|shown)", {"clinically", "medically"}),
    ("safe and effective", {"effective"}),
    (r"\d{2,3}% of users", {"users"}),
    ("no risks", {"risks"}),
])
def test_required_literals(source, literals):
    info = analyse(compile_source(spaces_to_whitespace(source)))
    assert info.literals == frozenset(literals)
    assert info.segment_local


@pytest.mark.parametrize("source,literals,also", [
    (r"(?:treat|cure)s?\s+(?:acne|eczema)", {"eczema", "acne"}, {"treat", "cure"}),
    (r"(?:reverses|cures)\s+(?:\w+\s+)?(?:hair\s+loss|baldness)", {"reverses", "cures"}, {"hair", "baldness"}),
    # branches: one set of each alternative, joined (paired by selectivity)
    (r"(?:only|sole)\s+(?:cure|treatment)|(?:best|top)\s+(?:clinic|doctor)",
     {"cure", "treatment", "best", "top"}, {"only", "sole", "clinic", "doctor"}),
    ("safe and effective", {"effective"}, None),          # one literal run: nothing more to say
    (r"(?:treat|cure)s?(?:\s+acne)?", {"treat", "treats", "cure", "cures"}, None),  # acne is optional
])
def test_second_required_set(source, literals, also):
    """`also`: a second set of which every match holds a literal, from another part (which of
    the two is `literals` is the first analysis's choice)."""
    info = analyse(compile_source(spaces_to_whitespace(source)))
    if also is None:
        assert (info.literals, info.also) == (frozenset(literals), None)
    else:
        assert {info.literals, info.also} == {frozenset(literals), frozenset(also)}


@needs_shared  # counts real pages of ../shared
def test_every_match_of_a_built_in_pattern_holds_a_literal_of_both_sets():
    """The second set is a requirement like the first: checked on the rule examples, the
    bundled examples, the wild pages and the labelled corpus, for every built-in pattern that
    has one."""
    from conftest import real_page_texts

    texts = [example.text for rule in ALL_RULES for example in rule.good_examples + rule.bad_examples]
    texts += real_page_texts()
    checked = 0
    for rule in ALL_RULES:
        for pattern in (p for name in Linter.PATTERN_FIELDS for p in getattr(rule, name)):
            info = analyse(pattern)
            if info.also is None:
                continue
            for text in texts:
                for match in pattern.finditer(text):
                    found = fold(match.group())
                    assert any(literal in found for literal in info.literals), (rule.code, match.group())
                    assert any(literal in found for literal in info.also), (rule.code, match.group())
                    checked += 1
    assert checked > 250


@pytest.mark.parametrize("source", [
    r"\d+%",                      # no literal of three characters
    r"miracle\p{L}*",             # \p{...} is `regex` syntax: opaque
    r"(?:breakthrough){e<=1}",    # fuzzy matching: opaque
    r"[[:alpha:]]+cure",          # POSIX class: opaque
    r"(cure)\1",                  # back-reference: no literal claimed
    r"a|cure",                    # one branch without a literal
])
def test_patterns_without_usable_literals(source):
    pattern = compile_source(spaces_to_whitespace(source))
    assert analyse(pattern).literals is None or source == r"(cure)\1"
    if source == r"(cure)\1":
        assert not analyse(pattern).segment_local


@pytest.mark.parametrize("source,local", [
    (r"cure\b", True), (r"cure.*", False), (r"^cure", False), (r"cure[^.]", False),
    (r"cure(?=\s)", True), (r"cure(?!.)", False), (r"cure$", False), (r"cure[^\x00]", True),
])
def test_segment_locality(source, local):
    assert analyse(compile_source(spaces_to_whitespace(source))).segment_local is local


def test_prefix_free_keys_and_trie():
    keys = prefix_free_keys(["cure", "cures", "curing", "cur", "stem cell", "stem-cells"])
    assert keys == {"cur": "cur", "cure": "cur", "cures": "cur", "curing": "cur",
                    "stem cell": "stem cell", "stem-cells": "stem-cells"}
    pattern = re.compile(f"(?:{trie_pattern(set(keys.values()))})")
    assert {m.group() for m in pattern.finditer("curstem cellstem-cells")} == {"cur", "stem cell", "stem-cells"}


def test_rules_are_skipped_when_their_keys_are_absent(tricky):
    prefilter = Prefilter(tricky)
    codes = [rule.code for rule in prefilter.candidates("A calm page about walking.")]
    assert codes == ["TX104"]  # its patterns are opaque to the analysis: it always runs
    codes = [rule.code for rule in prefilter.candidates("It cures. EXOSOMES. 95% of USERS.")]
    assert codes == ["TX101", "TX103", "TX104", "TX901"]


def test_identical_on_every_bundled_rule_example():
    texts = [e.text for rule in ALL_RULES for e in rule.bad_examples + rule.good_examples]
    for text in texts + ["\n\n".join(texts)]:
        fast, slow = _both(ALL_RULES, text)
        assert fast == slow, text


def _generated_documents(count, seed):
    rng = random.Random(seed)
    for _ in range(count):
        parts = [rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 40))]
        yield "".join(part + rng.choice([" ", " ", "\n", ". ", "\n\n"]) for part in parts)


@pytest.mark.parametrize("which", ["bundled", "tricky"])
def test_identical_on_generated_documents(which, tricky):
    rules = ALL_RULES if which == "bundled" else tricky
    checked = 0
    for index, text in enumerate(_generated_documents(150, seed=11)):
        for format in ("markdown", "text"):
            fast, slow = _both(rules, text, format)
            assert fast == slow, (format, text)
            checked += bool(slow)
    assert checked > 100  # the documents do produce findings


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=25))
def test_property_identical_diagnostics(tricky_rules, parts):
    text = " ".join(parts)
    fast, slow = _both(tricky_rules, text)
    assert fast == slow


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS + ["\x00", "\x00\x00", "é"]), st.text(max_size=4)),
                max_size=25))
def test_property_segments_find_the_same_matches(tricky_rules, parts):
    """For segment-local rules, searching only the runs with a key finds what a whole-mask search
    finds (matches spanning a NUL are dropped by the linter, so they are dropped here too)."""
    mask = " ".join(parts)
    rules = list(ALL_RULES) + list(tricky_rules)
    prefilter = Prefilter(rules)
    positions = prefilter.key_positions(mask)
    for rule in rules:
        for pattern in rule.patterns:
            segments = prefilter.segments(pattern, mask, positions)
            if segments is None:
                # "search the whole mask": always safe; the tricky non-local rules must land here
                # (built-in patterns the analyser cannot prove local, or without literals, do too)
                assert rule.code in ("TX103", "TX104", "TX105") or rule.pack != "tricky"
                continue
            whole = [m.span() for m in pattern.finditer(mask) if m.end() > m.start() and "\x00" not in m.group()]
            local = [m.span() for start, end in segments for m in pattern.finditer(mask, start, end)
                     if m.end() > m.start() and "\x00" not in m.group()]
            assert local == whole, (rule.code, pattern.pattern, mask)


@pytest.fixture(scope="module")
def tricky_rules(tricky):
    return tricky


def test_shipped_analysis_table_is_current():
    """rulesets/_prefilter.json holds the analysis of every built-in pattern (rule patterns,
    exceptions, requirements, context patterns, and the engine's gated context patterns);
    regenerate it with
    `python -m hypelint.prefilter` after changing a pack."""
    from hypelint import prefilter as module

    from hypelint.linter import Linter

    from hypelint.context import GATED_PATTERNS

    stale = []
    patterns = [(rule.code, p) for rule in load_packs(builtin_pack_names())
                for name in Linter.PATTERN_FIELDS for p in getattr(rule, name)]
    for code, pattern in patterns + [("context", p) for p in GATED_PATTERNS]:
        shipped = module._shipped_table().get(module._table_key(pattern.pattern, pattern.flags))
        fresh = module._analyse_fresh(pattern.pattern, pattern.flags)
        if shipped is None or module.PatternInfo(*shipped) != fresh:
            stale.append(code)
    assert not stale, f"rulesets/_prefilter.json is stale for {sorted(set(stale))}: run python -m hypelint.prefilter"


def _plan_state(prefilter):
    return (prefilter.always, prefilter.key_rules, prefilter.keys, prefilter.pattern_keys, prefilter.pattern_also,
            prefilter.gate_literals, prefilter.scanner_source, prefilter.scanner.pattern, prefilter.scanner.flags)


def test_a_plan_from_the_pattern_cache_equals_a_fresh_one(tmp_path, monkeypatch, tricky):
    from hypelint import regexcache

    monkeypatch.setenv("HYPELINT_PATTERN_CACHE", str(tmp_path))
    regexcache._reset_for_tests()
    try:
        for rules in (ALL_RULES, tricky.rules):
            assert not Prefilter.cached(rules)
            fresh = Prefilter(rules)
            assert Prefilter.cached(rules)
            regexcache.save()
            regexcache._reset_for_tests()  # a new process: only the file is left
            monkeypatch.setattr(Prefilter, "_build", lambda self: pytest.fail("built instead of loaded"))
            loaded = Prefilter(rules)
            monkeypatch.undo()
            monkeypatch.setenv("HYPELINT_PATTERN_CACHE", str(tmp_path))
            assert _plan_state(loaded) == _plan_state(fresh)
            text = fold(SAMPLE_FOR_PLAN * 3)
            assert loaded.key_positions(text) == fresh.key_positions(text)
        # a rule set that differs in one pattern has a plan of its own
        assert not Prefilter.cached(ALL_RULES.rules[:-1])
    finally:
        regexcache._reset_for_tests()


def test_a_damaged_plan_is_rebuilt(tmp_path, monkeypatch, tricky):
    from hypelint import prefilter, regexcache

    monkeypatch.setenv("HYPELINT_PATTERN_CACHE", str(tmp_path))
    regexcache._reset_for_tests()
    try:
        fresh = Prefilter(tricky.rules)
        regexcache._reset_for_tests()
        regexcache.remember(prefilter._plan_key(tricky.rules), (prefilter.PLAN_FORMAT, "garbage"))
        assert _plan_state(Prefilter(tricky.rules)) == _plan_state(fresh)
    finally:
        regexcache._reset_for_tests()


SAMPLE_FOR_PLAN = ("It cures baldness, reverses hair loss and is FDA-approved; studies show a miracle "
                   "cure-all. Cured ham is not a claim.")

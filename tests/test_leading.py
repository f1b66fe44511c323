"""The faster program of a rule pattern (hypelint.rules.leading) finds exactly the same matches."""
from __future__ import annotations

import random

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypelint.linter import Linter
from hypelint.rules import builtin_pack_names, load_packs
from hypelint.rules.leading import faster, leading
from hypelint.rules.patterns import compile_source, spaces_to_whitespace
from hypelint.rules.spec import WORD_END, WORD_START

ALL_RULES = load_packs(builtin_pack_names())
BUILTIN = sorted({(p.pattern, p.flags) for rule in ALL_RULES for name in Linter.PATTERN_FIELDS
                  for p in getattr(rule, name)})

# characters that sit just before or inside a word and that \w, \b and case folding treat
# differently from plain ASCII: letters with case variants outside ASCII, marks, digits, joiners
ODD = ["", " ", "_", "1", "\u0663", "é", "\u0301", "\u200d", "\u00a0", "\u212a", "\u017f", "\u0130",
       "-", "'", "#", "%", "\x00", "\n", "A", "z", "\u2010", "\U0001d400"]


def _spans(source, flags, text, start=0, end=None):
    compiled = regex.compile(source, flags)
    return [m.span() for m in compiled.finditer(text, start, len(text) if end is None else end)]


def _same(pattern, flags, texts):
    fast = faster(pattern, flags)
    for text in texts:
        assert _spans(fast, flags, text) == _spans(pattern, flags, text), (pattern, text)


def _whole_word(source, case_sensitive=False):
    compiled = compile_source(spaces_to_whitespace(source), case_sensitive, lazy=True)
    return compiled.pattern, compiled.flags


def _examples_text():
    return "\n\n".join(e.text for rule in ALL_RULES for e in rule.bad_examples + rule.good_examples)


def _probe_texts(pattern, flags, seed=0):
    """Each leading string of the pattern (atoms made concrete) after and before odd characters,
    in upper and lower case, plus the rule examples."""
    rng = random.Random(seed)
    strings = leading(pattern, flags) or frozenset()
    samples = {"\\d": "7", "\\s": " ", "\\w": "x"}
    words = []
    for string in strings:
        word = "".join(samples.get(atom, atom if len(atom) == 1 else "Q") for atom in string)
        words += [word, word.upper(), word.capitalize()]
    texts = [_examples_text()]
    for _ in range(40):
        texts.append("".join(rng.choice(ODD) + rng.choice(words or ["x"]) + rng.choice(ODD)
                             for _ in range(rng.randint(1, 12))))
    return texts


def test_builtin_patterns_are_rewritten():
    rewritten = [source for source, flags in BUILTIN if faster(source, flags) != source]
    assert len(rewritten) >= 0.9 * len(BUILTIN)  # the lookbehind start is the slow path
    assert all(faster(source, flags).startswith((r"\b", WORD_START)) for source, flags in BUILTIN)


@pytest.mark.parametrize("index", range(0, len(BUILTIN), max(1, len(BUILTIN) // 40)))
def test_builtin_pattern_matches_are_identical(index):
    pattern, flags = BUILTIN[index]
    _same(pattern, flags, _probe_texts(pattern, flags, seed=index))


def test_every_builtin_pattern_on_all_examples_and_windows():
    text = _examples_text()
    rng = random.Random(3)
    windows = [(0, None)] + [tuple(sorted(rng.sample(range(len(text)), 2))) for _ in range(5)]
    for pattern, flags in BUILTIN:
        fast = faster(pattern, flags)
        for start, end in windows:
            assert _spans(fast, flags, text, start, end) == _spans(pattern, flags, text, start, end), pattern


@pytest.mark.parametrize("flags", [regex.IGNORECASE, 0])
def test_word_boundary_equals_the_lookbehind_before_a_word_character(flags):
    """The rewrite's premise, for every character of the Basic Multilingual Plane before a word:
    `\\b` and `(?<![\\w])` agree when the next character is a word character."""
    boundary = regex.compile(r"\bfoo", flags)
    lookbehind = regex.compile(WORD_START + "foo", flags)
    differ = [hex(code) for code in range(1, 0x10000) if 0xD800 > code or code > 0xDFFF
              if bool(boundary.search(chr(code) + "foo")) != bool(lookbehind.search(chr(code) + "foo"))]
    assert differ == []


@pytest.mark.parametrize("source,expected", [
    ("cure[sd]?|curing", {("c", "u", "r", "e"), ("c", "u", "r", "i")}),
    ("FDA[- ]approved", {("f", "d", "a", " "), ("f", "d", "a", "-")}),
    (r"(?:the )?best", {("t", "h", "e", r"\s"), ("b", "e", "s", "t")}),
    (r"\d+%", {(r"\d", r"\d", r"\d", r"\d"), (r"\d", r"\d", r"\d", "%"), (r"\d", r"\d", "%"), (r"\d", "%")}),
    (r"(?-i:[A-Z])\w+'s", {("[A-Z]", r"\w", r"\w", r"\w"), ("[A-Z]", r"\w", r"\w", "'"), ("[A-Z]", r"\w", "'", "s")}),
    ("#1 doctor", {("#", "1", r"\s", "d"), ("#", "1", r"\s", r"\s")}),
    ("an?", {("a", "n"), ("a",)}),
])
def test_leading_strings(source, expected):
    assert leading(*_whole_word(source)) == expected


@pytest.mark.parametrize("source", [
    r"\W*cure",  # may start with any non-word character
    ".cure",
    "[^a]ure",
    r"(?:cure)?",  # may be empty
    r"\p{L}ure",  # regex-only syntax
    "(?:cure){e<=1}",  # fuzzy matching
    "[[:alpha:]]ure",
])
def test_patterns_left_as_they_are(source):
    pattern, flags = _whole_word(source)
    assert faster(pattern, flags) == pattern


def test_a_pattern_starting_with_a_non_word_character_keeps_the_lookbehind():
    pattern, flags = _whole_word("#1 doctor|number one doctor")
    fast = faster(pattern, flags)
    assert fast.startswith(WORD_START + "(?=")
    _same(pattern, flags, ["a#1 doctor", "#1 doctor", "_#1 doctor", "x number one doctor", "Xnumber one doctor"])


def test_case_sensitive_parts_only_widen_the_lookahead():
    pattern, flags = _whole_word("(?i:miracle)|(?-i:MS) patients", case_sensitive=True)
    assert flags & regex.IGNORECASE == 0
    _same(pattern, flags, ["MIRACLE Miracle miracle", "MS patients ms patients Ms patients"])


def test_flags_the_analysis_does_not_know_leave_the_pattern_alone():
    pattern, _ = _whole_word("cure")
    assert faster(pattern, regex.IGNORECASE | regex.FULLCASE | regex.VERSION1) == pattern


def test_the_linter_compiles_the_faster_program_and_reports_the_declared_pattern():
    pattern = compile_source("cures? (?:baldness|hair loss)")
    assert pattern.pattern == f"{WORD_START}(?:cures? (?:baldness|hair loss)){WORD_END}"
    assert pattern.compiled().pattern == faster(pattern.pattern, pattern.flags) != pattern.pattern


def test_an_invalid_regex_still_reports_its_own_error():
    with pytest.raises(regex.error) as raised:
        compile_source("cure(s")
    assert "missing )" in str(raised.value)


# -- random patterns against random text ---------------------------------------------------------

_ATOMS = st.sampled_from(["cure", "cur", "a", "an", "the", "é", "İ", "ſ", "K", "_x", "1", "#", "%", "-",
                          r"\d", r"\d+", r"\s+", r"\w", r"\w+", "[sd]", "[a-c]", "[A-Z]", "[^x]", ".",
                          " ", "'", r"\b", "(?=c)", "(?!a)", "(?<=x)", "(?<!a)", "$"])


def _group(children):
    return st.one_of(
        st.lists(children, min_size=1, max_size=3).map("".join),
        st.lists(children, min_size=2, max_size=3).map(lambda parts: "(?:" + "|".join(parts) + ")"),
        children.map(lambda part: f"(?:{part})?"),
        children.map(lambda part: f"(?:{part})*"),
        children.map(lambda part: f"(?:{part})+?"),
        children.map(lambda part: f"(?:{part}){{0,2}}"),
        children.map(lambda part: f"(?:{part}){{2}}"),
        children.map(lambda part: f"(?-i:{part})"),
        children.map(lambda part: f"(?i:{part})"),
        children.map(lambda part: f"(?>{part})"),
    )


_PATTERNS = st.recursive(_ATOMS, _group, max_leaves=8)
_TEXT = st.lists(st.sampled_from(["cure", "CURE", "Cur", "an", "A", "the", "THE", "é", "İ", "ſ", "\u212a",
                                  "K", "_x", "1", "22", "#", "%", "-", " ", "\n", "x", "sd", "Z",
                                  "\u0301", "\u0663", "\x00"]), max_size=30).map("".join)


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(_PATTERNS, st.booleans(), st.lists(_TEXT, min_size=1, max_size=4))
def test_property_random_patterns_match_the_same(source, case_sensitive, texts):
    pattern = f"{WORD_START}(?:{source}){WORD_END}"
    flags = 0 if case_sensitive else regex.IGNORECASE
    try:
        regex.compile(pattern, flags)
    except regex.error:
        return
    _same(pattern, flags, texts + ["".join(texts)])


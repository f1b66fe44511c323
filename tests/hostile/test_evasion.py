"""Evasion (issue 19, item 7): invisible characters, look-alike letters, ligatures, full-width
letters, combining accents and NUL bytes no longer hide a claim, and every finding still points
at the original characters."""
from __future__ import annotations

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from hypelint import lint_text
from hypelint.linter import Linter
from hypelint.normalise import normalise

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u202a", "\u202b",
             "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u034f", "\ufe0f"]


def _claims(text, **kwargs):
    return [(d.code, d.line, d.column, d.end_column, d.matched) for d in lint_text(text, **kwargs)
            if d.code.startswith("HL1")]


@pytest.mark.parametrize("text, matched", [
    ("Our serum cu\u200bres baldness.", "cu\u200bres"),
    ("Our serum \u0441ures baldness.", "\u0441ures"),                    # Cyrillic es
    ("Our serum cur\u0435s baldness.", "cur\u0435s"),                    # Cyrillic ie
    ("Our serum \uff43\uff55\uff52\uff45\uff53 baldness.", "\uff43\uff55\uff52\uff45\uff53"),  # full-width
    ("Our serum cu\u0301res baldness.", "cu\u0301res"),                  # combining accent
    ("Our serum c\u0327u\u0308res baldness.", "c\u0327u\u0308res"),
    ("Our serum cu\u00adres baldness.", "cu\u00adres"),                  # soft hyphen
    ("Our serum cu\u202eser baldness.".replace("ser", "res"), "cu\u202eres"),  # bidi override
])
def test_hidden_cure_claims_are_found_at_their_original_place(text, matched):
    found = _claims(text)
    assert found and found[0][0] == "HL101"
    code, line, column, end_column, shown = found[0]
    assert shown == matched
    assert text[column - 1:end_column - 1] == matched


def test_ligatures_are_folded():
    assert "HL161" in [d.code for d in lint_text("Scienti\ufb01cally proven.")]


def test_nul_in_a_paragraph_does_not_hide_its_claims(tmp_path, cli):
    assert _claims("Our\x00serum cures baldness.")[0][:2] == ("HL101", 1)
    page = tmp_path / "page.md"
    page.write_bytes(b"Calm copy.\n\n" * 1000 + b"Our serum\x00cures baldness.\n")  # NUL after the first 8 KB
    result = cli("check", "--no-cache", page)
    assert result.code == 1 and f"{page}:2001:11: HL101" in result.out


def test_language_of_cyrillic_copy_is_left_alone():
    text = "Это средство помогает коже."
    assert normalise(text) == (text, None)
    greek = "Το προϊόν βοηθά."
    assert normalise(greek)[0] == greek


def test_plain_text_is_not_copied():
    text = "Our serum cures baldness. Café, naïve — “quoted” … ™ ½ 東京"
    normalised, source_map = normalise(text)
    assert normalised is text and source_map is None


@hypothesis_settings(max_examples=80, deadline=None)
@given(positions=st.lists(st.integers(min_value=0, max_value=40), max_size=6),
       characters=st.lists(st.sampled_from(INVISIBLE), min_size=6, max_size=6))
def test_invisible_characters_anywhere_change_no_finding(positions, characters):
    plain = "It cures acne.\nNo side effects, guaranteed."
    expected = [(d.code, d.matched) for d in lint_text(plain)]
    text = plain
    for position, char in sorted(zip(positions, characters), reverse=True):
        position = min(position, len(text))
        if text[position - 1:position] == "\n" or text[position:position + 1] == "\n":
            continue
        text = text[:position] + char + text[position:]
    found = lint_text(text)
    strip = str.maketrans({char: None for char in INVISIBLE})
    assert [(d.code, d.matched.translate(strip)) for d in found] == expected
    # positions point at the original characters (a leading byte order mark is not counted)
    counted = text[1:] if text.startswith("\ufeff") else text
    for diagnostic in found:
        assert counted[diagnostic.start:diagnostic.end] == diagnostic.matched or diagnostic.document_level
        lines = counted.split("\n")
        assert lines[diagnostic.line - 1][diagnostic.column - 1:].startswith(diagnostic.matched[:1]) \
            or diagnostic.document_level


@hypothesis_settings(max_examples=40, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab c\n.") + INVISIBLE + ["\u0441", "\ufb01", "\u0301", "\x00"]),
                    max_size=60))
def test_the_source_map_is_monotonic_and_in_range(text):
    normalised, source_map = normalise(text)
    if source_map is None:
        assert normalised == text
        return
    previous = 0
    for offset in range(len(normalised) + 1):
        original = source_map.start(offset)
        assert previous <= original <= len(text)
        previous = original
    for offset in range(len(text) + 1):
        assert 0 <= source_map.to_normalised(offset) <= len(normalised)


def test_the_cli_text_format_points_at_the_original_column(tmp_path, cli):
    page = tmp_path / "page.md"
    page.write_text("\u200b\u200b\u200bIt c\u200bures.\n", encoding="utf-8")
    assert f"{page}:1:7: HL101" in cli("check", "--no-cache", page).out

"""Accuracy on our own labelled material: claims of the kind regulators cite must be found, and a
consumer-protection page written in a regulator's voice must raise no claim findings.

tests/accuracy/claims.txt holds one claim a line, in the style quoted in warning letters (our own
wording); tests/accuracy/regulator_page.md is a page of warnings, negations, citations and
quoted examples. The shared labelled corpus is scored in test_eval_corpus.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from hypelint.linter import Linter

HERE = Path(__file__).parent / "accuracy"
LINTER = Linter()
CLAIMS = [line for line in (HERE / "claims.txt").read_text(encoding="utf-8").splitlines()
          if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("claim", CLAIMS)
def test_regulator_cited_style_claims_are_found(claim):
    found = [d for d in LINTER.lint_text(claim, format="text") if not d.document_level]
    assert found, f"no claim finding for: {claim}"


def test_regulator_voice_page_raises_no_claim_findings():
    text = (HERE / "regulator_page.md").read_text(encoding="utf-8")
    found = [f"{d.line}:{d.column} {d.code} {d.matched!r}" for d in LINTER.lint_text(text, path="page.md")]
    assert found == []


def test_clean_examples_raise_nothing():
    for path in sorted((Path(__file__).parent.parent / "examples" / "clean").iterdir()):
        result = LINTER.lint_file(str(path))
        assert result.diagnostics == [], [(d.line, d.code, d.matched) for d in result.diagnostics]

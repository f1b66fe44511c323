"""The paraphrase set (tests/paraphrase/set.yaml): claims of every class, each in several wordings
of our own, must be found; traps that name the same conditions without a claim must stay quiet.
The score is printed at the end of every run (conftest.py), so CI shows it."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hypelint.linter import Linter

SET = yaml.safe_load((Path(__file__).parent / "paraphrase" / "set.yaml").read_text(encoding="utf-8"))
CLAIMS = [(kind, text) for kind, texts in SET["claims"].items() for text in texts]
TRAPS = SET["traps"]
LINTER = Linter()
# the share that must hold: a rule change that loses a class fails here
MIN_RECALL = 0.95
MAX_TRAPS_FLAGGED = 0.05


def _findings(text: str):
    return [d for d in LINTER.lint_text(text, format="markdown") if not d.document_level]


def score() -> dict:
    found = [(kind, text) for kind, text in CLAIMS if _findings(text)]
    flagged = [text for text in TRAPS if _findings(text)]
    return {"claims": len(CLAIMS), "found": len(found), "traps": len(TRAPS), "flagged": len(flagged),
            "missed": [text for _, text in CLAIMS if (_, text) not in found],
            "flagged_traps": flagged}


LAST_SCORE: dict = {}  # printed by conftest.py's terminal summary


@pytest.fixture(scope="module")
def result():
    LAST_SCORE.update(score())
    return LAST_SCORE


def test_claims_are_found_however_phrased(result):
    assert result["found"] / result["claims"] >= MIN_RECALL, f"missed: {result['missed']}"


def test_traps_stay_quiet(result):
    assert result["flagged"] / result["traps"] <= MAX_TRAPS_FLAGGED, f"flagged: {result['flagged_traps']}"


@pytest.mark.parametrize("kind", sorted(SET["claims"]))
def test_every_class_is_found_at_least_once(kind):
    assert any(_findings(text) for text in SET["claims"][kind]), f"no {kind} claim is found"

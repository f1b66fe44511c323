"""Golden output for the bundled examples. Regenerate with HYPELINT_UPDATE_GOLDEN=1 pytest."""
from __future__ import annotations

import os

import pytest

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("format,name", [("text", "examples.txt"), ("json", "examples.json")])
def test_examples_output_matches_golden(cli, monkeypatch, format, name):
    monkeypatch.chdir(ROOT)
    result = cli("check", "--format", format, "examples")
    golden = GOLDEN / name
    if os.environ.get("HYPELINT_UPDATE_GOLDEN"):
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8")
    assert result.code == 1


def test_clean_examples_are_quieter_than_risky(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    risky = cli("check", "examples/risky").out.count("\n")
    clean = cli("check", "examples/clean").out.count("\n")
    assert clean < risky

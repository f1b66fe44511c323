"""Team packs can be inspected and tested (issue 18, point 7): `hypelint rules` and `hypelint
rule NAME` include the configured packs; `hypelint test` runs each rule's examples and names the
pack's file:line of every failure."""
from __future__ import annotations

import json
import textwrap

import pytest

PACK = textwrap.dedent("""\
    pack: house
    rules:
      - code: HR101
        name: house-miracle
        category: claim.puffery
        severity: error
        message: '"{match}" is hype.'
        rationale: House style forbids miracle wording.
        references: [{title: House style, url: 'https://example.com/house'}]
        patterns: [{phrases: [miracle, wonder cream]}]
        suggestions: [Say what the product does.]
        examples:
          bad:
            - 'A [[miracle]] in a jar.'
            - 'Our [[wonder cream]] works.'
          good:
            - 'A gentle cream.'
    """)


@pytest.fixture
def team(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "house-rules.yaml").write_text(PACK)
    (tmp_path / ".hypelint.yaml").write_text("extends: [default, compliance/house-rules.yaml]\n")
    return tmp_path


def test_rules_and_rule_include_configured_team_packs(team, cli):
    listing = cli("rules")
    assert listing.code == 0
    [line] = [line for line in listing.out.splitlines() if line.startswith("HR101")]
    assert "house-miracle" in line and "house (compliance/house-rules.yaml)" in line
    assert "HL101" in listing.out  # the built-in rules are still listed
    data = json.loads(cli("rules", "--format", "json").out)
    [entry] = [item for item in data if item["code"] == "HR101"]
    assert entry["pack"] == "house" and entry["source"].endswith("house-rules.yaml:3")
    for key in ("house-miracle", "HR101"):
        explained = cli("rule", key)
        assert explained.code == 0 and explained.out.startswith("HR101 house-miracle")
        assert "House style forbids miracle wording." in explained.out
    assert cli("rule", "house-miracle", "--isolated").code == 2  # without the config: unknown


def test_hypelint_test_passes_a_correct_pack(team, cli):
    result = cli("test")
    assert result.code == 0, result.out + result.err
    assert "All 3 examples of 1 rule passed (compliance/house-rules.yaml)." in result.err


def test_hypelint_test_reports_a_wrong_span_and_a_noisy_good_example_with_file_and_line(team, cli):
    pack = team / "compliance" / "house-rules.yaml"
    pack.write_text(PACK.replace("'Our [[wonder cream]] works.'", "'Our wonder [[cream]] works.'")
                    .replace("'A gentle cream.'", "'A miracle cream.'"))
    result = cli("test", "compliance/house-rules.yaml")
    assert result.code == 1
    assert result.out.splitlines() == [
        f"{pack}:15: HR101 (house-miracle): bad example: expected 'Our wonder [[cream]] works.', "
        "got 'Our [[wonder cream]] works.'",
        f"{pack}:17: HR101 (house-miracle): good example should produce nothing, got 1: 'A [[miracle]] cream.'",
    ]
    assert "2 examples of 3 failed" in result.err


def test_hypelint_test_of_a_pack_the_config_does_not_load(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "other.yaml").write_text(PACK.replace("[[miracle]]", "miracle"))
    result = cli("test", "other.yaml", "--isolated")
    assert result.code == 2 and "bad example has no [[...]]" in result.err  # loading validates
    (tmp_path / "other.yaml").write_text(PACK.replace("'A [[miracle]] in a jar.'", "'A [[jar]] of miracle.'"))
    result = cli("test", "other.yaml", "--isolated")
    assert result.code == 1 and "other.yaml:14: HR101" in result.out


def test_hypelint_test_of_a_built_in_pack(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    result = cli("test", "devices", "--isolated")
    assert result.code == 0, result.out
    assert "passed" in result.err

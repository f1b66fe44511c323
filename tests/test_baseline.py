"""Baselines: record findings, then report only new ones; moved lines keep a finding known,
fixing or rewording it makes its entry stale."""
from __future__ import annotations

import json

import pytest

from hypelint.baseline import Baseline, fingerprint
from hypelint.linter import Linter

PAGE = "# Serum\n\nOur serum cures baldness.\n\nIt is guaranteed to work.\n"


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "serum.md").write_text(PAGE, encoding="utf-8")
    return tmp_path


def write_page(site, text, name="serum.md"):
    (site / "content" / name).write_text(text, encoding="utf-8")


def test_round_trip_hides_recorded_findings(site, cli):
    written = cli("check", "--write-baseline", ".hypelint-baseline.json", "content")
    assert written.code == 0 and written.out == ""
    assert "Recorded 2 findings from 1 file in .hypelint-baseline.json." in written.err
    data = json.loads((site / ".hypelint-baseline.json").read_text())
    assert data["hypelint-baseline"] == 1
    assert [(e["path"], e["code"], e["matched"], e["count"]) for e in data["findings"]] == [
        ("content/serum.md", "HL101", "cures", 1), ("content/serum.md", "HL121", "guaranteed to work", 1)]
    assert all("line" not in entry for entry in data["findings"])  # content, not positions

    result = cli("check", "--baseline", ".hypelint-baseline.json", "content")
    assert result.code == 0 and result.out == ""
    assert "2 known findings hidden by the baseline .hypelint-baseline.json." in result.err


def test_moved_lines_do_not_resurrect_findings(site, cli):
    cli("check", "--write-baseline", "b.json", "content")
    write_page(site, "---\ntitle: Serum\n---\n# Serum\n\nA brand new introduction.\n\nAnd another one.\n\n"
                     "Our serum cures baldness.\n\n\n\nIt is guaranteed to work.\n")
    result = cli("check", "--baseline", "b.json", "content")
    assert result.code == 0 and result.out == "", result.out
    assert "no longer match" not in result.err


def test_new_findings_are_reported_and_fixed_ones_are_stale(site, cli):
    cli("check", "--write-baseline", "b.json", "content")
    write_page(site, "# Serum\n\nOur serum supports a healthy scalp.\n\nIt is guaranteed to work.\n\n"
                     "Studies have shown it helps.\n")
    result = cli("check", "--baseline", "b.json", "content")
    assert result.code == 1
    assert result.out.splitlines() == [
        'content/serum.md:7:1: HL201 [warning] "Studies have shown" refers to research without a citation the reader can check.']
    assert "1 baseline entry in b.json no longer matches a finding (fixed or reworded)" in result.err
    assert '  content/serum.md: HL101 "cures"' in result.err
    # refreshing the baseline drops the stale entry and records the new finding
    cli("check", "--write-baseline", "b.json", "content")
    codes = [entry["code"] for entry in json.loads((site / "b.json").read_text())["findings"]]
    assert codes == ["HL121", "HL201"]


def test_rewording_the_claim_makes_it_new(site, cli):
    cli("check", "--write-baseline", "b.json", "content")
    write_page(site, PAGE.replace("Our serum cures baldness.", "This serum cures hair loss fast."))
    result = cli("check", "--baseline", "b.json", "content")
    assert result.code == 1 and "HL101" in result.out and "HL121" not in result.out
    assert 'content/serum.md: HL101 "cures"' in result.err


def test_identical_findings_are_counted(site, cli):
    write_page(site, "It cures.\n\nIt cures.\n")
    cli("check", "--write-baseline", "b.json", "content")
    assert json.loads((site / "b.json").read_text())["findings"][0]["count"] == 2
    write_page(site, "It cures.\n\nIt cures.\n\nIt cures.\n")
    result = cli("check", "--baseline", "b.json", "content")
    assert result.code == 1 and len(result.out.splitlines()) == 1


def test_stale_entries_only_for_files_linted_in_this_run(site, cli):
    write_page(site, "Results guaranteed.\n", name="other.md")
    cli("check", "--write-baseline", "b.json", "content")
    write_page(site, "Results you can see.\n", name="other.md")
    only_serum = cli("check", "--baseline", "b.json", "content/serum.md")
    assert only_serum.code == 0 and "no longer match" not in only_serum.err
    everything = cli("check", "--baseline", "b.json", "content")
    assert 'content/other.md: HL121 "guaranteed"' in everything.err


def test_paths_are_relative_to_the_baseline_file(site, cli, monkeypatch):
    cli("check", "--write-baseline", "b.json", "content")
    monkeypatch.chdir(site / "content")
    result = cli("check", "--baseline", "../b.json", "serum.md")
    assert result.code == 0 and result.out == ""


def test_baseline_from_config(site, cli):
    # include JSON files, so a folder walk would meet the baseline (which quotes "cures")
    (site / ".hypelint.yaml").write_text("baseline: known-findings.json\ninclude: [markdown, '*.json']\n")
    missing = cli("check", "content")
    assert missing.code == 2 and "known-findings.json: baseline file not found (create it with --write-baseline)" in missing.err
    assert cli("check", "--write-baseline", "known-findings.json", "content").code == 0
    assert (site / "known-findings.json").is_file()
    assert cli("check", "content").code == 0
    result = cli("check", ".")
    assert result.code == 0 and result.out == "" and "No problems found in 1 file." in result.err
    (site / "copy.json").write_text('{"tagline": "It cures."}\n')
    assert "copy.json:1:" in cli("check", ".").out  # other JSON files are walked


def test_the_default_baseline_file_is_never_linted_as_copy(site, cli):
    cli("check", "--write-baseline", ".hypelint-baseline.json", "content")
    assert (site / ".hypelint-baseline.json").is_file()
    assert ".hypelint-baseline.json" not in cli("check", ".").out


@pytest.mark.parametrize("content,message", [
    ("{", "invalid baseline JSON"),
    ('{"findings": []}', "not a hypelint baseline"),
    ('{"hypelint-baseline": 1, "findings": [{"path": "a.md"}]}', "findings[0]: each entry needs string path, code and fingerprint"),
    ('{"hypelint-baseline": 1, "findings": [{"path": "a", "code": "HL101", "fingerprint": "x", "count": 0}]}',
     "findings[0]: count must be a positive integer"),
])
def test_bad_baselines_are_one_line_errors(site, cli, content, message):
    (site / "b.json").write_text(content)
    result = cli("check", "--baseline", "b.json", "content")
    assert result.code == 2 and result.out == ""
    assert result.err.strip().startswith("hypelint: error: b.json") and message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_baseline_options_do_not_combine(site, cli):
    assert cli("check", "--baseline", "a.json", "--write-baseline", "b.json", "content").code == 2


# -- the fingerprint itself ------------------------------------------------------------------
def _fingerprints(text, path="p.md"):
    return [(d.code, fingerprint(d, text)) for d in Linter().lint_text(text, path=path)]


def test_fingerprint_ignores_position_case_and_spacing_but_not_wording():
    base = _fingerprints("Intro.\n\nOur serum cures baldness.\n")
    assert _fingerprints("Intro.\n\nMore intro.\n\n\nOur serum cures baldness.\n") == base
    assert _fingerprints("Intro.\n\nOur  serum\nCures baldness.\n") == base
    assert _fingerprints("Intro.\n\nOur serum cures acne.\n") != base
    assert _fingerprints("Intro.\n\nThis serum cures baldness.\n") != base


def test_fingerprint_context_stays_inside_the_paragraph():
    base = _fingerprints("Our serum cures baldness.\n")
    assert _fingerprints("A different paragraph above.\n\nOur serum cures baldness.\n") == base


def test_document_level_fingerprint_is_the_rule_alone():
    from pathlib import Path

    from hypelint.rules import load_packs

    linter = Linter(load_packs([str(Path(__file__).parent / "data" / "team-rules.yaml")]), select=["TM901"])
    first = linter.lint_text("Our supplement helps joints.\n", path="p.md")
    second = linter.lint_text("Intro.\n\nA supplement for your knees.\n", path="p.md")
    assert fingerprint(first[0], "Our supplement helps joints.\n") == \
        fingerprint(second[0], "Intro.\n\nA supplement for your knees.\n")


def test_baseline_api_compare_counts_known_new_and_stale(tmp_path):
    text = "It cures.\n\nResults guaranteed.\n"
    diagnostics = Linter().lint_text(text, path=str(tmp_path / "p.md"))
    baseline = Baseline.from_findings([(diagnostics[0], text)], str(tmp_path))
    comparison = baseline.compare([(d, text) for d in diagnostics], [str(tmp_path / "p.md")])
    assert comparison.known == 1 and [d.code for d in comparison.new] == ["HL121"] and comparison.stale == []
    stale = baseline.compare([], [str(tmp_path / "p.md")]).stale
    assert [(entry.path, entry.code, entry.matched) for entry in stale] == [("p.md", "HL101", "cures")]

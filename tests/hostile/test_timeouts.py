"""Rule time budgets (issue 19, item 9): a catastrophic team rule is switched off for the rest
of the run with one error naming its pack file:line, the file's other findings are kept, and
long documents get a budget that grows with them (built-in rules are not blamed for size)."""
from __future__ import annotations

import textwrap

import pytest

from hypelint import linter as linter_module
from hypelint.config import load_settings
from hypelint.linter import Linter, RuleTimeout, time_budget
from hypelint.parallel import lint_files
from hypelint.rules import builtin_pack_names, load_packs
from hypelint.sources import parse

SLOW_PACK = textwrap.dedent("""\
    rules:
      - code: HX901
        name: slow-claim
        category: claim.puffery
        severity: warning
        message: 'slow {match}'
        rationale: Test rule.
        references: [{title: T, url: 'https://example.com/t'}]
        patterns: ['(x+x+)+y']
        examples: {bad: ['[[xxy]]'], good: ['calm']}
    """)
PAGE = "Our serum cures baldness. " + "x" * 3000 + "\n"


@pytest.fixture
def slow_pack(tmp_path, monkeypatch):
    monkeypatch.setattr(linter_module, "PATTERN_TIMEOUT", 0.1)
    pack = tmp_path / "team.yaml"
    pack.write_text(SLOW_PACK)
    return pack


def test_a_timed_out_rule_is_switched_off_and_the_other_rules_still_run(tmp_path, slow_pack):
    linter = Linter(load_packs([*builtin_pack_names(), str(slow_pack)]))
    pages = []
    for index in range(4):
        page = tmp_path / f"page{index}.md"
        page.write_text(PAGE)
        pages.append(str(page))
    results = [linter.lint_file(path) for path in pages]
    assert all("HL101" in [d.code for d in result.diagnostics] for result in results)
    assert [len(result.rule_errors) for result in results] == [1, 0, 0, 0]  # tried once, then off
    error = results[0].rule_errors[0]
    assert isinstance(error, RuleTimeout) and error.rule_code == "HX901"
    assert f"rule HX901 in {slow_pack}:2 switched off for the rest of the run" in str(error)
    assert str(error).startswith(pages[0])


def test_the_cli_reports_it_once_with_the_pack_line_and_exit_2(tmp_path, slow_pack, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".hypelint.yaml").write_text("extends: [default, ./team.yaml]\n")
    for index in range(3):
        (tmp_path / f"page{index}.md").write_text(PAGE)
    result = cli("check", "--no-cache", "--jobs", "1", ".")
    assert result.code == 2
    assert result.out.count("HL101") == 3  # every page's built-in findings are kept
    lines = [line for line in result.err.splitlines() if "switched off" in line]
    assert len(lines) == 1 and "team.yaml:2" in lines[0]


def test_switched_off_rules_are_reported_once_across_worker_processes(tmp_path, slow_pack):
    (tmp_path / ".hypelint.yaml").write_text("extends: [default, ./team.yaml]\n")
    for index in range(6):
        (tmp_path / f"page{index}.md").write_text(PAGE)
    settings = load_settings(tmp_path)
    paths = sorted(str(path) for path in tmp_path.glob("*.md"))
    results = lint_files(settings, paths, jobs=2, min_parallel_bytes=0)
    codes = {error.rule_code for result in results for error in result.rule_errors}
    assert codes == {"HX901"}
    assert all("HL101" in [d.code for d in result.diagnostics] for result in results)


def test_the_budget_grows_with_the_document():
    small = parse("Our serum cures baldness.", "a.txt")
    large = parse("word " * 10_000_000, "b.txt")  # 50 MB on one line
    assert time_budget(small) == pytest.approx(linter_module.PATTERN_TIMEOUT, abs=0.01)
    assert time_budget(large) >= 100


def test_one_budget_for_all_of_a_rules_searches_on_a_document():
    linter = Linter()
    document = parse("Our serum cures baldness.", "a.txt")
    rule = linter.rules.rules[0]
    first = linter._time_left(rule, document)
    second = linter._time_left(rule, document)
    assert second <= first <= time_budget(document) + 1e-6
    other = parse("Another page.", "b.txt")
    assert linter._time_left(rule, other) == pytest.approx(time_budget(other), abs=0.05)

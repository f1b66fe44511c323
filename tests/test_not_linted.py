"""A file that could not be fully linted (rule timeout, undecodable, unreadable, too large) is
an HL007 finding in every output format, makes the exit code 2, and is counted in the summary
(issue 18, point 1): a gate never passes copy nobody checked."""
from __future__ import annotations

import json
import os
import textwrap
import xml.etree.ElementTree as ElementTree

import pytest

from hypelint.errors import SourceError
from hypelint.linter import FileResult

CLEAN = "Book a consultation with our team.\n"


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.md").write_text(CLEAN)
    (tmp_path / "bad.md").write_bytes(b"fine line\nbad \xff byte: it cures\n")
    return tmp_path


def test_undecodable_file_next_to_a_clean_one_exits_2_with_a_finding(site, cli):
    result = cli("check", ".")
    assert result.code == 2
    assert result.out.splitlines() == [
        "bad.md:2:5: HL007 [error] not linted: cannot decode as UTF-8: invalid byte 0xff; "
        "nothing in this file was checked"]
    assert "1 file not linted (HL007)" in result.err
    assert "No problems found in 1 file that could be linted." in result.err


def test_not_linted_is_not_hidden_by_ignore_or_fail_on(site, cli):
    for extra in (["--ignore", "HL007"], ["--fail-on", "error"], ["--select", "HL101"]):
        result = cli("check", ".", *extra)
        assert result.code == 2 and "HL007" in result.out, extra


def test_not_linted_is_not_hidden_by_a_baseline_and_not_recorded(site, cli):
    written = cli("check", "--write-baseline", "base.json", ".")
    assert written.code == 2 and "not recorded" in written.err
    assert json.loads((site / "base.json").read_text())["findings"] == []
    result = cli("check", "--baseline", "base.json", ".")
    assert result.code == 2 and "HL007" in result.out


@pytest.mark.parametrize("fmt", ["text", "full", "json", "jsonl", "github", "sarif", "junit", "gitlab", "html"])
def test_every_format_shows_the_file_that_was_not_linted(site, cli, fmt):
    result = cli("check", "--format", fmt, ".")
    assert result.code == 2
    out = result.out
    if fmt == "json":
        [finding] = json.loads(out)
        assert (finding["path"], finding["code"], finding["severity"]) == ("bad.md", "HL007", "error")
    elif fmt == "jsonl":
        assert json.loads(out.splitlines()[0])["code"] == "HL007"
    elif fmt == "sarif":
        log = json.loads(out)
        [found] = log["runs"][0]["results"]
        assert found["ruleId"] == "HL007" and found["level"] == "error"
        assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    elif fmt == "gitlab":
        [issue] = json.loads(out)
        assert issue["check_name"].startswith("HL007") and issue["location"]["path"] == "bad.md"
    elif fmt == "junit":
        root = ElementTree.fromstring(out)
        assert any("HL007" in (failure.get("message") or "") + (failure.text or "")
                   for failure in root.iter("failure"))
    elif fmt == "github":
        assert out.startswith("::error ") and "HL007" in out and "file=bad.md" in out
    else:
        assert "HL007" in out and "bad.md" in out


def test_a_rule_timeout_on_one_page_fails_the_run(tmp_path, monkeypatch, cli):
    from hypelint import linter as linter_module

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(linter_module, "PATTERN_TIMEOUT", 0.2)
    (tmp_path / "house.yaml").write_text(textwrap.dedent("""\
        rules:
          - code: TM999
            name: slow-rule
            category: claim.cure
            severity: error
            message: 'found {match}'
            rationale: because
            references: [{title: T, url: 'https://example.com'}]
            patterns: ['(x+x+)+y']
            examples: {bad: ['a [[xxy]]'], good: ['nothing']}
        """))
    (tmp_path / ".hypelint.yaml").write_text("extends: [default, house.yaml]\n")
    (tmp_path / "clean.md").write_text(CLEAN)
    (tmp_path / "page.md").write_text("It cures baldness. " + "x" * 5000 + "\n")
    result = cli("check", "--no-cache", "clean.md", "page.md")
    assert result.code == 2
    [line] = [line for line in result.out.splitlines() if "HL007" in line]
    assert line.startswith("page.md:1:1: HL007 [error] not linted: ")
    assert "house.yaml:9" in line and "'(x+x+)+y'" in line  # the pack's file:line, the pattern as written
    assert "1 file not linted (HL007)" in result.err and "No problems found in 2 files" not in result.err


def test_any_file_result_error_becomes_a_finding(tmp_path, monkeypatch, cli):
    """Whatever sets FileResult.error (an unreadable or too large file, a worker crash...) is reported the same way."""
    from hypelint import parallel

    monkeypatch.chdir(tmp_path)
    (tmp_path / "big.md").write_text(CLEAN)
    monkeypatch.setattr(parallel, "lint_one", lambda linter, cache, path, digest: FileResult(
        path, error=SourceError("file too large (3 GB)", path)))
    result = cli("check", "--no-cache", "big.md")
    assert result.code == 2
    assert result.out == "big.md:1:1: HL007 [error] not linted: file too large (3 GB); nothing in this file was checked\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path, monkeypatch, cli):  # pragma: no cover - CI runs as root
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "secret.md"
    page.write_text(CLEAN)
    page.chmod(0)
    result = cli("check", "--no-cache", ".")
    assert result.code == 2 and "HL007" in result.out

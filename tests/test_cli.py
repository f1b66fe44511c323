"""The command line: formats, selection, exit codes, stdin, bad input."""
from __future__ import annotations

import json

import pytest

from hypelint import cli as cli_module

RISKY = "Our serum cures baldness with no side effects.\n"


def test_exit_code_constants_are_pinned():
    assert (cli_module.EXIT_OK, cli_module.EXIT_FINDINGS, cli_module.EXIT_ERROR) == (0, 1, 2)


def test_exit_codes(tmp_path, cli):
    clean = tmp_path / "clean.md"
    clean.write_text("Book a consultation with our team.\n")
    risky = tmp_path / "risky.md"
    risky.write_text(RISKY)
    assert cli("check", clean).code == 0
    assert cli("check", risky).code == 1
    assert cli("check", tmp_path / "missing.md").code == 2
    assert cli("check", risky, "--select", "HL000").code == 2
    assert cli("check", risky, "--format", "nope").code == 2
    assert cli("frobnicate").code == 2
    assert cli().code == 2


def test_text_format_is_sorted_and_parsable(tmp_path, cli):
    (tmp_path / "b.md").write_text("Guaranteed results.\n")
    (tmp_path / "a.md").write_text("Line one.\n\nIt cures, guaranteed.\n")
    result = cli("check", tmp_path)
    lines = result.out.splitlines()
    assert lines == [
        f"{tmp_path}/a.md:3:4: HL101 [error] \"cures\" is a cure claim: only an approved drug may claim to cure a disease.",
        f"{tmp_path}/a.md:3:11: HL121 [error] \"guaranteed\" guarantees a health outcome, which no treatment can substantiate.",
        f"{tmp_path}/b.md:1:1: HL121 [error] \"Guaranteed results\" guarantees a health outcome, which no treatment can substantiate.",
    ]
    assert "Found 3 problems (3 errors, 0 warnings, 0 info) in 2 files (2 checked)." in result.err


def test_json_format_has_exactly_the_documented_keys(tmp_path, cli):
    risky = tmp_path / "risky.md"
    risky.write_text(RISKY)
    data = json.loads(cli("check", "--format", "json", risky).out)
    assert [d["code"] for d in data] == ["HL101", "HL151"]
    assert list(data[0]) == ["path", "line", "column", "end_line", "end_column", "code", "name",
                             "category", "severity", "message", "suggestions", "references"]
    assert data[0]["category"] == "claim.cure" and data[0]["severity"] == "error"
    assert data[0]["references"][0].startswith("https://")
    assert (data[0]["line"], data[0]["column"], data[0]["end_line"], data[0]["end_column"]) == (1, 11, 1, 16)


@pytest.mark.parametrize("selector,codes", [
    ("HL101", ["HL101"]),
    ("cure-claim", ["HL101"]),
    ("claim.safety", ["HL151"]),
    ("claim", ["HL101", "HL151"]),
    ("HL1", ["HL101", "HL151"]),
])
def test_select(tmp_path, cli, selector, codes):
    risky = tmp_path / "risky.md"
    risky.write_text(RISKY)
    data = json.loads(cli("check", "--format", "json", "--select", selector, risky).out)
    assert [d["code"] for d in data] == codes


def test_ignore_and_fail_on(tmp_path, cli):
    risky = tmp_path / "risky.md"
    risky.write_text("Studies have shown it works.\n")
    assert cli("check", risky).code == 1
    assert cli("check", risky, "--fail-on", "error").code == 0
    result = cli("check", risky, "--ignore", "evidence")
    assert result.code == 0 and result.out == ""


def test_stdin_with_filename_picks_format_and_path(cli):
    result = cli("check", "-", "--stdin-filename", "page.md", stdin=b"`cure` is code. It cures.\n")
    assert result.out == "page.md:1:20: HL101 [error] \"cures\" is a cure claim: only an approved drug may claim to cure a disease.\n"
    assert cli("check", "-", stdin=b"It cures.\n").out.startswith("-:1:4:")


def test_binary_file_is_skipped_with_a_note(tmp_path, cli):
    (tmp_path / "image.md").write_bytes(b"\x89PNG\x00\x00cure")
    (tmp_path / "ok.md").write_text("Fine copy.\n")
    result = cli("check", tmp_path)
    assert result.code == 0
    assert "image.md: skipped: binary file" in result.err


def test_undecodable_file_is_an_error_and_others_still_lint(tmp_path, cli):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"fine line\nbad \xff byte\n")
    good = tmp_path / "good.md"
    good.write_text("It cures.\n")
    result = cli("check", tmp_path)
    assert f"{bad}:2:5: cannot decode as UTF-8: invalid byte 0xff" in result.err
    assert "good.md:1:4: HL101" in result.out
    assert f"{bad}:2:5: HL007 [error] not linted: cannot decode as UTF-8" in result.out
    assert result.code == 2  # a file that could not be linted fails the run (issue 18)
    only_bad = cli("check", bad)
    assert only_bad.code == 2 and "HL007" in only_bad.out


def test_directory_walk_skips_build_and_vendor_folders(tmp_path, cli):
    for folder in ("node_modules", ".git", "site", "_site", ".venv"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.md").write_text("It cures.\n")
    (tmp_path / "site" / "script.js").write_text("cure()")
    result = cli("check", tmp_path)
    assert result.out.strip().splitlines() == [
        f"{tmp_path}/site/page.md:1:4: HL101 [error] \"cures\" is a cure claim: only an approved drug may claim to cure a disease."]
    assert cli("check", tmp_path, "--exclude", "site").out == ""


def test_unknown_extension_named_explicitly_is_plain_text(tmp_path, cli):
    page = tmp_path / "copy.rst"
    page.write_text("It cures.\n")
    assert cli("check", page).code == 1


def test_rules_and_rule_commands(cli):
    listing = cli("rules")
    assert listing.code == 0
    assert "HL101  cure-claim" in listing.out
    assert "https://" in listing.out
    doc = cli("rule", "cure-claim")
    assert doc.code == 0
    for section in ("## What it flags", "## Why it is risky", "References:", "## Examples", "## What to write instead"):
        assert section in doc.out
    assert "[cure]" in doc.out
    assert cli("rule", "HL101").out == doc.out
    assert cli("rule", "nope").code == 2
    categories = cli("rules", "--categories").out
    assert "disclosure.supplement" in categories


def test_public_api():
    import hypelint

    diagnostics = hypelint.lint_text("It cures.", format="text")
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("HL101", 1, 4)]
    assert diagnostics[0].to_dict()["severity"] == "error"
    assert hypelint.lint_text("# It cures", path="a.md")[0].column == 6


def test_python_dash_m(tmp_path):
    from conftest import run_cli

    page = tmp_path / "p.md"
    page.write_text("It cures.\n")
    result = run_cli("check", page)
    assert result.returncode == 1
    assert b"HL101" in result.stdout


@pytest.mark.parametrize("columns", ["50", "160", "", "junk"])
def test_help_is_formatted_as_argparse_itself_would(monkeypatch, columns):
    """cli._terminal_width replaces shutil.get_terminal_size (an import per run): same widths."""
    import argparse

    monkeypatch.setenv("COLUMNS", columns)
    cli_module._terminal_width.cache_clear()
    ours = cli_module.build_parser()

    def with_argparse_formatter(self, *args, **kwargs):
        kwargs["formatter_class"] = argparse.HelpFormatter
        argparse.ArgumentParser.__init__(self, *args, **kwargs)

    monkeypatch.setattr(cli_module._Parser, "__init__", with_argparse_formatter)
    theirs = cli_module.build_parser()
    assert ours.format_help() == theirs.format_help()
    check = lambda parser: parser._subparsers._group_actions[0].choices["check"]  # noqa: E731
    assert check(ours).format_help() == check(theirs).format_help()
    cli_module._terminal_width.cache_clear()  # the next test's width is its own


class _Exited(Exception):
    pass


def test_the_command_runs_exit_handlers_flushes_and_skips_the_teardown(monkeypatch):
    import atexit
    import os

    calls = []

    def hard_exit(code):
        calls.append(("exit", code))
        raise _Exited

    monkeypatch.setattr(atexit, "_run_exitfuncs", lambda: calls.append("handlers"))
    monkeypatch.setattr(os, "_exit", hard_exit)
    with pytest.raises(_Exited):
        cli_module._exit_now(1)
    assert calls == ["handlers", ("exit", 1)]


def test_the_command_exits_normally_while_another_thread_runs(monkeypatch):
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: 2)
    with pytest.raises(SystemExit) as exited:
        cli_module._exit_now(2)
    assert exited.value.code == 2


def test_a_large_report_through_a_pipe_is_complete_and_exit_handlers_ran(tmp_path):
    """`python -m hypelint` ends with os._exit: the report must still be flushed whole and the
    pattern cache (written by an exit handler) saved."""
    import json as json_module

    from conftest import run_cli

    page = tmp_path / "page.md"
    page.write_text("It cures baldness and is 100% safe. " * 2000, encoding="utf-8")
    cache = tmp_path / "patterns"
    result = run_cli("check", "--no-cache", "--format", "json", page, env={"HYPELINT_PATTERN_CACHE": str(cache)})
    assert result.returncode == 1
    assert len(json_module.loads(result.stdout)) >= 4000
    assert any(cache.iterdir())

"""Internal errors (issue 19, item 4): a bug escaping the command is one line on stderr and its
own exit code (3), never a traceback and never exit 1 ("findings found")."""
from __future__ import annotations

from hypelint import cli as cli_module


def test_exit_codes_are_pinned():
    assert (cli_module.EXIT_OK, cli_module.EXIT_FINDINGS, cli_module.EXIT_ERROR, cli_module.EXIT_INTERNAL) == (0, 1, 2, 3)


def test_an_internal_error_is_one_line_and_exit_3(cli, monkeypatch, tmp_path):
    def broken(args):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(cli_module, "run_check", broken)
    monkeypatch.delenv("HYPELINT_DEBUG", raising=False)
    result = cli("check", tmp_path)
    assert result.code == 3
    assert result.err.startswith("hypelint: internal error: RecursionError: maximum recursion depth exceeded at ")
    assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err


def test_debug_shows_the_traceback(cli, monkeypatch, tmp_path):
    monkeypatch.setattr(cli_module, "run_check", lambda args: {}["missing"])
    monkeypatch.setenv("HYPELINT_DEBUG", "1")
    result = cli("check", tmp_path)
    assert result.code == 3 and "Traceback" in result.err


def test_an_unexpected_exception_in_one_file_leaves_the_others_linted(cli, monkeypatch, tmp_path):
    (tmp_path / "a.md").write_text("Our serum cures baldness.\n")
    (tmp_path / "b.md").write_text("Our serum cures baldness.\n")
    from hypelint import linter

    real = linter.parse

    def fragile(text, path, *args, **kwargs):
        if path.endswith("a.md"):
            raise IndexError("boom")
        return real(text, path, *args, **kwargs)

    monkeypatch.setattr(linter, "parse", fragile)
    result = cli("check", "--no-cache", tmp_path)
    assert "b.md:1:11: HL101" in result.out
    assert "a.md: not linted: internal error (IndexError: boom); please report it" in result.err

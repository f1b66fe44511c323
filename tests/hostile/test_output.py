"""Output under hostile names and ids (issue 19, items 4 and 11): every format survives any file
name (control characters, escape sequences, bytes that are not UTF-8) and any record id (lone
surrogates, Infinity); text output escapes control characters; `-o` checks it can write before
linting and keeps the file's owner."""
from __future__ import annotations

import io
import json
import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from hypelint.reporters import escape_surrogates, printable

CLAIM = "Our serum cures baldness.\n"
JSON_FORMATS = ("json", "sarif", "gitlab")
posix_only = pytest.mark.skipif(os.name != "posix", reason="file names as bytes (POSIX)")


def _names():
    """File names as bytes: control characters, escape sequences, non-UTF-8 bytes."""
    byte = st.integers(min_value=1, max_value=255).filter(lambda b: b not in (ord("/"), ord(".")))
    return st.lists(byte, min_size=1, max_size=12).map(lambda values: bytes(values) + b".md")


def _run(cli, *args):
    result = cli(*args)
    result.out.encode("utf-8")  # writable as UTF-8: no lone surrogate left
    return result


@posix_only
@hypothesis_settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_names())
def test_any_file_name_gives_valid_output_in_every_format(tmp_path_factory, cli, name):
    folder = tmp_path_factory.mktemp("names")
    with open(os.path.join(os.fsencode(folder), name), "w") as handle:
        handle.write(CLAIM)
    path = os.fsdecode(os.path.join(os.fsencode(folder), name))
    for format in ("text", "full", "json", "jsonl", "github", "sarif", "junit", "gitlab", "html"):
        result = _run(cli, "check", "--no-cache", "--format", format, path)
        assert result.code == 1, (format, result.err)
        assert "Traceback" not in result.err
        if format in JSON_FORMATS:
            assert json.loads(result.out)
        elif format == "jsonl":
            assert [json.loads(line)["path"] for line in result.out.splitlines()] == [path]
        elif format in ("text", "github"):
            assert len(result.out.splitlines()) == 1  # one finding, one line
            assert "\x1b" not in result.out and "\x07" not in result.out


@posix_only
def test_non_utf8_name_with_output_file(tmp_path, cli):
    page = os.path.join(os.fsencode(tmp_path), b"caf\xe9.md")
    with open(page, "w") as handle:
        handle.write(CLAIM)
    for format in ("json", "sarif", "gitlab", "text"):
        target = tmp_path / f"report.{format}"
        result = cli("check", "--no-cache", "--format", format, "-o", target, os.fsdecode(page))
        assert result.code == 1, result.err
        content = target.read_bytes().decode("utf-8")
        if format in JSON_FORMATS:
            json.loads(content)


def test_text_output_escapes_control_characters():
    assert printable("a\x1b]0;title\x07\nb.md") == "a\\x1b]0;title\\x07\\nb.md"
    assert printable("plain/path.md") == "plain/path.md"
    assert printable("caf\udce9.md") == "caf\\udce9.md"
    assert json.loads('"' + escape_surrogates("caf\udce9") + '"') == "caf\udce9"


@posix_only
def test_errors_on_stderr_escape_the_path(tmp_path, cli):
    page = tmp_path / "x\x1b[2Jy.md"
    page.write_bytes(b"\xff\xfe bad utf-8")
    result = cli("check", "--no-cache", str(page))
    assert "\x1b" not in result.err and "x\\x1b[2Jy.md" in result.err


# -- records ---------------------------------------------------------------------------------
@pytest.mark.parametrize("identifier, shown", [
    ('"\\udc80-lone"', "\udc80-lone"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity"),
])
def test_any_record_id_gives_valid_json_lines(identifier, shown):
    from hypelint.cli import build_parser
    from hypelint.config import load_settings
    from hypelint.records import run_records_command

    lines = (f'{{"id": {identifier}, "text": "Our serum cures baldness."}}\n'
             '{"id": 2, "text": "It cures baldness."}\n').encode()
    args = build_parser().parse_args(["check", "--records", "-", "--text-field", "text", "--id-field", "id",
                                      "--jobs", "1"])
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_records_command(args, load_settings(isolated=True), io.BytesIO(lines), stdout, stderr)
    assert code == 1, stderr.getvalue()
    output = stdout.getvalue()
    output.encode("utf-8")
    found = [json.loads(line) for line in output.splitlines()]  # strict: json.loads refuses nothing here
    assert [item["id"] for item in found] == [shown, 2]
    assert "Infinity" not in output.replace('"Infinity"', "").replace('"-Infinity"', "")


# -- -o ----------------------------------------------------------------------------------------
def test_read_only_output_file_is_refused_before_linting(tmp_path, cli, monkeypatch):
    target = tmp_path / "report.txt"
    target.write_text("keep me")
    target.chmod(0o444)
    page = tmp_path / "page.md"
    page.write_text(CLAIM)
    linted = []
    monkeypatch.setattr("hypelint.parallel.lint_files", lambda *a, **k: linted.append(1) or [])
    result = cli("check", "--no-cache", "-o", target, page)
    assert result.code == 2
    assert "read-only" in result.err and linted == []
    assert target.read_text() == "keep me"


def test_read_only_baseline_is_refused_before_linting(tmp_path, cli):
    target = tmp_path / "baseline.json"
    target.write_text("{}")
    target.chmod(0o444)
    (tmp_path / "page.md").write_text(CLAIM)
    result = cli("check", "--no-cache", "--write-baseline", target, tmp_path / "page.md")
    assert result.code == 2 and "--write-baseline" in result.err and "read-only" in result.err
    assert target.read_text() == "{}"


def test_unwritable_output_folder_is_refused_before_linting(tmp_path, cli, monkeypatch):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root may write into any folder")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = cli("check", "--no-cache", "-o", folder / "report.txt", tmp_path)
        assert result.code == 2 and "not writable" in result.err
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to own a file as another user")
def test_output_file_keeps_its_owner(tmp_path, cli):
    target = tmp_path / "report.txt"
    target.write_text("old")
    os.chown(target, 4321, 4321)
    target.chmod(0o640)
    page = tmp_path / "page.md"
    page.write_text(CLAIM)
    assert cli("check", "--no-cache", "-o", target, page).code == 1
    status = os.stat(target)
    assert (status.st_uid, status.st_gid, status.st_mode & 0o777) == (4321, 4321, 0o640)
    assert "HL101" in target.read_text()


# -- folder walks --------------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_folder_is_not_opened(tmp_path):
    import subprocess

    from conftest import ROOT
    from hypelint.files import discover

    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "page.md").write_text(CLAIM)
    assert discover([str(tmp_path)]) == [str(tmp_path / "page.md")]
    done = subprocess.run([sys.executable, "-m", "hypelint", "check", "--no-cache", str(tmp_path)],
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
    assert done.returncode == 1 and "page.md" in done.stdout

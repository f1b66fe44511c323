"""Every output format: full, json/jsonl, github, sarif (schema-valid), junit, gitlab; plus
--output-file, --statistics, colour rules and the progress indicator."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from conftest import ROOT, SHARED
from hypelint.reporters import FORMATS, Report, reporter

# the OASIS schema, kept in the repository so the test runs on a fresh clone (issue 18, point 10)
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
RISKY = "# Serum\n\nOur serum cures baldness with no side\neffects, 100% safe.\n"


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "serum.md").write_text(RISKY, encoding="utf-8")
    return "serum.md"


def test_every_documented_format_is_registered():
    assert list(FORMATS) == ["text", "full", "json", "jsonl", "github", "sarif", "junit", "gitlab", "html"]


# -- full ------------------------------------------------------------------------------------
def test_full_shows_source_line_underline_suggestion_and_reference(page, cli):
    result = cli("check", "--format", "full", "--isolated", page)
    assert result.code == 1
    blocks = result.out.split("\n\n")
    cure = blocks[0].splitlines()
    assert cure[0] == 'serum.md:3:11: HL101 [error] "cures" is a cure claim: only an approved drug may claim to cure a disease.'
    assert cure[1:4] == [
        "  |",
        "3 | Our serum cures baldness with no side",
        "  |           ^^^^^ cure-claim",
    ]
    assert any(line.startswith("  = help: Describe what the service involves") for line in cure)
    assert "  = see: https://www.law.cornell.edu/uscode/text/21/321" in cure
    assert "\x1b[" not in result.out  # not a terminal: no colour


def test_full_underlines_spans_over_several_lines(page, cli):
    block = [b for b in cli("check", "--format", "full", page).out.split("\n\n") if "HL151" in b.splitlines()[0]][0]
    lines = block.splitlines()
    assert lines[0].startswith('serum.md:3:31: HL151 [error] "no side effects"')
    assert lines[2:6] == [
        "3 | Our serum cures baldness with no side",
        "  | " + " " * 30 + "^^^^^^^",
        "4 | effects, 100% safe.",
        "  | ^^^^^^^ risk-free-claim",
    ]


def test_full_aligns_the_underline_under_wide_characters(tmp_path, cli):
    path = tmp_path / "wide.md"
    path.write_text("「新」 It cures.\n", encoding="utf-8")
    lines = cli("check", "--format", "full", path).out.splitlines()
    assert lines[2] == "1 | 「新」 It cures."
    assert lines[3] == "  | " + " " * 10 + "^^^^^ cure-claim"  # the 3 wide characters take 6 cells


def test_full_colour_only_when_asked():
    from hypelint.linter import Linter

    text = "It cures.\n"
    diagnostics = Linter().lint_text(text, path="p.txt")
    coloured = reporter("full")(Report(diagnostics, texts={"p.txt": text}, color=True))
    plain = reporter("full")(Report(diagnostics, texts={"p.txt": text}))
    assert "\x1b[31m" in coloured and "\x1b[" not in plain
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("no_color,expect_colour", [(None, True), ("1", False)])
def test_full_on_a_terminal_is_coloured_unless_no_color(tmp_path, no_color, expect_colour):
    path = tmp_path / "p.md"
    path.write_text("It cures.\n")
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    if no_color:
        env["NO_COLOR"] = no_color
    leader, follower = os.openpty()
    process = subprocess.Popen([sys.executable, "-m", "hypelint", "check", "--format", "full", str(path)],
                               stdout=follower, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the terminal closed
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait() == 1
    assert b"HL101" in output
    assert (b"\x1b[" in output) is expect_colour


# -- json / jsonl ----------------------------------------------------------------------------
def test_jsonl_is_the_json_array_one_object_per_line(page, cli):
    array = json.loads(cli("check", "--format", "json", page).out)
    lines = cli("check", "--format", "jsonl", page).out.splitlines()
    assert [json.loads(line) for line in lines] == array and len(array) == 3


# -- github ----------------------------------------------------------------------------------
_COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _unescape(value: str) -> str:
    return value.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def _parse_github(output: str):
    commands = []
    for line in output.splitlines():
        match = _COMMAND.match(line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match.group(2).split(","))
        commands.append((match.group(1), {k: _unescape(v) for k, v in properties.items()}, _unescape(match.group(3))))
    return commands


def test_github_lines_parse_with_positions_severity_and_escaping(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".hypelint.yaml").write_text("severity:\n  evidence: info\n  claim.safety: warning\n")
    name = "odd, name: 50%.md"
    (tmp_path / name).write_text("Studies have shown it cures.\nIt is 100% safe.\n")
    output = cli("check", "--format", "github", name).out
    assert "odd%2C name%3A 50%25.md" in output and "100%25 safe" in output
    commands = _parse_github(output)
    assert [(kind, props["title"]) for kind, props, _ in commands] == [
        ("notice", "HL201 unsourced-study"), ("error", "HL101 cure-claim"), ("warning", "HL151 risk-free-claim")]
    kind, props, message = commands[2]
    assert props == {"file": name, "line": "2", "col": "7", "endLine": "2", "endColumn": "16",
                     "title": "HL151 risk-free-claim"}
    assert message.startswith('"100% safe" minimises risk')


def test_github_multiline_span_has_no_columns(page, cli):
    [multi] = [c for c in _parse_github(cli("check", "--format", "github", page).out) if c[1]["title"].startswith("HL151")
               and c[1]["line"] == "3"]
    assert multi[1]["endLine"] == "4" and "col" not in multi[1]


def test_github_escapes_newlines_in_messages():
    from hypelint.reporters.github import escape_data, escape_property

    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("x,y:z") == "x%2Cy%3Az"


# -- sarif -----------------------------------------------------------------------------------
def _sarif(cli, *args):
    return json.loads(cli("check", "--format", "sarif", *args).out)


def test_sarif_is_valid_against_the_2_1_0_schema(page, cli):
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    document = _sarif(cli, page)
    validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    empty = _sarif(cli, "--select", "HL171", page)  # a run without results
    assert empty["runs"][0]["results"] == [] and not list(validator.iter_errors(empty))


def test_sarif_rules_carry_name_help_and_uri_and_results_carry_regions(page, cli):
    run = _sarif(cli, page)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    cure = next(rule for rule in rules if rule["id"] == "HL101")
    assert cure["name"] == "cure-claim"
    assert cure["helpUri"] == "https://www.law.cornell.edu/uscode/text/21/321"
    assert cure["shortDescription"]["text"].startswith("Wording that says a product or service cures")
    assert cure["fullDescription"]["text"].startswith("A product or service that claims to cure")
    assert "What to write instead" in cure["help"]["text"] and "](https://" in cure["help"]["markdown"]
    assert cure["defaultConfiguration"]["level"] == "error"
    assert run["columnKind"] == "unicodeCodePoints"
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["HL101", "HL151", "HL151"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    location = results[1]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "serum.md", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "startColumn": 31, "endLine": 4, "endColumn": 8}


def test_sarif_fingerprints_survive_moved_lines(page, cli, tmp_path):
    before = [r["partialFingerprints"] for r in _sarif(cli, page)["runs"][0]["results"]]
    (tmp_path / page).write_text("# Serum\n\nA new intro paragraph.\n\n" + RISKY.split("\n\n", 1)[1], encoding="utf-8")
    after = _sarif(cli, page)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in after] == before
    assert after[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 5


# -- junit -----------------------------------------------------------------------------------
def test_junit_is_well_formed_and_counts_files_and_findings(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.md").write_text("It cures \x0b<&> everything.\n")
    (tmp_path / "good.md").write_text("Book a visit.\n")
    output = cli("check", "--format", "junit", ".").out
    root = ElementTree.fromstring(output.encode("utf-8"))
    assert root.tag == "testsuites" and root.get("tests") == "2" and root.get("failures") == "1"
    suites = {suite.get("name"): suite for suite in root}
    assert set(suites) == {"bad.md", "good.md"}
    [case] = suites["bad.md"]
    assert case.get("name") == "HL101 cure-claim at 1:4" and case.get("line") == "1"
    failure = case.find("failure")
    assert failure.get("type") == "error" and failure.get("message").startswith('"cures" is a cure claim')
    assert "bad.md:1:4: HL101" in failure.text
    assert suites["good.md"].find("testcase").find("failure") is None


# -- gitlab ----------------------------------------------------------------------------------
def test_gitlab_code_quality_json(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.md").write_text("It cures.\n\nIt cures.\n\nStudies have shown it.\n")
    issues = json.loads(cli("check", "--format", "gitlab", "p.md").out)
    assert len(issues) == 3
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["path"] == "p.md"
        assert isinstance(issue["location"]["positions"]["begin"]["line"], int)
    assert [i["severity"] for i in issues] == ["major", "major", "minor"]
    assert len({i["fingerprint"] for i in issues}) == 3  # identical findings stay distinct
    assert issues[0]["check_name"] == "HL101" and issues[0]["description"].startswith("HL101 cure-claim: ")


# -- output file and statistics --------------------------------------------------------------
def test_output_file_receives_the_report_and_stdout_stays_empty(page, cli, tmp_path):
    result = cli("check", "--format", "sarif", "--output-file", "out/report.sarif", page)
    assert result.code == 2 and "folder" in result.err and not (tmp_path / "out").exists()
    (tmp_path / "out").mkdir()
    result = cli("check", "--format", "sarif", "--output-file", "out/report.sarif", page)
    assert result.code == 1 and result.out == ""
    assert json.loads((tmp_path / "out" / "report.sarif").read_text())["version"] == "2.1.0"
    assert "Found 3 problems" in result.err
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.sarif"]  # no temporary left over


def test_output_file_is_not_touched_when_the_run_fails(page, cli, tmp_path, monkeypatch):
    report = tmp_path / "report.txt"
    report.write_text("previous report\n")
    (tmp_path / ".hypelint.yaml").write_text("select: [HL000]\n")
    assert cli("check", "-o", report, page).code == 2
    assert report.read_text() == "previous report\n"
    (tmp_path / ".hypelint.yaml").unlink()

    from hypelint import reporters
    from hypelint.errors import HypelintError

    def failing_render(report):
        raise HypelintError("renderer broke")

    monkeypatch.setattr(reporters, "reporter", lambda name: failing_render)
    assert cli("check", "-o", report, page).code == 2
    assert report.read_text() == "previous report\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".hypelint-")] == []


def test_write_atomically_leaves_no_temporary_on_failure(tmp_path, monkeypatch):
    from hypelint.atomic import write_atomically
    from hypelint.errors import HypelintError

    target = tmp_path / "report.json"
    target.write_text("old")

    def broken_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(HypelintError, match="No space left on device"):
        write_atomically(str(target), "new")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_statistics_counts_per_rule(page, cli):
    result = cli("check", "--statistics", page)
    assert result.code == 1
    assert result.out.splitlines() == ["2  HL151  risk-free-claim  [error]", "1  HL101  cure-claim       [error]"]
    data = json.loads(cli("check", "--statistics", "--format", "json", page).out)
    assert data == [{"code": "HL151", "name": "risk-free-claim", "severity": "error", "count": 2},
                    {"code": "HL101", "name": "cure-claim", "severity": "error", "count": 1}]


# -- progress --------------------------------------------------------------------------------
class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_only_on_a_terminal_outside_ci_for_many_files():
    from hypelint.progress import MIN_FILES, wanted

    assert wanted(_Terminal(), MIN_FILES, environ={})
    assert not wanted(_Terminal(), MIN_FILES - 1, environ={})
    assert not wanted(io.StringIO(), MIN_FILES, environ={})
    assert not wanted(_Terminal(), MIN_FILES, environ={"CI": "true"})
    assert not wanted(_Terminal(), MIN_FILES, environ={"TERM": "dumb"})
    assert wanted(_Terminal(), MIN_FILES, environ={"CI": "false"})


def test_progress_draws_throttled_and_erases_itself():
    from hypelint.progress import Progress

    now = [0.0]
    stream = _Terminal()
    with Progress(stream, 4, clock=lambda: now[0]) as progress:
        progress.advance()      # drawn (first)
        progress.advance()      # throttled
        now[0] = 1.0
        progress.advance()      # drawn
        progress.advance()      # drawn (last)
    output = stream.getvalue()
    assert output.count("files") == 3 and "4/4 files" in output
    assert output.endswith("\r\x1b[2K")


def test_check_shows_progress_on_a_terminal_but_not_in_ci(tmp_path, monkeypatch):
    from hypelint.cli import main
    from hypelint.progress import MIN_FILES

    for index in range(MIN_FILES):
        (tmp_path / f"page{index}.md").write_text("Fine copy.\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    for ci, expected in ((None, True), ("true", False)):
        if ci:
            monkeypatch.setenv("CI", ci)
        else:
            monkeypatch.delenv("CI", raising=False)
        monkeypatch.delenv("TERM", raising=False)
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        assert main(["check", "--isolated", "."]) == 0
        assert (f"{MIN_FILES}/{MIN_FILES} files" in terminal.getvalue()) is expected
        assert f"No problems found in {MIN_FILES} files." in terminal.getvalue()

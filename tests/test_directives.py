"""Suppression directives: every form, in every format with comments, and the findings about
directives themselves (HL002 blanket, HL003 unused/unknown, HL004 no reason, HL006 invalid).
Rules are tests/tiny_rules.py: HL701 cure-word (claim.cure), HL702 guarantee-word
(claim.absolute), HL703 safety-phrase (claim.safety)."""
from __future__ import annotations

import json

import pytest

from hypelint.directives import Directive, parse_directive
from hypelint.document import Comment
from tiny_rules import RULES, found, linter


def test_parse_directive():
    directive = parse_directive(Comment(0, 10, " hypelint-disable-next-line HL701, guarantee-word claim -- ok by legal "))
    assert isinstance(directive, Directive)
    assert directive.kind == "disable-next-line"
    assert directive.selectors == ["HL701", "guarantee-word", "claim"]
    assert directive.reason == "ok by legal"
    assert parse_directive(Comment(0, 1, "hypelint-enable")).selectors == []
    assert parse_directive(Comment(0, 1, " just a comment about hypelint ")) is None
    assert "not a directive" in parse_directive(Comment(0, 1, "hypelint-disabel HL701"))
    assert "not a directive" in parse_directive(Comment(0, 1, "hypelint-disable:HL701"))


# -- each form in Markdown -----------------------------------------------------------------------

def test_disable_next_line():
    text = ("<!-- hypelint-disable-next-line HL701 -- approved 2024-05 -->\n"
            "It cures. Guaranteed.\n"
            "It cures.\n")
    assert found(text, "markdown") == [(2, 11, 2, 21, "HL702"), (3, 4, 3, 9, "HL701")]


def test_disable_line():
    text = "It cures. <!-- hypelint-disable-line cure-word -- quoted from a review -->\nIt cures.\n"
    assert found(text, "markdown") == [(2, 4, 2, 9, "HL701")]


def test_disable_and_enable():
    text = ("It cures.\n\n"
            "<!-- hypelint-disable HL701 HL702 -- archived press release -->\n\n"
            "It cures, guaranteed.\n\n"
            "<!-- hypelint-enable -->\n\n"
            "It cures.\n")
    assert found(text, "markdown") == [(1, 4, 1, 9, "HL701"), (9, 4, 9, 9, "HL701")]


def test_enable_one_selector_of_several():
    text = ("<!-- hypelint-disable HL701 HL702 -- x -->\n\n"
            "Cures, guaranteed.\n\n"
            "<!-- hypelint-enable HL701 -->\n\n"
            "Cures, guaranteed.\n")
    assert found(text, "markdown") == [(7, 1, 7, 6, "HL701")]


def test_enable_one_rule_after_a_blanket_disable():
    text = ("<!-- hypelint-disable -->\n\n"
            "Cures, guaranteed.\n\n"
            "<!-- hypelint-enable guarantee-word -->\n\n"
            "Cures, guaranteed.\n")
    assert [r for r in found(text, "markdown") if r[-1].startswith("HL7")] == [(7, 8, 7, 18, "HL702")]


def test_disable_without_enable_runs_to_the_end():
    text = "It cures.\n<!-- hypelint-disable HL701 -- x -->\nIt cures.\n\nStill cures.\n"
    assert found(text, "markdown") == [(1, 4, 1, 9, "HL701")]


def test_disable_file_anywhere():
    text = "It cures, guaranteed.\n\n<!-- hypelint-disable-file HL701 -- legacy page -->\n"
    assert found(text, "markdown") == [(1, 11, 1, 21, "HL702")]


@pytest.mark.parametrize("selector", ["HL701", "hl701", "cure-word", "claim.cure", "HL70", "claim"])
def test_selectors_are_those_of_select(selector):
    text = f"<!-- hypelint-disable-next-line {selector} -- x -->\nIt cures.\n"
    assert [r for r in found(text, "markdown") if r[-1] == "HL701"] == []


# -- the same words in every format with comments -------------------------------------------------

@pytest.mark.parametrize("path,text,expected", [
    ("page.html", "<p>It cures.</p>\n<!-- hypelint-disable-next-line HL701 -- x -->\n<p>It cures.</p>\n",
     [(1, 7, 1, 12, "HL701")]),
    ("page.html", "<!-- hypelint-disable-file cure-word -- x --><title>Cures</title><p>cures</p>", []),
    ("data.yaml", "a: It cures\n# hypelint-disable-next-line HL701 -- x\nb: It cures\n"
                  "c: It cures  # hypelint-disable-line HL701 -- x\n", [(1, 7, 1, 12, "HL701")]),
    ("data.yml", "# hypelint-disable HL701 -- x\na: cures\n# hypelint-enable HL701\nb: cures\n",
     [(4, 4, 4, 9, "HL701")]),
    ("post.md", "---\n# hypelint-disable-next-line HL701 -- x\ntitle: It cures\ndescription: It cures\n---\n",
     [(4, 17, 4, 22, "HL701")]),
    ("post.md", '+++\ntitle = "It cures"  # hypelint-disable-line HL701 -- x\nsummary = "It cures"\n+++\n',
     [(3, 15, 3, 20, "HL701")]),
    ("notes.txt", "It cures.\nhypelint-disable-next-line HL701 -- x\nIt cures.\n", [(1, 4, 1, 9, "HL701")]),
    ("notes.txt", "# hypelint-disable-file -- legacy\nIt cures.\n", [(1, 1, 1, 34, "HL002")]),
    ("page.mdx", "It cures.\n\n{/* hypelint-disable-next-line HL701 -- x */}\nIt cures.\n", [(1, 4, 1, 9, "HL701")]),
    ("page.mdx", "<!-- hypelint-disable-next-line HL701 -- x -->\nIt cures.\n", []),
    ("strings.json", '{\n  // hypelint-disable-next-line HL701 -- x\n  "a": "It cures"\n}\n', []),
])
def test_directives_in_every_format_with_comments(path, text, expected):
    assert found(text, path=path) == expected


def test_directive_line_in_plain_text_is_not_prose():
    text = "hypelint-disable-next-line HL701 -- cures are fine here\nIt cures.\n"
    assert found(text, "text") == []


def test_json_without_comments_has_no_directives():
    # JSON has no comments: suppress with configuration (select/ignore) instead
    assert found('{"a": "hypelint-disable-file", "b": "It cures"}', path="x.json") == [(1, 41, 1, 46, "HL701")]


# -- findings about directives -------------------------------------------------------------------

def test_blanket_suppression_is_reported_at_info():
    text = "<!-- hypelint-disable-next-line -->\nIt cures, guaranteed.\n"
    diagnostics = linter().lint_text(text, format="markdown")
    assert [(d.code, d.line, d.column, d.end_column, str(d.severity), d.category) for d in diagnostics] == [
        ("HL002", 1, 1, 36, "info", "hypelint.suppression")]


def test_unused_suppression_is_reported():
    text = ("<!-- hypelint-disable-next-line HL701 -- x -->\nNothing here.\n"
            "<!-- hypelint-disable-next-line HL701 HL702 -- x -->\nIt cures.\n"
            "<!-- hypelint-disable-next-line -->\nNothing.\n")
    diagnostics = linter().lint_text(text, format="markdown")
    assert [(d.code, d.line, d.message) for d in diagnostics] == [
        ("HL003", 1, "unused suppression: no HL701 finding for hypelint-disable-next-line to suppress"),
        ("HL003", 3, "unused suppression: no HL702 finding for hypelint-disable-next-line to suppress"),
        ("HL002", 5, "hypelint-disable-next-line without a rule list suppresses every rule; name the rules "
                     "(e.g. `hypelint-disable-next-line HL101`)"),
        ("HL003", 5, "unused suppression: hypelint-disable-next-line suppressed nothing"),
    ]
    assert str(diagnostics[0].severity) == "warning"


def test_unknown_rule_and_stray_enable():
    text = "<!-- hypelint-disable-next-line HL999 -- x -->\nText.\n<!-- hypelint-enable HL701 -->\n"
    messages = [(d.code, d.line, d.message) for d in linter().lint_text(text, format="markdown")]
    assert messages == [
        ("HL003", 1, "hypelint-disable-next-line: unknown rule or category 'HL999' (see `hypelint rules`)"),
        ("HL003", 3, "hypelint-enable HL701: no hypelint-disable of HL701 is open here"),
    ]


def test_unused_is_not_claimed_for_rules_that_did_not_run():
    text = "<!-- hypelint-disable-next-line HL702 -- x -->\nIt cures.\n<!-- hypelint-disable -->\n"
    narrowed = linter(select=["HL701", "HL003", "HL002"]).lint_text(text, format="markdown")
    assert [d.code for d in narrowed] == ["HL701", "HL002"]


def test_invalid_directive_is_reported():
    diagnostics = linter().lint_text("<!-- hypelint-disabel HL701 -->\nIt cures.\n", format="markdown")
    assert [(d.code, d.line) for d in diagnostics] == [("HL006", 1), ("HL701", 2)]


def test_reasons_can_be_required():
    text = ("<!-- hypelint-disable-next-line HL701 -->\nIt cures.\n"
            "<!-- hypelint-disable-next-line HL701 -- approved by legal, ticket 42 -->\nIt cures.\n")
    assert found(text, "markdown") == []
    required = linter(require_suppression_reason=True).lint_text(text, format="markdown")
    assert [(d.code, d.line, str(d.severity)) for d in required] == [("HL004", 1, "warning")]


def test_directive_findings_follow_ignore_and_severity():
    text = "<!-- hypelint-disable-next-line HL701 -- x -->\nNothing.\n"
    assert found(text, "markdown", ignore=["HL003"]) == []
    assert found(text, "markdown", ignore=["hypelint.suppression"]) == []
    from hypelint.diagnostic import Severity

    raised = linter(severity_overrides={"unused-suppression": Severity.ERROR}).lint_text(text, format="markdown")
    assert str(raised[0].severity) == "error"


def test_directive_findings_cannot_be_suppressed_by_directives():
    text = "<!-- hypelint-disable-file -->\n<!-- hypelint-disable-next-line HL701 -- x -->\nNothing.\n"
    assert [d.code for d in linter().lint_text(text, format="markdown")] == ["HL002", "HL003", "HL003"]


def test_notes_can_be_suppressed():
    text = "---\ntitle: [unclosed\n---\n<!-- hypelint-disable-file HL001 -- generated file -->\n"
    assert found(text, "markdown") == []


# -- configuration and command line ---------------------------------------------------------------

def test_cli_require_suppression_reason(tmp_path, cli):
    page = tmp_path / "page.md"
    page.write_text("<!-- hypelint-disable-next-line cure-claim -->\nOur serum cures baldness.\n")
    assert cli("check", page).code == 0
    result = cli("check", "--require-suppression-reason", "--format", "json", page)
    assert result.code == 1
    data = json.loads(result.out)
    assert [(d["code"], d["name"], d["category"], d["severity"]) for d in data] == [
        ("HL004", "suppression-without-reason", "hypelint.suppression", "warning")]


def test_config_require_suppression_reason_and_ignore_engine_codes(tmp_path, cli):
    (tmp_path / ".hypelint.yaml").write_text("require-suppression-reason: true\nignore: [HL002]\n")
    page = tmp_path / "page.md"
    page.write_text("<!-- hypelint-disable-next-line -->\nOur serum cures baldness.\n")
    result = cli("check", "--config", tmp_path / ".hypelint.yaml", page)
    assert [line.split(": ")[1].split()[0] for line in result.out.splitlines()] == ["HL004"]


def test_unknown_selector_in_cli_is_still_an_error(tmp_path, cli):
    page = tmp_path / "page.md"
    page.write_text("Text.\n")
    assert cli("check", "--ignore", "HL003", page).code == 0
    assert cli("check", "--select", "HL0009", page).code == 2


def test_tiny_rules_are_the_only_rules_here():
    assert [r.code for r in RULES] == ["HL701", "HL702", "HL703"]


def test_a_directive_inside_code_is_not_a_directive():
    text = "Write `<!-- hypelint-disable-file -->` to disable.\n\n```\n<!-- hypelint-disable-file -->\n```\n\nIt cures.\n"
    assert found(text, "markdown") == [(7, 4, 7, 9, "HL701")]


def test_inline_comment_with_a_reason_is_not_prose():
    # the reason's words ("cure-word", "cures") are inside the comment, never findings
    text = "It cures. <!-- hypelint-disable-line cure-word -- cures are quoted -->\n"
    assert found(text, "markdown") == []


def test_comment_after_a_block_scalar_header():
    text = "a: |  # hypelint-disable-next-line HL701 -- x\n  It cures.\nb: It cures.\n"
    assert found(text, path="x.yaml") == [(3, 7, 3, 12, "HL701")]

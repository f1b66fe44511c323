"""The language server's pure parts: position encodings, quick-fix edits, per-folder settings,
and `hypelint lsp` without the optional extra. (End-to-end tests over stdio: test_lsp.py.)"""
from __future__ import annotations

import sys

import textwrap

import pytest
import yaml

from hypelint.diagnostic import Diagnostic, Severity
from hypelint.lsp import fixes
from hypelint.lsp.positions import UTF8, UTF16, UTF32, PositionMapper, code_units, line_starts, negotiate
from hypelint.lsp.settings import SettingsResolver, editor_options

# "e" + COMBINING ACUTE ACCENT, an emoji outside the BMP, a CJK character (3 UTF-8 bytes)
LINE = "Smile 😀 cafe\u0301 中 cures"


# -- positions -------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding, expected", [(UTF16, 17), (UTF8, 22), (UTF32, 16)])
def test_column_of_a_word_after_emoji_combining_mark_and_cjk(encoding, expected):
    offset = LINE.index("cures")  # 16 code points in
    mapper = PositionMapper("intro\n" + LINE, encoding)
    assert mapper.position(6 + offset) == (1, expected)
    assert mapper.offset(1, expected) == 6 + offset


def test_code_units_count_surrogate_pairs_and_bytes():
    assert code_units("a😀", UTF16) == 3
    assert code_units("a😀", UTF8) == 5
    assert code_units("a😀", UTF32) == 2
    assert code_units("e\u0301", UTF16) == 2  # a combining mark is its own code unit


def test_lsp_line_endings_are_lf_crlf_and_cr_only():
    text = "a\r\nb\rc\nd\u2028e"
    assert line_starts(text) == [0, 3, 5, 7]
    mapper = PositionMapper(text, UTF16)
    assert mapper.line_text(0) == "a" and mapper.line_text(1) == "b" and mapper.line_text(3) == "d\u2028e"
    assert mapper.position(text.index("e")) == (3, 2)  # U+2028 does not end a line in LSP
    assert mapper.position(1) == (0, 1) and mapper.position(2) == (0, 1)  # inside "\r\n": line end


def test_positions_outside_the_document_are_clamped():
    mapper = PositionMapper("ab\ncd", UTF16)
    assert mapper.offset(0, 99) == 2
    assert mapper.offset(7, 0) == 5
    assert mapper.offset(1, 1) == 4
    # the middle of a surrogate pair rounds down to the character's start
    assert PositionMapper("😀x", UTF16).offset(0, 1) == 0


def test_negotiation_takes_the_clients_first_supported_offer():
    assert negotiate(None) == UTF16
    assert negotiate(["utf-8", "utf-16"]) == UTF8
    assert negotiate(["latin-1", "utf-32"]) == UTF32
    assert negotiate(["latin-1"]) == UTF16


# -- vetted replacements ------------------------------------------------------------------------
def _diagnostic(text, flagged, suggestions=(), code="XX101", document_level=False):
    start = text.index(flagged)
    return Diagnostic(path="p.md", line=1, column=start + 1, end_line=1, end_column=start + len(flagged) + 1,
                      code=code, name="cure-claim", category="claim.cure", severity=Severity.ERROR,
                      message="m", suggestions=tuple(suggestions), start=start, end=start + len(flagged),
                      matched=flagged, document_level=document_level)


def test_advice_never_becomes_an_edit():
    """Issue 18 point 5: 'Replace with "Most people feel mild soreness..."' in a suggestion wrote
    an unchecked claim into the copy. Only the rule's `replacement:` data is offered."""
    text = "Our serum works with no side effects at all."
    advice = ['"Most people feel mild soreness for a day or two" instead of "no side effects".',
              'Replace with "few side effects".']
    assert fixes.replacement_fixes(_diagnostic(text, "no side effects", advice), text) == []
    fix, = fixes.replacement_fixes(_diagnostic(text, "no side effects", advice), text, ["Few reported side effects"])
    assert fixes.apply_edits(text, [fix.edit]) == "Our serum works with few reported side effects at all."


def test_replacement_takes_the_case_of_the_sentence():
    text = "Cures everything. It CURES! Our serum\ncures it.\n\n- cures too\n# Cures"
    assert [f.edit.new_text for f in fixes.replacement_fixes(_diagnostic(text, "Cures"), text, ["may ease", "Can help"])] \
        == ["May ease", "Can help"]
    assert fixes.replacement_fixes(_diagnostic(text, "CURES"), text, ["may ease"])[0].edit.new_text == "MAY EASE"
    inside = _diagnostic(text, "cures it")  # a wrapped line inside a sentence: no capital letter
    assert fixes.replacement_fixes(inside, text, ["May ease", "FDA-reviewed"])[0].edit.new_text == "may ease"
    assert fixes.replacement_fixes(inside, text, ["FDA-reviewed"])[0].edit.new_text == "FDA-reviewed"
    assert fixes.replacement_fixes(_diagnostic(text, "cures too"), text, ["may ease"])[0].edit.new_text == "May ease"
    assert fixes.at_sentence_start(text, text.rindex("Cures"))


def test_document_level_findings_have_no_replacement():
    text = "It cures."
    assert fixes.replacement_fixes(_diagnostic(text, "It cures.", document_level=True), text, ["x"]) == []


def test_replacement_key_is_validated(tmp_path):
    from hypelint.errors import RuleError
    from hypelint.rules.load import load_ruleset_file

    rule = textwrap.dedent("""\
        rules:
          - code: HL999
            name: test-rule
            category: claim.cure
            severity: error
            message: 'found {match}'
            rationale: because
            references: [{title: T, url: 'https://example.com'}]
            patterns: ['zap']
            replacement: REPLACEMENT
            examples: {bad: ['a [[zap]]'], good: ['nothing']}
        """)
    (tmp_path / "ok.yaml").write_text(rule.replace("REPLACEMENT", "may help"))
    assert load_ruleset_file(tmp_path / "ok.yaml")[0].replacement == ("may help",)
    (tmp_path / "bad.yaml").write_text(rule.replace("REPLACEMENT", "[1, 2]"))
    with pytest.raises(RuleError, match=r"bad.yaml:10: rule HL999: 'replacement' must be"):
        load_ruleset_file(tmp_path / "bad.yaml")


# -- disable-next-line comments -----------------------------------------------------------------
@pytest.mark.parametrize("path, fmt, text, flagged, expected", [
    ("a.md", "markdown", "Intro.\n\n> It cures.\n", "cures", "Intro.\n\n> <!-- hypelint-disable-next-line XX101 -->\n> It cures.\n"),
    ("a.md", "markdown", "- a\n  - It cures.\n", "cures", "- a\n  <!-- hypelint-disable-next-line XX101 -->\n  - It cures.\n"),
    ("a.mdx", "markdown", "It cures.\r\n", "cures", "{/* hypelint-disable-next-line XX101 */}\r\nIt cures.\r\n"),
    ("a.html", "html", "<p>It cures.</p>", "cures", "<!-- hypelint-disable-next-line XX101 -->\n<p>It cures.</p>"),
    ("a.yaml", "yaml", "page:\n  body: It cures.\n", "cures", "page:\n  # hypelint-disable-next-line XX101\n  body: It cures.\n"),
    ("a.toml", "toml", 'body = "It cures."\n', "cures", '# hypelint-disable-next-line XX101\nbody = "It cures."\n'),
    ("a.txt", "text", "One.\nIt cures.\n", "cures", "One.\nhypelint-disable-next-line XX101\nIt cures.\n"),
])
def test_disable_next_line_uses_the_files_comment_syntax(path, fmt, text, flagged, expected):
    edit = fixes.disable_next_line_edit(_diagnostic(text, flagged), text, path, fmt)
    assert fixes.apply_edits(text, [edit]) == expected


def test_json_has_no_comment_to_disable_with():
    text = '{"body": "It cures."}'
    assert fixes.disable_next_line_edit(_diagnostic(text, "cures"), text, "a.json", "json") is None


# -- ignoring a rule in the config --------------------------------------------------------------
@pytest.mark.parametrize("before, after", [
    ("", "ignore:\n  - XX101  # cure-claim\n"),
    ("fail-on: error", "fail-on: error\nignore:\n  - XX101  # cure-claim\n"),
    ("ignore:\n  - HL201\nfail-on: error\n", "ignore:\n  - HL201\n  - XX101  # cure-claim\nfail-on: error\n"),
    ("ignore:\n- HL201  # why\n", "ignore:\n- HL201  # why\n- XX101  # cure-claim\n"),
    ("ignore: [HL201, HL301]\n", "ignore: [HL201, HL301, XX101]\n"),
    ("ignore: []\n", "ignore: [XX101]\n"),
    ("ignore:\nselect: [HL1]\n", "ignore: [XX101]\nselect: [HL1]\n"),
])
def test_rule_is_added_to_the_yaml_ignore_list(before, after):
    edit = fixes.ignore_in_yaml(before, "XX101", "cure-claim")
    result = fixes.apply_edits(before, [edit])
    assert result == after
    assert "XX101" in yaml.safe_load(result)["ignore"]


@pytest.mark.parametrize("text", ["ignore: [XX101]\n", "ignore:\n  - cure-claim\n", "ignore: [\n", "- a\n- b\n",
                                  "ignore: everything\n"])
def test_yaml_config_left_alone_when_already_ignored_or_not_editable(text):
    assert fixes.ignore_in_yaml(text, "XX101", "cure-claim") is None


@pytest.mark.parametrize("before, after", [
    ('[tool.hypelint]\nfail-on = "error"\n', '[tool.hypelint]\nignore = ["XX101"]  # cure-claim\nfail-on = "error"\n'),
    ('[tool.hypelint]\nignore = ["HL201"]\n\n[tool.other]\nignore = []\n',
     '[tool.hypelint]\nignore = ["HL201", "XX101"]\n\n[tool.other]\nignore = []\n'),
    ('[tool.hypelint]\nignore = [\n  "HL201",  # a comment with ]\n]\n',
     '[tool.hypelint]\nignore = [\n  "HL201", "XX101",  # a comment with ]\n]\n'),
    ('[tool.hypelint]\nignore = []\n', '[tool.hypelint]\nignore = ["XX101"]\n'),
])
def test_rule_is_added_to_pyproject_ignore(before, after):
    assert fixes.apply_edits(before, [fixes.ignore_in_pyproject(before, "XX101", "cure-claim")]) == after


def test_pyproject_without_a_hypelint_table_is_not_edited():
    assert fixes.ignore_in_pyproject('[tool.other]\nx = 1\n', "XX101", "cure-claim") is None
    assert fixes.ignore_in_pyproject('[tool.hypelint]\nignore = ["XX101"]\n', "XX101", "cure-claim") is None


# -- settings per folder ------------------------------------------------------------------------
def test_settings_cached_per_config_file_and_last_good_kept(tmp_path):
    (tmp_path / ".hypelint.yaml").write_text("ignore: [cure-claim]\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    resolver = SettingsResolver()
    first = resolver.settings_for(tmp_path / "a")
    assert first.error is None and first.settings.ignore == ["cure-claim"]
    assert resolver.settings_for(tmp_path / "b").settings is first.settings  # one Settings per config
    (tmp_path / ".hypelint.yaml").write_text("ignore: [\n")
    resolver.invalidate()
    broken = resolver.settings_for(tmp_path / "a")
    assert broken.settings is first.settings
    assert ".hypelint.yaml" in str(broken.error) and "invalid YAML" in str(broken.error)
    assert resolver.is_settings_file(tmp_path / ".hypelint.yaml")
    assert not resolver.is_settings_file(tmp_path / "a" / "page.md")


def test_editor_options_accept_sections_camel_case_and_report_their_origin(tmp_path):
    assert editor_options({"hypelint": {"failOn": "error", "debounceMs": 5}}) == {"fail-on": "error", "debounce-ms": 5}
    resolver = SettingsResolver()
    resolver.set_options({"colour": "red"})
    resolved = resolver.settings_for(tmp_path)
    assert str(resolved.error).startswith("editor settings: unknown key 'colour'")
    resolver.set_options({"ignore": ["HL101"], "debounceMs": 40})
    assert resolver.settings_for(tmp_path).settings.ignore == ["HL101"]
    assert resolver.debounce_seconds == 0.04


def test_ruleset_files_referenced_by_a_config_are_watched(tmp_path):
    rules = tmp_path / "team.yaml"
    rules.write_text("rules: []\n")
    (tmp_path / ".hypelint.yaml").write_text("extends: [core, ./team.yaml]\n")
    resolver = SettingsResolver()
    assert resolver.settings_for(tmp_path).error is None
    assert resolver.is_settings_file(rules)


# -- without the extra ------------------------------------------------------------------------
def test_lsp_without_pygls_prints_the_install_hint_and_exits_2(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "pygls", None)  # makes `import pygls` raise ImportError
    result = cli("lsp")
    assert result.code == 2
    assert "pip install 'pygls>=2.0,<3'" in result.err and result.out == ""


# -- scheduling (in-process server, no client) ----------------------------------------------------
def test_a_result_for_an_outdated_version_is_dropped_and_the_newest_text_is_linted(tmp_path):
    pytest.importorskip("pygls", reason="the server needs the lsp extra")
    import asyncio

    from hypelint.lsp.server import OpenDocument, create_server

    async def scenario():
        server = create_server()
        published = []
        arrived = asyncio.Event()

        def record(method, params):
            published.append(params)
            arrived.set()

        server.protocol.notify_json = record
        uri = (tmp_path / "page.md").as_uri()
        document = OpenDocument(uri, "Our serum cures baldness.\n", 1)
        server.documents[uri] = document
        server.schedule(uri, 0)  # version 1 is being linted on the worker...
        document.text, document.version = "Our serum is gentle.\n", 2  # ...when an edit arrives
        server.schedule(uri)
        await asyncio.wait_for(arrived.wait(), 30)
        server._lint_pool.shutdown(wait=True)
        return published

    published = asyncio.run(scenario())
    assert [(p["version"], p["diagnostics"]) for p in published] == [(2, [])]

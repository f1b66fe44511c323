"""Deep nesting and alias bombs (issue 19, items 4, 5 and 6): every case ends as a clear error
naming the file (or a note), never a RecursionError, a hang or gigabytes; the other files of the
run are still linted."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from hypelint import lint_text
from hypelint.baseline import Baseline
from hypelint.config import load_settings
from hypelint.errors import ConfigError, HypelintError, RuleError, SourceError
from hypelint.limits import MAX_YAML_DEPTH
from hypelint.linter import Linter
from hypelint.records import RecordOptions, process_raw_record
from hypelint.rules.load import load_ruleset_file
from hypelint.sources import html as html_source

CLAIM = "Our serum cures baldness."
ALIAS_BOMB = "".join(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9) if previous else ', '.join(['lol'] * 9)}]\n"
                     for previous, name in zip([None, *"abcdefgh"], "abcdefghi"))


def _lint_file(path):
    return Linter().lint_file(str(path))


# -- JSON ------------------------------------------------------------------------------------
def test_json_copy_nested_1000_deep_is_linted(tmp_path):
    page = tmp_path / "copy.json"
    page.write_text("[" * 1000 + json.dumps(CLAIM) + "]" * 1000)
    result = _lint_file(page)
    assert result.error is None
    assert "HL101" in [d.code for d in result.diagnostics]


def test_a_deep_baseline_is_a_configuration_error(tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ConfigError, match="nested too deeply"):
        Baseline.load(str(baseline))


def test_a_deep_jsonl_record_is_malformed_and_the_next_one_linted():
    linter = Linter()
    options = RecordOptions.create("text")
    deep = process_raw_record(linter, options, (1, b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"))
    assert deep.error == "malformed record skipped: JSON nested too deeply"
    fine = process_raw_record(linter, options, (2, json.dumps({"text": CLAIM}).encode()))
    assert fine.error is None and fine.severities


def test_an_unexpected_exception_in_one_record_skips_only_that_record(monkeypatch):
    from hypelint import records

    real = records.lint_record_diagnostics

    def fragile(linter, record, options):
        if record.get("text") == "boom":
            raise ValueError("surprise")
        return real(linter, record, options)

    monkeypatch.setattr(records, "lint_record_diagnostics", fragile)
    options = RecordOptions.create("text")
    bad = process_raw_record(Linter(), options, (1, b'{"text": "boom"}'))
    assert bad.error.startswith("record skipped: not linted: internal error (ValueError: surprise)")
    assert process_raw_record(Linter(), options, (2, json.dumps({"text": CLAIM}).encode())).severities


def test_an_unexpected_exception_in_one_file_is_that_files_error(tmp_path, monkeypatch):
    from hypelint import sources

    (tmp_path / "bad.md").write_text(CLAIM)
    (tmp_path / "good.md").write_text(CLAIM)
    real = sources.parse

    def fragile(text, path="<text>", *args, **kwargs):
        if path.endswith("bad.md"):
            raise KeyError("surprise")
        return real(text, path, *args, **kwargs)

    monkeypatch.setattr("hypelint.linter.parse", fragile)
    results = list(Linter().lint_paths([str(tmp_path)]))
    assert [r.path.rsplit("/", 1)[1] for r in results] == ["bad.md", "good.md"]
    assert str(results[0].error).endswith("bad.md: not linted: internal error (KeyError: 'surprise'); please report it")
    assert results[1].error is None and results[1].diagnostics


# -- YAML --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, text", [
    ("copy.yaml", "title: " + "[" * 200_000),
    ("copy.yaml", "items:\n  - " + "{a: " * 5000 + "x" + "}" * 5000),
    ("page.md", "---\ntitle: " + "[" * 50_000 + "\n---\n\n" + CLAIM + "\n"),
])
def test_deep_yaml_flow_collections_are_refused_with_the_place(tmp_path, name, text):
    page = tmp_path / name
    page.write_text(text)
    result = _lint_file(page)
    assert isinstance(result.error, SourceError)
    assert str(result.error).startswith(f"{page}:")
    assert f"not linted: YAML nested deeper than {MAX_YAML_DEPTH} levels" in str(result.error)


def test_brackets_inside_quoted_yaml_strings_do_not_count():
    text = 'title: "' + "[" * 5000 + '"\nbody: ' + json.dumps(CLAIM) + "\n"
    assert "HL101" in [d.code for d in lint_text(text, format="yaml")]


@pytest.mark.parametrize("text", ["[" * 3000 + "]" * 3000, "- " * 3000 + "x\n", "a: " + "{b: " * 3000])
def test_a_deeply_nested_config_is_a_configuration_error(tmp_path, text):
    (tmp_path / ".hypelint.yaml").write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_settings(tmp_path)
    assert "nested" in str(raised.value) or "invalid YAML" in str(raised.value)
    assert str(raised.value).startswith(str(tmp_path / ".hypelint.yaml"))


def test_an_alias_bomb_in_the_config_is_refused(tmp_path):
    (tmp_path / ".hypelint.yaml").write_text(ALIAS_BOMB)
    with pytest.raises(ConfigError, match="alias bomb"):
        load_settings(tmp_path)


def test_the_config_key_walk_visits_each_node_once(tmp_path):
    """Smaller than the bomb limit, but a tree walk would still make 9^5 visits."""
    from hypelint.config import _yaml_key_lines
    import yaml

    bomb = "\n".join(ALIAS_BOMB.splitlines()[:5])
    lines = _yaml_key_lines(yaml.compose(bomb))
    assert len(lines) < 100


def test_a_vocabulary_alias_bomb_in_a_pack_is_refused(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text("vocabulary:\n" + "".join("  " + line + "\n" for line in ALIAS_BOMB.splitlines()) + "rules: []\n")
    with pytest.raises(RuleError, match="alias bomb"):
        load_ruleset_file(pack)


def test_a_vocabulary_reference_bomb_in_a_pack_is_refused(tmp_path):
    levels = ["  a0: ['" + "x" * 50 + "']"]
    levels += [f"  a{level}: ['" + f"{{@a{level - 1}}}" * 20 + "']" for level in range(1, 8)]
    pack = tmp_path / "pack.yaml"
    pack.write_text("vocabulary:\n" + "\n".join(levels) + "\nrules: []\n")
    with pytest.raises(RuleError, match="expand"):
        load_ruleset_file(pack)


# -- HTML --------------------------------------------------------------------------------------
def test_deep_html_is_refused_with_the_place(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>" + CLAIM + "</p>\n" + "<div>" * 5000 + "x")
    result = _lint_file(page)
    assert isinstance(result.error, SourceError)
    assert str(result.error).startswith(f"{page}:2: not linted: HTML nested deeper than")


@pytest.mark.parametrize("tag", ["p", "li", "td"])
def test_unclosed_blocks_that_html_closes_implicitly_are_linted(tag):
    text = f"<{tag}>{CLAIM} " * 4_000  # each block used to scan every open one before it
    diagnostics = lint_text(text, format="html")
    assert sum(d.code == "HL101" for d in diagnostics) == 4_000


def test_the_html_extractor_keeps_only_shallow_state_for_unclosed_blocks():
    from hypelint.document import DocumentBuilder

    builder = DocumentBuilder("a.html", "<p>x " * 10_000, "html")
    extractor = html_source._Extractor(builder, builder.text, 0, len(builder.text), True)
    extractor.run()
    assert len(extractor.open_blocks) == 1 and extractor.open_counts["p"] == 1


def test_stray_end_tags_are_cheap_and_harmless():
    text = "<p>" + CLAIM + "</p>" + "</div></span></section>" * 20_000
    assert [d.code for d in lint_text(text, format="html")].count("HL101") == 1


def test_implied_end_tags_keep_block_kinds():
    document = __import__("hypelint").sources.parse(
        "<ul><li>One cures.<li>Two cures.</ul><blockquote><p>Three<p>Four</blockquote>", "a.html")
    assert [(b.kind, b.list_depth, b.quoted) for b in document.blocks] == [
        ("list_item", 1, False), ("list_item", 1, False), ("paragraph", 0, True), ("paragraph", 0, True)]


# -- property: any nesting depth ends in a result or a clean per-file error -----------------------
@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(depth=st.integers(min_value=0, max_value=4000),
       wrapper=st.sampled_from(["json", "yaml-flow", "yaml-block", "html", "markdown-quote", "markdown-list"]))
def test_any_nesting_depth_is_linted_or_refused_cleanly(depth, wrapper):
    if wrapper == "json":
        text, format = "[" * depth + json.dumps(CLAIM) + "]" * depth, "json"
    elif wrapper == "yaml-flow":
        text, format = "x: " + "[" * depth + json.dumps(CLAIM) + "]" * depth, "yaml"
    elif wrapper == "yaml-block":
        text, format = "- " * min(depth, 500) + json.dumps(CLAIM), "yaml"
    elif wrapper == "html":
        text, format = "<div>" * depth + CLAIM, "html"
    elif wrapper == "markdown-quote":
        text, format = "> " * depth + CLAIM, "markdown"
    else:
        text, format = "".join("  " * level + "- item\n" for level in range(min(depth, 200))) + \
            "  " * min(depth, 200) + "- " + CLAIM + "\n", "markdown"
    try:
        diagnostics = lint_text(text, format=format)
    except HypelintError as error:
        assert "not linted" in str(error) or "nested" in str(error)
        return
    reported = any(d.code == "HL001" and "not linted" in d.message for d in diagnostics)
    assert any(d.code == "HL101" for d in diagnostics) or reported, (wrapper, depth)


@pytest.mark.parametrize("text", [
    "> " * 20 + CLAIM,  # markdown-it's default limit: silently not linted before
    "".join("  " * level + "- item\n" for level in range(10)) + "  " * 10 + "- " + CLAIM + "\n",
    "> " * 99 + CLAIM,
])
def test_markdown_nested_past_the_commonmark_limit_is_linted(text):
    codes = [d.code for d in lint_text(text, format="markdown")]
    assert codes == ["HL101"]


def test_markdown_nested_past_hypelints_limit_is_reported():
    diagnostics = lint_text("Intro.\n\n" + "> " * 500 + CLAIM, format="markdown")
    assert [(d.code, d.line) for d in diagnostics] == [("HL001", 3)]
    assert "not linted" in diagnostics[0].message

"""Ruleset validation: every problem is one line naming the file and line, and exit code 2."""
from __future__ import annotations

import textwrap

import pytest

from hypelint.errors import RuleError
from hypelint.rules.load import load_packs, load_ruleset_file

VALID_RULE = """\
  - code: HL999
    name: test-rule
    category: claim.cure
    severity: error
    message: 'found {match}'
    rationale: because
    references: [{title: T, url: 'https://example.com'}]
    patterns: ['zap']
    examples: {bad: ['a [[zap]]'], good: ['nothing']}
"""


def write(tmp_path, body, name="team.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def error_for(tmp_path, body):
    path = write(tmp_path, "rules:\n" + body)
    with pytest.raises(RuleError) as info:
        load_ruleset_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path) + ":")
    return message


def test_valid_rule_loads(tmp_path):
    [rule] = load_ruleset_file(write(tmp_path, "rules:\n" + VALID_RULE))
    assert rule.code == "HL999" and rule.source.endswith(":2")


@pytest.mark.parametrize("change,expected", [
    (("    name: test-rule\n", "    name: test-rule\n    colour: red\n"), ":4: rule HL999: unknown key 'colour'"),
    (("    severity: error\n", ""), ":2: rule HL999: missing required key 'severity'"),
    (("claim.cure", "claim.cures"), ":4: rule HL999: unknown category 'claim.cures'"),
    (("severity: error", "severity: fatal"), ":5: rule HL999: unknown severity 'fatal'"),
    (("['zap']", "['(unclosed']"), ":9: rule HL999: invalid regex in 'patterns'"),
    (("'found {match}'", "'found {it}'"), ":6: rule HL999: unknown placeholder {it}"),
    (("a [[zap]]", "a zap"), ":10: rule HL999: bad example has no [[...]]"),
    (("[{title: T, url: 'https://example.com'}]", "[]"), ":8: rule HL999: 'references' must be a non-empty list"),
])
def test_invalid_rules_name_file_and_line(tmp_path, change, expected):
    message = error_for(tmp_path, VALID_RULE.replace(*change))
    assert expected in message, message


def test_duplicate_code_and_name(tmp_path):
    write(tmp_path, "rules:\n" + VALID_RULE + VALID_RULE.replace("test-rule", "other-rule"), "dup.yaml")
    with pytest.raises(RuleError, match=r"dup.yaml:11: duplicate rule code 'HL999' \(first defined at .*dup.yaml:2\)"):
        load_packs([str(tmp_path / "dup.yaml")])
    write(tmp_path, "rules:\n" + VALID_RULE + VALID_RULE.replace("HL999", "HL998"), "dup2.yaml")
    with pytest.raises(RuleError, match="duplicate rule name 'test-rule'"):
        load_packs([str(tmp_path / "dup2.yaml")])


def test_broken_yaml_reports_line_and_column(tmp_path):
    path = write(tmp_path, "rules:\n  - code: [unclosed\n")
    with pytest.raises(RuleError, match=r"team.yaml:\d+:\d+: invalid YAML"):
        load_ruleset_file(path)


def test_unknown_pack_name():
    with pytest.raises(RuleError, match="unknown rule pack 'nope'"):
        load_packs(["nope"])


def test_catastrophic_pattern_is_reported_not_hung(tmp_path, monkeypatch):
    from hypelint import linter as linter_module
    from hypelint.linter import Linter, RuleTimeout

    monkeypatch.setattr(linter_module, "PATTERN_TIMEOUT", 0.2)
    path = write(tmp_path, "rules:\n" + VALID_RULE.replace("['zap']", r"['(x+x+)+y']").replace("[[zap]]", "[[xxy]]"))
    rules = load_packs([str(path)])
    linter = Linter(rules)
    assert linter.lint_text("x" * 5000, format="text") == []  # switched off, not hung (issue 19)
    assert isinstance(linter.switched_off["HL999"], RuleTimeout)
    assert "HL999" in str(linter.switched_off["HL999"]) and "timed out" in str(linter.switched_off["HL999"])


def test_timeout_in_cli_is_exit_2(tmp_path, monkeypatch, cli):
    from hypelint import linter as linter_module

    monkeypatch.setattr(linter_module, "PATTERN_TIMEOUT", 0.2)
    pack = write(tmp_path, "rules:\n" + VALID_RULE.replace("['zap']", r"['(x+x+)+y']").replace("[[zap]]", "[[xxy]]"))
    monkeypatch.setattr("hypelint.rules.load.default_pack_names", lambda: [str(pack)])
    target = tmp_path / "slow.txt"
    target.write_text("x" * 5000)
    result = cli("check", target)
    assert result.code == 2
    assert "timed out" in result.err


def _same_tree(a, b):
    assert type(a) is type(b) and a == b
    if isinstance(a, dict):
        assert (a.line, a.key_lines) == (b.line, b.key_lines)
        for key in a:
            _same_tree(a[key], b[key])
    elif isinstance(a, list):
        assert (a.line, a.item_lines) == (b.line, b.item_lines)
        for x, y in zip(a, b):
            _same_tree(x, y)


def test_parsed_packs_come_from_the_pattern_cache_only_for_the_same_text(tmp_path, monkeypatch):
    from hypelint import regexcache
    from hypelint.rules import load
    from hypelint.rules.load import builtin_directory

    monkeypatch.setenv("HYPELINT_PATTERN_CACHE", str(tmp_path / "cache"))
    regexcache._reset_for_tests()
    try:
        packs = sorted(builtin_directory().glob("*.yaml")) + [write(tmp_path, "rules:\n" + VALID_RULE)]
        fresh = [load._parse_yaml(path) for path in packs]
        regexcache.save()
        regexcache._reset_for_tests()  # a new process: only the file is left
        monkeypatch.setattr(load.yaml, "load", lambda *a, **k: pytest.fail("parsed instead of loaded"))
        for path, expected in zip(packs, fresh):
            _same_tree(load._parse_yaml(path), expected)
        monkeypatch.undo()
        monkeypatch.setenv("HYPELINT_PATTERN_CACHE", str(tmp_path / "cache"))
        # an edited file is parsed again, and its errors name the new lines
        write(tmp_path, "rules:\n\n" + VALID_RULE.replace("name: test-rule", "name: Bad Name"))
        with pytest.raises(RuleError, match=r"team\.yaml:4"):
            load_ruleset_file(packs[-1])
    finally:
        regexcache._reset_for_tests()


def test_values_marshal_cannot_keep_are_parsed_every_time(tmp_path, monkeypatch):
    from hypelint import regexcache
    from hypelint.rules import load

    monkeypatch.setenv("HYPELINT_PATTERN_CACHE", str(tmp_path / "cache"))
    regexcache._reset_for_tests()
    try:
        path = write(tmp_path, "description: 2024-01-02\nrules: []\n")
        assert str(load._parse_yaml(path)["description"]) == "2024-01-02"
        assert regexcache.lookup(load._cache_key(path)) is None
    finally:
        regexcache._reset_for_tests()


def test_pattern_errors_quote_the_pattern_as_written_and_its_line(tmp_path):
    """Issue 18 point 8: never our rewrite (`(?<![\\w])(?:...)`), and the line of the entry."""
    body = VALID_RULE.replace("patterns: ['zap']", "patterns:\n      - 'zap'\n      - {regex: 'a(b'}")
    message = error_for(tmp_path, body)
    assert ":11: rule HL999: invalid regex in 'patterns'" in message
    assert "in 'a(b'" in message and "(?<!" not in message and "\\s" not in message


def test_timeout_names_the_pack_line_and_pattern_as_written(tmp_path, monkeypatch):
    from hypelint import linter as linter_module
    from hypelint.linter import Linter, RuleTimeout

    monkeypatch.setattr(linter_module, "PATTERN_TIMEOUT", 0.2)
    body = VALID_RULE.replace("patterns: ['zap']", "patterns:\n      - zap\n      - '(x|xx)+ y'").replace(
        "[[zap]]", "[[zap]]")
    path = write(tmp_path, "rules:\n" + body)
    linter = Linter(load_packs([str(path)]))
    page = tmp_path / "page.md"
    page.write_text("x" * 3000)
    result = linter.lint_file(str(page), format="text")  # the rule is switched off; the file is not fully linted
    assert isinstance(result.error, RuleTimeout)
    message = str(result.error).replace(str(page), "page.md")
    assert message.startswith("page.md: rule HL999 (test-rule) at ")
    assert f"{path}:11: pattern '(x|xx)+ y' timed out" in message and "(?<!" not in message

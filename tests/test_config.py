"""Configuration: discovery and precedence, every key, validation errors with file and line,
command-line overrides, and `hypelint config` / `--show-settings`."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT
from hypelint.config import discover_config, load_settings
from hypelint.errors import ConfigError

TEAM_RULES = ROOT / "tests" / "data" / "team-rules.yaml"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A content folder with the team ruleset beside it; the working directory."""
    shutil.copy(TEAM_RULES, tmp_path / "team-rules.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- discovery and precedence ----------------------------------------------------------------
def test_nearest_config_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.hypelint]\nignore = ['claim']\n")
    nested = tmp_path / "docs" / "deep"
    nested.mkdir(parents=True)
    assert discover_config(nested) == (tmp_path / "pyproject.toml").resolve()
    (tmp_path / "docs" / ".hypelint.yaml").write_text("fail-on: error\n")
    assert discover_config(nested) == (tmp_path / "docs" / ".hypelint.yaml").resolve()
    settings = load_settings(nested)
    assert settings.fail_on == "error" and settings.ignore == []


def test_in_one_folder_yaml_beats_yml_beats_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.hypelint]\nfail-on = 'info'\n")
    assert load_settings(tmp_path).fail_on == "info"
    write(tmp_path / ".hypelint.yml", "fail-on: error\n")
    assert load_settings(tmp_path).fail_on == "error"
    write(tmp_path / ".hypelint.yaml", "fail-on: warning\n")
    assert discover_config(tmp_path).name == ".hypelint.yaml"


def test_pyproject_without_section_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    outer = tmp_path.parent / ".hypelint.yaml"
    assert discover_config(tmp_path) is None or discover_config(tmp_path) == outer.resolve()


def test_pyproject_holds_every_key(project):
    write(project / "pyproject.toml", """
[project]
name = "site"

[tool.hypelint]
extends = ["core", "team-rules.yaml"]
select = ["claim", "TM901"]
ignore = ["HL121"]
exclude = ["drafts"]
include = ["markdown"]
fail-on = "error"
front-matter-fields = ["title", "teaser"]

[tool.hypelint.severity]
"claim.cure" = "warning"

[tool.hypelint.per-file-ignores]
"legal/*.md" = ["TM101"]

[tool.hypelint.disclosures]
satisfied = ["team-supplement-disclaimer"]
""")
    settings = load_settings()
    assert settings.config_path == (project / "pyproject.toml").resolve()
    assert settings.extends == ["core", "team-rules.yaml"]
    assert settings.severity == {"claim.cure": "warning"}
    assert settings.per_file_ignores == {"legal/*.md": ["TM101"]}
    assert settings.disclosures == {"satisfied": ["team-supplement-disclaimer"]}
    assert settings.front_matter_fields == ["title", "teaser"]
    assert settings.origins["fail_on"].endswith("pyproject.toml:11")
    linter = settings.linter()
    assert {rule.code for rule in linter.rules} >= {"HL101", "TM101", "TM901"}
    assert "HL121" not in {rule.code for rule in linter.rules}


def test_pyproject_errors_name_the_line(project):
    write(project / "pyproject.toml", "[tool.hypelint]\nfail-on = 'error'\n\n[tool.hypelint.severity]\nHL101 = 'loud'\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml:5: severity: HL101: expected error, warning or info"):
        load_settings()
    write(project / "pyproject.toml", "[tool.hypelint]\nfail-on = \n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml:2: invalid TOML"):
        load_settings()


def test_explicit_config_and_isolated(project, cli):
    write(project / ".hypelint.yaml", "ignore: [cure-claim]\n")
    write(project / "other.yaml", "select: [risk-free-claim]\n")
    page = write(project / "p.md", "It cures, with no side effects.\n")
    assert cli("check", page).out.count("HL") == 1  # HL151 only
    assert "HL151" in cli("check", page).out
    explicit = cli("check", "--config", "other.yaml", page)
    assert explicit.out.count("HL151") == 1 and "HL101" not in explicit.out
    isolated = cli("check", "--isolated", page)
    assert "HL101" in isolated.out and "HL151" in isolated.out
    missing = cli("check", "--config", "nope.yaml", page)
    assert missing.code == 2 and "nope.yaml: config file not found" in missing.err


def test_cli_flags_override_config_and_isolated_ignores_it(tmp_path, cli, monkeypatch):
    (tmp_path / ".hypelint.yaml").write_text("ignore: [cure-claim]\n")
    page = tmp_path / "p.md"
    page.write_text("It cures.\n")
    monkeypatch.chdir(tmp_path)
    assert cli("check", page).code == 0
    assert cli("check", "--isolated", page).code == 1
    assert cli("check", "--fail-on", "error", "--isolated", page).code == 1
    (tmp_path / ".hypelint.yaml").write_text("ignore: [HL000]\n")
    result = cli("check", page)
    assert result.code == 2 and "unknown rule or category 'HL000'" in result.err


def test_selection_layers_like_ruff(project):
    write(project / ".hypelint.yaml", "select: [claim]\nignore: [HL101]\n")
    # --ignore adds to the file's ignore list
    settings = load_settings(overrides={"ignore": ["HL151"]})
    assert settings.select == ["claim"] and settings.ignore == ["HL101", "HL151"]
    assert settings.origins["ignore"].endswith(":2 + command line")
    # --select restarts the selection: the file's ignore no longer applies
    settings = load_settings(overrides={"select": ["HL101"]})
    assert settings.select == ["HL101"] and settings.ignore == []
    assert [rule.code for rule in settings.linter().rules] == ["HL101"]
    # --extend-select adds to the file's selection
    settings = load_settings(overrides={"extend-select": ["evidence"]})
    assert settings.select == ["claim", "evidence"]
    # --exclude replaces, --extend-exclude adds
    write(project / ".hypelint.yaml", "exclude: [drafts]\n")
    assert load_settings(overrides={"exclude": ["old"]}).exclude == ["old"]
    assert load_settings(overrides={"extend-exclude": ["old"]}).exclude == ["drafts", "old"]


# -- validation ------------------------------------------------------------------------------
@pytest.mark.parametrize("text,message", [
    ("colour: red\n", r":1: unknown key 'colour' \(known: extends, select"),
    ("select: HL101\n", r":1: select: expected list, got string"),
    ("ignore:\n  - HL101\n  - 3\n", r":3: ignore: expected a list of non-empty strings, got integer 3"),
    ("fail-on: loud\n", r":1: fail-on: expected error, warning or info, got 'loud'"),
    ("fail-on: 1\n", r":1: fail-on: expected string, got integer"),
    ("severity: [HL101]\n", r":1: severity: expected mapping, got list"),
    ("severity:\n  HL101: loud\n", r":2: severity: HL101: expected error, warning or info, got 'loud'"),
    ("per-file-ignores:\n  'a/*': HL101\n", r":2: per-file-ignores: a/\*: expected a list of rules, got string"),
    ("per-file-ignores: [a]\n", r":1: per-file-ignores: expected mapping of glob to rule list"),
    ("exclude: drafts\n", r":1: exclude: expected list, got string"),
    ("include: [markdown, htmll]\n", r":1: include: unknown file type 'htmll'"),
    ("front-matter-fields: title\n", r":1: front-matter-fields: expected list, got string"),
    ("disclosures: [HL901]\n", r":1: disclosures: expected mapping, got list"),
    ("disclosures:\n  linked: [HL901]\n", r":2: disclosures: unknown key 'linked' \(known: satisfied\)"),
    ("disclosures:\n  satisfied: HL901\n", r":2: disclosures: satisfied: expected a list of disclosure rules"),
    ("baseline: 3\n", r":1: baseline: expected a file path, got integer"),
    ("extends: [core, nosuchpack]\n", r":1: extends: unknown pack 'nosuchpack' \(built-in packs: au, core"),
    ("extends:\n  - core\n  - ./missing.yaml\n", r":3: extends: ruleset file not found: ./missing.yaml"),
    ("select: [HL101]\nselect: [HL151]\n", r":2: duplicate key 'select'"),
    ("select: [HL101\n", r":2: invalid YAML"),
    ("- select\n", r":1: a config file must be a mapping"),
])
def test_structural_errors_name_file_line_and_key(project, text, message):
    write(project / ".hypelint.yaml", text)
    with pytest.raises(ConfigError, match=r"\.hypelint\.yaml" + message):
        load_settings()


@pytest.mark.parametrize("text,message", [
    ("select:\n  - claim\n  - HL000\n", r":3: select: unknown rule or category 'HL000'"),
    ("ignore: [no-such-rule]\n", r":1: ignore: unknown rule or category 'no-such-rule'"),
    ("severity:\n  HL000: info\n", r":2: severity: unknown rule or category 'HL000'"),
    ("per-file-ignores:\n  'legal/**':\n    - HL101\n    - HL000\n", r":4: per-file-ignores: unknown rule or category 'HL000'"),
    ("disclosures:\n  satisfied: [HL101]\n", r":2: disclosures: 'HL101' is not a disclosure rule"),
    ("disclosures:\n  satisfied: [HL999]\n", r":2: disclosures: unknown disclosure rule 'HL999'"),
])
def test_unknown_rule_names_are_errors_with_line(project, text, message):
    write(project / ".hypelint.yaml", text)
    with pytest.raises(ConfigError, match=r"\.hypelint\.yaml" + message):
        load_settings().linter()


def test_categories_without_loaded_rules_are_accepted(project):
    # a shared config may mention a category whose pack this project does not load
    write(project / ".hypelint.yaml", "ignore: [disclosure.supplement]\ndisclosures:\n  satisfied: [disclosure.medical-advice]\n")
    load_settings().linter()


def test_config_errors_exit_2_with_one_line(project, cli):
    write(project / ".hypelint.yaml", "select:\n  - HL000\n")
    page = write(project / "p.md", "Fine.\n")
    result = cli("check", page)
    assert result.code == 2 and result.out == ""
    assert result.err.strip().splitlines() == [
        f"hypelint: error: {project.resolve()}/.hypelint.yaml:2: select: unknown rule or category 'HL000' (see `hypelint rules`)"]
    flag = cli("check", "--isolated", "--select", "HL000", page)
    assert flag.code == 2 and "command line: --select: unknown rule or category 'HL000'" in flag.err


# -- what each key does ----------------------------------------------------------------------
def test_extends_team_ruleset_relative_to_the_config_file(project, cli):
    write(project / "site" / ".hypelint.yaml", "extends: [default, ../team-rules.yaml]\n")
    page = write(project / "site" / "p.md", "A miracle that cures.\n")
    (project / "site" / "deeper").mkdir()
    import os

    os.chdir(project / "site" / "deeper")  # paths stay relative to the config file
    result = cli("check", page)
    assert "HL101" in result.out and "TM101" in result.out


def test_extends_accepts_every_builtin_pack_name_dynamically(project, monkeypatch):
    import hypelint.rules

    monkeypatch.setattr(hypelint.rules, "builtin_pack_names", lambda: ["au", "core", "stem-cell", "us"])
    write(project / ".hypelint.yaml", "extends: [core, us, stem-cell]\n")
    assert load_settings().extends == ["core", "us", "stem-cell"]
    write(project / ".hypelint.yaml", "extends: [eu]\n")
    with pytest.raises(ConfigError, match=r"unknown pack 'eu' \(built-in packs: au, core, stem-cell, us"):
        load_settings()


def test_extends_as_a_single_name(project):
    write(project / ".hypelint.yaml", "extends: core\n")
    assert load_settings().extends == ["core"]


def test_severity_overrides_by_code_name_and_category(project, cli):
    write(project / ".hypelint.yaml",
          "severity:\n  claim: info\n  claim.safety: warning\n  cure-claim: error\n")
    page = write(project / "p.md", "It cures with no side effects, guaranteed.\n")
    lines = cli("check", page).out.splitlines()
    assert [line.split(" ")[1:3] for line in lines] == [
        ["HL101", "[error]"], ["HL151", "[warning]"], ["HL121", "[info]"]]
    write(project / ".hypelint.yaml", "severity:\n  hl1: info\n")  # code prefixes, any case
    assert all("[info]" in line for line in cli("check", page).out.splitlines())


def test_per_file_ignores_match_globs_relative_to_the_config(project, cli):
    write(project / ".hypelint.yaml", "per-file-ignores:\n  'legal/**': [claim.absolute]\n  '*.txt': [HL101]\n")
    write(project / "legal" / "terms.md", "Results guaranteed. It cures.\n")
    write(project / "blog" / "post.md", "Results guaranteed.\n")
    write(project / "notes.txt", "It cures.\n")
    out = cli("check", ".").out
    assert "legal/terms.md:1:24: HL101" in out and "legal/terms.md:1:9: HL121" not in out
    assert "blog/post.md:1:9: HL121" in out
    assert "notes.txt" not in out
    import os

    os.chdir(project / "legal")  # run from a subfolder: globs are still relative to the config
    assert "HL121" not in cli("check", "terms.md").out


def test_disclosures_satisfied_drop_only_document_level_findings(project, cli):
    write(project / ".hypelint.yaml", "extends: [team-rules.yaml]\n")
    page = write(project / "p.md", "Our supplement is a miracle.\n")
    assert {"TM901", "TM101"} <= set(cli("check", page).out.split())
    write(project / ".hypelint.yaml",
          "extends: [team-rules.yaml]\ndisclosures:\n  satisfied: [disclosure.supplement]\n")
    out = cli("check", page).out
    assert "TM901" not in out and "TM101" in out


def test_exclude_and_include(project, cli):
    write(project / ".hypelint.yaml", "exclude: [drafts/, '*.generated.md']\ninclude: [markdown, '*.njk']\n")
    write(project / "drafts" / "a.md", "It cures.\n")
    write(project / "b.generated.md", "It cures.\n")
    write(project / "c.md", "It cures.\n")
    write(project / "d.txt", "It cures.\n")
    write(project / "e.njk", "It cures.\n")
    out = cli("check", ".").out
    assert sorted(line.split(":")[0] for line in out.splitlines()) == ["c.md", "e.njk"]
    assert "d.txt" in cli("check", "d.txt").out  # a file named explicitly is always linted


def test_front_matter_fields_are_accepted_for_the_sources(project):
    write(project / ".hypelint.yaml", "front-matter-fields: [title, hero.tagline]\n")
    assert load_settings().front_matter_fields == ["title", "hero.tagline"]


def test_baseline_key_is_relative_to_the_config(project):
    write(project / "site" / ".hypelint.yaml", "baseline: known.json\n")
    settings = load_settings(project / "site")
    assert settings.baseline_path == (project / "site" / "known.json").resolve()


# -- showing the resolved configuration ------------------------------------------------------
def test_config_command_prints_values_and_origins(project, cli):
    write(project / ".hypelint.yaml", "extends: [core]\nignore: [HL161]\nseverity:\n  evidence: info\n")
    result = cli("config")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == f"# config file: {(project / '.hypelint.yaml').resolve()}"
    by_key = {line.split(":")[0]: line for line in lines if not line.startswith((" ", "#"))}
    assert by_key["extends"].startswith('extends: ["core"]') and by_key["extends"].endswith(".hypelint.yaml:1")
    assert by_key["ignore"].endswith(".hypelint.yaml:2")
    assert by_key["fail-on"].endswith("# default")
    assert "  HL201: {name: unsourced-study, severity: info, pack: core}" in lines
    assert "HL161:" not in result.out
    import yaml

    assert yaml.safe_load(result.out)["severity"] == {"evidence": "info"}  # the output is YAML

    shown = cli("check", "--show-settings", "--fail-on", "error")
    assert shown.code == 0
    assert any(line.startswith('fail-on: "error"') and line.endswith("# command line") for line in shown.out.splitlines())

    data = json.loads(cli("config", "--format", "json").out)
    assert data["settings"]["ignore"] == {"value": ["HL161"], "origin": f"{(project / '.hypelint.yaml').resolve()}:2"}
    assert data["settings"]["select"]["origin"] == "default"


def test_config_command_validates(project, cli):
    write(project / ".hypelint.yaml", "ignore: [HL000]\n")
    assert cli("config").code == 2
    assert cli("config", "--isolated").code == 0

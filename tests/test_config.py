"""Configuration discovery and validation (the basics; the full matrix lives with issue 5)."""
from __future__ import annotations

import pytest

from hypelint.config import discover_config, load_settings
from hypelint.errors import ConfigError


def test_nearest_config_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.hypelint]\nignore = ['claim']\n")
    nested = tmp_path / "docs" / "deep"
    nested.mkdir(parents=True)
    assert discover_config(nested) == (tmp_path / "pyproject.toml").resolve()
    (tmp_path / "docs" / ".hypelint.yaml").write_text("fail-on: error\n")
    assert discover_config(nested) == (tmp_path / "docs" / ".hypelint.yaml").resolve()
    settings = load_settings(nested)
    assert settings.fail_on == "error" and settings.ignore == []


def test_pyproject_without_section_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    assert discover_config(tmp_path) is None or discover_config(tmp_path).parent != tmp_path


def test_unknown_key_and_wrong_type_are_errors(tmp_path):
    config = tmp_path / ".hypelint.yaml"
    config.write_text("colour: red\n")
    with pytest.raises(ConfigError, match=r"\.hypelint\.yaml: unknown key 'colour'"):
        load_settings(tmp_path)
    config.write_text("select: HL101\n")
    with pytest.raises(ConfigError, match="select: expected list, got str"):
        load_settings(tmp_path)


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

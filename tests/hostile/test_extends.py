"""`extends` reads only YAML pack files and never quotes what it read (issue 19, item 11):
`extends: [./secret.env]` parsed the file and echoed its first key in the error."""
from __future__ import annotations

import pytest

from hypelint.config import load_settings
from hypelint.errors import ConfigError, HypelintError
from hypelint.rules.load import load_packs


@pytest.mark.parametrize("name", ["secret.env", "id_rsa", "credentials.json", "notes.txt"])
def test_extends_refuses_files_that_are_not_yaml(tmp_path, name):
    (tmp_path / name).write_text("API_KEY: sk-live-secret\n")
    (tmp_path / ".hypelint.yaml").write_text(f"extends: [./{name}]\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(tmp_path)
    assert "ruleset files are YAML files" in str(raised.value)
    assert "API_KEY" not in str(raised.value) and "sk-live" not in str(raised.value)


def test_a_yaml_file_that_is_not_a_pack_is_not_quoted(tmp_path):
    (tmp_path / "secrets.yaml").write_text("API_KEY: sk-live-secret\npassword: hunter2\n")
    (tmp_path / ".hypelint.yaml").write_text("extends: [./secrets.yaml]\n")
    with pytest.raises(HypelintError) as raised:
        load_settings(tmp_path).linter()
    message = str(raised.value)
    assert "a ruleset must be a mapping with a 'rules' list" in message
    assert "API_KEY" not in message and "password" not in message and "hunter2" not in message


def test_the_api_refuses_non_yaml_packs_too(tmp_path):
    (tmp_path / "secret.env").write_text("TOKEN=abc\n")
    with pytest.raises(HypelintError, match="must be a YAML file") as raised:
        load_packs([str(tmp_path / "secret.env")])
    assert "TOKEN" not in str(raised.value)

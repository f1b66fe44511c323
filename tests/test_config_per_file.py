"""Configuration per file (issue 18, point 3) and files configuration names never linted as
copy (point 2): `hypelint check` from anywhere, pre-commit style runs and the language server
(tests/test_lsp.py::test_nested_config_applies_to_its_folder_only) resolve the same config."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hypelint.config import ConfigResolver
from tiny_pack import HOUSE_PACK



@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository with a root config naming a team pack, and site/ with its own config."""
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "house-rules.yaml").write_text(HOUSE_PACK)
    (tmp_path / ".hypelint.yaml").write_text("extends: [compliance/house-rules.yaml]\n"
                                             "baseline: known.json\n")
    (tmp_path / "known.json").write_text('{"hypelint-baseline": 1, "findings": []}\n')
    (tmp_path / "page.md").write_text("A miracle: it cures.\n")
    site = tmp_path / "site"
    (site / "drafts").mkdir(parents=True)
    (site / ".hypelint.yaml").write_text("extends: [../compliance/house-rules.yaml]\n"
                                         "ignore: [HR102]\nexclude: [drafts]\nfail-on: error\n")
    (site / "page.md").write_text("A miracle: it cures.\n")
    (site / "drafts" / "draft.md").write_text("It cures.\n")
    return tmp_path


def check(*args, cwd):
    done = subprocess.run([sys.executable, "-m", "hypelint", "check", "--no-cache", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)
    return done.returncode, sorted(done.stdout.splitlines())


def test_nested_config_end_to_end(repo):
    root = (1, ['page.md:1:15: HR102 [error] "cures" is a cure claim.', 'page.md:1:3: HR101 [error] "miracle" is hype.',
                'site/page.md:1:3: HR101 [error] "miracle" is hype.'])
    assert check(".", cwd=repo) == root
    assert check(cwd=repo) == root
    # the folder argument, a subfolder as working directory, and pre-commit's staged file names
    assert check("site", cwd=repo) == (1, ['site/page.md:1:3: HR101 [error] "miracle" is hype.'])
    assert check(cwd=repo / "site") == (1, ['page.md:1:3: HR101 [error] "miracle" is hype.'])
    staged = ["--force-exclude", "site/page.md", "site/drafts/draft.md", "compliance/house-rules.yaml",
              "known.json", ".hypelint.yaml", "site/.hypelint.yaml"]
    assert check(*staged, cwd=repo) == (1, ['site/page.md:1:3: HR101 [error] "miracle" is hype.'])


def test_each_file_uses_its_own_fail_on(repo):
    (repo / "page.md").write_text("Book now.\n")
    (repo / "site" / "page.md").write_text("A miracle cream.\n")
    pack = (repo / "compliance" / "house-rules.yaml")
    pack.write_text(HOUSE_PACK.replace("severity: error", "severity: warning"))
    assert check(".", cwd=repo)[0] == 0  # the warning is in site/, whose fail-on is error
    (repo / "page.md").write_text("A miracle cream.\n")
    assert check(".", cwd=repo)[0] == 1  # the root's fail-on is warning


def test_a_team_pack_is_never_linted_as_copy_even_named_explicitly(repo):
    code, lines = check("compliance/house-rules.yaml", cwd=repo)
    assert code == 0 and lines == []
    code, lines = check("compliance", cwd=repo)
    assert code == 0 and lines == []


def test_config_named_files_include_packs_baseline_and_the_config(repo):
    settings = ConfigResolver(root=repo).settings_for(repo / "page.md")
    settings.linter()
    named = set(settings.named_files())
    assert {repo / "compliance" / "house-rules.yaml", repo / "known.json", repo / ".hypelint.yaml"} <= named


def test_resolver_nearest_config_and_fallback(repo, tmp_path_factory):
    resolver = ConfigResolver(root=repo)
    assert resolver.config_for(repo / "site" / "drafts" / "draft.md") == (repo / "site" / ".hypelint.yaml").resolve()
    assert resolver.config_for(repo / "page.md") == (repo / ".hypelint.yaml").resolve()
    outside = tmp_path_factory.mktemp("outside") / "page.md"
    assert resolver.config_for(outside) == (repo / ".hypelint.yaml").resolve()  # none above: the root's
    assert ConfigResolver(isolated=True, root=repo).config_for(repo / "page.md") is None
    explicit = repo / "site" / ".hypelint.yaml"
    assert ConfigResolver(config_path=explicit, root=repo).config_for(repo / "page.md") == explicit

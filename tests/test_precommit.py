"""The real pre-commit hook: `pre-commit try-repo` against this checkout in a throwaway repo.

try-repo installs the hook from a git commit, so the test first snapshots this checkout (its
tracked and new, not ignored, files, i.e. what CI sees) into a temporary repository and commits
it there. The hook's environment is built by pre-commit itself (virtualenv + pip install), so
this is the slowest test in the suite and needs the package index the test extra came from.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from tiny_pack import HOUSE_MIRACLE_PACK

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

IGNORED_WHEN_COPYING = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", "build", "dist",
                        ".hypelint_cache", ".tox", ".nox"}


def _git(*args, cwd, env):
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)


def _checkout_files():
    """Relative paths of the checkout's files as CI would see them."""
    if (ROOT / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=ROOT, capture_output=True, check=True).stdout.decode("utf-8")
        return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]
    files = []  # an unpacked sdist: everything but build and cache folders
    for folder, directories, names in os.walk(ROOT):
        directories[:] = [d for d in directories if d not in IGNORED_WHEN_COPYING and not d.endswith(".egg-info")]
        files += [os.path.relpath(os.path.join(folder, name), ROOT) for name in names]
    return files


@pytest.fixture
def git_env(tmp_path):
    """Git with a known identity and none of the user's git configuration (signing, hooks);
    HOME is kept so pip's download cache makes the hook's install quick."""
    empty_config = tmp_path / "gitconfig"
    empty_config.write_text("")
    env = dict(os.environ)
    env.update({
        "GIT_AUTHOR_NAME": "hypelint tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
        "GIT_COMMITTER_NAME": "hypelint tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(empty_config),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "NO_COLOR": "1",
    })
    for variable in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(variable, None)
    return env


def _snapshot_checkout(destination: Path, env) -> None:
    for name in _checkout_files():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    _git("init", "-q", cwd=destination, env=env)
    _git("add", "-A", cwd=destination, env=env)
    _git("commit", "-q", "-m", "snapshot of the hypelint checkout under test", cwd=destination, env=env)




def test_pre_commit_try_repo_fails_on_risky_copy_then_passes(tmp_path, git_env):
    hook_repo = tmp_path / "hypelint-checkout"
    hook_repo.mkdir()
    _snapshot_checkout(hook_repo, git_env)

    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    page = site / "content" / "serum.md"
    page.write_text("# Scalp serum\n\nOur serum cures baldness in weeks.\n", encoding="utf-8")
    (site / "content" / "notes.py").write_text("CURE = 'cures everything'\n", encoding="utf-8")  # not copy
    # a team pack (its examples are claims) and a nested config: the pack is never copy and
    # content/legal/ follows its own config, as in `hypelint check` and the editor (issue 18)
    (site / "compliance").mkdir()
    (site / "compliance" / "house-rules.yaml").write_text(HOUSE_MIRACLE_PACK, encoding="utf-8")
    (site / ".hypelint.yaml").write_text("extends: [default, compliance/house-rules.yaml]\n", encoding="utf-8")
    (site / "content" / "legal").mkdir()
    (site / "content" / "legal" / ".hypelint.yaml").write_text(
        "extends: [default, ../../compliance/house-rules.yaml]\nignore: [HL101]\n", encoding="utf-8")
    (site / "content" / "legal" / "terms.md").write_text("Nothing here cures anything.\n", encoding="utf-8")
    _git("init", "-q", cwd=site, env=git_env)
    _git("add", "-A", cwd=site, env=git_env)

    def try_repo():
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "hypelint",
                               "--all-files", "--color", "never"],
                              cwd=site, env=git_env, capture_output=True, text=True)

    failing = try_repo()
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "hypelint" in output and "Failed" in output
    assert 'content/serum.md:3:11: HL101 [error] "cures" is a cure claim' in output
    assert "notes.py" not in output  # types_or keeps non-copy files away from the hook
    assert "house-rules.yaml" not in output and "terms.md" not in output, output

    page.write_text("# Scalp serum\n\nOur serum conditions the scalp and softens dry skin.\n", encoding="utf-8")
    _git("add", "-A", cwd=site, env=git_env)
    passing = try_repo()
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout

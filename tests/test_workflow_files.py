"""The ready-to-copy workflow files: the pre-commit hook manifest, the example pre-commit,
GitHub Actions and GitLab CI configs, and the sample .hypelint.yaml, all valid and consistent."""
from __future__ import annotations

import shlex
import subprocess
import sys

import yaml

from conftest import ROOT
from hypelint.config import load_settings
from hypelint.reporters import FORMATS

EXAMPLES = ROOT / "examples"


def _load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _hypelint_commands(lines):
    """The argument lists of every `hypelint ...` command in a list of shell lines."""
    commands = []
    for line in lines:
        for part in line.split("||")[0].split("&&"):
            words = shlex.split(part)
            if words and words[0] == "hypelint":
                commands.append(words[1:])
    return commands


def _option(arguments, name):
    return arguments[arguments.index(name) + 1] if name in arguments else None


def test_hook_manifest():
    [hook] = _load(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "hypelint" and hook["language"] == "python"
    assert hook["entry"].split() == ["hypelint", "check", "--force-exclude"]
    assert set(hook["types_or"]) == {"markdown", "mdx", "html", "plain-text", "json", "yaml"}
    from identify.identify import ALL_TAGS

    assert set(hook["types_or"]) <= ALL_TAGS  # tags pre-commit knows


def test_pre_commit_validates_the_manifest_and_the_example_config():
    for command, path in (("validate-manifest", ROOT / ".pre-commit-hooks.yaml"),
                          ("validate-config", EXAMPLES / ".pre-commit-config.yaml")):
        result = subprocess.run([sys.executable, "-m", "pre_commit", command, str(path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    [repo] = _load(EXAMPLES / ".pre-commit-config.yaml")["repos"]
    assert [hook["id"] for hook in repo["hooks"]] == ["hypelint"]


def test_github_workflow_annotates_and_uploads_sarif():
    workflow = _load(EXAMPLES / "ci" / ".github" / "workflows" / "hypelint.yml")
    [job] = workflow["jobs"].values()
    runs = [step["run"] for step in job["steps"] if "run" in step]
    commands = _hypelint_commands(runs)
    assert any(_option(c, "--format") == "github" for c in commands)
    [sarif] = [c for c in commands if _option(c, "--format") == "sarif"]
    [upload] = [s for s in job["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    assert upload["with"]["sarif_file"] == _option(sarif, "--output-file")
    assert workflow["permissions"]["security-events"] == "write"
    for command in commands:
        assert _option(command, "--format") in FORMATS


def test_gitlab_job_publishes_code_quality_and_junit():
    job = _load(EXAMPLES / "ci" / ".gitlab-ci.yml")["hypelint"]
    commands = _hypelint_commands(job["script"])
    outputs = {_option(c, "--format"): _option(c, "--output-file") for c in commands}
    assert job["artifacts"]["reports"]["codequality"] == outputs["gitlab"]
    assert job["artifacts"]["reports"]["junit"] == outputs["junit"]
    assert job["artifacts"]["when"] == "always"


def test_sample_config_is_valid():
    settings = load_settings(config_path=EXAMPLES / "ci" / ".hypelint.yaml")
    linter = settings.linter()
    assert settings.disclosures == {"satisfied": ["disclosure.regulatory-status"]}
    assert "HL161" not in {rule.code for rule in linter.rules}


def test_workflow_files_are_not_linted_as_copy(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    linted = cli("check", "--format", "junit", "examples").out
    assert "examples/ci" not in linted and ".hypelint.yaml" not in linted and ".pre-commit" not in linted


def test_force_exclude_skips_hidden_and_excluded_files_named_explicitly(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "README.md").write_text("It cures.\n")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.md").write_text("It cures.\n")
    (tmp_path / "page.md").write_text("It cures.\n")
    (tmp_path / ".hypelint.yaml").write_text("exclude: [drafts]\n")
    named = [".github/README.md", "drafts/a.md", "page.md"]
    plain = cli("check", *named).out
    assert ".github/README.md:1:4" in plain and "drafts" not in plain  # exclude applies to named files
    forced = cli("check", "--force-exclude", *named).out
    assert [line.split(":")[0] for line in forced.splitlines()] == ["page.md"]
    walked = cli("check", ".").out
    assert [line.split(":")[0] for line in walked.splitlines()] == ["page.md"]


def test_include_entries_are_formats_extensions_or_globs():
    from hypelint.files import is_included

    assert is_included("a.md", None) and not is_included("a.njk", None)
    assert is_included("a.txt", [".txt"]) and not is_included("a.md", [".txt"])
    assert is_included("content/a.md", ["markdown"]) and is_included("a.mdx", ["mdx"])
    assert is_included("content/pages/a.njk", ["content/**/*.njk"]) and not is_included("a.njk", ["content/**"])


def test_install_docs_name_only_things_that_exist():
    """hypelint is not on PyPI and has no tags (issue 18, point 11): no `pip install hypelint`,
    and the pre-commit `rev:` is a commit of this repository that has the hook."""
    import re
    import shutil
    import subprocess

    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), EXAMPLES / ".pre-commit-config.yaml",
            EXAMPLES / "ci" / ".gitlab-ci.yml", EXAMPLES / "ci" / ".github" / "workflows" / "hypelint.yml",
            ROOT / ".pre-commit-hooks.yaml"]
    for path in docs:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"pip[x]? install '?hypelint(\[[\w,]+\])?'?(?![\w\[])(?!\s*@)", text), path
        assert "v0.1.0" not in text, path
    rev = _load(EXAMPLES / ".pre-commit-config.yaml")["repos"][0]["rev"]
    assert re.fullmatch(r"[0-9a-f]{40}", rev)
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: cannot look the commit up")
    found = subprocess.run(["git", "cat-file", "-e", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT,
                           capture_output=True)
    if found.returncode != 0 and subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT,
                                                capture_output=True, text=True).stdout.strip() == "true":
        pytest.skip("a shallow clone: the pinned commit may be outside it")
    assert found.returncode == 0, f"{rev} is not a commit of this repository with the hook"
    for path in (EXAMPLES / "ci" / ".gitlab-ci.yml", EXAMPLES / "ci" / ".github" / "workflows" / "hypelint.yml"):
        assert rev in path.read_text(encoding="utf-8"), path


def test_ci_installs_what_the_real_program_tests_need():
    """Issue 18: the Neovim and Spark tests must run in CI, not skip: .ci/run installs Debian's
    neovim, chromium and a Java runtime, and pyspark from PyPI, and is valid bash."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for needed in ("chromium:chromium", "neovim:nvim", "default-jre-headless:java", "pip install pyspark",
                   ".venv/bin/python -m pytest"):
        assert needed in script, needed
    assert subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")]).returncode == 0

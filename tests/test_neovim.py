"""A real Neovim, headless, drives `hypelint lsp` through its own LSP client (issue 18, point 6):
diagnostics arrive, an edit updates them, the config quick fix takes effect. `.ci/run`
installs Debian's `neovim` package so this runs in CI; elsewhere it skips when nvim is absent."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra (pip install -e '.[test]')")
NVIM = os.environ.get("HYPELINT_NVIM") or shutil.which("nvim")
pytestmark = pytest.mark.skipif(NVIM is None, reason="Neovim (nvim) is not installed: apt-get install neovim "
                                                     "(.ci/run installs it), or set HYPELINT_NVIM")
DRIVER = Path(__file__).parent / "nvim" / "drive.lua"

RULES = textwrap.dedent("""\
    pack: nvim-test
    rules:
      - code: XX101
        name: miracle-cure
        category: claim.cure
        severity: error
        message: '"{match}" promises a cure.'
        rationale: test
        references: [{title: T, url: 'https://example.org/cure'}]
        patterns: [{phrases: [cures]}]
        examples: {bad: ['It [[cures]] colds.'], good: ['A curious thing.']}
      - code: XX201
        name: no-risk
        category: claim.safety
        severity: warning
        message: '"{match}" minimises risk.'
        rationale: test
        references: [{title: T, url: 'https://example.org/risk'}]
        patterns: [{phrases: [no side effects]}]
        examples: {bad: ['It has [[no side effects]].'], good: ['Side effects are rare.']}
    """)


def test_neovim_headless_diagnostics_edit_and_config_quick_fix(tmp_path):
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    config = tmp_path / ".hypelint.yaml"
    config.write_text("extends: [./rules.yaml]\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("It cures.\n", encoding="utf-8")
    result_file = tmp_path / "result.json"
    env = dict(os.environ, HYPELINT_CMD=json.dumps([sys.executable, "-m", "hypelint", "lsp"]),
               HYPELINT_PAGE=str(page), HYPELINT_RESULT=str(result_file),
               XDG_CONFIG_HOME=str(tmp_path / "xdg-config"), XDG_DATA_HOME=str(tmp_path / "xdg-data"),
               XDG_STATE_HOME=str(tmp_path / "xdg-state"), XDG_CACHE_HOME=str(tmp_path / "xdg-cache"))
    done = subprocess.run([NVIM, "--headless", "-n", "-i", "NONE", "-u", "NONE", "--noplugin",
                           "-c", f"luafile {DRIVER}"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert result_file.is_file(), f"nvim wrote no result (exit {done.returncode}): {done.stdout}{done.stderr}"
    result = json.loads(result_file.read_text(encoding="utf-8"))
    assert "error" not in result, result
    assert result["opened"] == ['"cures" promises a cure.'], result
    assert result["edited"] == ['"cures" promises a cure.', '"no side effects" minimises risk.'], result
    assert "Disable XX101 (miracle-cure) in .hypelint.yaml" in result["titles"], result
    assert result["fixed"] == ['"no side effects" minimises risk.'], result
    assert config.read_text(encoding="utf-8") == "extends: [./rules.yaml]\nignore:\n  - XX101  # miracle-cure\n"

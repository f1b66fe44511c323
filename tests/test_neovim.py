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


def _lua_blocks():
    text = (Path(__file__).parent.parent / "docs" / "editors.md").read_text(encoding="utf-8")
    import re

    return re.findall(r"```lua\n(.*?)```", text, re.DOTALL)


def test_editor_docs_cover_each_neovim_version_and_html_mdx():
    """Issue 18 point 6: Debian 12's Neovim 0.7 has no vim.lsp.start or vim.fs; .mdx has no
    file type; html was missing; :LspLog is a plugin command."""
    text = (Path(__file__).parent.parent / "docs" / "editors.md").read_text(encoding="utf-8")
    blocks = _lua_blocks()
    assert len(blocks) >= 3
    newest, middle, oldest = blocks[:3]
    assert "vim.lsp.config" in newest and "vim.lsp.enable" in newest
    assert "vim.lsp.start(" in middle and "vim.fs." in middle
    assert "vim.lsp.start(" not in oldest and "vim.fs" not in oldest and "vim.lsp.start_client" in oldest
    for block in blocks[:3]:
        assert '"html"' in block and '"mdx"' in block and "mdx" in block.split("\n")[0]
    assert "Neovim 0.7" in text and "Neovim 0.8 to 0.10" in text and "Neovim 0.11 and later" in text
    assert "`:LspLog` comes from nvim-lspconfig" in text
    for editor in ("## Visual Studio Code", "## Helix", "## Zed"):
        assert editor in text
    assert '"html", "plaintext"' in text and 'name = "mdx"' in text


def test_the_neovim_0_7_snippet_starts_the_server(tmp_path):
    """The documented 0.7 snippet, run as written (with the server command adjusted), attaches."""
    snippet = _lua_blocks()[2].replace('cmd = { "hypelint", "lsp" }',
                                       f'cmd = {{ "{sys.executable}", "-m", "hypelint", "lsp" }}')
    init = tmp_path / "init.lua"
    out = tmp_path / "attached.txt"
    init.write_text(snippet + textwrap.dedent(f"""
        vim.cmd("edit {tmp_path / 'page.mdx'}")
        vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
        local file = io.open("{out}", "w")
        file:write(vim.bo.filetype .. " " .. tostring(#vim.diagnostic.get(0)))
        file:close()
        vim.cmd("qall!")
        """), encoding="utf-8")
    (tmp_path / ".hypelint.yaml").write_text("extends: [./rules.yaml]\n", encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    (tmp_path / "page.mdx").write_text("It cures.\n", encoding="utf-8")
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "xdg"), XDG_STATE_HOME=str(tmp_path / "xdg-state"),
               XDG_DATA_HOME=str(tmp_path / "xdg-data"), XDG_CACHE_HOME=str(tmp_path / "xdg-cache"))
    subprocess.run([NVIM, "--headless", "-n", "-i", "NONE", "-u", str(init)], cwd=tmp_path, env=env,
                   capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert out.read_text(encoding="utf-8") == "mdx 1"  # detected as mdx, attached, linted

"""Shared fixtures: paths to the project and to ../shared, and a CLI runner."""
from __future__ import annotations

import atexit
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# Tests that measure over the shared corpora (../shared beside the checkout) skip, saying why,
# on a fresh clone without them, instead of failing on counts.
needs_shared = pytest.mark.skipif(
    not (SHARED / "wild").is_dir() or not (SHARED / "corpus").is_dir(),
    reason=f"needs the shared corpora at {SHARED} (../shared beside the checkout), which is absent")

# hypelint keeps compiled patterns in the user's cache folder (hypelint.regexcache): the tests, and
# the hypelint processes they start, use a folder of their own, set before hypelint is imported
_PATTERN_CACHE = tempfile.mkdtemp(prefix="hypelint-patterns-")
os.environ["HYPELINT_PATTERN_CACHE"] = _PATTERN_CACHE
atexit.register(shutil.rmtree, _PATTERN_CACHE, True)


def real_page_texts():
    """The text of every real page the tests can read: the bundled examples, the wild pages and
    the labelled corpus articles (for checks that a shortcut agrees with the slow path)."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples").rglob("*.md"))]
    texts += [path.read_text(encoding="utf-8", errors="replace") for path in sorted((SHARED / "wild").glob("*"))
              if path.is_file() and path.suffix != ".tsv"]
    texts += [path.read_text(encoding="utf-8") for path in sorted((SHARED / "corpus").glob("*.txt"))]
    return texts


@pytest.fixture(autouse=True, scope="session")
def _result_cache_outside_the_checkout(tmp_path_factory):
    """`hypelint check` caches results in .hypelint_cache; tests keep theirs in a temporary folder."""
    patch = pytest.MonkeyPatch()
    patch.setenv("HYPELINT_CACHE_DIR", str(tmp_path_factory.mktemp("hypelint-cache")))
    yield
    patch.undo()


def run_cli(*args, stdin: bytes = b"", cwd=None, env=None):
    """Run `python -m hypelint ARGS` in a subprocess; returns CompletedProcess (text)."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, "-m", "hypelint", *map(str, args)], input=stdin,
                          capture_output=True, cwd=cwd or ROOT, env=full_env)


class CliResult:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run the CLI in-process (fast): cli("check", path) -> CliResult."""
    from hypelint.cli import main

    def invoke(*args, stdin: bytes = b""):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:
            code = exit_.code
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


def pytest_terminal_summary(terminalreporter):
    """Print the paraphrase set's score (tests/test_paraphrase.py) when it ran."""
    for module in list(sys.modules.values()):
        score = getattr(module, "LAST_SCORE", None)
        if isinstance(score, dict) and score and "claims" in score:
            terminalreporter.write_line(
                f"paraphrase set: {score['found']}/{score['claims']} claims found, "
                f"{score['flagged']}/{score['traps']} traps flagged")
            break

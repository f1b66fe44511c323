"""--jobs and the result cache change how fast, never what: same diagnostics, same order."""
from __future__ import annotations

import json
import pickle
import random
import subprocess
import sys

import pytest

from conftest import ROOT
from hypelint import cache as cache_module
from hypelint.cache import ResultCache, decode_diagnostic, encode_diagnostic
from hypelint.config import load_settings
from hypelint.errors import SourceError
from hypelint.linter import Linter
from hypelint.parallel import lint_files

SENTENCES = [
    "Our serum cures baldness.", "Results guaranteed.", "There are no side effects.",
    "Visit our FDA-approved clinic.", "Studies have shown it works.", "Book a calm consultation.",
    "The team explains each step.", "It does not cure anything.", "Our stem cell injections help.",
    "`cures` in code is not copy.", "A [link about cures](https://example.com/cures).",
]


def _write_site(folder, files=30, sentences=40, seed=5):
    """A small site: Markdown and text files with claims, plus a binary and an undecodable file."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(files):
        lines = ["---", f"title: Page {index}", "---", "", f"# Page {index}", ""]
        for _ in range(sentences):
            lines.append(rng.choice(SENTENCES) + ("\n" if rng.random() < 0.3 else ""))
        suffix = ".txt" if index % 7 == 3 else ".md"
        (folder / f"page{index:03d}{suffix}").write_text("\n".join(lines), encoding="utf-8")
    (folder / "image.md").write_bytes(b"\x89PNG\x00\x00binary")
    (folder / "latin1.md").write_bytes("It cures caf\xe9 d\xe9cor.".encode("latin-1"))
    return folder


def _data(results):
    return [(r.path, r.skipped, str(r.error) if r.error else None,
             [(d.to_dict(), d.start, d.end, d.matched, d.document_level) for d in r.diagnostics])
            for r in results]


def _paths(folder):
    from hypelint.files import discover

    return discover([str(folder)])


@pytest.fixture
def site(tmp_path):
    return _write_site(tmp_path / "site")


@pytest.fixture
def settings():
    return load_settings(isolated=True)


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_jobs_give_the_same_results_in_the_same_order(site, settings, start_method):
    import multiprocessing

    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {start_method} start method here")
    paths = _paths(site)
    serial = lint_files(settings, paths, jobs=1)
    parallel = lint_files(settings, paths, jobs=3, start_method=start_method, min_parallel_bytes=0)
    assert _data(parallel) == _data(serial)
    assert [r.path for r in serial] == paths
    assert any(r.skipped for r in serial) and any(r.error for r in serial)
    assert sum(len(r.diagnostics) for r in serial) > 100


def test_cli_output_identical_with_and_without_jobs_and_cache(tmp_path):
    # big enough (> PARALLEL_MIN_BYTES) for the CLI to start worker processes
    site = _write_site(tmp_path / "site", files=60, sentences=400)
    assert sum(p.stat().st_size for p in site.iterdir()) > 300_000
    cache_dir = tmp_path / "cache"

    def check(*options):
        done = subprocess.run([sys.executable, "-m", "hypelint", "check", "--format", "json", *options, str(site)],
                              capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == 2, done.stderr  # the undecodable page: HL007
        return done.stdout, done.stderr

    reference = check("--jobs", "1", "--no-cache")
    assert json.loads(reference[0])
    assert check("--jobs", "2", "--no-cache") == reference
    assert check("--cache-dir", str(cache_dir)) == reference    # cold: fills the cache
    assert check("--cache-dir", str(cache_dir)) == reference    # warm: answered by it
    assert check("--jobs", "1", "--cache-dir", str(cache_dir)) == reference
    assert not (tmp_path / ".hypelint_cache").exists()


def test_warm_run_is_served_from_the_cache(site, settings, tmp_path, monkeypatch):
    cache = ResultCache.for_settings(settings, tmp_path / "cache")
    paths = _paths(site)
    cold = lint_files(settings, paths, jobs=1, cache=cache)

    def no_linting(self, path, format=None):
        raise AssertionError(f"{path} was linted again")

    monkeypatch.setattr(Linter, "lint_file", no_linting)
    linted = [r for r in cold if not r.error and not r.skipped]
    warm = lint_files(settings, [r.path for r in linted], jobs=1, cache=cache)
    assert _data(warm) == _data(linted)


def test_cache_folder_is_ignored_by_git_and_tagged(site, settings, tmp_path):
    cache = ResultCache.for_settings(settings, tmp_path / "cache")
    lint_files(settings, _paths(site), jobs=1, cache=cache)
    assert (tmp_path / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert not list((tmp_path / "cache").rglob(".tmp-*"))


def test_default_cache_folder_is_beside_the_config(tmp_path, monkeypatch):
    monkeypatch.delenv("HYPELINT_CACHE_DIR", raising=False)
    (tmp_path / ".hypelint.yaml").write_text("fail-on: error\n")
    nested = tmp_path / "docs" / "deep"
    nested.mkdir(parents=True)
    (nested / "page.md").write_text("It cures.\n")
    monkeypatch.chdir(nested)
    done = subprocess.run([sys.executable, "-m", "hypelint", "check", "page.md"], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert (tmp_path / ".hypelint_cache" / ".gitignore").is_file()
    assert not (nested / ".hypelint_cache").exists()


def test_no_cache_writes_nothing(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HYPELINT_CACHE_DIR", raising=False)
    (tmp_path / "page.md").write_text("It cures.\n")
    assert cli("check", "--no-cache", "page.md").code == 1
    monkeypatch.setenv("HYPELINT_NO_CACHE", "1")
    assert cli("check", "page.md").code == 1
    assert not (tmp_path / ".hypelint_cache").exists()
    monkeypatch.delenv("HYPELINT_NO_CACHE")
    assert cli("check", "page.md").code == 1
    assert (tmp_path / ".hypelint_cache").is_dir()


def test_content_change_invalidates(tmp_path, cli):
    page = tmp_path / "page.md"
    cache_dir = tmp_path / "cache"
    page.write_text("It cures.\n")
    first = cli("check", "--cache-dir", cache_dir, page)
    page.write_text("Results guaranteed. It cures.\n")
    second = cli("check", "--cache-dir", cache_dir, page)
    assert "HL121" not in first.out and "HL121" in second.out
    page.write_text("Book a consultation.\n")
    assert cli("check", "--cache-dir", cache_dir, page).out == ""


def test_config_change_invalidates(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.md").write_text("It cures, guaranteed.\n")
    cache_dir = tmp_path / "cache"
    everything = cli("check", "--cache-dir", cache_dir, "page.md").out
    assert "HL101" in everything and "HL121" in everything
    only = cli("check", "--cache-dir", cache_dir, "--select", "HL121", "page.md").out
    assert "HL101" not in only and "HL121" in only
    (tmp_path / ".hypelint.yaml").write_text("severity:\n  HL121: info\n")
    lowered = cli("check", "--cache-dir", cache_dir, "page.md").out
    assert "HL121 [info]" in lowered
    (tmp_path / ".hypelint.yaml").write_text("ignore: [HL101]\n")
    assert "HL101" not in cli("check", "--cache-dir", cache_dir, "page.md").out


def test_rule_pack_change_invalidates(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rule = """
pack: house
rules:
  - code: HX101
    name: sparkle-claim
    category: claim.puffery
    severity: warning
    message: 'MESSAGE: "{match}"'
    rationale: Test rule.
    references: [{title: t, url: 'https://example.org/t'}]
    patterns: [sparkle]
    examples: {bad: ['[[sparkle]]'], good: ['calm']}
"""
    (tmp_path / "house.yaml").write_text(rule.replace("MESSAGE", "first"))
    (tmp_path / ".hypelint.yaml").write_text("extends: [./house.yaml]\n")
    (tmp_path / "page.md").write_text("It will sparkle.\n")
    assert "first" in cli("check", "page.md").out
    (tmp_path / "house.yaml").write_text(rule.replace("MESSAGE", "second"))
    assert "second" in cli("check", "page.md").out


def test_corrupt_entries_are_ignored_and_rewritten(site, settings, tmp_path):
    cache = ResultCache.for_settings(settings, tmp_path / "cache")
    paths = _paths(site)
    reference = lint_files(settings, paths, jobs=1)
    lint_files(settings, paths, jobs=1, cache=cache)
    entries = sorted(p for p in cache.folder.rglob("*") if p.is_file())
    assert len(entries) == len([r for r in reference if not r.error and not r.skipped])
    garbage = [b"", b"not zlib", __import__("zlib").compress(b"{\"path\": 1}"),
               __import__("zlib").compress(b"[1, 2]"),
               __import__("zlib").compress(json.dumps({"path": "x", "digest": "y", "diagnostics": [{}]}).encode())]
    for index, entry in enumerate(entries):
        entry.write_bytes(garbage[index % len(garbage)])
    assert _data(lint_files(settings, paths, jobs=1, cache=cache)) == _data(reference)
    path = [r for r in reference if r.diagnostics][0].path
    digest = cache_module.file_digest(open(path, "rb").read())
    assert cache.lookup(path, digest) is not None  # rewritten valid


def test_entry_of_another_path_or_content_is_a_miss(site, settings, tmp_path):
    cache = ResultCache.for_settings(settings, tmp_path / "cache")
    result = lint_files(settings, [str(site / "page000.md")], jobs=1, cache=cache)[0]
    digest = cache_module.file_digest((site / "page000.md").read_bytes())
    assert [d.to_dict() for d in cache.lookup(result.path, digest)] == [d.to_dict() for d in result.diagnostics]
    assert cache.lookup(result.path, "0" * 64) is None
    assert cache.lookup(str(site / "page001.md"), digest) is None


def test_unwritable_cache_warns_and_still_lints(tmp_path, cli):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    page = tmp_path / "page.md"
    page.write_text("It cures.\n")
    result = cli("check", "--cache-dir", blocker, page)
    assert result.code == 1 and "HL101" in result.out
    assert "hypelint: warning: cannot write the result cache" in result.err
    assert "Traceback" not in result.err


def test_concurrent_runs_share_a_cache_safely(tmp_path):
    site = _write_site(tmp_path / "site", files=40, sentences=60)
    cache_dir = tmp_path / "cache"
    command = [sys.executable, "-m", "hypelint", "check", "--jobs", "1", "--cache-dir", str(cache_dir), str(site)]
    reference = subprocess.run(command[:4] + ["--no-cache", str(site)], capture_output=True, text=True).stdout
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate()[0] for run in runs]
    assert outputs == [reference] * 3
    again = subprocess.run(command, capture_output=True, text=True).stdout
    assert again == reference
    assert not list(cache_dir.rglob(".tmp-*"))


def test_diagnostic_round_trip_keeps_every_field():
    diagnostics = Linter().lint_text("Our stem cell serum cures baldness, guaranteed.\n", path="a.md")
    assert diagnostics
    for diagnostic in diagnostics:
        encoded = json.loads(json.dumps(encode_diagnostic(diagnostic)))
        decoded = decode_diagnostic(encoded)
        assert decoded == diagnostic
        assert (decoded.to_dict(), decoded.start, decoded.end, decoded.matched, decoded.document_level) == \
               (diagnostic.to_dict(), diagnostic.start, diagnostic.end, diagnostic.matched, diagnostic.document_level)
    broken = dict(encode_diagnostic(diagnostics[0]), line="3")
    with pytest.raises(ValueError):
        decode_diagnostic(broken)
    with pytest.raises(ValueError):
        decode_diagnostic(dict(encode_diagnostic(diagnostics[0]), severity="loud"))


def test_settings_pickle_without_their_linter(settings):
    linter = settings.linter()
    copy = pickle.loads(pickle.dumps(settings))
    assert copy._linter is None and settings._linter is linter
    text = "Our serum cures baldness.\n"
    assert copy.linter().lint_text(text) == linter.lint_text(text)


def test_errors_survive_pickling():
    error = pickle.loads(pickle.dumps(SourceError("cannot decode", "a.md", 3, 4)))
    assert (error.path, error.line, error.column, str(error)) == ("a.md", 3, 4, "a.md:3:4: cannot decode")


@pytest.mark.parametrize("value", ["0", "-2", "many"])
def test_bad_jobs_is_a_usage_error(cli, value, tmp_path):
    result = cli("check", "--jobs", value, tmp_path)
    assert result.code == 2
    assert "expected a positive number of jobs" in result.err


def test_examples_identical_with_jobs(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli("check", "--jobs", "2", "examples").out == cli("check", "--jobs", "1", "--no-cache", "examples").out

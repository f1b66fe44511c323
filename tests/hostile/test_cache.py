"""The result cache under hostile conditions (issue 19, items 1, 2 and 11): it deletes only
folders it created, marks only folders it created, hashes the bytes it lints, and ignores
entries that do not fit the file, are too large, or decompress into a bomb."""
from __future__ import annotations

import json
import os
import signal
import time
import zlib

import pytest

from hypelint import atomic
from hypelint import cache as cache_module
from hypelint.cache import ResultCache, encode_diagnostic, file_digest
from hypelint.config import load_settings
from hypelint.linter import Linter
from hypelint.parallel import lint_files

CLAIM_PAGE = "Our serum cures baldness.\n" * 3
CLEAN_PAGE = "Book a calm consultation.\n" * 3
OLD = time.time() - cache_module.STALE_AFTER_SECONDS - 3600


@pytest.fixture
def settings(tmp_path):
    return load_settings(tmp_path, isolated=True)


def _age(path):
    os.utime(path, (OLD, OLD))


def test_prune_deletes_only_stale_fingerprint_folders_it_created(tmp_path, settings):
    root = tmp_path / "repo"
    root.mkdir()
    keep = ["vue-components", "v1-notafingerprint", "v2-" + "a" * 23, "V1-" + "a" * 24, "v1-" + "a" * 24 + "x"]
    for name in keep:
        (root / name).mkdir()
        (root / name / "App.vue").write_text("tracked work")
        _age(root / name)
    lookalike = root / ("v1-" + "b" * 24)  # the right name, but a user's files inside
    lookalike.mkdir()
    (lookalike / "notes.txt").write_text("mine")
    _age(lookalike)
    stale = root / ("v0-" + "c" * 24)
    (stale / "ab").mkdir(parents=True)
    (stale / "ab" / ("ab" + "0" * 62)).write_bytes(b"entry")
    _age(stale / "ab")
    _age(stale)
    ResultCache.for_settings(settings, root).prepare()
    for name in keep:
        assert (root / name / "App.vue").read_text() == "tracked work"
    assert (lookalike / "notes.txt").exists()
    assert not stale.exists()


def test_markers_only_in_a_folder_the_cache_created(tmp_path, settings):
    existing = tmp_path / "repo"
    existing.mkdir()
    ResultCache.for_settings(settings, existing).prepare()
    assert not (existing / ".gitignore").exists() and not (existing / "CACHEDIR.TAG").exists()
    fresh = tmp_path / "new-cache"
    ResultCache.for_settings(settings, fresh).prepare()
    assert (fresh / ".gitignore").read_text().splitlines()[-1] == "*"
    assert "created by hypelint" in (fresh / "CACHEDIR.TAG").read_text()


def test_cli_cache_dir_dot_keeps_the_users_folders(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "vue-components").mkdir()
    (tmp_path / "vue-components" / "App.vue").write_text("x")
    _age(tmp_path / "vue-components")
    (tmp_path / "page.md").write_text(CLAIM_PAGE)
    assert cli("check", "--cache-dir", ".", "page.md").code == 1
    assert (tmp_path / "vue-components" / "App.vue").exists()
    assert not (tmp_path / ".gitignore").exists() and not (tmp_path / "CACHEDIR.TAG").exists()


def test_a_save_during_linting_cannot_poison_the_cache(tmp_path, settings, monkeypatch):
    """A -> B -> A while the file is linted: the stored result is that of the bytes linted."""
    page = tmp_path / "page.md"
    page.write_text(CLAIM_PAGE)
    cache = ResultCache.for_settings(settings, tmp_path / "cache")
    original = Linter.lint_file

    def saved_twice_while_linting(self, path, format=None, data=None):
        page.write_text(CLEAN_PAGE)  # the editor saves B ...
        try:
            return original(self, path, format, data)
        finally:
            page.write_text(CLAIM_PAGE)  # ... and A again before hypelint looks back

    monkeypatch.setattr(Linter, "lint_file", saved_twice_while_linting)
    first = lint_files(settings, [str(page)], jobs=1, cache=cache)[0]
    monkeypatch.setattr(Linter, "lint_file", original)
    fresh = lint_files(settings, [str(page)], jobs=1)[0]
    again = lint_files(settings, [str(page)], jobs=1, cache=cache)[0]
    assert len(fresh.diagnostics) == 3
    assert [d.to_dict() for d in again.diagnostics] == [d.to_dict() for d in fresh.diagnostics]
    # whatever the first run saw, what it stored matches the bytes it linted
    stored = cache.lookup(str(page), file_digest(CLAIM_PAGE.encode()))
    assert stored is None or len(stored) == 3
    assert first.diagnostics == [] or len(first.diagnostics) == 3


def _filled_cache(tmp_path, settings):
    page = tmp_path / "page.md"
    page.write_text(CLAIM_PAGE)
    cache = ResultCache.for_settings(settings, tmp_path / "cache")
    result = lint_files(settings, [str(page)], jobs=1, cache=cache)[0]
    data = page.read_bytes()
    assert cache.lookup(str(page), file_digest(data), data) is not None
    return cache, str(page), data, result


def _write_entry(cache, path, entry_bytes):
    target = cache.entry_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(entry_bytes)


def test_entries_with_positions_outside_the_file_are_ignored(tmp_path, settings):
    cache, path, data, result = _filled_cache(tmp_path, settings)
    encoded = [encode_diagnostic(d) for d in result.diagnostics]
    for change in ({"start": 10_000, "end": 10_005}, {"line": 99, "end_line": 99}, {"start": -1}, {"column": 0}):
        entry = {"path": path, "digest": file_digest(data), "fingerprint": cache.fingerprint,
                 "diagnostics": [dict(encoded[0], **change)]}
        _write_entry(cache, path, zlib.compress(json.dumps(entry).encode()))
        assert cache.lookup(path, file_digest(data), data) is None, change
    # a run answers from a fresh lint, not from the bad entry
    again = lint_files(settings, [path], jobs=1, cache=cache)[0]
    assert [d.to_dict() for d in again.diagnostics] == [d.to_dict() for d in result.diagnostics]


def test_an_entry_of_another_fingerprint_is_ignored(tmp_path, settings):
    cache, path, data, _ = _filled_cache(tmp_path, settings)
    entry = {"path": path, "digest": file_digest(data), "fingerprint": "0" * 64, "diagnostics": []}
    _write_entry(cache, path, zlib.compress(json.dumps(entry).encode()))
    assert cache.lookup(path, file_digest(data), data) is None


def test_a_zlib_bomb_entry_is_ignored_without_inflating_it(tmp_path, settings, monkeypatch):
    cache, path, data, _ = _filled_cache(tmp_path, settings)
    monkeypatch.setattr(cache_module, "MAX_ENTRY_JSON_BYTES", 1_000_000)
    inflater = zlib.compressobj(9)
    bomb = inflater.compress(b"[" + b" " * 50_000_000) + inflater.flush()
    _write_entry(cache, path, bomb)
    assert cache.lookup(path, file_digest(data), data) is None


def test_an_oversized_entry_file_is_ignored(tmp_path, settings, monkeypatch):
    cache, path, data, _ = _filled_cache(tmp_path, settings)
    monkeypatch.setattr(cache_module, "MAX_ENTRY_BYTES", 10)
    assert cache.lookup(path, file_digest(data), data) is None


def test_a_deeply_nested_entry_is_a_miss_not_a_crash(tmp_path, settings):
    cache, path, data, _ = _filled_cache(tmp_path, settings)
    _write_entry(cache, path, zlib.compress(b"[" * 100_000 + b"]" * 100_000))
    assert cache.lookup(path, file_digest(data), data) is None


def test_ctrl_c_while_writing_leaves_no_temporary_file(tmp_path, monkeypatch):
    """A SIGINT between creating and renaming the temporary file arrives after the rename."""
    real_replace = os.replace

    def interrupted_replace(source, target):
        os.kill(os.getpid(), signal.SIGINT)  # blocked: delivered once the write is complete
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", interrupted_replace)
    target = tmp_path / "entry"
    with pytest.raises(KeyboardInterrupt):
        atomic.write_bytes_atomically(target, b"whole")
    assert target.read_bytes() == b"whole"
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]


def test_an_interrupted_write_removes_its_temporary_file(tmp_path, monkeypatch):
    def interrupted_fdopen(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", interrupted_fdopen)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_bytes_atomically(tmp_path / "entry", b"x")
    assert list(tmp_path.iterdir()) == []

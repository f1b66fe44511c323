"""The compiled-pattern cache (hypelint.regexcache) changes speed, never results."""
from __future__ import annotations

import marshal
import os
import subprocess
import sys

import pytest
import regex

from hypelint import regexcache
from hypelint.linter import Linter
from hypelint.rules import builtin_pack_names
from hypelint.rules.load import load_packs

SAMPLE = ("Our serum cures baldness and reverses type 2 diabetes. Studies show it is 100% safe, "
          "FDA-approved and guaranteed to work for everyone! My knees were completely healed. "
          "It is not a cure for cancer. Patients with MS, ALS or Alzheimer's disease: call now.")


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """An empty cache folder, and the module's in-memory state reset before and after."""
    monkeypatch.setenv("HYPELINT_PATTERN_CACHE", str(tmp_path))
    regexcache._reset_for_tests()
    yield tmp_path
    regexcache._reset_for_tests()


def _all_patterns():
    rules = load_packs(builtin_pack_names())
    return [pattern for rule in rules for name in Linter.PATTERN_FIELDS for pattern in getattr(rule, name)]


def test_every_builtin_pattern_round_trips_through_the_file(cache_dir, monkeypatch):
    patterns = _all_patterns()
    assert len(patterns) > 100
    fresh = [regex.compile(p.pattern, p.flags) for p in patterns]
    for pattern in patterns:
        regexcache.compile(pattern.pattern, pattern.flags)
    regexcache.save()
    files = list(cache_dir.iterdir())
    assert [f.name for f in files] == [os.path.basename(regexcache.cache_file())]

    regexcache._reset_for_tests()  # a new process: only the file is left
    regexcache._load()

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled instead of loaded from the cache")

    monkeypatch.setattr(regexcache.regex, "compile", no_compiling)
    loaded = [regexcache.compile(p.pattern, p.flags) for p in patterns]
    monkeypatch.undo()
    for expected, got in zip(fresh, loaded):
        assert (got.pattern, got.flags, got.groups) == (expected.pattern, expected.flags, expected.groups)
        assert [m.span() for m in got.finditer(SAMPLE)] == [m.span() for m in expected.finditer(SAMPLE)]
    assert not regexcache._new  # nothing new to write


def test_a_hypelint_process_writes_the_cache_and_the_next_one_reads_it(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Our serum cures baldness.\n", encoding="utf-8")
    env = dict(os.environ, HYPELINT_PATTERN_CACHE=str(tmp_path / "patterns"))
    command = [sys.executable, "-m", "hypelint", "check", "--no-cache", str(page)]
    first = subprocess.run(command, capture_output=True, text=True, env=env)
    files = list((tmp_path / "patterns").iterdir())
    assert len(files) == 1 and files[0].stat().st_size > 1000
    written = files[0].stat().st_mtime_ns
    second = subprocess.run(command, capture_output=True, text=True, env=env)
    assert (first.returncode, first.stdout) == (second.returncode, second.stdout) == (1, second.stdout)
    assert "HL" in second.stdout
    assert files[0].stat().st_mtime_ns == written  # everything came from the cache: nothing rewritten


def test_a_damaged_file_is_ignored_and_replaced(cache_dir):
    path = regexcache.cache_file()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(b"\x00not marshal data")
    compiled = regexcache.compile(r"cures?", regex.IGNORECASE)
    assert compiled.search("It CURES.").span() == (3, 8)
    regexcache.save()
    with open(path, "rb") as handle:
        assert (r"cures?", int(regex.IGNORECASE)) in marshal.load(handle)


def test_a_wrong_entry_is_compiled_afresh(cache_dir):
    path = regexcache.cache_file()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    program = regexcache._reduce(regex.compile("other"))[1]
    with open(path, "wb") as handle:  # each entry is its own marshalled bytes
        marshal.dump({("cures?", 0): marshal.dumps(program), ("x+", 0): marshal.dumps(("garbage",)),
                      ("y+", 0): b"\xffnot marshal"}, handle)
    assert regexcache.compile("cures?").pattern == "cures?"
    assert regexcache.compile("cures?").search("it cures").group() == "cures"
    assert regexcache.compile("x+").search("axxb").group() == "xx"
    assert regexcache.compile("y+").search("ayyb").group() == "yy"


def test_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("HYPELINT_PATTERN_CACHE", "off")
    regexcache._reset_for_tests()
    try:
        assert regexcache.cache_file() is None
        assert regexcache.compile("cure").search("a cure")
        regexcache.save()
    finally:
        regexcache._reset_for_tests()


def test_an_unwritable_folder_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("HYPELINT_PATTERN_CACHE", str(blocker / "sub"))
    regexcache._reset_for_tests()
    try:
        assert regexcache.compile("cure").search("a cure")
        regexcache.save()  # no exception
    finally:
        regexcache._reset_for_tests()


def test_entries_are_unpacked_only_when_used(cache_dir):
    for source in ("cures?", "heal(?:s|ed)", "miracle"):
        regexcache.compile(source)
    regexcache.save()
    regexcache._reset_for_tests()
    regexcache._load()
    assert not regexcache._values
    regexcache.compile("miracle")
    assert list(regexcache._values) == [("miracle", 0)]


def test_re_programs_round_trip_through_the_file(cache_dir, monkeypatch):
    import re

    source = r"(?=(cur(?:e|ing)|heal|mir(?:acle|aculous)|(?P<named>safe)))"
    expected = re.compile(source)
    first = regexcache.compile_re(source)
    regexcache.save()
    regexcache._reset_for_tests()  # a new process

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled instead of loaded from the cache")

    monkeypatch.setattr(re, "compile", no_compiling)
    loaded = regexcache.compile_re(source)
    monkeypatch.undo()
    text = "curing heals; a miraculous, safe cure"
    for compiled in (first, loaded):
        assert (compiled.pattern, compiled.flags, compiled.groups, compiled.groupindex) == \
            (expected.pattern, expected.flags, expected.groups, expected.groupindex)
        assert [(m.start(), m.groups()) for m in compiled.finditer(text)] == \
            [(m.start(), m.groups()) for m in expected.finditer(text)]


def test_a_damaged_re_program_is_compiled_afresh(cache_dir):
    regexcache.remember(("re", "cures?", 0), (32, [1, 2, 3], 0, {}, (None,)))  # code _sre rejects
    assert regexcache.compile_re("cures?").search("it cures").group() == "cures"


def test_remember_and_lookup_keep_plain_data_only(cache_dir):
    regexcache.remember(("test", "a"), {"x": [1, 2], "y": (None, "z")})
    regexcache.remember(("test", "b"), object())  # not plain data: not kept
    regexcache.save()
    regexcache._reset_for_tests()
    assert regexcache.lookup(("test", "a")) == {"x": [1, 2], "y": (None, "z")}
    assert regexcache.lookup(("test", "b")) is None


def test_large_entries_are_limited_per_kind(cache_dir, monkeypatch):
    monkeypatch.setattr(regexcache, "MAX_PER_KIND", {"prefilter": 2})
    for number in range(4):
        regexcache.remember(("prefilter", number, 0, ()), [number])
        regexcache.save()
    regexcache._reset_for_tests()
    assert [regexcache.lookup(("prefilter", number, 0, ())) for number in range(4)] == [None, None, [2], [3]]


def test_nothing_is_remembered_when_the_cache_is_off(monkeypatch):
    monkeypatch.setenv("HYPELINT_PATTERN_CACHE", "off")
    regexcache._reset_for_tests()
    try:
        regexcache.remember(("test", "a"), [1])
        assert regexcache.lookup(("test", "a")) is None
        assert regexcache.compile_re("a|b").pattern == "a|b"
    finally:
        regexcache._reset_for_tests()

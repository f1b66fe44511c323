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


# -- seeding the standard library's `re` cache (seed_re) ------------------------------------------

_SEED_PROBE = r"""
import json, sys
from hypelint import regexcache
seeded = regexcache.seed_re()
import yaml
from hypelint.sources.markdown import markdown_parser
tokens = markdown_parser().parse(sys.argv[1])
print(json.dumps({"seeded": seeded, "tokens": [[t.type, t.content, t.map] for t in tokens],
                  "yaml": yaml.safe_load(sys.argv[2])}, default=str))
"""
_SEED_MARKDOWN = ("---\ntitle: x\n---\n# Cures *baldness*\n\n> [a](https://b.example) <span>c</span>\n\n"
                  "| a | b \\| c |\n|---|---|\n| 1 | `2` |\n\n- [ ] item &amp; ~~x~~\n")
_SEED_YAML = "a: [1, 2.5, yes, ~, 2024-01-02]\nb: !!str 3\nc: |\n  text\n"


def _seed_probe(env):
    result = subprocess.run([sys.executable, "-c", _SEED_PROBE, _SEED_MARKDOWN, _SEED_YAML], env=env,
                            capture_output=True, text=True, check=True)
    import json

    return json.loads(result.stdout)


def test_re_seeds_spare_the_next_process_compiling_and_change_nothing(tmp_path):
    env = dict(os.environ, HYPELINT_PATTERN_CACHE=str(tmp_path))
    first, second = _seed_probe(env), _seed_probe(env)
    off = _seed_probe(dict(env, HYPELINT_PATTERN_CACHE="off"))
    assert first["seeded"] == 0 and off["seeded"] == 0
    assert second["seeded"] >= 30  # PyYAML's and markdown-it-py's patterns
    assert first["tokens"] == second["tokens"] == off["tokens"]
    assert first["yaml"] == second["yaml"] == off["yaml"]


def test_every_seed_behaves_like_a_fresh_compile(tmp_path):
    import _sre
    import re

    env = dict(os.environ, HYPELINT_PATTERN_CACHE=str(tmp_path))
    _seed_probe(env)
    os.environ["HYPELINT_PATTERN_CACHE"], saved = str(tmp_path), os.environ["HYPELINT_PATTERN_CACHE"]
    regexcache._reset_for_tests()
    try:
        entries = regexcache.lookup(regexcache.SEED_KEY)
    finally:
        os.environ["HYPELINT_PATTERN_CACHE"] = saved
        regexcache._reset_for_tests()
    assert len(entries) >= 30
    text = _SEED_MARKDOWN + _SEED_YAML + "\t\x85\u00a0 é 12:30 0x1F -1.5e3 <!-- x --> &#x27; \\* [^1]"
    for pattern, flags, program in entries:
        seeded = _sre.compile(pattern, *program)
        fresh = re._compiler.compile(pattern, flags) if hasattr(re, "_compiler") else re.compile(pattern, flags)
        assert (seeded.flags, seeded.groups, seeded.groupindex) == (fresh.flags, fresh.groups, fresh.groupindex)
        assert [m.span() for m in seeded.finditer(text)] == [m.span() for m in fresh.finditer(text)], pattern


@pytest.fixture
def seeding(cache_dir, monkeypatch):
    """seed_re() as a process start would run it, without its exit hook in the test process."""
    import atexit

    yield regexcache
    atexit.unregister(regexcache._record_seeds)


def test_a_few_new_patterns_do_not_rewrite_the_seeds(seeding, monkeypatch):
    import re

    seeding.remember(seeding.SEED_KEY, [])
    seeding.seed_re()
    monkeypatch.setattr(seeding, "_seeded", {(key[1], int(key[2])) for key in list(re._cache) if len(key) == 3})
    for number in range(seeding.MIN_FRESH - 1):  # e.g. a class whose order follows the hash seed
        re.compile(f"seed-test-{number}-[ab]")
    seeding._record_seeds()
    assert seeding.lookup(seeding.SEED_KEY) == []
    for number in range(seeding.MIN_FRESH):
        re.compile(f"seed-test-more-{number}")
    seeding._record_seeds()
    kept = {pattern for pattern, _, _ in seeding.lookup(seeding.SEED_KEY)}
    assert {f"seed-test-more-{number}" for number in range(seeding.MIN_FRESH)} <= kept


def test_damaged_seeds_are_skipped(seeding):
    import re

    seeding.remember(seeding.SEED_KEY, [("seed-test-bad", 0, (32, [1, 2, 3], 0, {}, (None,))), "junk",
                                        ("seed-test-good", 0, regexcache._re_program("seed-test-good", 0))])
    assert seeding.seed_re() == 1
    assert (str, "seed-test-bad", 0) not in re._cache
    assert re.compile("seed-test-good").match("seed-test-good")


def test_the_file_keeps_the_newest_entries_within_its_size_limit(cache_dir, monkeypatch):
    monkeypatch.setattr(regexcache, "MAX_BYTES", 3000)
    for number in range(10):
        regexcache.remember(("test", number), "x" * 1000)
        regexcache.save()
    regexcache._reset_for_tests()
    assert [number for number in range(10) if regexcache.lookup(("test", number))] == [8, 9]
    assert os.path.getsize(regexcache.cache_file()) < 3000 + 200

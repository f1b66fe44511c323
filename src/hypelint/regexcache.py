"""Compiled patterns (and what start-up derives from them) kept between runs, so a cold start
does not redo that work.

The rule packs' vocabularies expand into patterns of thousands of characters; `regex` parses and
optimises them in Python, which costs about 0.2 s per process: more than linting a whole page.
`regex` pickles a pattern as its compiled program (plain ints, strings, lists and dicts handed to
its C constructor), so this module keeps those programs, keyed by pattern and flags, in one file
per (hypelint, `regex`, Python) version in the user's cache directory, written with `marshal`
(never pickle: the file cannot make us run code). Each entry is stored as its own marshalled
bytes, unpacked only when it is used: reading the file is then a millisecond, where unpacking
every program up front took ten (a one-page check uses a fraction of the patterns).

The same file keeps a few other things start-up would otherwise recompute, each under a key
that says exactly what it was derived from, so a stale entry is never used: the standard
library `re` programs of the prefilter's keyword scanner (`compile_re`), the prefilter's plan
for a rule set (hypelint.prefilter), parsed rule-pack files (hypelint.rules.load) and the
faster equivalent of each rule pattern (hypelint.rules.leading), through `lookup`/`remember`;
and the `re` programs the libraries a check imports compile (`seed_re`).

Where: `$HYPELINT_PATTERN_CACHE` if set (`off` disables it), else `$XDG_CACHE_HOME/hypelint` or
`~/.cache/hypelint` (`%LOCALAPPDATA%\\hypelint` on Windows). Any problem reading or writing the
file (missing, corrupt, read-only, another version's) falls back to compiling: the cache only
ever changes speed, never results. It is separate from the per-project result cache that
`--no-cache` turns off, like Python's `__pycache__` next to a program's own data.
"""
from __future__ import annotations

import atexit
import copyreg
import marshal
import os
import sys
import threading
from typing import Any, Callable, Dict, Optional

import regex

from . import __version__

MAX_ENTRIES = 5000  # team packs that change often would otherwise grow the file without end
# every start reads the whole file (about 2 ms per MiB): entries left by edited packs or an older
# rewrite of the patterns must not make it slower; the oldest entries go first (a used one that
# goes is compiled and added again, at the end)
MAX_BYTES = 4 << 20
MAX_PER_KIND = {"prefilter": 8, "ruleset": 64}  # large entries, one per rule set, pack or lexicon file

_Key = tuple  # (pattern, flags) for `regex` programs; (kind, ...) for the other entries
_lock = threading.Lock()
_programs: Optional[Dict[_Key, bytes]] = None  # marshalled entries; None until the file is read
_values: Dict[_Key, Any] = {}  # entries unpacked (or made) in this process
_new: Dict[_Key, bytes] = {}  # made here since the last save
_live: Dict[_Key, "regex.Pattern"] = {}  # built in this process: a repeated compile is a lookup
_constructor = None  # regex's C constructor, when its pickling is the one this module knows
_registered = False
_enabled = False  # whether there is a cache file (see cache_file_enabled)


def _set_enabled(value: bool) -> None:
    global _enabled
    _enabled = value


def cache_file() -> Optional[str]:
    """The cache file for this hypelint, `regex` and Python, or None when caching is off."""
    setting = os.environ.get("HYPELINT_PATTERN_CACHE")
    if setting is not None and setting.strip().lower() in ("", "0", "off", "false", "no"):
        return None
    if setting:
        directory = setting
    elif os.name == "nt":
        directory = os.path.join(os.environ.get("LOCALAPPDATA") or os.path.expanduser("~"), "hypelint")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        directory = os.path.join(base, "hypelint")
    version = getattr(regex, "__version__", "unknown")
    name = f"patterns2-{__version__}-regex{version}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"
    return os.path.join(directory, name)


def _read(path: str) -> Dict[_Key, bytes]:
    try:
        with open(path, "rb") as handle:
            data = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return data


def _reduce(compiled: "regex.Pattern"):
    """What pickling stores for a compiled pattern: regex registers it with copyreg."""
    return copyreg.dispatch_table[type(compiled)](compiled)


def _load() -> Dict[_Key, bytes]:
    global _programs, _constructor
    if _programs is None:
        with _lock:
            if _programs is None:
                try:
                    constructor, _ = _reduce(regex.compile("a"))
                    _constructor = constructor if callable(constructor) else None
                except Exception:  # a regex release that pickles differently: no cache
                    _constructor = None
                path = cache_file() if _constructor is not None else None
                _programs = _read(path) if path else {}
                _set_enabled(path is not None)
    return _programs


def compile(pattern: str, flags: int = 0) -> "regex.Pattern":  # noqa: A001 - mirrors regex.compile
    """`regex.compile(pattern, flags)`, from the cache when this pattern was compiled before."""
    key = (pattern, int(flags))
    compiled = _live.get(key)
    if compiled is not None:
        return compiled
    program = _value(key)
    if program is not None:
        try:
            compiled = _constructor(*program)
            if compiled.pattern == pattern:
                _live[key] = compiled
                return compiled
        except Exception:  # a stale or damaged entry: compile it afresh below
            pass
    compiled = regex.compile(pattern, flags)
    if len(_live) < MAX_ENTRIES:
        _live[key] = compiled
    if _constructor is None:
        return compiled
    try:
        constructor, program = _reduce(compiled)
        blob = marshal.dumps(program)  # only plain data goes into the file
    except Exception:
        return compiled
    if constructor is _constructor:
        _add(key, program, blob)
    return compiled


def _value(key: _Key):
    """The entry under `key`, unpacked on first use; None if there is none (or it is damaged)."""
    value = _values.get(key)
    if value is None:
        blob = _load().get(key)
        if not isinstance(blob, bytes):
            return None
        try:
            value = marshal.loads(blob)
        except (EOFError, ValueError, TypeError):
            return None
        _values[key] = value
    return value


def _add(key: _Key, value, blob: Optional[bytes] = None) -> None:
    global _registered
    blob = marshal.dumps(value) if blob is None else blob
    with _lock:
        _load()[key] = blob
        _values[key] = value
        _new[key] = blob
        if not _registered:
            atexit.register(save)
            _registered = True


def lookup(key: _Key):
    """The value remember()ed under `key` (a tuple starting with a kind name), or None."""
    return _value(key) if cache_file_enabled() else None


def remember(key: _Key, value) -> None:
    """Keep `value` (plain data that marshal can write) under `key` for later processes.
    The key must hold everything the value was derived from."""
    if not cache_file_enabled():
        return
    try:
        marshal.dumps(key)
        blob = marshal.dumps(value)
    except ValueError:
        return
    _add(key, value, blob)


def cache_file_enabled() -> bool:
    """Whether there is a cache file to read and write (not turned `off`)."""
    _load()
    return _enabled


# -- the standard library's `re`, for the prefilter's keyword scanner ---------------------------
# `re` compiles in Python (parser, then code generator) and hands a list of ints to its C
# constructor, which validates it. Its module layout is private and changed in 3.11, so any
# surprise means compiling the ordinary way.
try:  # Python 3.11+
    from re import _compiler as _re_compiler, _parser as _re_parser  # type: ignore[attr-defined]
except ImportError:  # Python 3.9, 3.10
    import sre_compile as _re_compiler  # type: ignore[no-redef]
    import sre_parse as _re_parser  # type: ignore[no-redef]


def _re_program(pattern: str, flags: int) -> tuple:
    parsed = _re_parser.parse(pattern, flags)
    code = _re_compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    # the code holds named int constants; marshal writes plain ints only
    return (int(flags | parsed.state.flags), [int(op) for op in code], parsed.state.groups - 1, groupindex,
            tuple(indexgroup))


def compile_re(pattern: str, flags: int = 0) -> "re.Pattern":
    """`re.compile(pattern, flags)` from the program kept in the cache file when there is one."""
    import re
    import _sre

    key = ("re", pattern, int(flags))
    program = lookup(key)
    if program is not None:
        try:
            compiled = _sre.compile(pattern, *program)
            if compiled.pattern == pattern and compiled.groups == program[2]:
                return compiled
        except Exception:  # another Python's program, or a damaged entry
            pass
    compiled = re.compile(pattern, flags)
    if cache_file_enabled():
        try:
            program = _re_program(pattern, int(flags))
            rebuilt = _sre.compile(pattern, *program)
        except Exception:  # a private API that changed: compile normally from now on
            return compiled
        if rebuilt.flags == compiled.flags and rebuilt.groups == compiled.groups:
            remember(key, program)
    return compiled


# -- the standard library's `re` cache, for the libraries a check imports ------------------------
# PyYAML and markdown-it-py compile some 80 `re` patterns when imported or first used (about
# 7 ms of a one-page check). seed_re() puts the programs an earlier run compiled into `re`'s own
# cache before those imports, so their `re.compile` calls are lookups; the process records, at
# exit, the programs of patterns it compiled that were not seeded. `re._cache` is private (a dict
# keyed by (type, pattern, flags) from Python 3.7 to 3.13): anything else means no seeding.
SEED_KEY = ("re-seed",)
MAX_SEEDS = 256
# a few patterns change text from run to run (classes joined from a set, whose order follows the
# hash seed: markdown-it-py has one); fewer new patterns than this do not rewrite the file
MIN_FRESH = 8
_seeded: Optional[set] = None  # (pattern, flags) seeded or recorded; None until seed_re() runs


def _re_cache() -> Optional[dict]:
    import re

    cache = getattr(re, "_cache", None)
    return cache if isinstance(cache, dict) else None


def seed_re() -> int:
    """Seed `re`'s cache with the programs kept from earlier runs; returns how many were seeded.
    Call once, early, before importing the libraries whose patterns it holds."""
    global _seeded
    import _sre

    cache = _re_cache()
    if cache is None or _seeded is not None or not cache_file_enabled():
        return 0
    _seeded = set()
    atexit.register(_record_seeds)
    count = 0
    entries = lookup(SEED_KEY)
    for entry in entries if isinstance(entries, list) else ():
        try:
            pattern, flags, program = entry
            key = (str, pattern, flags)
            if key not in cache:
                compiled = _sre.compile(pattern, *program)
                if compiled.pattern != pattern or compiled.groups != program[2]:
                    continue
                cache[key] = compiled
                count += 1
            _seeded.add((pattern, flags))
        except Exception:  # another Python's program, or a damaged entry: compiled normally  # noqa: BLE001
            continue
    return count


def _record_seeds() -> None:
    """At exit: keep the programs of the `re` patterns compiled in this process and not seeded
    (when there are enough of them: see MIN_FRESH)."""
    import _sre
    import re

    cache = _re_cache()
    if cache is None or _seeded is None:
        return
    candidates = []
    for key, compiled in list(cache.items()):
        try:
            kind, pattern, flags = key
            if kind is str and (pattern, int(flags)) not in _seeded and not int(flags) & re.DEBUG:
                candidates.append((pattern, int(flags), compiled))
        except (TypeError, ValueError):  # a key this code does not know
            continue
    kept = lookup(SEED_KEY)
    if len(candidates) < (MIN_FRESH if isinstance(kept, list) else 1):
        return
    entries = {}
    for entry in kept if isinstance(kept, list) else []:
        if isinstance(entry, tuple) and len(entry) == 3:
            entries[entry[:2]] = entry
    for pattern, flags, compiled in candidates:  # newest last
        try:
            program = _re_program(pattern, flags)
            rebuilt = _sre.compile(pattern, *program)
        except Exception:  # noqa: BLE001 - a private API that changed: keep what we have
            continue
        if (rebuilt.flags, rebuilt.groups, rebuilt.groupindex) == (compiled.flags, compiled.groups, compiled.groupindex):
            entries.pop((pattern, flags), None)
            entries[pattern, flags] = (pattern, flags, program)
    remember(SEED_KEY, list(entries.values())[-MAX_SEEDS:])
    save()


def save() -> None:
    """Write the patterns compiled in this process to the cache file (merged with what other
    processes wrote meanwhile). Atomic: readers see the old file or the new one."""
    with _lock:
        if not _new:
            return
        new = dict(_new)
        _new.clear()
    path = cache_file()
    if not path:
        return
    merged = _read(path)
    for key, blob in new.items():  # newest last
        merged.pop(key, None)
        merged[key] = blob
    for kind, limit in MAX_PER_KIND.items():  # e.g. plans for rule sets edited since
        keys = [key for key in merged if len(key) > 2 and key[0] == kind]
        for key in keys[:-limit]:
            del merged[key]
    if len(merged) > MAX_ENTRIES:  # keep the newest entries
        merged = dict(list(merged.items())[-MAX_ENTRIES:])
    size = sum(len(blob) for blob in merged.values())
    for key in list(merged):
        if size <= MAX_BYTES:
            break
        size -= len(merged.pop(key))
    try:
        from .atomic import write_bytes_atomically

        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_bytes_atomically(path, marshal.dumps(merged))
    except (OSError, ValueError):
        pass  # a read-only or full disk only costs speed


def _reset_for_tests() -> None:
    global _programs, _enabled, _seeded
    with _lock:
        _programs = None
        _enabled = False
        _seeded = None
        _values.clear()
        _new.clear()
        _live.clear()

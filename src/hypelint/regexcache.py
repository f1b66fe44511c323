"""Compiled `regex` patterns kept between runs, so a cold start does not re-compile them.

The rule packs' vocabularies expand into patterns of thousands of characters; `regex` parses and
optimises them in Python, which costs about 0.2 s per process: more than linting a whole page.
`regex` pickles a pattern as its compiled program (plain ints, strings, lists and dicts handed to
its C constructor), so this module keeps those programs, keyed by pattern and flags, in one file
per (hypelint, `regex`, Python) version in the user's cache directory, written with `marshal`
(never pickle: the file cannot make us run code) and loaded in a few milliseconds.

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
from typing import Dict, Optional, Tuple

import regex

from . import __version__

MAX_ENTRIES = 5000  # team packs that change often would otherwise grow the file without end

_Key = Tuple[str, int]
_lock = threading.Lock()
_programs: Optional[Dict[_Key, tuple]] = None  # None until the file is read
_new: Dict[_Key, tuple] = {}  # compiled here since the last save
_live: Dict[_Key, "regex.Pattern"] = {}  # built in this process: a repeated compile is a lookup
_constructor = None  # regex's C constructor, when its pickling is the one this module knows
_registered = False


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
    name = f"patterns-{__version__}-regex{version}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"
    return os.path.join(directory, name)


def _read(path: str) -> Dict[_Key, tuple]:
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


def _load() -> Dict[_Key, tuple]:
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
    return _programs


def compile(pattern: str, flags: int = 0) -> "regex.Pattern":  # noqa: A001 - mirrors regex.compile
    """`regex.compile(pattern, flags)`, from the cache when this pattern was compiled before."""
    global _registered
    key = (pattern, int(flags))
    compiled = _live.get(key)
    if compiled is not None:
        return compiled
    programs = _load()
    program = programs.get(key)
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
        marshal.dumps(program)  # only plain data goes into the file
    except Exception:
        return compiled
    if constructor is _constructor:
        with _lock:
            programs[key] = program
            _new[key] = program
            if not _registered:
                atexit.register(save)
                _registered = True
    return compiled


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
    merged.update(new)
    if len(merged) > MAX_ENTRIES:  # keep the newest entries
        merged = dict(list(merged.items())[-MAX_ENTRIES:])
    try:
        from .atomic import write_bytes_atomically

        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_bytes_atomically(path, marshal.dumps(merged))
    except (OSError, ValueError):
        pass  # a read-only or full disk only costs speed


def _reset_for_tests() -> None:
    global _programs
    with _lock:
        _programs = None
        _new.clear()
        _live.clear()

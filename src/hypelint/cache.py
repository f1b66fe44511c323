"""The result cache: skip files whose diagnostics are already known, like ruff's cache.

An entry holds one file's diagnostics. It is used only when everything that could change them
is unchanged: the file's bytes and path, the resolved settings, the rule pack files' contents,
the hypelint version (and, for people working on hypelint, its source files' sizes and times),
and the versions of the parsing and matching libraries. All but the file go into a fingerprint
that names the cache's subfolder; the file's bytes are hashed into its entry.

Layout (default `.hypelint_cache/` next to the config file, or in the working directory):

    .hypelint_cache/.gitignore           "*": git ignores the whole folder
    .hypelint_cache/CACHEDIR.TAG         backup tools skip it
    .hypelint_cache/v1-<fingerprint>/ab/<sha256 of the path>   zlib-compressed JSON

Safe under concurrent runs: an entry is written to a temporary file in its folder and moved
into place with os.replace, so a reader sees a whole old entry, a whole new one or none.
Unreadable, corrupt or foreign entries are ignored and rewritten, and so are entries that do not
fit the file they claim to describe (positions past its end) or are larger than MAX_ENTRY_BYTES
(MAX_ENTRY_JSON_BYTES once decompressed: a zlib bomb costs nothing). Fingerprint folders unused
for 30 days are removed by the next run that uses the cache: only folders whose name is exactly
`v<digits>-<24 hex digits>`, the names this module gives them. `.gitignore` and `CACHEDIR.TAG`
are written only into a cache folder hypelint creates, never into an existing folder such as
`--cache-dir .`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
import time
import zlib
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

from . import __version__
from .atomic import write_bytes_atomically
from .diagnostic import Diagnostic, Severity

DIRECTORY_NAME = ".hypelint_cache"
CACHE_FORMAT = "v1"  # bump when the entry layout changes
STALE_AFTER_SECONDS = 30 * 24 * 3600
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by hypelint.\n"
                "# For information about cache directory tags see https://bford.info/cachedir/\n")

# Bounds on one entry: larger entries are ignored when read and not written (a file with tens of
# thousands of findings is simply linted again).
MAX_ENTRY_BYTES = 8 * 1024 * 1024
MAX_ENTRY_JSON_BYTES = 64 * 1024 * 1024
# The fingerprint folders this module creates; nothing else in the cache folder is ever deleted.
FINGERPRINT_FOLDER = re.compile(r"v[0-9]+-[0-9a-f]{24}")
# The first line of a CACHEDIR.TAG hypelint wrote: the folder holding it is a cache folder.
_OWN_TAG_LINE = "# This file is a cache directory tag created by hypelint."

# How each Diagnostic field is stored in JSON and checked when read back.
_FIELD_KINDS = {"str": str, "int": int, "bool": bool}


def _field_kind(field: dataclasses.Field) -> str:
    kind = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
    if kind in _FIELD_KINDS or kind == "Severity":
        return kind
    if kind.replace(" ", "") in ("Tuple[str,...]", "tuple[str,...]"):
        return "strings"
    return "unsupported"


_FIELDS = [(field.name, _field_kind(field)) for field in dataclasses.fields(Diagnostic)]
# A Diagnostic field this module cannot store faithfully switches the cache off rather than
# returning something different from a fresh run.
CACHEABLE = all(kind != "unsupported" for _, kind in _FIELDS)


def encode_diagnostic(diagnostic: Diagnostic) -> Dict[str, Any]:
    """Every field, JSON-ready: `to_dict()` plus the internal ones (start, end, matched...)."""
    data: Dict[str, Any] = {}
    for name, kind in _FIELDS:
        value = getattr(diagnostic, name)
        data[name] = str(value) if kind == "Severity" else list(value) if kind == "strings" else value
    return data


def decode_diagnostic(data: Any) -> Diagnostic:
    """The inverse of encode_diagnostic; ValueError for anything that does not fit."""
    if not isinstance(data, dict) or len(data) != len(_FIELDS):
        raise ValueError("not a diagnostic")
    values: Dict[str, Any] = {}
    for name, kind in _FIELDS:
        value = data.get(name)
        if kind == "Severity":
            value = Severity.parse(value) if isinstance(value, str) else None
        elif kind == "strings":
            value = tuple(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else None
        elif not isinstance(value, _FIELD_KINDS[kind]) or (kind == "int" and isinstance(value, bool)):
            value = None
        if value is None:
            raise ValueError(f"bad field {name}")
        values[name] = value
    return Diagnostic(**values)


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _source_signature() -> List[Any]:
    """Sizes and modification times of hypelint's own modules: a developer's edit to the linter
    must not be answered from a cache filled by the previous code (releases change the version)."""
    package = Path(__file__).resolve().parent
    signature = []
    for folder, directories, files in os.walk(package):
        directories[:] = sorted(d for d in directories if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                signature.append([os.path.relpath(os.path.join(folder, name), package), stat.st_size, stat.st_mtime_ns])
    return signature


def _library_versions() -> Dict[str, Any]:
    """Python's version, and where and when the parsing and matching libraries were installed
    (found without importing them: a fully cached run need not import the Markdown parser)."""
    import importlib.util

    versions: Dict[str, Any] = {"python": list(sys.version_info[:3])}
    for name in ("regex", "markdown_it", "yaml"):
        try:
            spec = importlib.util.find_spec(name)
            stat = os.stat(spec.origin) if spec and spec.origin else None
            versions[name] = [spec.origin, stat.st_size, stat.st_mtime_ns] if stat else None
        except (ImportError, ValueError, OSError):
            versions[name] = None
    return versions


def _settings_state(settings) -> Dict[str, Any]:
    """Every resolved setting (new settings are included automatically), without the linter
    built from them and the bookkeeping of where each came from."""
    state = {}
    for field in dataclasses.fields(settings):
        if field.name not in ("_linter", "origins"):
            state[field.name] = getattr(settings, field.name)
    return state


def _rule_files(rules: Iterable) -> List[str]:
    files = set()
    for rule in rules:
        file = rule.source.rsplit(":", 1)[0] if rule.source else ""
        if file:
            files.add(file)
    return sorted(files)


def fingerprint(settings, linter) -> str:
    """Everything except the file itself that decides a file's diagnostics, hashed."""
    digest = hashlib.sha256()
    rule_files = {}
    for file in _rule_files(linter.all_rules):
        try:
            with open(file, "rb") as handle:
                rule_files[file] = file_digest(handle.read())
        except OSError:
            rule_files[file] = "unreadable"
    state = {
        "format": CACHE_FORMAT, "hypelint": __version__, "source": _source_signature(),
        "libraries": _library_versions(), "settings": _settings_state(settings), "rules": rule_files,
        "selected": [rule.code for rule in linter.rules],
    }
    digest.update(json.dumps(state, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()


def default_directory(settings) -> Path:
    """$HYPELINT_CACHE_DIR, else `.hypelint_cache` beside the config file (or in the working
    directory when there is none), like ruff's project-root cache."""
    configured = os.environ.get("HYPELINT_CACHE_DIR")
    return Path(configured) if configured else settings.base_directory / DIRECTORY_NAME


class ResultCache:
    """Diagnostics of files seen before, for one fingerprint (settings, rules, versions)."""

    def __init__(self, directory, fingerprint: str):
        self.root = Path(directory)
        self.fingerprint = fingerprint
        self.folder = self.root / f"{CACHE_FORMAT}-{fingerprint[:24]}"
        self.warning: Optional[str] = None  # set once when the cache cannot be written
        self.writable = True
        self._made_folders: set = set()

    @classmethod
    def for_settings(cls, settings, directory=None) -> "ResultCache":
        return cls(directory or default_directory(settings), fingerprint(settings, settings.linter()))

    # -- entries ---------------------------------------------------------------------------
    def entry_path(self, path: str) -> Path:
        name = hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()
        return self.folder / name[:2] / name

    def lookup(self, path: str, digest: str, data: Optional[bytes] = None) -> Optional[List[Diagnostic]]:
        """The cached diagnostics of `path` with content `digest`, or None (a miss). With the
        file's bytes `data`, an entry whose positions do not fit inside them is a miss too."""
        if not CACHEABLE:
            return None
        try:
            with open(self.entry_path(path), "rb") as handle:
                compressed = handle.read(MAX_ENTRY_BYTES + 1)
            if len(compressed) > MAX_ENTRY_BYTES:
                return None
            inflater = zlib.decompressobj()
            raw = inflater.decompress(compressed, MAX_ENTRY_JSON_BYTES)
            if inflater.unconsumed_tail or not inflater.eof:
                return None  # larger than the bound once decompressed, or truncated
            entry = json.loads(raw)
            if (not isinstance(entry, dict) or entry.get("path") != path or entry.get("digest") != digest
                    or entry.get("fingerprint") != self.fingerprint or not isinstance(entry.get("diagnostics"), list)):
                return None
            diagnostics = [decode_diagnostic(item) for item in entry["diagnostics"]]
            if data is not None and not _fits(diagnostics, path, data):
                return None
            return diagnostics
        except (OSError, ValueError, TypeError, KeyError, AttributeError, zlib.error, RecursionError, MemoryError):
            return None  # missing, unreadable, corrupt or hostile: lint the file again

    def store(self, path: str, digest: str, diagnostics: List[Diagnostic]) -> None:
        if not (CACHEABLE and self.writable):
            return
        entry = {"path": path, "digest": digest, "fingerprint": self.fingerprint,
                 "diagnostics": [encode_diagnostic(d) for d in diagnostics]}
        try:
            # the messages, suggestions and references repeat a lot: compressed, an entry is
            # about a tenth of its JSON
            text = json.dumps(entry, separators=(",", ":"), allow_nan=False).encode("utf-8", "surrogatepass")
            if len(text) > MAX_ENTRY_JSON_BYTES:
                return
            data = zlib.compress(text, 1)
        except (TypeError, ValueError):
            return
        if len(data) > MAX_ENTRY_BYTES:
            return
        target = self.entry_path(path)
        try:
            if target.parent not in self._made_folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._made_folders.add(target.parent)
            write_bytes_atomically(target, data)
        except OSError as error:
            self._cannot_write(error)

    # -- the folder ------------------------------------------------------------------------
    def prepare(self) -> None:
        """Create the cache folder with its .gitignore and CACHEDIR.TAG, mark this fingerprint
        as used and remove fingerprint folders unused for STALE_AFTER_SECONDS."""
        try:
            created = not self.root.exists()
            self.folder.mkdir(parents=True, exist_ok=True)
            if created or self._owns_root():  # never mark a folder the user already had as ignored
                for name, text in ((".gitignore", "# Created by hypelint: its result cache.\n*\n"),
                                   ("CACHEDIR.TAG", CACHEDIR_TAG)):
                    if not (self.root / name).exists():
                        write_bytes_atomically(self.root / name, text.encode("utf-8"))
            os.utime(self.folder)
        except OSError as error:
            self._cannot_write(error)
            return
        self._prune()

    def _prune(self) -> None:
        now = time.time()
        try:
            siblings = list(os.scandir(self.root))
        except OSError:
            return
        for entry in siblings:
            if not FINGERPRINT_FOLDER.fullmatch(entry.name) or entry.name == self.folder.name:
                continue
            try:
                if (entry.is_dir(follow_symlinks=False) and now - entry.stat().st_mtime > STALE_AFTER_SECONDS
                        and _looks_like_fingerprint_folder(entry.path)):
                    import shutil

                    shutil.rmtree(entry.path, ignore_errors=True)
            except OSError:
                continue

    def _owns_root(self) -> bool:
        """Whether the cache folder is one hypelint created (its CACHEDIR.TAG says so)."""
        try:
            with open(self.root / "CACHEDIR.TAG", encoding="utf-8", errors="replace") as handle:
                return _OWN_TAG_LINE in handle.read(4096)
        except OSError:
            return False

    def _cannot_write(self, error: OSError) -> None:
        self.writable = False
        if self.warning is None:
            self.warning = f"cannot write the result cache in {self.root}: {error.strerror or error}"


def _looks_like_fingerprint_folder(path: str) -> bool:
    """Only two-hex-digit subfolders of entries: what `store` creates (a user's folder that
    happens to have a fingerprint-like name keeps its files)."""
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                if not (len(entry.name) == 2 and entry.is_dir(follow_symlinks=False)
                        and all(c in "0123456789abcdef" for c in entry.name)):
                    return False
    except OSError:
        return False
    return True


def _fits(diagnostics: List[Diagnostic], path: str, data: bytes) -> bool:
    """Positions inside a file of these bytes (offsets count code points, at most one a byte)."""
    size = len(data)
    lines = data.count(b"\n") + 1
    for diagnostic in diagnostics:
        if diagnostic.path != path:
            return False
        if not (0 <= diagnostic.start <= diagnostic.end <= size):
            return False
        if not (1 <= diagnostic.line <= diagnostic.end_line <= lines) or diagnostic.column < 1 or diagnostic.end_column < 1:
            return False
    return True

"""Baselines: record today's findings so a content repo can adopt hypelint and see only new ones.

An entry identifies a finding by a content fingerprint, never by line number: the rule code, the
matched words and a few normalised words either side of them in the same paragraph. Editing
unrelated lines above a known finding keeps its fingerprint; rewording the claim changes it (the
old entry is then reported as stale). Document-level findings (a missing disclosure) are
identified by their rule alone: one per file. Identical findings in one file are counted.

The same fingerprints are reused as SARIF partialFingerprints and GitLab Code Quality
fingerprints, so code-scanning alerts follow the finding when lines move.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

import regex
from . import regexcache

from .diagnostic import Diagnostic
from .errors import ConfigError

FORMAT_VERSION = 1
CONTEXT_WORDS = 3      # words kept on each side of the match
CONTEXT_CHARACTERS = 200  # how far to look for them
_WORD = regexcache.compile(r"\w+")
_PARAGRAPH_BREAK = regexcache.compile(r"\n[ \t\r]*\n")


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def context_words(text: str, start: int, end: int) -> Tuple[str, str]:
    """Up to CONTEXT_WORDS normalised words before `start` and after `end`, within the paragraph."""
    before = text[max(0, start - CONTEXT_CHARACTERS):start]
    breaks = list(_PARAGRAPH_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    after = text[end:end + CONTEXT_CHARACTERS]
    found = _PARAGRAPH_BREAK.search(after)
    if found:
        after = after[:found.start()]
    return (" ".join(_WORD.findall(before.lower())[-CONTEXT_WORDS:]),
            " ".join(_WORD.findall(after.lower())[:CONTEXT_WORDS]))


def fingerprint(diagnostic: Diagnostic, text: Optional[str]) -> str:
    """A stable identity for a finding that survives moved lines (hex, 20 characters)."""
    if diagnostic.document_level:
        parts = [diagnostic.code, "document"]
    else:
        matched = diagnostic.matched
        if text is not None and 0 <= diagnostic.start <= diagnostic.end <= len(text):
            matched = matched or text[diagnostic.start:diagnostic.end]
            before, after = context_words(text, diagnostic.start, diagnostic.end)
        else:  # no source text: the matched words alone
            before = after = ""
        parts = [diagnostic.code, _normalise(matched), before, after]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def relative_path(path: str, directory: str) -> str:
    """A diagnostic's path as stored in the baseline: relative to the baseline's folder, '/'-separated."""
    if path == "-" or path.startswith("<"):
        return path
    try:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(directory))
    except ValueError:  # another drive (Windows): keep it absolute
        relative = os.path.abspath(path)
    return relative.replace(os.sep, "/")


@dataclass
class Entry:
    path: str
    code: str
    fingerprint: str
    matched: str = ""
    count: int = 1

    def to_dict(self) -> Dict[str, object]:
        return {"path": self.path, "code": self.code, "fingerprint": self.fingerprint,
                "matched": self.matched, "count": self.count}


@dataclass
class Comparison:
    """What a run's findings look like against a baseline."""

    new: List[Diagnostic]
    known: int
    stale: List[Entry] = field(default_factory=list)


class Baseline:
    """The entries of a baseline file, keyed by (path, fingerprint)."""

    def __init__(self, entries: Iterable[Entry], directory: str):
        self.directory = directory
        self.entries: Dict[Tuple[str, str], Entry] = {}
        for entry in entries:
            key = (entry.path, entry.fingerprint)
            if key in self.entries:
                self.entries[key].count += entry.count
            else:
                self.entries[key] = entry

    # -- building ----------------------------------------------------------------------------
    @classmethod
    def from_findings(cls, findings: Iterable[Tuple[Diagnostic, Optional[str]]], directory: str) -> "Baseline":
        """A baseline of (diagnostic, file text) pairs; paths stored relative to `directory`."""
        entries = [Entry(relative_path(d.path, directory), d.code, fingerprint(d, text),
                         "" if d.document_level else " ".join(d.matched.split()))
                   for d, text in findings]
        return cls(entries, directory)

    def dumps(self) -> str:
        from . import __version__

        entries = sorted(self.entries.values(), key=lambda e: (e.path, e.code, e.fingerprint))
        return json.dumps({
            "hypelint-baseline": FORMAT_VERSION,
            "generated-by": f"hypelint {__version__}",
            "findings": [entry.to_dict() for entry in entries],
        }, indent=2, ensure_ascii=False) + "\n"

    # -- reading -----------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str) -> "Baseline":
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            raise ConfigError("baseline file not found (create it with --write-baseline)", path) from None
        except OSError as error:
            raise ConfigError(f"cannot read baseline: {error.strerror or error}", path) from None
        except RecursionError:
            raise ConfigError("invalid baseline JSON: nested too deeply", path) from None
        except (ValueError, UnicodeDecodeError) as error:
            line = getattr(error, "lineno", None)
            raise ConfigError(f"invalid baseline JSON: {getattr(error, 'msg', error)}", path, line) from None
        if not isinstance(data, dict) or data.get("hypelint-baseline") != FORMAT_VERSION \
                or not isinstance(data.get("findings"), list):
            raise ConfigError(f"not a hypelint baseline (expected an object with \"hypelint-baseline\": "
                              f"{FORMAT_VERSION} and a \"findings\" list)", path)
        entries = []
        for index, item in enumerate(data["findings"]):
            if not isinstance(item, dict) or not all(isinstance(item.get(key), str) and item.get(key)
                                                     for key in ("path", "code", "fingerprint")):
                raise ConfigError(f"findings[{index}]: each entry needs string path, code and fingerprint", path)
            count = item.get("count", 1)
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise ConfigError(f"findings[{index}]: count must be a positive integer", path)
            entries.append(Entry(item["path"], item["code"], item["fingerprint"], str(item.get("matched", "")), count))
        return cls(entries, os.path.dirname(os.path.abspath(path)))

    # -- comparing ---------------------------------------------------------------------------
    def compare(self, findings: Iterable[Tuple[Diagnostic, Optional[str]]], linted_paths: Iterable[str]) -> Comparison:
        """Split findings into new and known; entries of linted files left unmatched are stale
        (files not linted in this run say nothing about their entries)."""
        remaining = Counter({key: entry.count for key, entry in self.entries.items()})
        new: List[Diagnostic] = []
        known = 0
        for diagnostic, text in findings:
            key = (relative_path(diagnostic.path, self.directory), fingerprint(diagnostic, text))
            if remaining[key] > 0:
                remaining[key] -= 1
                known += 1
            else:
                new.append(diagnostic)
        linted = {relative_path(path, self.directory) for path in linted_paths}
        stale = []
        for key, left in remaining.items():
            entry = self.entries[key]
            if left > 0 and entry.path in linted:
                stale.append(Entry(entry.path, entry.code, entry.fingerprint, entry.matched, left))
        stale.sort(key=lambda e: (e.path, e.code, e.matched))
        return Comparison(new, known, stale)

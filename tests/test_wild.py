"""The wild corpus (../shared/wild: real site files): no crash, and every finding is on prose.

"On prose" is checked against the original text with syntax-level patterns written
independently of the sources (URLs, tags, template tags, code, front matter keys, JSON keys),
so a source that marks the wrong characters as prose fails here even though its own mask
would agree with itself.
"""
from __future__ import annotations

import bisect

import pytest
import regex

from conftest import SHARED
from hypelint.document import LineIndex
from hypelint.engine import ENGINE_RULES
from hypelint.diagnostic import Severity
from hypelint.linter import Linter
from hypelint.rules import Rule, RuleSet
from hypelint.sources import SourceOptions, parse, read_file

WILD = SHARED / "wild"
FILES = sorted(p for p in WILD.iterdir() if p.suffix != ".tsv") if WILD.is_dir() else []

URL = regex.compile(r"(?:https?|ftp)://[^\s\"'<>)\]]+|\bwww\.[^\s\"'<>)\]]+|\]\([^)\n]*\)|\b(?:href|src)\s*=\s*(?:\"[^\"]*\"|'[^']*')")
TAG = regex.compile(r"</?[A-Za-z][^<>]*>", regex.DOTALL)
COPY_ATTRIBUTE = regex.compile(r"""\b(?:alt|title|content)\s*=\s*(?:"(?P<v>[^"]*)"|'(?P<v>[^']*)')""")
TEMPLATE = regex.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", regex.DOTALL)
INLINE_CODE = regex.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", regex.DOTALL)
FENCE = regex.compile(r"^[ \t>]*(```|~~~).*?^[ \t>]*\1", regex.DOTALL | regex.MULTILINE)
HTML_CODE = regex.compile(r"<(script|style|code|pre)\b.*?</\1\s*>", regex.DOTALL | regex.IGNORECASE)
FRONT_MATTER = regex.compile(r"\A(---|\+\+\+)\s*\n.*?^\1\s*$", regex.DOTALL | regex.MULTILINE)
NON_COPY_KEYS = {"layout", "date", "tags", "categories", "category", "image", "slug", "permalink", "id",
                 "url", "link", "author", "draft", "order", "weight", "lang", "type", "template"}
JSON_KEY = regex.compile(r'"(?:[^"\\\n]|\\.)*"\s*:')
# character references and escapes read as the character they stand for
ESCAPE = regex.compile(r"&#?\w+;|\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)")


def _spans(pattern, text, group=0):
    return [(m.start(group), m.end(group)) for m in pattern.finditer(text) if m.start(group) >= 0]


def forbidden_spans(path, text):
    """(start, end, what) of everything that must never be reported: syntax, not copy."""
    copy_values = _spans(COPY_ATTRIBUTE, text, "v")
    spans = []
    for low, high in _spans(TAG, text):
        # a tag minus the values of its copy attributes (alt, title, meta content)
        cursor = low
        for a, b in copy_values:
            if low <= a and b <= high:
                spans.append((cursor, a, "tag"))
                cursor = b
        spans.append((cursor, high, "tag"))
    spans += [(a, b, "URL") for a, b in _spans(URL, text)]
    spans += [(a, b, "template tag") for a, b in _spans(TEMPLATE, text)]
    spans += [(a, b, "code") for a, b in _spans(INLINE_CODE, text) + _spans(FENCE, text) + _spans(HTML_CODE, text)]
    front = FRONT_MATTER.match(text)
    if front:
        top_key = None
        offset = 0
        for line in text[:front.end()].split("\n"):
            key = regex.match(r"(\s*)(?:-\s+)*[\"']?([\w-]+)[\"']?\s*[:=]", line)
            if key and not key.group(1):
                top_key = key.group(2).lower()
            if key:
                spans.append((offset, offset + key.end(), "front matter key"))
            if top_key in NON_COPY_KEYS:
                spans.append((offset, offset + len(line), f"non-copy front matter key {top_key!r}"))
            offset += len(line) + 1
    if path.suffix == ".json":
        spans += [(a, b, "JSON key") for a, b in _spans(JSON_KEY, text)]
    merged = []  # disjoint, so one bisect finds the only candidate
    for low, high, what in sorted(spans):
        if merged and low < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]), merged[-1][2])
        elif high > low:
            merged.append((low, high, what))
    return merged


def _check_on_prose(path, text, document, diagnostic, forbidden):
    start, end = diagnostic.start, diagnostic.end
    where = f"{path.name}:{diagnostic.line}:{diagnostic.column} {diagnostic.code} {text[start:end]!r}"
    source_map = document.source_map
    low, high = (start, end) if source_map is None else (source_map.to_normalised(start), source_map.to_normalised(end))
    assert "\x00" not in document.mask[low:high], where
    for offset in range(low, high):
        if document.mask[offset].isalnum() and document.text[offset] != document.mask[offset]:
            escapes = ESCAPE.finditer(document.text, max(0, offset - 12), offset + 12)
            assert any(e.start() <= offset < e.end() for e in escapes), f"{where}: {text[offset]!r} is not prose"
    index = bisect.bisect_left(forbidden, (end,)) - 1
    if index >= 0:
        low, high, what = forbidden[index]
        assert not (low < end and start < high), f"{where} is inside a {what}"


# A probe rule that reports every word: every character a source exposes as prose is then
# checked, not only the few that the real rules happen to match.
EVERY_WORD = RuleSet([Rule(code="HL999", name="every-word", category="claim.puffery", severity=Severity.INFO,
                           message="{match}", rationale="probe", references=(),
                           patterns=(regex.compile(r"(?<![\w])[^\W\d_]{2,}(?![\w])"),))])


@pytest.mark.skipif(not FILES, reason=f"wild corpus not found at {WILD} (it lives in ../shared/wild)")
@pytest.mark.parametrize("languages,probe", [(("en",), False), (("*",), True)],
                         ids=["core-rules", "every-word-all-languages"])
def test_wild_files_lint_with_every_finding_on_prose(languages, probe):
    options = SourceOptions(languages=languages)
    linter = Linter(EVERY_WORD if probe else None, source_options=options)
    engine_codes = {rule.code for rule in ENGINE_RULES}
    findings = 0
    for path in FILES:
        result = linter.lint_file(str(path))
        assert result.error is None, f"{path.name}: {result.error}"
        text = read_file(str(path))
        document = parse(text, str(path), options=options)
        assert len(document.mask) == len(document.text)
        # text normalised for matching (issue 19: a soft hyphen...) maps back to the original
        assert document.source_map is None or document.source_map.original == text
        forbidden = forbidden_spans(path, text)
        index = LineIndex(text)  # findings point into the original text
        for diagnostic in result.diagnostics:
            assert 0 <= diagnostic.start <= diagnostic.end <= len(text), path.name
            assert index.position(diagnostic.start) == (diagnostic.line, diagnostic.column), path.name
            assert index.position(diagnostic.end) == (diagnostic.end_line, diagnostic.end_column), path.name
            if diagnostic.code in engine_codes or diagnostic.document_level:
                continue
            findings += 1
            _check_on_prose(path, text, document, diagnostic, forbidden)
    assert findings > 20  # the corpus is full of claims: an empty result means nothing was linted


@pytest.mark.skipif(not FILES, reason=f"wild corpus not found at {WILD} (it lives in ../shared/wild)")
def test_wild_corpus_notes():
    """Known facts about the corpus: its invalid front matter and its non-English pages."""
    linter = Linter()
    notes = {}
    for path in FILES:
        for diagnostic in linter.lint_file(str(path)).diagnostics:
            if diagnostic.code in ("HL001", "HL005"):
                notes.setdefault(diagnostic.code, set()).add(path.name)
    skipped = notes.get("HL005", set())
    assert any(name.endswith("soins.mdx") for name in skipped)   # French
    assert any(name.endswith("faq.mdx") for name in skipped)     # French
    assert any("tovar1" in name for name in skipped)              # Russian
    assert not any(name.endswith((".json", ".yaml", ".html")) for name in skipped)
    assert any("IsPeptideTherapyFDAApproved" in name for name in notes.get("HL001", set()))


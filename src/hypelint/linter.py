"""The linter: rules in, diagnostics out. Pure: no printing, and no I/O beyond reading files.

Rules only find spans. The linter decides identity (code, name, category), severity and
position of every finding, so a rule cannot misreport them.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

from .diagnostic import Diagnostic, Severity
from .document import Document
from .errors import HypelintError, SourceError
from .files import discover
from .rules import Rule, RuleSet, load_packs
from .sources import BinaryFileError, parse, read_file

# Seconds all patterns of one rule may spend on one document before the rule is reported as
# catastrophic (the `regex` module enforces it).
PATTERN_TIMEOUT = 2.0


class RuleTimeout(HypelintError):
    """A rule's pattern took too long on a document: a catastrophic regex, reported not hung on."""


@dataclass
class FileResult:
    """What linting one file produced: diagnostics, or an error, or a skip note."""

    path: str
    diagnostics: List[Diagnostic] = field(default_factory=list)
    error: Optional[HypelintError] = None
    skipped: Optional[str] = None


@dataclass(frozen=True)
class Match:
    """A span found by a rule, before the linter turns it into a Diagnostic."""

    start: int
    end: int


class Linter:
    """Built once from rules (compiled once), then reused for any number of documents."""

    def __init__(self, rules: Optional[RuleSet] = None, *, packs: Optional[Sequence[str]] = None,
                 select: Optional[Sequence[str]] = None, ignore: Sequence[str] = (),
                 severity_overrides: Optional[dict] = None):
        ruleset = rules if rules is not None else load_packs(packs)
        self.all_rules = ruleset
        self.rules = ruleset.select(select, ignore)
        self.severity_overrides = dict(severity_overrides or {})
        self._prefilter = None  # (rule set, Prefilter), built on first use: see candidate_rules()

    # -- public entry points -----------------------------------------------------------------
    def lint_text(self, text: str, *, path: Optional[str] = None, format: Optional[str] = None) -> List[Diagnostic]:
        document = parse(text, path or "<text>", format)
        return self.lint_document(document)

    def lint_file(self, path: str, format: Optional[str] = None) -> FileResult:
        try:
            text = read_file(path)
            return FileResult(path, self.lint_document(parse(text, path, format)))
        except BinaryFileError:
            return FileResult(path, skipped="binary file")
        except HypelintError as error:
            return FileResult(path, error=error)

    def lint_paths(self, paths: Iterable[str], exclude: Sequence[str] = ()) -> Iterator[FileResult]:
        for path in discover(paths, exclude):
            yield self.lint_file(path)

    # -- the pipeline ------------------------------------------------------------------------
    # Skip rules that cannot match (hypelint.prefilter); False runs every rule, same results.
    use_prefilter = True

    def candidate_rules(self, document: Document) -> Sequence[Rule]:
        """The selected rules that can match this document, in order (see hypelint.prefilter)."""
        if not self.use_prefilter:
            return self.rules.rules
        if self._prefilter is None or self._prefilter[0] is not self.rules:
            from .prefilter import Prefilter

            self._prefilter = (self.rules, Prefilter(self.rules))
        return self._prefilter[1].candidates(document.mask)

    def lint_document(self, document: Document) -> List[Diagnostic]:
        diagnostics: List[Diagnostic] = []
        for rule in self.candidate_rules(document):
            if rule.scope == "document":
                diagnostic = self._check_document_rule(rule, document)
                if diagnostic:
                    diagnostics.append(diagnostic)
            else:
                for match in self.find(rule, document):
                    diagnostics.append(self._diagnostic(rule, document, match.start, match.end))
        return sorted(diagnostics)

    def find(self, rule: Rule, document: Document) -> List[Match]:
        """Spans where the rule's patterns match prose, minus exceptions; overlaps merged."""
        spans = self._search(rule, rule.patterns, document)
        if not spans:
            return []
        spans = [s for s in spans if not self._excepted(rule, document, *s)]
        merged: List[Tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return [Match(start, end) for start, end in merged]

    def _search(self, rule: Rule, patterns, document: Document, start: int = 0, end: Optional[int] = None):
        mask = document.mask
        end = len(mask) if end is None else end
        deadline = time.monotonic() + PATTERN_TIMEOUT
        spans = []
        for pattern in patterns:
            try:
                for match in pattern.finditer(mask, start, end, timeout=max(deadline - time.monotonic(), 0.001)):
                    if match.end() > match.start() and "\x00" not in mask[match.start():match.end()]:
                        spans.append((match.start(), match.end()))
            except TimeoutError:
                raise RuleTimeout(f"rule {rule.code} ({rule.name}): pattern {pattern.pattern[:60]!r} "
                                  f"timed out after {PATTERN_TIMEOUT:g}s; the regex is catastrophic",
                                  document.path) from None
        return spans

    def _excepted(self, rule: Rule, document: Document, start: int, end: int) -> bool:
        if not rule.exceptions:
            return False
        sentence_start, sentence_end = document.sentence_at(start)
        sentence_end = max(sentence_end, end)
        for low, high in self._search(rule, rule.exceptions, document, sentence_start, sentence_end):
            if low < end and high > start:
                return True
        return False

    def _check_document_rule(self, rule: Rule, document: Document) -> Optional[Diagnostic]:
        triggers = self.find(rule, document)
        if not triggers:
            return None
        if self._search(rule, rule.requires, document):
            return None
        start = document.prose_start
        line_end = document.text.find("\n", start)
        end = len(document.text) if line_end < 0 else line_end
        end = max(start, len(document.text[start:end].rstrip()) + start)
        first = triggers[0]
        diagnostic = self._diagnostic(rule, document, start, end, matched=document.text[first.start:first.end])
        return diagnostic

    def _diagnostic(self, rule: Rule, document: Document, start: int, end: int,
                    matched: Optional[str] = None) -> Diagnostic:
        line, column = document.line_index.position(start)
        end_line, end_column = document.line_index.position(end)
        matched = document.text[start:end] if matched is None else matched
        return Diagnostic(
            path=document.path, line=line, column=column, end_line=end_line, end_column=end_column,
            code=rule.code, name=rule.name, category=rule.category,
            severity=self.severity_for(rule), message=rule.format_message(matched),
            suggestions=rule.suggestions, references=rule.reference_urls,
            start=start, end=end, matched=matched, document_level=rule.scope == "document",
        )

    def severity_for(self, rule: Rule) -> Severity:
        for key in (rule.code, rule.name):
            if key in self.severity_overrides:
                return self.severity_overrides[key]
        # the most specific category prefix wins
        best = None
        for key, severity in self.severity_overrides.items():
            if rule.category == key or rule.category.startswith(key + "."):
                if best is None or len(key) > len(best[0]):
                    best = (key, severity)
        return best[1] if best else rule.severity

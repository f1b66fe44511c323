"""Findings of hypelint itself rather than of a copy rule: HL001–HL007.

They are Rule objects without patterns so that `--select`/`--ignore`, `severity` overrides and
suppression selectors treat them exactly like rules (by code, name or category prefix). Their
categories live under `hypelint.` and are deliberately outside the rule category vocabulary
(`hypelint rules --categories`), so a consumer of the JSON output can tell them apart.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, List

from .diagnostic import Diagnostic, Severity
from .document import Document
from .rules import Rule, RuleSet

if TYPE_CHECKING:  # pragma: no cover
    from .linter import Linter


def _rule(code: str, name: str, category: str, severity: Severity, description: str) -> Rule:
    return Rule(code=code, name=name, category=category, severity=severity, message="{match}",
                rationale=description, references=(), patterns=(), pack="hypelint",
                description=description)


INVALID_SYNTAX = "HL001"
BLANKET_SUPPRESSION = "HL002"
UNUSED_SUPPRESSION = "HL003"
SUPPRESSION_WITHOUT_REASON = "HL004"
LANGUAGE_SKIPPED = "HL005"
INVALID_DIRECTIVE = "HL006"
NOT_LINTED = "HL007"

ENGINE_RULES = RuleSet([
    _rule(INVALID_SYNTAX, "invalid-syntax", "hypelint.syntax", Severity.WARNING,
          "Front matter, or a JSON or YAML file, could not be parsed; the rest is still linted."),
    _rule(BLANKET_SUPPRESSION, "blanket-suppression", "hypelint.suppression", Severity.INFO,
          "A suppression directive without a rule list suppresses every rule."),
    _rule(UNUSED_SUPPRESSION, "unused-suppression", "hypelint.suppression", Severity.WARNING,
          "A suppression directive (or one of its rules) suppressed nothing, or names an unknown rule."),
    _rule(SUPPRESSION_WITHOUT_REASON, "suppression-without-reason", "hypelint.suppression", Severity.WARNING,
          "A suppression directive has no `-- reason` while reasons are required."),
    _rule(LANGUAGE_SKIPPED, "language-skipped", "hypelint.language", Severity.INFO,
          "The file is not in a language listed in `languages`, so it was not linted."),
    _rule(INVALID_DIRECTIVE, "invalid-directive", "hypelint.suppression", Severity.WARNING,
          "A comment starts like a hypelint directive but is not one (a typo?)."),
    _rule(NOT_LINTED, "not-linted", "hypelint.not-linted", Severity.ERROR,
          "The file could not be fully linted (a rule timed out, or it could not be read or decoded, or "
          "it is too large), so copy in it may hold claims nobody saw. Always reported and always exit "
          "code 2: select, ignore, severity, suppressions and baselines do not apply to it."),
])


def engine_diagnostic(linter: "Linter", document: Document, code: str, message: str,
                      start: int, end: int, severity: Severity = None) -> Diagnostic:
    """A Diagnostic for an engine finding, with the linter's severity overrides applied."""
    rule = ENGINE_RULES.get(code)
    index = document.line_index
    line, column = index.position(start)
    end_line, end_column = index.position(end)
    configured = linter.severity_for(rule)
    if severity is None or configured != rule.severity:  # a configured severity wins
        severity = configured
    return Diagnostic(
        path=document.path, line=line, column=column, end_line=end_line, end_column=end_column,
        code=rule.code, name=rule.name, category=rule.category, severity=severity, message=message,
        start=start, end=end, matched=document.text[start:end],
    )


def enabled(linter: "Linter", code: str) -> bool:
    """Whether --select/--ignore (or the config's select/ignore) let this engine code through."""
    return any(rule.code == code for rule in getattr(linter, "engine_rules", ENGINE_RULES))


def note_diagnostics(linter: "Linter", document: Document) -> List[Diagnostic]:
    """The source's notes about the file (invalid front matter, a skipped language...)."""
    diagnostics = []
    for note in document.notes:
        if ENGINE_RULES.get(note.code) is None or not enabled(linter, note.code):
            continue
        start = min(note.offset, len(document.text))
        if note.end is not None:
            end = min(max(note.end, start), len(document.text))
        else:
            line_end = document.text.find("\n", start)
            end = len(document.text) if line_end < 0 else line_end
            end = start + len(document.text[start:end].rstrip())
        diagnostics.append(engine_diagnostic(linter, document, note.code, note.message, start, end,
                                             Severity.parse(note.severity)))
    return diagnostics


def not_linted_diagnostic(path: str, error: Exception) -> Diagnostic:
    """The HL007 finding for a file that could not be fully linted (FileResult.error): at the
    error's line and column when it is about this file, else at its start; the message says why
    and where (a rule timeout names the pack's file and line). A gate must never pass such a
    file, so this finding ignores select/ignore, severity overrides and baselines (the CLI adds
    it after them) and makes the exit code 2."""
    rule = ENGINE_RULES.get(NOT_LINTED)
    message = getattr(error, "message", None) or str(error)
    error_path = getattr(error, "path", None)
    line = column = 1
    if error_path and str(error_path) != str(path):
        message = f"{error}"  # e.g. a rule's pack file and line
    elif getattr(error, "line", None):
        line = error.line
        column = getattr(error, "column", None) or 1
    return Diagnostic(
        path=path, line=line, column=column, end_line=line, end_column=column,
        code=rule.code, name=rule.name, category=rule.category, severity=Severity.ERROR,
        message=f"not linted: {message}; " + ("the other rules were checked" if type(error).__name__ == "RuleTimeout"
                                              else "nothing in this file was checked"),
    )

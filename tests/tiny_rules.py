"""A tiny ruleset written for the source and directive tests, independent of rulesets/*.yaml
(whose accuracy work changes what they flag): three literal-word rules with stable codes."""
from __future__ import annotations

import regex

from hypelint.diagnostic import Severity
from hypelint.linter import Linter
from hypelint.rules import Rule, RuleSet


def _rule(code, name, category, words):
    pattern = regex.compile(r"(?<![\w])(?:" + words + r")(?![\w])", regex.IGNORECASE)
    return Rule(code=code, name=name, category=category, severity=Severity.ERROR, message='"{match}"',
                rationale="test rule", references=(), patterns=(pattern,), pack="tiny")


RULES = RuleSet([
    _rule("HL701", "cure-word", "claim.cure", r"cures?"),
    _rule("HL702", "guarantee-word", "claim.absolute", r"guaranteed"),
    _rule("HL703", "safety-phrase", "claim.safety", r"no\s+side\s+effects"),
])


def linter(**options) -> Linter:
    return Linter(RULES, **options)


def found(text, format=None, path=None, **options):
    """(line, column, end_line, end_column, code) of every diagnostic, sorted."""
    diagnostics = linter(**options).lint_text(text, format=format, path=path)
    return [(d.line, d.column, d.end_line, d.end_column, d.code) for d in diagnostics]

"""`hypelint test`: run every rule's embedded examples, as LanguageTool runs its rule tests.

A bad example must produce exactly the spans marked with `[[...]]` (a document rule: exactly one
document-level finding); a good example must produce nothing. Each failure names the pack's
file and the example's line. Pure: returns results, prints nothing (cli.py does).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence

from .errors import HypelintError
from .rules import Rule, RuleSet


@dataclass(frozen=True)
class ExampleFailure:
    file: str
    line: int
    code: str
    name: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code} ({self.name}): {self.problem}"


@dataclass
class PackTestResult:
    rules: int = 0
    examples: int = 0
    failures: List[ExampleFailure] = None  # type: ignore[assignment]

    def __post_init__(self):
        if self.failures is None:
            self.failures = []


def _marked(text: str, spans: Sequence) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + "[[" + text[start:end] + "]]" + text[end:]
    return " ".join(text.split())


def source_file(rule: Rule) -> str:
    return (rule.source or "").rsplit(":", 1)[0]


def _line(rule: Rule, kind: str, index: int) -> int:
    lines = (rule.options or {}).get("example_lines", {}).get(kind) or []
    if index < len(lines) and lines[index]:
        return lines[index]
    try:
        return int((rule.source or "").rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return 0


def run_examples(all_rules: RuleSet, tested: Iterable[Rule]) -> PackTestResult:
    """Run the examples of the `tested` rules, each with every rule of `all_rules` loaded (so a
    `triggered-by` disclosure finds the rules that trigger it) and only itself selected."""
    from .linter import Linter

    result = PackTestResult()
    for rule in tested:
        result.rules += 1
        linter = Linter(all_rules, select=[rule.code])
        file = source_file(rule)

        def fail(kind: str, index: int, problem: str) -> None:
            result.failures.append(ExampleFailure(file, _line(rule, kind, index), rule.code, rule.name, problem))

        def found(text: str, kind: str, index: int) -> Optional[list]:
            try:
                return [d for d in linter.lint_text(text, format="markdown") if d.code == rule.code]
            except HypelintError as error:
                fail(kind, index, f"{kind} example could not be linted: {error.message}")
                return None

        for index, example in enumerate(rule.bad_examples):
            result.examples += 1
            diagnostics = found(example.text, "bad", index)
            if diagnostics is None:
                continue
            if rule.scope == "document":
                if len([d for d in diagnostics if d.document_level]) != 1:
                    fail("bad", index, f"bad example should produce one document finding, got {len(diagnostics)}: "
                                       f"{' '.join(example.text.split())!r}")
                continue
            got = [(d.start, d.end) for d in diagnostics]
            if got != list(example.spans):
                fail("bad", index, f"bad example: expected {_marked(example.text, example.spans)!r}, "
                                   f"got {_marked(example.text, got) if got else 'no finding'!r}")
        for index, example in enumerate(rule.good_examples):
            result.examples += 1
            diagnostics = found(example.text, "good", index)
            if diagnostics:
                spans = [(d.start, d.end) for d in diagnostics if not d.document_level]
                shown = _marked(example.text, spans) if spans else " ".join(example.text.split())
                fail("good", index, f"good example should produce nothing, got {len(diagnostics)}: {shown!r}")
    return result

"""Suppression directives in comments: the stage after the linter and before the reporters.

    hypelint-disable-next-line [SELECTOR ...] [-- reason]   the line after the comment
    hypelint-disable-line [SELECTOR ...] [-- reason]        the line(s) the comment is on
    hypelint-disable [SELECTOR ...] [-- reason]             from here ...
    hypelint-enable [SELECTOR ...]                          ... to here (or the end of the file)
    hypelint-disable-file [SELECTOR ...] [-- reason]        the whole file

Selectors are those of `--select` (codes, code prefixes, names, category prefixes), separated
by spaces or commas. Sources collect the comments (`<!-- -->` in Markdown and HTML, `#` in YAML
and TOML front matter, `{/* */}` in MDX, own-line directives in plain text); this module reads
them, drops the findings they cover and reports on the directives themselves: blanket
suppressions (HL002), unused ones and unknown rules (HL003, like ruff's RUF100), missing
reasons when they are required (HL004), and comments that look like a directive but are not
one (HL006). Findings about directives cannot themselves be suppressed by a directive.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, List, Optional, Set

import regex
from . import regexcache

from . import engine
from .diagnostic import Diagnostic
from .document import Comment, Document
from .engine import ENGINE_RULES

if TYPE_CHECKING:  # pragma: no cover
    from .linter import Linter

KINDS = ("disable-next-line", "disable-line", "disable-file", "disable", "enable")
_DIRECTIVE = regexcache.compile(r"\s*hypelint-(?P<kind>[\w-]*)(?P<rest>.*?)\s*", regex.DOTALL)
_REASON = regexcache.compile(r"(?:^|\s)--(?:\s|$)")
_SEPARATOR = regexcache.compile(r"[\s,]+")


@dataclass
class Directive:
    """A suppression comment: disable, disable-next-line, enable... and the rules it names."""

    kind: str
    selectors: List[str]          # empty: every rule
    reason: Optional[str]
    comment: Comment
    used: Set[str] = field(default_factory=set)  # selectors that suppressed a finding ("*": blanket)

    @property
    def blanket(self) -> bool:
        return not self.selectors or any(s.upper() == "ALL" for s in self.selectors)


@dataclass
class _Range:
    """An open or closed hypelint-disable region in offsets."""

    directive: Directive
    start: int
    end: Optional[int] = None
    selectors: Optional[List[str]] = None  # None: every rule
    excepted: Set[str] = field(default_factory=set)


def parse_directive(comment: Comment):
    """A Directive, an error message (str) for a malformed one, or None for an ordinary comment."""
    match = _DIRECTIVE.fullmatch(comment.body.strip().rstrip("-").rstrip())
    if not match:
        return None
    kind, rest = match.group("kind"), match.group("rest")
    if kind not in KINDS or (rest and not rest[0].isspace()):
        word = "hypelint-" + kind + (rest.split()[0] if rest and not rest[0].isspace() else "")
        return f"{word!r} is not a directive (expected hypelint-{', hypelint-'.join(KINDS)})"
    reason = None
    split = _REASON.search(rest)
    if split:
        reason = rest[split.end():].strip() or None
        rest = rest[:split.start()]
    selectors = [s for s in _SEPARATOR.split(rest.strip()) if s]
    return Directive(kind, selectors, reason, comment)


def apply(linter: "Linter", document: Document, diagnostics: Iterable[Diagnostic]) -> List[Diagnostic]:
    """Drop the findings that directives suppress; add findings about the directives. Sorted."""
    diagnostics = list(diagnostics)
    if not document.comments:
        return sorted(diagnostics)
    return _Suppressor(linter, document).run(diagnostics)


class _Suppressor:
    def __init__(self, linter: "Linter", document: Document):
        self.linter = linter
        self.document = document
        self.reports: List[Diagnostic] = []
        self.directives: List[Directive] = []
        self.ranges: List[_Range] = []
        for comment in document.comments:
            parsed = parse_directive(comment)
            if isinstance(parsed, str):
                self.report(engine.INVALID_DIRECTIVE, parsed, comment)
            elif parsed is not None:
                self.directives.append(parsed)
        self.build_ranges()

    # -- scopes --------------------------------------------------------------------------
    def build_ranges(self) -> None:
        open_ranges: List[_Range] = []
        for directive in self.directives:
            comment = directive.comment
            if directive.kind == "disable":
                open_ranges.append(_Range(directive, comment.end,
                                          selectors=None if directive.blanket else list(directive.selectors)))
            elif directive.kind == "enable":
                open_ranges = self.enable(directive, open_ranges)
        self.ranges.extend(open_ranges)  # unclosed: to the end of the file

    def enable(self, directive: Directive, open_ranges: List[_Range]) -> List[_Range]:
        comment = directive.comment
        if not directive.selectors:
            if not open_ranges:
                self.report(engine.UNUSED_SUPPRESSION, "hypelint-enable without a hypelint-disable before it", comment)
            for region in open_ranges:
                region.end = comment.start
                self.ranges.append(region)
            return []
        for selector in directive.selectors:
            key = selector.lower()
            matched = False
            still_open = []
            for region in open_ranges:
                if region.selectors is None:
                    matched = True
                    region.end = comment.start
                    self.ranges.append(region)
                    still_open.append(_Range(region.directive, comment.end, selectors=None,
                                             excepted=region.excepted | {key}))
                elif key in (s.lower() for s in region.selectors):
                    matched = True
                    region.end = comment.start
                    self.ranges.append(region)
                    remaining = [s for s in region.selectors if s.lower() != key]
                    if remaining:
                        still_open.append(_Range(region.directive, comment.end, selectors=remaining,
                                                 excepted=region.excepted))
                else:
                    still_open.append(region)
            open_ranges = still_open
            if not matched:
                self.report(engine.UNUSED_SUPPRESSION,
                            f"hypelint-enable {selector}: no hypelint-disable of {selector} is open here", comment)
        return open_ranges

    # -- suppression ---------------------------------------------------------------------
    def run(self, diagnostics: List[Diagnostic]) -> List[Diagnostic]:
        kept = [d for d in diagnostics if not self.suppressed(d)]
        self.report_directives()
        return sorted(kept + self.reports)

    def suppressed(self, diagnostic: Diagnostic) -> bool:
        rule = self.linter.all_rules.get(diagnostic.code) or ENGINE_RULES.get(diagnostic.code)
        hit = False
        index = self.document.line_index
        for directive in self.directives:
            kind = directive.kind
            if kind == "disable-file":
                covers = True
            elif kind == "disable-next-line":
                covers = diagnostic.line == index.position(directive.comment.end)[0] + 1
            elif kind == "disable-line":
                covers = index.position(directive.comment.start)[0] <= diagnostic.line \
                    <= index.position(directive.comment.end)[0]
            else:
                continue
            if covers:
                hit |= self.match(directive, directive.selectors if not directive.blanket else None, set(), rule)
        for region in self.ranges:
            end = len(self.document.text) if region.end is None else region.end
            if region.start <= diagnostic.start < end:
                hit |= self.match(region.directive, region.selectors, region.excepted, rule)
        return hit

    @staticmethod
    def match(directive: Directive, selectors, excepted, rule) -> bool:
        if rule is None:
            return False
        if any(rule.matches_selector(s) for s in excepted):
            return False
        if selectors is None:
            directive.used.add("*")
            return True
        matched = [s for s in selectors if rule.matches_selector(s)]
        directive.used.update(s.lower() for s in matched)
        return bool(matched)

    # -- findings about directives -------------------------------------------------------
    def report_directives(self) -> None:
        linter = self.linter
        all_active = len(linter.rules) == len(linter.all_rules)
        for directive in self.directives:
            if directive.kind == "enable":
                continue
            name = f"hypelint-{directive.kind}"
            if directive.blanket:
                self.report(engine.BLANKET_SUPPRESSION,
                            f"{name} without a rule list suppresses every rule; name the rules "
                            f"(e.g. `{name} HL101`)", directive.comment)
                if "*" not in directive.used and all_active:
                    self.report(engine.UNUSED_SUPPRESSION, f"unused suppression: {name} suppressed nothing",
                                directive.comment)
            else:
                unknown = [s for s in directive.selectors if not self.known(s)]
                for selector in unknown:
                    self.report(engine.UNUSED_SUPPRESSION, f"{name}: unknown rule or category {selector!r} "
                                f"(see `hypelint rules`)", directive.comment)
                unused = [s for s in directive.selectors
                          if s not in unknown and s.lower() not in directive.used and self.judgeable(s)]
                if unused:
                    self.report(engine.UNUSED_SUPPRESSION,
                                f"unused suppression: no {', '.join(unused)} finding for {name} to suppress",
                                directive.comment)
            if getattr(linter, "require_suppression_reason", False) and not directive.reason:
                self.report(engine.SUPPRESSION_WITHOUT_REASON,
                            f"{name} needs a reason: add `-- why this copy is acceptable`", directive.comment)

    def known(self, selector: str) -> bool:
        return any(r.matches_selector(selector) for r in self.linter.all_rules) or \
            any(r.matches_selector(selector) for r in ENGINE_RULES)

    def judgeable(self, selector: str) -> bool:
        """A selector can be called unused only if every rule it names actually ran."""
        engine_rules = getattr(self.linter, "engine_rules", ENGINE_RULES)
        active = {r.code for r in self.linter.rules} | {r.code for r in engine_rules}
        named = [r.code for r in self.linter.all_rules if r.matches_selector(selector)]
        named += [r.code for r in ENGINE_RULES if r.matches_selector(selector)]
        return all(code in active for code in named)

    def report(self, code: str, message: str, comment: Comment) -> None:
        if engine.enabled(self.linter, code):
            end = comment.end
            self.reports.append(engine.engine_diagnostic(self.linter, self.document, code, message,
                                                         comment.start, end))

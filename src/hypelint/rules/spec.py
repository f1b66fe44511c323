"""Rule and RuleSet: the compiled, validated form of a YAML rule.

A rule only says *what* to look for (patterns, exceptions) and how to describe it; the linter
decides identity, severity and position of every finding.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Sequence, Tuple

import regex

from ..diagnostic import Severity

if TYPE_CHECKING:  # pragma: no cover
    from .frames import Frame
    from .lexicon import LexiconSet

# The fixed category vocabulary; JSON output uses exactly these strings.
CATEGORIES: Dict[str, str] = {
    "claim.cure": "claims to cure, treat, reverse or prevent a disease or condition",
    "claim.serious-disease": "claims about serious or restricted diseases (cancer, diabetes, autism, ...)",
    "claim.absolute": "guarantees and absolute promises (guaranteed, 100% effective, unlimited)",
    "claim.puffery": "miracle and breakthrough hype",
    "claim.superlative": "superlatives about efficacy (best, most effective, #1)",
    "claim.safety": "safety minimisation (no side effects, completely safe, risk-free)",
    "claim.establishment": "proof claims (clinically proven, scientifically proven)",
    "claim.regulatory-status": "misused regulatory status (FDA-approved clinic, FDA registered)",
    "claim.substitution": "claims to replace or beat a medicine, surgery or other treatment",
    "evidence.unsourced-study": "references to studies or research without a citation",
    "evidence.unsourced-statistic": "efficacy numbers without a source",
    "endorsement.testimonial": "patient or customer testimonials and before/after claims",
    "endorsement.expert": "doctor, expert or institutional endorsements",
    "pressure.urgency": "urgency, scarcity and fear appeals",
    "disclosure.regulatory-status": "missing disclosure that a therapy is not approved",
    "disclosure.typical-results": "missing disclosure of generally expected results",
    "disclosure.supplement": "missing dietary supplement disclaimer (21 CFR 101.93(c))",
    "disclosure.mandatory-statement": "missing mandatory statement (e.g. TGA, EU health claims)",
    "disclosure.medical-advice": "missing not-medical-advice statement",
}

WORD_START = r"(?<![\w])"
WORD_END = r"(?![\w])"


@dataclass(frozen=True)
class Reference:
    """A regulatory source a rule cites: its title and address."""

    title: str
    url: str


@dataclass(frozen=True)
class Example:
    """A good or bad example embedded in a rule; the test suite runs every one."""

    text: str          # the example with [[...]] markers removed
    spans: Tuple[Tuple[int, int], ...]  # expected (start, end) offsets for bad examples


@dataclass
class Rule:
    """One rule as loaded from a pack: what to match, in what context, and what to say."""

    code: str
    name: str
    category: str
    severity: Severity
    message: str
    rationale: str
    references: Tuple[Reference, ...]
    patterns: Tuple[regex.Pattern, ...]
    exceptions: Tuple[regex.Pattern, ...] = ()
    suggestions: Tuple[str, ...] = ()
    replacement: Tuple[str, ...] = ()       # vetted neutral rewrites a quick fix may insert
    bad_examples: Tuple[Example, ...] = ()
    good_examples: Tuple[Example, ...] = ()
    scope: str = "span"                    # "span" or "document"
    requires: Tuple[regex.Pattern, ...] = ()  # document rules: statements that satisfy the rule
    pack: str = ""
    source: str = ""                       # "file:line" where the rule is defined
    description: str = ""                  # what it flags, for `hypelint rule`
    # context features (see context.py): all default to the safe choice for claim rules
    negation: bool = True                  # a negated clause before the match clears it
    attribution: bool = True               # reported regulator speech / caution frames clear it
    citation: bool = False                 # a nearby citation satisfies the rule (evidence rules)
    sentence_has: Tuple[regex.Pattern, ...] = ()  # one must also match in the sentence (or lead-in)
    document_has: Tuple[regex.Pattern, ...] = ()  # one must also match somewhere in the document
    triggered_by: Tuple[str, ...] = ()     # document rules: other rules' findings that trigger it
    before: Tuple[regex.Pattern, ...] = ()  # one must match in the words before (or the lead-in) ...
    after: Tuple[regex.Pattern, ...] = ()   # ... or one in the words after the match
    window_words: int = 12                 # how many words `before`/`after` look at
    frames: Tuple["Frame", ...] = ()       # frame rules: slot sequences over lexicons (rules/frames.py)
    lexicons: Optional["LexiconSet"] = field(default=None, repr=False, compare=False)
    # loader notes for messages and `hypelint test`: pattern_origins (compiled source -> the
    # pattern as written and its "file:line"), example_lines ({"bad": [...], "good": [...]})
    options: Dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def reference_urls(self) -> Tuple[str, ...]:
        return tuple(reference.url for reference in self.references)

    def format_message(self, matched: str, parts: str = "") -> str:
        """The message with `{match}` (the matched words) and `{parts}` (a frame match's
        lexicon words, "effect 'cures' + condition 'gout'") filled in."""
        message = self.message.replace("{match}", " ".join(matched.split()))
        return message.replace("{parts}", parts or "the matched words")

    def matches_selector(self, selector: str) -> bool:
        """Codes and names match exactly; categories match by dotted prefix (`claim`, `claim.cure`)."""
        selector = selector.strip()
        if selector.upper() == self.code.upper() or selector.lower() == self.name:
            return True
        if selector.upper() == "ALL":
            return True
        lowered = selector.lower()
        if self.category == lowered or self.category.startswith(lowered + "."):
            return True
        # code prefixes, ruff-style: HL1 selects HL101..HL199
        return selector.upper().startswith("HL") and self.code.upper().startswith(selector.upper())


class RuleSet:
    """An ordered, indexed collection of rules with unique codes and names."""

    def __init__(self, rules: Iterable[Rule] = ()):
        self.rules: List[Rule] = list(rules)
        self._by_key: Dict[str, Rule] = {}
        for rule in self.rules:
            self._by_key[rule.code.upper()] = rule
            self._by_key[rule.name.lower()] = rule

    def __iter__(self):
        return iter(self.rules)

    def __len__(self):
        return len(self.rules)

    def get(self, key: str) -> Optional[Rule]:
        return self._by_key.get(key.upper()) or self._by_key.get(key.lower())

    def select(self, select: Optional[Sequence[str]] = None, ignore: Sequence[str] = ()) -> "RuleSet":
        chosen = [r for r in self.rules if not select or any(r.matches_selector(s) for s in select)]
        chosen = [r for r in chosen if not any(r.matches_selector(s) for s in ignore)]
        return RuleSet(chosen)

    def unknown_selectors(self, selectors: Sequence[str]) -> List[str]:
        return [s for s in selectors if not any(r.matches_selector(s) for r in self.rules)]

"""Suggestions that fit the finding: a rule's advice with `{match}` filled in, without the
rewrites written for another subject.

A suggestion such as '"may improve the look of thinning hair" instead of "cures baldness"' is
advice for that subject only: offered for an arthritis claim it suggests hair-loss copy (issue
18). It is kept when the subject of the quoted wording (its words after the first) occurs in the
sentence of the match; advice without an `instead of "..."` always stays. `{match}` becomes the matched text, so a disclosure rule's
suggestion names what triggered it ("IV drips", not always "stem cells").
"""
from __future__ import annotations

import re
from typing import Sequence, Tuple

_QUOTE = "\"\u201c\u201d"
_INSTEAD_OF = re.compile(rf"\binstead\s+of\s+[{_QUOTE}]([^{_QUOTE}\n]+)[{_QUOTE}]", re.IGNORECASE)


_WORD = re.compile(r"[^\W\d_]{3,}")


def _stems(text: str) -> list:
    """Words of three letters or more, cut to five letters: "baldness" and "bald" differ,
    "effects"/"effect" and "reverses"/"reverse" do not."""
    return [word.casefold()[:5] for word in _WORD.findall(text)]


def _fits(wording: str, context: set) -> bool:
    """Whether the wording a rewrite replaces is about this match: one of its words after the
    first (the subject: "hair loss" in "reverses hair loss", "baldness" in "cures baldness")
    occurs in the sentence."""
    stems = _stems(wording)
    subject = stems[1:] or stems
    return any(stem in context for stem in subject)


def needs_fitting(suggestions: Sequence[str]) -> bool:
    """Whether any suggestion has `{match}` or a rewrite `instead of "..."` (most have neither)."""
    return any("{match}" in s or "instead" in s.lower() for s in suggestions)


def fitting_suggestions(suggestions: Sequence[str], matched: str, sentence: str) -> Tuple[str, ...]:
    """The suggestions for a finding whose match is `matched`, in the sentence `sentence`."""
    if not suggestions:
        return ()
    if not needs_fitting(suggestions):
        return tuple(suggestions)
    context = None
    fitting = []
    for suggestion in suggestions:
        if "{match}" in suggestion:
            suggestion = suggestion.replace("{match}", " ".join(matched.split()))
        wordings = _INSTEAD_OF.findall(suggestion)
        if wordings:
            if context is None:
                context = set(_stems(sentence + " " + matched))
            if not any(_fits(wording, context) for wording in wordings):
                continue  # a rewrite for another subject
        fitting.append(suggestion)
    return tuple(fitting)

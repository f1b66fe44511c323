"""Template syntax that is never prose, in any format: Liquid/Jinja/Nunjucks tags and output,
Hugo shortcodes, Vue/Handlebars interpolation, ERB/EJS tags and kramdown attribute lists.

`find_template_spans` finds them once per file; `DocumentBuilder.build` blanks them in the
mask, so no source has to remember to. `neutralise` gives sources a same-length copy of the text
in which each tag is inert filler, so a tag containing quotes, spaces or `>` cannot break the
surrounding HTML attribute, Markdown link destination or YAML scalar.
"""
from __future__ import annotations

from typing import List, Tuple

import regex
from .. import regexcache

# A character no format treats as syntax, whitespace or punctuation (Unicode private use).
FILLER = "\ue000"

# Paired tags whose whole body is code or a comment, not copy.
_OPAQUE_BLOCK = regexcache.compile(
    r"\{%-?\s*(?P<name>comment|highlight|raw)\b.*?%\}.*?\{%-?\s*end(?P=name)\s*-?%\}"
    r"|\{\{<\s*(?P<short>highlight|code)\b.*?>\}\}.*?\{\{<\s*/(?P=short)\s*>\}\}",
    regex.DOTALL | regex.IGNORECASE,
)
# Single tags. A tag may span lines, but not a blank line or a code fence: an unclosed `{{` in
# a code sample must not swallow the fence that ends it.
_STOP = r"\n[ \t]*(?:`{3}|~{3}|\r?\n)"


def _tag(opening: str, closing: str) -> str:
    """A tag from `opening` to the nearest `closing`, not crossing another opening or a stop."""
    return opening + "(?:(?!" + opening + "|" + _STOP + ").){0,2000}?" + closing


_TAG = regexcache.compile(
    "|".join([
        _tag(r"\{\{<", r">\}\}"),       # Hugo shortcodes
        _tag(r"\{\{%", r"%\}\}"),
        _tag(r"\{%", r"%\}"),          # Liquid / Jinja statements
        _tag(r"\{\{", r"\}\}"),        # {{ output }}, Vue, Handlebars
        _tag(r"\{#", r"#\}"),          # Jinja comments
        _tag("<%", "%>"),              # ERB / EJS
        r"\{(?::[^{}\n]{0,500}|[#.][^{}\s][^{}\n]{0,500})\}",  # attribute lists: {: .class}, {#id}
    ]),
    regex.DOTALL,
)


def find_template_spans(text: str) -> List[Tuple[int, int]]:
    """Sorted, non-overlapping (start, end) offsets of template syntax in `text`."""
    if "{" not in text and "<%" not in text:
        return []
    spans = [(m.start(), m.end()) for m in _OPAQUE_BLOCK.finditer(text)]
    covered = _Covered(spans)
    for match in _TAG.finditer(text):
        if not covered.contains(match.start()):
            spans.append((match.start(), match.end()))
    return sorted(spans)


def neutralise(text: str, spans: List[Tuple[int, int]]) -> str:
    """`text` with every span replaced by FILLER characters, keeping line breaks."""
    if not spans:
        return text
    parts = []
    cursor = 0
    for start, end in spans:
        parts.append(text[cursor:start])
        parts.append("".join(char if char in "\r\n" else FILLER for char in text[start:end]))
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


class _Covered:
    def __init__(self, spans):
        self.spans = spans

    def contains(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.spans)

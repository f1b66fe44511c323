"""Plain text: paragraphs are blank-line separated; list-like lines are list items.

Copy pasted from a CMS often has one paragraph per line and no blank lines; a run of lines
that is not hard-wrapped (some line longer than a typical wrap width) is split line by line.
A line holding only a suppression directive (`hypelint-disable-next-line HL101`, optionally
written as a `#`, `//` or `<!-- -->` comment) is a comment, not prose, and ends a paragraph.
"""
from __future__ import annotations

import regex
from .. import regexcache

from ..document import DocumentBuilder

_LIST_ITEM = regexcache.compile(r"[ \t]*(?:[-*+•‣◦▪]|\d{1,3}[.)])[ \t]+")
_DIRECTIVE_LINE = regexcache.compile(r"[ \t]*(?:#+|//|<!--)?[ \t]*(?P<body>hypelint-[a-z-]+\b.*?)[ \t]*(?:-->)?[ \t]*")
_WRAP_WIDTH = 100


def parse(builder: DocumentBuilder) -> None:
    text = builder.text
    lines = []  # (start, end) of each line's content, without the line ending
    offset = 0
    for raw in text.split("\n"):
        lines.append((offset, offset + len(raw.rstrip("\r"))))
        offset += len(raw) + 1
    chunk = []
    for start, end in lines + [(len(text), len(text))]:
        directive = _DIRECTIVE_LINE.fullmatch(text, start, end)
        if directive:
            builder.add_comment(start, end, directive.group("body"))
            if chunk:
                _add_chunk(builder, chunk)
                chunk = []
        elif text[start:end].strip():
            chunk.append((start, end))
        elif chunk:
            _add_chunk(builder, chunk)
            chunk = []


def _add_chunk(builder, chunk):
    text = builder.text
    unwrapped = any(end - start > _WRAP_WIDTH for start, end in chunk)
    pending = None  # (start, end) of the paragraph being collected
    for start, end in chunk:
        marker = _LIST_ITEM.match(text, start, end)
        content_start = marker.end() if marker else start
        while content_start < end and text[content_start] in " \t":
            content_start += 1
        builder.add_prose(content_start, end)
        if marker or unwrapped:
            if pending:
                builder.add_block(*pending)
                pending = None
            if marker:
                indent = len(text[start:marker.end()]) - len(text[start:marker.end()].lstrip(" \t"))
                builder.add_block(content_start, end, "list_item", list_depth=1 + indent // 2)
            else:
                builder.add_block(content_start, end, "paragraph")
        else:
            pending = (pending[0], end) if pending else (content_start, end)
    if pending:
        builder.add_block(*pending)

"""MDX: Markdown with ESM and JSX.

`import`/`export` blocks, JSX tags with their attributes, `{expressions}` and comments are not
prose; the text children of JSX components are (`<Alert>Results may vary.</Alert>`). They are
found by a scan that knows code fences and code spans, then hidden: blanked (newlines kept) in
the copy handed to the Markdown parser, and hidden in the mask. As in MDX itself, indentation
does not make a code block. Directives go in MDX comments, `{/* hypelint-disable ... */}`
(HTML comments are accepted too).
"""
from __future__ import annotations

from typing import List, Tuple

import regex
from .. import regexcache

from ..document import DocumentBuilder
from .frontmatter import find_front_matter, mark_front_matter
from .markdown import parse_body

_FENCE = regexcache.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*(?P<fence>`{3,}|~{3,})")
_ESM = regexcache.compile(r"(?:import|export)(?=[\s{*])")
_JSX_NAME = regexcache.compile(r"[A-Za-z_$][\w$.:-]*")
_BLANK_AHEAD = regexcache.compile(r"[ \t]*(?:\r?\n|\Z)")
_COMMENT_BODY = regexcache.compile(r"\{\s*/\*(.*?)\*/\s*\}", regex.DOTALL)


def parse(builder: DocumentBuilder) -> None:
    text = builder.parse_text
    front = find_front_matter(text)
    start = 0
    if front:
        builder.meta["front_matter"] = front
        mark_front_matter(builder, front)
        start = front.end
    hidden = _Scanner(builder, text, start).scan()
    chars = list(text)
    for low, high in hidden:
        builder.hide(low, high)
        for index in range(low, high):
            if chars[index] not in "\r\n":
                chars[index] = " "
    parse_body(builder, "".join(chars), start, mdx=True)


class _Scanner:
    """Finds the non-prose ranges of an MDX body: ESM blocks, JSX tags, expressions, comments."""

    def __init__(self, builder: DocumentBuilder, text: str, start: int):
        self.builder = builder
        self.text = text
        self.start = start
        self.hidden: List[Tuple[int, int]] = []

    def scan(self) -> List[Tuple[int, int]]:
        for low, high, kind in self.regions():
            if kind == "esm":
                self.hidden.append((low, high))
            elif kind == "markdown":
                self.inline(low, high)
        return self.hidden

    def regions(self):
        """(start, end, kind) line regions: code fences, ESM blocks, and Markdown between them."""
        text = self.text
        position = self.start
        region_start = position
        fence = None
        esm = False
        braces = 0
        after_blank = True  # ESM starts a block: at the start or after a blank line
        while position < len(text):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end < 0 else line_end + 1
            line = text[position:line_end]
            if fence:
                match = _FENCE.match(line)
                if match and match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence) \
                        and not line[match.end():].strip():
                    fence = None
                    region_start = line_end
            elif esm:
                braces += _brace_balance(line)
                if not line.strip() and braces <= 0:
                    yield region_start, position, "esm"
                    esm = False
                    region_start = position
            else:
                match = _FENCE.match(line)
                if match:
                    yield region_start, position, "markdown"
                    fence = match.group("fence")
                    region_start = position
                elif after_blank and _ESM.match(line):
                    yield region_start, position, "markdown"
                    esm = True
                    braces = _brace_balance(line)
                    region_start = position
            after_blank = not line.strip()
            position = line_end
        if esm:
            yield region_start, len(text), "esm"
        elif not fence:
            yield region_start, len(text), "markdown"

    def inline(self, start: int, end: int) -> None:
        """Hide JSX tags, expressions and comments in Markdown text, skipping code spans."""
        text = self.text
        position = start
        while position < end:
            char = text[position]
            if char == "\\":
                position += 2
            elif char == "`":
                run = len(regex.match(r"`+", text[position:end]).group())
                close = _find_code_close(text, position + run, end, run)
                position = close if close > 0 else position + run
            elif char == "<":
                position = self.angle(position, end)
            elif char == "{":
                close = _balanced(text, position, end, "{", "}")
                if close < 0:
                    position += 1
                    continue
                self.hidden.append((position, close))
                comment = _COMMENT_BODY.fullmatch(text, position, close)
                if comment:
                    self.builder.add_comment(position, close, comment.group(1))
                position = close
            else:
                position += 1

    def angle(self, position: int, end: int) -> int:
        """At `<`: hide an HTML comment or a JSX tag and return where scanning resumes."""
        text = self.text
        if text.startswith("<!--", position, end):
            close = text.find("-->", position + 4, end)
            stop = end if close < 0 else close + 3
            self.builder.add_comment(position, stop, text[position + 4:stop - 3 if close >= 0 else stop])
            self.hidden.append((position, stop))
            return stop
        cursor = position + 1
        if text.startswith("/", cursor, end):
            cursor += 1
        name = _JSX_NAME.match(text, cursor, end)
        if name:
            cursor = name.end()
        elif not text.startswith(">", cursor, end):
            return position + 1  # `a < b`: text
        close = _tag_end(text, cursor, end)
        if close < 0:
            return position + 1
        self.hidden.append((position, close))
        return close


def _brace_balance(line: str) -> int:
    return line.count("{") + line.count("(") + line.count("[") - line.count("}") - line.count(")") - line.count("]")


def _find_code_close(text: str, start: int, end: int, run: int) -> int:
    """End of the code span whose opening backtick run ends at `start`, or -1."""
    pattern = regexcache.compile(r"(?<!`)`{%d}(?!`)" % run)
    blank = regexcache.compile(r"\n[ \t]*\n")
    match = pattern.search(text, start, end)
    if not match:
        return -1
    if blank.search(text, start, match.start()):
        return -1
    return match.end()


def _skip_string(text: str, position: int, end: int) -> int:
    """Past a JavaScript string or template literal starting at `position`."""
    quote = text[position]
    index = position + 1
    while index < end:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == quote:
            return index + 1
        if quote == "`" and text.startswith("${", index, end):
            close = _balanced(text, index + 1, end, "{", "}")
            index = close if close > 0 else index + 2
            continue
        if char == "\n" and quote != "`":
            return index
        index += 1
    return end


def _balanced(text: str, position: int, end: int, opening: str, closing: str) -> int:
    """Offset just past the `closing` that balances the `opening` at `position`, or -1."""
    depth = 0
    index = position
    while index < end:
        char = text[index]
        if char in "\"'`":
            index = _skip_string(text, index, end)
            continue
        if text.startswith("/*", index, end):
            close = text.find("*/", index + 2, end)
            if close < 0:
                return -1
            index = close + 2
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return -1


def _tag_end(text: str, position: int, end: int) -> int:
    """Offset just past the `>` that ends a JSX tag whose name ends at `position`, or -1."""
    index = position
    while index < end:
        char = text[index]
        if char in "\"'":
            index = _skip_string(text, index, end)
            continue
        if char == "{":
            close = _balanced(text, index, end, "{", "}")
            if close < 0:
                return -1
            index = close
            continue
        if char == ">":
            return index + 1
        if char == "<" or (char == "\n" and _BLANK_AHEAD.match(text, index + 1, end)):
            return -1
        index += 1
    return -1

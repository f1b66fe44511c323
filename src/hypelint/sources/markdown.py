"""Markdown (CommonMark + GFM tables and strikethrough), also the engine under MDX (mdx.py).

markdown-it-py gives line maps on block tokens only and strips container prefixes (`> `, list
indentation) from inline content. So each inline token's content lines are located in their
source lines, and inline children are then found in order in that content: text, link text and
image alt text become prose; code spans, link destinations, autolinks and inline HTML do not.
Nothing is ever searched in rendered text, so positions are exact. Copy fields of front matter
are prose (frontmatter.py); the visible text of HTML blocks is prose (html.py). Template tags are
inert filler while parsing (so `[a]({{ site.url }}/x)` stays a link) and blanked in the mask.
"""
from __future__ import annotations

import re
import threading
from bisect import bisect_right
from typing import List, Tuple

import regex
from .. import regexcache
from markdown_it import MarkdownIt

from ..document import DocumentBuilder
from . import html
from .frontmatter import find_front_matter, mark_front_matter

_parsers = {}
_parser_lock = threading.Lock()
_COMMENT = regexcache.compile(r"<!--(.*?)-->", regex.DOTALL)
_LINE_BREAK = re.compile(r"\r\n?|\n")  # markdown-it's line endings (its `normalize` rule)
# The characters that can start inline markup in hypelint's parser configuration (code spans,
# HTML and autolinks, links and images, escapes, entities, emphasis, strikethrough). Inline
# content without any of them parses to text and line breaks only.
_INLINE_MARKUP = re.compile(r"[`<\[\\&*_~]")


def _inline_unless_plain(state) -> None:
    """markdown-it's core `inline` rule, except that plain content (no _INLINE_MARKUP) is not
    parsed: its children stay None and the walker marks it with _plain_spans, as its text
    tokens would be (three in four inline tokens of a typical page; parsing them was about a
    twentieth of a whole-site check)."""
    for token in state.tokens:
        if token.type == "inline":
            if _INLINE_MARKUP.search(token.content) is None:
                token.children = None  # some block rules set [] already
                continue
            if token.children is None:
                token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)


def _plain_spans(content: str) -> List[Tuple[int, int]]:
    """The text tokens markdown-it's inline parser makes of plain content, as spans: one per
    line, less what its `newline` rule removes (the spaces and tabs that start a continuation
    line; one trailing space before a soft break, every trailing space before a hard break).
    tests/test_sources.py compares this with the parser's own tokens."""
    spans = []
    offset = 0
    lines = content.split("\n")
    last = len(lines) - 1
    for index, line in enumerate(lines):
        start = offset + (len(line) - len(line.lstrip(" \t")) if index else 0)
        pending = content[start:offset + len(line)]
        if index < last and pending.endswith(" "):
            if pending.endswith("  "):
                cut = len(pending) - 2
                while cut >= 1 and pending[cut - 1] == " ":
                    cut -= 1
                pending = pending[:cut]
            else:
                pending = pending[:-1]
        if pending:
            spans.append((start, start + len(pending)))
        offset += len(line) + 1
    return spans


# Container levels markdown-it parses (commonmark's default is 20: ten nested lists or twenty
# block quotes went unlinted without a word). Deeper content is reported, not linted; each level
# costs a few Python frames, so this stays well inside the recursion limit.
MAX_NESTING = 100


def markdown_parser(mdx: bool = False) -> MarkdownIt:
    """The shared parser; for MDX, indented code blocks do not exist (indentation is layout).

    Built under a lock and warmed up before it is shared: markdown-it compiles its rule chains
    lazily on the first parse, filling a shared dict in place, which is not thread-safe."""
    parser = _parsers.get(mdx)
    if parser is None:
        with _parser_lock:
            parser = _parsers.get(mdx)
            if parser is None:
                parser = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable(
                    ["table", "strikethrough"])
                # keep entities and escapes as their own tokens so their source spelling can be found
                parser.disable("text_join", ignoreInvalid=True)
                parser.core.ruler.at("inline", _inline_unless_plain)
                if mdx:
                    parser.disable("code")
                parser.parse("a *b*\n")
                _parsers[mdx] = parser
    return parser


def parse(builder: DocumentBuilder) -> None:
    text = builder.parse_text
    front = find_front_matter(text)
    if front:
        builder.meta["front_matter"] = front
        mark_front_matter(builder, front)
    parse_body(builder, text, front.end if front else 0)


def parse_body(builder: DocumentBuilder, text: str, start: int, mdx: bool = False) -> None:
    """Mark the prose of the Markdown in text[start:], where `text` has the original's offsets."""
    if "\r" in text:
        # markdown-it ends lines at "\r\n", a lone "\r" and "\n": its line maps count them all
        line_starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]
        lines_before = len(_LINE_BREAK.findall(text, 0, start))
    else:
        # str.find, not a loop over every character: that loop was a tenth of a whole-site check
        line_starts = [0]
        index = text.find("\n")
        while index >= 0:
            line_starts.append(index + 1)
            index = text.find("\n", index + 1)
        lines_before = text.count("\n", 0, start)
    # blank what comes before (front matter) but keep its line count so line maps stay valid
    source = "\n" * lines_before + text[start:]
    walker = _Walker(builder, text, line_starts, html_text=not mdx)
    tokens = markdown_parser(mdx).parse(source)
    walker.walk(tokens)
    _report_skipped_nesting(builder, tokens, line_starts)


def _report_skipped_nesting(builder: DocumentBuilder, tokens, line_starts: List[int]) -> None:
    """markdown-it stops parsing a container nested MAX_NESTING levels deep (quotes count one
    level, list items two): what is inside is not linted, and the file says so."""
    for token in tokens:
        if token.type in ("blockquote_open", "list_item_open") and token.level >= MAX_NESTING - 1 and token.map:
            line = token.map[0]
            offset = line_starts[line] if line < len(line_starts) else 0
            builder.note(f"Markdown nested more than {MAX_NESTING} levels deep (block quotes and lists): "
                         f"the text inside is not linted", offset)
            return


class _Walker:
    def __init__(self, builder: DocumentBuilder, text: str, line_starts: List[int], html_text: bool = True):
        self.builder = builder
        self.text = text
        self.line_starts = line_starts
        self.html_text = html_text

    def line(self, number: int) -> Tuple[int, str]:
        """(offset, text without line ending) of a 0-based line."""
        start = self.line_starts[number]
        end = self.line_starts[number + 1] - 1 if number + 1 < len(self.line_starts) else len(self.text)
        return start, self.text[start:end].rstrip("\r")

    def walk(self, tokens) -> None:
        quote_depth = 0
        list_depth = 0
        container = None  # the kind of the block whose inline content comes next
        row_cursor = {}   # table row line -> search offset for the next cell
        for token in tokens:
            kind = token.type
            if kind == "blockquote_open":
                quote_depth += 1
            elif kind == "blockquote_close":
                quote_depth -= 1
            elif kind in ("bullet_list_open", "ordered_list_open"):
                list_depth += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                list_depth -= 1
            elif kind == "heading_open":
                container = "heading"
            elif kind == "paragraph_open":
                container = "list_item" if list_depth else "paragraph"
            elif kind in ("th_open", "td_open"):
                container = "table_cell"
            elif kind == "html_block":
                self.html_block(token, quoted=quote_depth > 0)
            elif kind == "inline" and token.map:
                if container == "table_cell":
                    segments = self.locate_cell(token, row_cursor)
                else:
                    segments = self.locate_lines(token)
                if segments:
                    self.mark_inline(token.content, token.children, segments)
                    start = segments[0][1]
                    last = segments[-1]
                    self.builder.add_block(start, last[1] + last[2], container or "paragraph",
                                           list_depth=list_depth, quoted=quote_depth > 0)

    # -- locating inline content in the source -------------------------------------------------
    def locate_lines(self, token) -> List[Tuple[int, int, int]]:
        """Segments (content offset, source offset, length), one per non-blank content line."""
        segments = []
        content_offset = 0
        first_line = token.map[0]
        for index, content_line in enumerate(token.content.split("\n")):
            stripped = content_line.strip()
            if stripped and first_line + index < len(self.line_starts):
                line_start, line_text = self.line(first_line + index)
                trimmed = line_text.rstrip()
                if trimmed.endswith(stripped):
                    column = len(trimmed) - len(stripped)
                else:
                    column = line_text.find(stripped)
                if column >= 0:
                    lead = len(content_line) - len(content_line.lstrip())
                    segments.append((content_offset + lead, line_start + column, len(stripped)))
            content_offset += len(content_line) + 1
        return segments

    def locate_cell(self, token, row_cursor) -> List[Tuple[int, int, int]]:
        line_number = token.map[0]
        line_start, line_text = self.line(line_number)
        stripped = token.content.strip()
        if not stripped:
            return []
        cursor = row_cursor.get(line_number, 0)
        lead = len(token.content) - len(token.content.lstrip())
        column = line_text.find(stripped, cursor)
        if column < 0 and "|" in stripped:
            # GFM: a cell's `\|` is a `|` in its content; map the pieces between the pipes
            # (and each pipe to the `|` after its backslash)
            escaped = stripped.replace("|", "\\|")
            column = line_text.find(escaped, cursor)
            if column < 0:
                return []
            row_cursor[line_number] = column + len(escaped)
            segments = []
            content_offset, source_offset = lead, line_start + column
            for index, piece in enumerate(stripped.split("|")):
                if index:
                    segments.append((content_offset, source_offset + 1, 1))
                    content_offset, source_offset = content_offset + 1, source_offset + 2
                if piece:
                    segments.append((content_offset, source_offset, len(piece)))
                content_offset, source_offset = content_offset + len(piece), source_offset + len(piece)
            return segments
        if column < 0:
            return []
        row_cursor[line_number] = column + len(stripped)
        return [(lead, line_start + column, len(stripped))]

    # -- marking prose inside inline content ---------------------------------------------------
    def mark_inline(self, content: str, children, segments) -> None:
        """Mark the prose of one inline token's content (children None: plain content)."""
        comments = []
        if children is None:
            spans = _plain_spans(content)
        else:
            spans = []
            scanner = _InlineScanner(content, spans)
            scanner.scan(children, 0)
            # Inline comments are found in the content rather than trusted to html_inline tokens:
            # markdown-it-py 3 (CommonMark 0.30) does not accept `--` inside a comment, as in
            # `<!-- hypelint-disable-line HL101 -- reason -->`, and would leave it as text.
            comments = [(m.start(), m.end()) for m in _COMMENT.finditer(content)
                        if not any(low < m.end() and m.start() < high for low, high in scanner.code_spans)]
            if comments:
                spans = _subtract(spans, comments)
        starts = [segment[0] for segment in segments]
        for start, end in spans:
            # a content span may cross lines: split it on the located segments
            index = max(bisect_right(starts, start) - 1, 0)
            while index < len(segments) and start < end:
                seg_content, seg_source, seg_length = segments[index]
                lo = max(start, seg_content)
                hi = min(end, seg_content + seg_length)
                if hi > lo:
                    self.builder.add_prose(seg_source + lo - seg_content, seg_source + hi - seg_content)
                index += 1
                if seg_content + seg_length >= end:
                    break
        for start, end in comments:
            self.record_comment(start, end, content, segments)

    def record_comment(self, start: int, end: int, content: str, segments) -> None:
        for seg_content, seg_source, seg_length in segments:
            if seg_content <= start < seg_content + seg_length:
                source_start = seg_source + start - seg_content
                self.builder.add_comment(source_start, source_start + end - start, content[start + 4:end - 3])
                return

    def html_block(self, token, quoted: bool) -> None:
        """An HTML block: its visible text is copy, as in an HTML file (outside block quotes,
        whose `>` prefixes are not HTML); its comments may hold directives."""
        if not token.map:
            return
        start = self.line_starts[token.map[0]]
        end = self.line_starts[token.map[1]] if token.map[1] < len(self.line_starts) else len(self.text)
        if self.html_text and not quoted:
            html.extract(self.builder, self.text, start, end)
            return
        for match in _COMMENT.finditer(self.text, start, end):
            self.builder.add_comment(match.start(), match.end(), match.group(1))


class _InlineScanner:
    """Walks inline children in order, finding each in the raw content from a cursor."""

    def __init__(self, content: str, spans: List[Tuple[int, int]]):
        self.content = content
        self.spans = spans
        self.code_spans: List[Tuple[int, int]] = []

    def find(self, needle: str, cursor: int) -> int:
        return self.content.find(needle, cursor) if needle else -1

    def scan(self, children, cursor: int) -> int:
        in_autolink = False
        for child in children:
            kind = child.type
            if in_autolink:
                if kind == "link_close":
                    in_autolink = False
                continue
            if kind == "text":
                index = self.find(child.content, cursor)
                if index >= 0:
                    self.spans.append((index, index + len(child.content)))
                    cursor = index + len(child.content)
            elif kind == "text_special":
                index = self.find(child.markup, cursor)
                if index >= 0:
                    if child.info == "escape":
                        self.spans.append((index + 1, index + len(child.markup)))
                    cursor = index + len(child.markup)
            elif kind == "code_inline":
                opening = self.find(child.markup, cursor)
                if opening >= 0:
                    closing = self.find(child.markup, opening + len(child.markup) + len(child.content.strip()))
                    cursor = closing + len(child.markup) if closing >= 0 else opening + len(child.markup)
                    self.code_spans.append((opening, cursor))
            elif kind == "html_inline":
                index = self.find(child.content, cursor)
                if index >= 0:
                    cursor = index + len(child.content)
            elif kind == "link_open" and child.markup == "autolink":
                opening = self.find("<", cursor)
                closing = self.find(">", opening) if opening >= 0 else -1
                if closing >= 0:
                    cursor = closing + 1
                in_autolink = True
            elif kind == "link_close":
                cursor = self.skip_destination(cursor)
            elif kind == "image":
                opening = self.find("![", cursor)
                if opening >= 0:
                    cursor = self.scan(child.children or [], opening + 2)
                    cursor = self.skip_destination(cursor)
        return cursor

    def skip_destination(self, cursor: int) -> int:
        """Skip `](url "title")`, `][ref]` or `]` after link text or alt text."""
        content = self.content
        close = content.find("]", cursor)
        if close < 0:
            return cursor
        after = close + 1
        if after < len(content) and content[after] == "(":
            depth = 0
            index = after
            while index < len(content):
                char = content[index]
                if char == "\\":
                    index += 2
                    continue
                if char == "(":
                    depth += 1
                elif char == ")":
                    depth -= 1
                    if depth == 0:
                        return index + 1
                index += 1
            return after
        if after < len(content) and content[after] == "[":
            end = content.find("]", after)
            return end + 1 if end >= 0 else after
        return after


def _subtract(spans: List[Tuple[int, int]], holes: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """`spans` minus every range in `holes`."""
    result = []
    for start, end in spans:
        pieces = [(start, end)]
        for low, high in holes:
            next_pieces = []
            for a, b in pieces:
                if high <= a or b <= low:
                    next_pieces.append((a, b))
                    continue
                if a < low:
                    next_pieces.append((a, low))
                if high < b:
                    next_pieces.append((high, b))
            pieces = next_pieces
        result.extend(pieces)
    return result

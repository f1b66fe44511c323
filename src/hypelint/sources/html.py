"""HTML (`.html`, `.htm`, and HTML blocks inside Markdown): the copy a visitor reads.

Prose: visible text, `alt` and `title` attributes, `<title>`, and the `content` of description
and title `<meta>` tags (`description`, `og:description`, `og:title`, `twitter:*`). Not prose:
tags and attribute syntax, other attributes, comments (kept for suppression directives),
`<script>`, `<style>`, `<code>`, `<pre>`, `<kbd>`, `<samp>`, `<svg>`, `<math>`, character
references (blanked), and template tags (blanked by the builder).

A small tokenizer in the spirit of the HTML standard's, rather than html.parser, gives the exact
offset of every text run and attribute value, never raises, and treats malformed markup the way
browsers roughly do: an unclosed tag or comment runs to the end, a stray `<` is text, end tags
close the nearest matching element. Front matter (Jekyll) is handled as in Markdown.
"""
from __future__ import annotations

from dataclasses import dataclass
import html as html_module
from typing import Dict, List, Optional, Tuple

import regex
from .. import regexcache

from ..document import DocumentBuilder
from ..errors import SourceError
from .frontmatter import find_front_matter, mark_front_matter

_TAG_NAME = regexcache.compile(r"[A-Za-z][^\s/>]*")
_ATTRIBUTE = regexcache.compile(
    r"""[\s/]*(?P<name>[^\s/>"'=][^\s/>"'=]*)(?:\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s>]+)))?"""
)
_REFERENCE = regexcache.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9A-Fa-f]{1,8};?|[A-Za-z][A-Za-z0-9]{1,31};)")

# Elements whose content is raw text up to their end tag (never markup).
_RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"})
# Elements whose content is code or graphics, not copy.
_NOT_COPY = frozenset({"script", "style", "code", "pre", "kbd", "samp", "var", "svg", "math", "xmp",
                       "iframe", "noembed", "noframes", "textarea"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})
# Elements that start a new block of prose (so a match never runs from one into the next).
_BLOCK = frozenset("""address article aside blockquote body button caption center dd details dialog
    dir div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr
    html li main menu nav ol option optgroup p section select summary table tbody td tfoot th thead
    title tr ul legend label""".split())
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "title"})
_COPY_ATTRIBUTES = frozenset({"alt", "title"})
_META_COPY = frozenset({"description", "og:description", "og:title", "twitter:description",
                        "twitter:title"})
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
# Containers whose items take the kind of the block around them (see _Extractor.push).
_KIND_TRANSPARENT = frozenset({"ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "tr"})
# Start tags that close an open <p>, <li>, <dt>/<dd>, <td>/<th> or <option> on top of the stack,
# as the HTML standard's implied end tags do (`<p>a<p>b` is two paragraphs, not one inside another).
_CLOSES_P = frozenset("""address article aside blockquote center details dialog dir div dl fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p section table ul
    """.split())
_IMPLIED_END = {"li": ("li",), "dt": ("dt", "dd"), "dd": ("dt", "dd"), "td": ("td", "th"), "th": ("td", "th"),
                "tr": ("td", "th", "tr"), "option": ("option",)}
# Open elements tracked at once: deeper HTML is refused with an error naming the place (the
# tracking is linear, but no page nests a thousand block elements; a generator gone wrong does).
MAX_HTML_DEPTH = 1000


@dataclass
class _Attribute:
    name: str
    value_start: int
    value_end: int


def parse(builder: DocumentBuilder) -> None:
    text = builder.parse_text
    start = 0
    front = find_front_matter(text)
    if front:
        builder.meta["front_matter"] = front
        mark_front_matter(builder, front)
        start = front.end
    extract(builder, text, start, len(text), document=True)


def extract(builder: DocumentBuilder, text: str, start: int, end: int, document: bool = False) -> None:
    """Mark the prose of the HTML in text[start:end]; `document`: it is a whole page (its
    `<html lang>` is the file's language)."""
    _Extractor(builder, text, start, end, document).run()


def hide_references(builder: DocumentBuilder, text: str, start: int, end: int) -> None:
    """Character references read as their character (`&eacute;` -> é repeated), spaces for
    whitespace or anything longer than one character."""
    for match in _REFERENCE.finditer(text, start, end):
        decoded = html_module.unescape(match.group())
        fill = decoded if len(decoded) == 1 and not decoded.isspace() and decoded != "\x00" else " "
        builder.hide(match.start(), match.end(), fill)


class _Extractor:
    def __init__(self, builder: DocumentBuilder, text: str, start: int, end: int, document: bool):
        self.builder = builder
        self.text = text
        self.pos = start
        self.end = end
        self.document = document
        self.open_blocks: List[str] = []   # open block-level elements, outermost first
        self.open_kinds: List[str] = []    # the block kind inside each of them (current_kind)
        self.open_counts: Dict[str, int] = {}  # how many of each name are open (both stacks)
        self.list_depth = 0                # open list containers
        self.quotes = 0                    # open <blockquote>s
        self.not_copy: List[str] = []      # open elements whose content is not copy
        self.block_start: Optional[int] = None
        self.block_end = 0
        self.block_kind = "paragraph"

    # -- driver --------------------------------------------------------------------------
    def run(self) -> None:
        text, end = self.text, self.end
        while self.pos < end:
            lt = text.find("<", self.pos, end)
            if lt < 0:
                self.text_run(self.pos, end)
                break
            if lt > self.pos:
                self.text_run(self.pos, lt)
            self.pos = lt
            self.markup()
        self.flush()

    def markup(self) -> None:
        """At a `<`: consume a comment, declaration, end tag or start tag, or one character of text."""
        text, pos, end = self.text, self.pos, self.end
        if text.startswith("<!--", pos, end):
            close = text.find("-->", pos + 4, end)
            stop = end if close < 0 else close + 3
            body_end = end if close < 0 else close
            self.builder.add_comment(pos, stop, text[pos + 4:body_end])
            self.pos = stop
        elif text.startswith("<![CDATA[", pos, end):
            close = text.find("]]>", pos, end)
            self.pos = end if close < 0 else close + 3
        elif text.startswith("<!", pos, end) or text.startswith("<?", pos, end):
            close = text.find(">", pos, end)
            self.pos = end if close < 0 else close + 1
        elif text.startswith("</", pos, end):
            name = _TAG_NAME.match(text, pos + 2, end)
            close = text.find(">", pos, end)
            self.pos = end if close < 0 else close + 1
            if name:
                self.end_tag(name.group().lower())
        else:
            name = _TAG_NAME.match(text, pos + 1, end)
            if not name:
                self.text_run(pos, pos + 1)
                self.pos = pos + 1
                return
            self.start_tag(name.group().lower(), name.end())

    # -- tags ----------------------------------------------------------------------------
    def start_tag(self, name: str, cursor: int) -> None:
        text, end = self.text, self.end
        attributes: List[_Attribute] = []
        self_closing = False
        while True:
            while cursor < end and text[cursor] in " \t\r\n\f":
                cursor += 1
            if cursor >= end:
                self.pos = end  # unclosed tag: the rest is markup
                return
            if text[cursor] == ">":
                cursor += 1
                break
            if text.startswith("/>", cursor, end):
                self_closing = True
                cursor += 2
                break
            match = _ATTRIBUTE.match(text, cursor, end)
            if not match or match.end() == cursor:
                cursor += 1
                continue
            group = next((g for g in ("double", "single", "bare") if match.group(g) is not None), None)
            if group:
                attributes.append(_Attribute(match.group("name").lower(), match.start(group), match.end(group)))
            else:
                attributes.append(_Attribute(match.group("name").lower(), match.end(), match.end()))
            cursor = match.end()
        self.pos = cursor
        if name in _BLOCK:
            self.flush()
        self.copy_attributes(name, attributes)
        if self.document and name == "html":
            for attribute in attributes:
                if attribute.name == "lang" and self.builder.lang is None:
                    value = text[attribute.value_start:attribute.value_end].strip()
                    if value:
                        self.builder.lang = value
                        self.builder.meta["lang_source"] = ("<html lang>", attribute.value_start)
        if name in _RAW_TEXT:
            self.raw_text(name)
            return
        if self_closing or name in _VOID:
            return
        if name in _NOT_COPY:
            self.not_copy.append(name)
            self.opened(name, cursor)
        elif name in _BLOCK:
            self.push(name, cursor)

    def push(self, name: str, offset: int) -> None:
        """Open a block element (after the end tags its start tag implies)."""
        blocks = self.open_blocks
        if blocks and (blocks[-1] == "p" and name in _CLOSES_P or blocks[-1] in _IMPLIED_END.get(name, ())):
            self.pop_blocks(len(blocks) - 1)
            if name == "tr" and blocks and blocks[-1] == "tr":
                self.pop_blocks(len(blocks) - 1)
        parent = self.open_kinds[-1] if self.open_kinds else "paragraph"
        if name in _HEADINGS:
            kind = "heading"
        elif name in ("li", "dt", "dd"):
            kind = "list_item"
        elif name in ("td", "th"):
            kind = "table_cell"
        elif name in _KIND_TRANSPARENT:
            kind = parent
        else:
            kind = "paragraph"
        blocks.append(name)
        self.open_kinds.append(kind)
        self.list_depth += name in _LISTS
        self.quotes += name == "blockquote"
        self.opened(name, offset)

    def opened(self, name: str, offset: int) -> None:
        self.open_counts[name] = self.open_counts.get(name, 0) + 1
        if len(self.open_blocks) + len(self.not_copy) > MAX_HTML_DEPTH:
            line = self.text.count("\n", 0, offset) + 1
            raise SourceError(f"not linted: HTML nested deeper than {MAX_HTML_DEPTH} open elements "
                              f"(at <{name}>)", self.builder.path, line)

    def pop_blocks(self, index: int) -> None:
        """Close the open block elements from `index` on (linear overall: each closes once)."""
        for name in self.open_blocks[index:]:
            self.open_counts[name] -= 1
            self.list_depth -= name in _LISTS
            self.quotes -= name == "blockquote"
        del self.open_blocks[index:]
        del self.open_kinds[index:]

    def end_tag(self, name: str) -> None:
        if name in _BLOCK:
            self.flush()
        if not self.open_counts.get(name):
            return  # a stray end tag: nothing to search for
        for stack in (self.not_copy, self.open_blocks):
            for index in range(len(stack) - 1, -1, -1):  # what it passes over is closed with it
                if stack[index] == name:
                    if stack is self.open_blocks:
                        self.pop_blocks(index)
                    else:
                        for closed in stack[index:]:
                            self.open_counts[closed] -= 1
                        del stack[index:]
                    break

    def raw_text(self, name: str) -> None:
        """Content of <script>, <style>, <title>...: up to the matching end tag, never markup."""
        text, end = self.text, self.end
        closing = regexcache.compile(r"</" + regex.escape(name) + r"(?=[\s/>])", regex.IGNORECASE)
        match = closing.search(text, self.pos, end)
        content_end = match.start() if match else end
        if name == "title" and not self.not_copy:
            self.flush()
            self.open_blocks.append("title")
            self.open_kinds.append("heading")
            self.prose(self.pos, content_end)
            self.flush()
            self.open_blocks.pop()
            self.open_kinds.pop()
        self.pos = content_end
        if match:
            close = text.find(">", match.end(), end)
            self.pos = end if close < 0 else close + 1

    def copy_attributes(self, name: str, attributes: List[_Attribute]) -> None:
        if name in ("svg", "math") or self.not_copy:
            return
        values = {a.name: a for a in attributes}
        if name == "meta":
            key = values.get("name") or values.get("property")
            if key and "content" in values:
                label = self.text[key.value_start:key.value_end].strip().lower()
                if label in _META_COPY:
                    self.flush()
                    self.field(values["content"].value_start, values["content"].value_end)
            return
        # alt and title read inline, like Markdown image alt text: part of the current block
        for attribute in attributes:
            if attribute.name in _COPY_ATTRIBUTES:
                self.prose(attribute.value_start, attribute.value_end)

    # -- prose ---------------------------------------------------------------------------
    def text_run(self, start: int, end: int) -> None:
        if self.not_copy:
            return
        self.prose(start, end)

    def _mark(self, start: int, end: int) -> Optional[Tuple[int, int]]:
        """Mark text[start:end], trimmed of white space, as prose with character references
        hidden; the trimmed span, or None when nothing is left."""
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            return None
        self.builder.add_prose(start, end)
        hide_references(self.builder, text, start, end)
        return start, end

    def prose(self, start: int, end: int) -> None:
        """Mark text[start:end] as prose of the current block."""
        span = self._mark(start, end)
        if span is None:
            return
        start, end = span
        if self.block_start is None:
            self.block_start = start
            self.block_kind = self.current_kind()
        self.block_end = end

    def field(self, start: int, end: int) -> None:
        """An attribute value: a block of its own."""
        span = self._mark(start, end)
        if span is not None:
            self.builder.add_block(*span, "field")

    def current_kind(self) -> str:
        """The block kind of the innermost open element that says one (headings, list items and
        table cells; list and table containers pass their parent's kind through)."""
        return self.open_kinds[-1] if self.open_kinds else "paragraph"

    def flush(self) -> None:
        if self.block_start is not None:
            self.builder.add_block(self.block_start, self.block_end, self.block_kind,
                                   list_depth=self.list_depth, quoted=self.quotes > 0)
        self.block_start = None
        self.block_kind = "paragraph"

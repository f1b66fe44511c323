"""The document model: the original text, a same-length prose mask, prose blocks and sentences.

Sources (one per format) build a Document by marking which character ranges are prose and
which ranges form blocks (paragraphs, headings, list items, table cells). Rules search the
*mask*, never a rendered copy, so every match offset is an offset into the original text and
`LineIndex` turns it into an exact line and column.

Mask conventions (same length as the text, so offsets are shared):
- prose characters are copied, with typographic quotes and non-breaking spaces normalised
  (’ → ', “ → ", NBSP → space) so rules need one spelling;
- non-prose characters inside a block (markup, inline code, URLs, `> ` prefixes) become spaces;
- everything outside blocks becomes NUL, which no rule pattern matches, so a match never spans
  two blocks;
- template syntax (`{{ }}`, `{% %}`, Hugo shortcodes...) and ranges a source hides (entities,
  escapes, JSX tags inside text) are blanked even where they fall inside prose.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Tuple

import regex
from . import regexcache

OUTSIDE = "\x00"
_NORMALISE = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ",
    "\t": " ", "\r": " ", "\u2028": " ", "\u2029": " ",
})


class LineIndex:
    """Offset ↔ (line, column) for a text; lines end at "\\n" (a preceding "\\r" belongs to the line)."""

    def __init__(self, text: str):
        self.text = text
        starts = [0]
        find = text.find
        index = find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = find("\n", index + 1)
        self.line_starts = starts

    def position(self, offset: int) -> Tuple[int, int]:
        """1-based (line, column) of a character offset; columns count code points."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Inverse of :meth:`position`."""
        return self.line_starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line ending."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    @property
    def line_count(self) -> int:
        return len(self.line_starts)


@dataclass
class Block:
    """A unit of prose: paragraph, heading, list item, table cell, quote paragraph, or a field."""

    start: int
    end: int
    kind: str = "paragraph"
    list_depth: int = 0
    quoted: bool = False


@dataclass
class Comment:
    """A comment in the source (HTML `<!-- -->`, `#` lines...), for suppression directives."""

    start: int
    end: int
    body: str


@dataclass
class Note:
    """A non-rule message about the file from its source (e.g. invalid front matter)."""

    message: str
    offset: int = 0
    severity: str = "warning"
    code: str = "HL001"
    end: Optional[int] = None  # None: to the end of the offset's line


@dataclass
class Document:
    """A parsed file. Create with :meth:`DocumentBuilder.build` from a source."""

    path: str
    text: str
    format: str
    mask: str
    blocks: List[Block]
    comments: List[Comment] = field(default_factory=list)
    notes: List[Note] = field(default_factory=list)
    lang: Optional[str] = None
    # Regions whose pattern matches can be reused between versions of an edited buffer:
    # (start, end, cache) with cache mapping a rule's pattern signature to matches relative to
    # start. Set by the language server's incremental parser; None everywhere else.
    reuse: Optional[List[Tuple[int, int, dict]]] = field(default=None, repr=False)
    # When the text was normalised for matching (hypelint.normalise): the map from its offsets
    # back to the original text's, which findings are reported in. None for nearly all text.
    source_map: Optional[object] = field(default=None, repr=False)
    _line_index: Optional[LineIndex] = field(default=None, repr=False)
    _sentences: Optional[List[Tuple[int, int]]] = field(default=None, repr=False)
    _block_starts: Optional[List[int]] = field(default=None, repr=False)
    _sentence_starts: Optional[List[int]] = field(default=None, repr=False)

    @property
    def line_index(self) -> LineIndex:
        if self._line_index is None:
            self._line_index = LineIndex(self.text)
        return self._line_index

    @property
    def prose_start(self) -> int:
        """Offset of the first prose character (where document-level findings are reported)."""
        for block in self.blocks:
            for offset in range(block.start, block.end):
                if not self.mask[offset].isspace():
                    return offset
        return 0

    def block_at(self, offset: int) -> Optional[Block]:
        if self._block_starts is None:
            self._block_starts = [b.start for b in self.blocks]
        index = bisect.bisect_right(self._block_starts, offset) - 1
        if index >= 0 and self.blocks[index].start <= offset < self.blocks[index].end:
            return self.blocks[index]
        return None

    def block_index_at(self, offset: int) -> int:
        block = self.block_at(offset)
        return -1 if block is None else bisect.bisect_right(self._block_starts, offset) - 1

    @property
    def sentences(self) -> List[Tuple[int, int]]:
        """(start, end) offsets of every sentence, block by block, in document order."""
        if self._sentences is None:
            self._sentences = [s for block in self.blocks for s in split_sentences(self.mask, block.start, block.end)]
            self._sentence_starts = [s[0] for s in self._sentences]
        return self._sentences

    def line_regions(self) -> Optional[List[Tuple[int, int, dict]]]:
        """`reuse` when every region starts just after a newline or NUL of the mask, else None:
        then a match of a pattern that holds neither lies within one region, and a search of
        each region (with the mask's own offsets) finds exactly what a whole-mask search finds."""
        reuse = self.reuse
        if reuse is None or any(start and self.mask[start - 1] not in "\n\x00" for start, _, _ in reuse):
            return None
        return reuse

    def union_of_regions(self, marker, compute: Callable[[int, int], Iterable]) -> Optional[set]:
        """The union of compute(start, end) over the line regions of an edited buffer, each
        region's result kept in its cache under `marker` between versions; None when the
        regions are not line regions (then compute over the whole mask instead)."""
        regions = self.line_regions()
        if regions is None:
            return None
        found: set = set()
        for start, end, cache in regions:
            part = cache.get(marker)
            if part is None:
                part = cache[marker] = frozenset(compute(start, end))
            found |= part
        return found

    def sentence_at(self, offset: int) -> Tuple[int, int]:
        """The sentence containing an offset (or an empty span at it if it is not prose)."""
        sentences = self.sentences
        index = bisect.bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and sentences[index][0] <= offset < sentences[index][1]:
            return sentences[index]
        return offset, offset

    def prose(self, start: int, end: int) -> str:
        """The mask between two offsets: prose with markup blanked (for context checks)."""
        return self.mask[start:end].replace(OUTSIDE, " ")


# A sentence ends at . ! ? … (plus closing quotes/brackets) followed by space and a non-lowercase
# character; abbreviations such as "Dr." and "e.g." do not end one.
_SENTENCE_END = regexcache.compile(r"""(?<=[.!?…])["')\]]*\s+(?=[^\s\p{Ll}])|\s*\n\s*\n\s*""")
_ABBREVIATIONS = frozenset("""dr mr mrs ms prof st vs etc e.g i.e approx inc ltd co no fig al jr sr
    u.s u.k mg ml min max dept est""".split())


_LAST_WORD = regexcache.compile(r"(\S+)\s*$")


# _SENTENCE_END without its paragraph-break branch, matched from the stop itself: it starts with a
# character class, which `regex` skips to, instead of a lookbehind tried at every position (the
# sentence split was a twentieth of a whole-site check; this is a quarter of its search time)
_STOP_AND_SPACE = regexcache.compile(r"""[.!?…]["')\]]*\s+(?=[^\s\p{Ll}])""")


def _sentence_ends(mask: str, start: int, end: int) -> List[Tuple[int, int]]:
    """The spans of _SENTENCE_END's matches in mask[start:end]. Where the paragraph-break branch
    cannot match (fewer than two newlines) and no stop sits just before `start` (the lookbehind
    sees it), each match is a _STOP_AND_SPACE match less its stop: a match of the lookbehind
    branch at p is one of _STOP_AND_SPACE at p - 1 with the same end, and neither finds one the
    other does not (tests/test_document.py compares them on random text)."""
    if mask.count("\n", start, end) >= 2 or (start and mask[start - 1] in ".!?…"):
        return [match.span() for match in _SENTENCE_END.finditer(mask, start, end)]
    return [(match.start() + 1, match.end()) for match in _STOP_AND_SPACE.finditer(mask, start, end)]


def split_sentences(mask: str, start: int, end: int) -> List[Tuple[int, int]]:
    """Split mask[start:end] into sentence spans, trimmed of surrounding whitespace."""
    spans = []
    cursor = start
    for low, high in _sentence_ends(mask, start, end):
        word = _LAST_WORD.search(mask[max(cursor, low - 12):low])
        if word and word.group(1).rstrip(".").lower() in _ABBREVIATIONS and mask[low:high].strip() == "":
            continue
        _append_trimmed(spans, mask, cursor, low)
        cursor = high
    _append_trimmed(spans, mask, cursor, end)
    return spans


def _append_trimmed(spans, mask, start, end):
    while start < end and mask[start].isspace():
        start += 1
    while end > start and mask[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


# Bare URLs and e-mail addresses inside prose are not copy: "cure" in a URL is no claim.
_BARE_LINK = regexcache.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s\x00]+|\b[\w.+-]+@[\w-]+\.[\w.-]+")
_BARE_URL = regexcache.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s\x00]+")  # _BARE_LINK without "@"


def _blank(match) -> str:
    return " " * len(match.group())


def _merged(spans) -> List[Tuple[int, int]]:
    """Sorted, overlapping or touching spans joined; empty ones dropped."""
    merged: List[Tuple[int, int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _painted(text: str, blocks, prose) -> str:
    """The mask before hidden spans: prose spans hold their text normalised (_NORMALISE), the
    rest of the blocks spaces and everything else NUL (spans clipped to the text). Built from
    one piece per run rather than a list of every character (a twentieth of a whole-site check
    went to that list); tests/test_document.py compares the two."""
    length = len(text)
    normalised = text.translate(_NORMALISE)  # one character for one: offsets are kept
    blocks = [(max(start, 0), min(end, length)) for start, end in _merged(blocks)]
    pieces = []
    position = 0
    index = 0  # the first block that may still cover `position`
    for start, end in _merged(prose) + [(length, length)]:
        start, end = max(start, 0), min(end, length)
        while position < start:  # up to the prose: block spaces or NUL
            while index < len(blocks) and blocks[index][1] <= position:
                index += 1
            if index < len(blocks) and blocks[index][0] <= position:
                stop = min(blocks[index][1], start)
                pieces.append(" " * (stop - position))
            else:
                stop = min(blocks[index][0], start) if index < len(blocks) else start
                pieces.append(OUTSIDE * (stop - position))
            position = stop
        if end > position:
            pieces.append(normalised[position:end])
            position = end
    return "".join(pieces)


class DocumentBuilder:
    """Collects prose ranges and blocks from a source, then builds the mask once."""

    def __init__(self, path: str, text: str, format: str, options: object = None):
        self.path = path
        self.text = text
        self.format = format
        # sources.SourceOptions (front matter fields, languages); None means the defaults
        self.options = options
        self._prose: List[Tuple[int, int]] = []
        self._hidden: List[Tuple[int, int, str]] = []
        self.blocks: List[Block] = []
        self.comments: List[Comment] = []
        self.notes: List[Note] = []
        self.lang: Optional[str] = None
        self.meta: Dict[str, object] = {}
        self._template_spans: Optional[List[Tuple[int, int]]] = None
        self._parse_text: Optional[str] = None

    @property
    def template_spans(self) -> List[Tuple[int, int]]:
        """(start, end) of every template tag in the text; never prose, in any format."""
        if self._template_spans is None:
            from .sources.templates import find_template_spans

            self._template_spans = find_template_spans(self.text)
        return self._template_spans

    @property
    def parse_text(self) -> str:
        """The text with template tags replaced by same-length inert filler (newlines kept).

        Sources parse this instead of the original so `{{ "x" | url }}` cannot break an HTML
        attribute, a Markdown link destination or a YAML scalar; offsets are unchanged.
        """
        if self._parse_text is None:
            from .sources.templates import neutralise

            self._parse_text = neutralise(self.text, self.template_spans)
        return self._parse_text

    def add_prose(self, start: int, end: int) -> None:
        if end > start:
            self._prose.append((start, end))

    def prose_ranges(self) -> List[Tuple[int, int]]:
        """The prose ranges marked so far, in document order."""
        return sorted(self._prose)

    def hide(self, start: int, end: int, fill: str = " ") -> None:
        """Blank a range even if it lies inside prose (an entity, an escape, an inline tag).

        `fill` is the character the range reads as: an escape or a character reference such as
        `&eacute;` reads as its character repeated ("ééééééé"), so it neither splits nor joins
        words; everything else reads as spaces."""
        if end > start:
            self._hidden.append((start, end, fill.translate(_NORMALISE) if fill else " "))

    def clear_prose(self) -> None:
        """Forget every prose range, block and comment (a file that is not linted at all)."""
        self._prose.clear()
        self._hidden.clear()
        self.blocks.clear()
        self.comments.clear()

    def add_block(self, start: int, end: int, kind: str = "paragraph", **details) -> None:
        if end > start:
            self.blocks.append(Block(start, end, kind, **details))

    def add_comment(self, start: int, end: int, body: str) -> None:
        self.comments.append(Comment(start, end, body))

    def note(self, message: str, offset: int = 0, severity: str = "warning", code: str = "HL001",
             end: Optional[int] = None) -> None:
        self.notes.append(Note(message, offset, severity, code, end))

    def build(self) -> Document:
        text = self.text
        blocks = sorted(self.blocks, key=lambda b: (b.start, b.end))
        # prose: its text, normalised; the rest of a block: spaces; outside blocks: NUL
        mask = _painted(text, [(block.start, block.end) for block in blocks], self._prose)
        templates = [(start, end, " ") for start, end in self.template_spans] if self._prose else []
        if self._hidden or templates:
            chars = list(mask)
            for start, end, fill in self._hidden + templates:
                segment = chars[start:end]
                if OUTSIDE in segment:
                    chars[start:end] = [char if char == OUTSIDE else fill for char in segment]
                else:
                    chars[start:end] = [fill] * (end - start)
            mask = "".join(chars)
        # what every match holds; without "@" the e-mail branch (tried at every word) cannot match
        if "@" in mask:
            mask = _BARE_LINK.sub(_blank, mask)
        elif "://" in mask or "www." in mask:
            mask = _BARE_URL.sub(_blank, mask)
        self.comments.sort(key=lambda c: c.start)
        return Document(self.path, text, self.format, mask, blocks, self.comments, self.notes, self.lang)

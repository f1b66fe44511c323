"""Incremental parsing of Markdown buffers for the language server.

Parsing dominates the time to lint a long page (markdown-it-py reads well under 1 MB/s), yet a
keystroke changes one paragraph. So a buffer is cut into chunks at places where CommonMark
cannot carry any state across (a blank line followed by a line that starts at column 0 and is
not a list item, outside fenced code and front matter), each chunk is parsed on its own and
cached by its text, and the chunk Documents are stitched into one Document for the whole
buffer. The linter then runs on the whole Document as usual, so document-level rules and
context see the entire page.

The result must equal `sources.parse(text)`; when a buffer holds anything that could carry
state across a cut (link reference definitions, HTML blocks, fences inside containers) or the
Document model has fields this module does not know how to stitch, the whole buffer is parsed
the ordinary way. `tests/test_lsp_incremental.py` checks the equality on many documents.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Dict, List, Optional, Tuple

from ..document import Document
from ..normalise import needs_normalising
from ..sources import PARSERS, SourceOptions, parse
from ..sources.language import guess_language, language_from_path, normalise_language

# Document fields the stitcher fills in; any other field means the model grew and chunking is
# no longer known to be exact, so the buffer is parsed whole.
_KNOWN_DOCUMENT_FIELDS = {"path", "text", "format", "mask", "blocks", "comments", "notes", "lang", "reuse",
                          "source_map", "_line_index", "_sentences", "_block_starts", "_sentence_starts"}
_LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
# a blank line, then a line starting at column 0: the only places a cut may go
_CUT = re.compile(r"\n[ \t]*\r?\n(?=[^ \t\r\n])")
_COLUMN_0_FENCE = re.compile(r"^(`{3,}|~{3,})([^\n]*)$", re.MULTILINE)
# a fence-like run at the start of a line after indentation, quote markers or list markers
_FENCE_ANYWHERE = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(?:`{3,}|~{3,})", re.MULTILINE)
_LINK_DEFINITION = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*\[[^\]\n]*\]:", re.MULTILINE)
_HTML_START = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*<", re.MULTILINE)
_ONE_LINE_COMMENT = re.compile(r"[ \t]{0,3}<!--.*?-->[ \t]*\r?$")
_FRONT_MATTER_FENCES = ("---", "+++")


def _language_allowed(document: Document, path: str, options) -> bool:
    """Whether the whole-page language check (sources.language) would let the page be linted."""
    allowed = tuple(getattr(options, "languages", ("en",)) or ("en",))
    if "*" in allowed:
        return True
    code = normalise_language(document.lang) if document.lang else None
    if code is None:
        code = language_from_path(path, "markdown")
    if code is None:
        guess = guess_language(document.mask.replace("\x00", " "))
        code = guess[0] if guess else None
    return code is None or code in {normalise_language(c) or c.lower() for c in allowed}


def _chunkable_model() -> bool:
    names = {f.name for f in dataclasses.fields(Document)}
    return names == _KNOWN_DOCUMENT_FIELDS and PARSERS.get("markdown") == "markdown:parse"


def _unsafe(text: str) -> bool:
    """True when something in the buffer may carry parser state across a blank line. (The
    `in` tests skip the line-by-line patterns for the many buffers that cannot match them.)"""
    if "\ufeff" in text or "\r" in text.replace("\r\n", ""):
        return True
    if "]:" in text and _LINK_DEFINITION.search(text):
        return True
    if "```" in text or "~~~" in text:
        for match in _FENCE_ANYWHERE.finditer(text):
            if match.group()[0] not in "`~":
                return True  # a fence inside a container or indented: its extent depends on the container
    if "<" not in text:
        return False
    for match in _HTML_START.finditer(text):
        line_end = text.find("\n", match.start())
        if not _ONE_LINE_COMMENT.fullmatch(text, match.start(), line_end if line_end >= 0 else len(text)):
            return True  # an HTML block may run across blank lines
    return False


def _front_matter_end(text: str) -> Optional[int]:
    """Where a possible front matter block ends (0 when the buffer has none; None when it is not
    closed, so where the document really starts is left to the parser)."""
    first_end = text.find("\n")
    first = text[:first_end if first_end >= 0 else len(text)].rstrip("\r").rstrip(" \t")
    if first not in _FRONT_MATTER_FENCES:
        return 0
    closing = re.compile(rf"^(?:{re.escape(first)}|\.\.\.)[ \t]*\r?$", re.MULTILINE)
    match = closing.search(text, first_end + 1) if first_end >= 0 else None
    return match.end() if match else None


def chunk_starts(text: str) -> Optional[List[int]]:
    """Offsets where independent chunks start (the first is 0), or None when the buffer must be
    parsed whole."""
    if _unsafe(text):
        return None
    front_end = _front_matter_end(text)
    if front_end is None:
        return None
    # events in order: ("cut", offset) candidates and ("fence", offset, run, rest) lines
    events = [(m.end(), 0, None) for m in _CUT.finditer(text, front_end)]
    events += [(m.start(), 1, m) for m in _COLUMN_0_FENCE.finditer(text, front_end)]
    events.sort(key=lambda event: (event[0], event[1]))
    starts = [0]
    fence: Optional[Tuple[str, int]] = None  # (character, length) of the open fence
    for offset, kind, match in events:
        if kind == 1:
            run, rest = match.group(1), match.group(2)
            if fence is None:
                if not (run[0] == "`" and "`" in rest):
                    fence = (run[0], len(run))
            elif run[0] == fence[0] and len(run) >= fence[1] and not rest.strip():
                fence = None
            continue
        if fence is not None:
            continue
        line_end = text.find("\n", offset)
        line = text[offset:line_end if line_end >= 0 else len(text)].rstrip("\r")
        # a chunk must not start like a document would (a front matter fence) or continue a list
        if not _LIST_MARKER.match(line) and line.rstrip(" \t") not in _FRONT_MATTER_FENCES:
            starts.append(offset)
    return starts


class IncrementalMarkdown:
    """Parses successive versions of one Markdown buffer, re-parsing only changed chunks."""

    def __init__(self, path: str):
        self.path = path
        self._chunks: Dict[str, _Chunk] = {}
        self.reparsed = 0  # chunks parsed by the last call (for tests and benchmarks)
        self._options = None

    def parse(self, text: str, options=None) -> Document:
        """The Document for `text`, identical to `sources.parse(text, path, "markdown", options)`."""
        # text normalised for matching (invisible characters, look-alikes...) is parsed whole:
        # its chunks would each carry a source map
        starts = chunk_starts(text) if _chunkable_model() and not needs_normalising(text) else None
        if not starts or len(starts) == 1:
            self._chunks = {}
            self.reparsed = 1
            return parse(text, self.path, "markdown", options)
        # the language check needs the whole page: chunks are parsed with it off, then it is
        # decided once for the stitched document (a skipped page is parsed whole, which is cheap)
        if options is not None and options != self._options:
            self._chunks = {}
        self._options = options
        chunk_options = dataclasses.replace(options or SourceOptions(), languages=("*",))
        chunks: Dict[str, _Chunk] = {}
        parts: List[Tuple[int, _Chunk]] = []
        self.reparsed = 0
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            source = text[start:end]
            chunk = chunks.get(source) or self._chunks.get(source)
            if chunk is None:
                chunk = _Chunk(parse(source, self.path, "markdown", chunk_options))
                self.reparsed += 1
            chunks[source] = chunk
            parts.append((start, chunk))
        self._chunks = chunks
        document = stitch(text, self.path, parts)
        if not _language_allowed(document, self.path, options):
            return parse(text, self.path, "markdown", options)
        return document


class _Chunk:
    """A parsed chunk and its parts moved to where the chunk last sat in the buffer (most chunks
    do not move between two edits, so their moved parts are reused)."""

    def __init__(self, document: Document):
        self.document = document
        self.shift: Optional[int] = None
        self.blocks: list = []
        self.comments: list = []
        self.notes: list = []
        self.sentences: list = []
        self.spans: dict = {}  # pattern signature -> matches relative to the chunk (see Linter)

    def at(self, shift: int) -> "_Chunk":
        if shift != self.shift:
            document = self.document
            self.blocks = _shifted(document.blocks, shift, ("start", "end"))
            self.comments = _shifted(document.comments, shift, ("start", "end"))
            self.notes = _shifted(document.notes, shift, ("offset",))
            self.sentences = [(start + shift, end + shift) for start, end in document.sentences]
            self.shift = shift
        return self


def stitch(text: str, path: str, parts: List[Tuple[int, "_Chunk"]]) -> Document:
    """One Document from chunks parsed at the given offsets of `text`. Sentences are split within
    blocks, so each chunk's sentences carry over too."""
    blocks, comments, notes, sentences = [], [], [], []
    lang = None
    for shift, chunk in parts:
        chunk.at(shift)
        blocks += chunk.blocks
        comments += chunk.comments
        notes += chunk.notes
        sentences += chunk.sentences
        lang = lang or chunk.document.lang
    mask = "".join(chunk.document.mask for _, chunk in parts)
    reuse = [(shift, shift + len(chunk.document.mask), chunk.spans) for shift, chunk in parts]
    return Document(path, text, "markdown", mask, blocks, comments, notes, lang, reuse=reuse,
                    _sentences=sentences, _sentence_starts=[start for start, _ in sentences])


def _shifted(items, shift: int, names: Tuple[str, ...]) -> list:
    """Copies of dataclass instances with offset fields moved by `shift` (whatever other fields
    they have; faster than dataclasses.replace, which matters for thousands of blocks)."""
    if not shift:
        return list(items)
    moved = []
    for item in items:
        copy = object.__new__(item.__class__)
        copy.__dict__.update(item.__dict__)
        for name in names:
            copy.__dict__[name] += shift
        moved.append(copy)
    return moved

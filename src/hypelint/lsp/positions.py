"""Offsets ↔ LSP positions in the negotiated position encoding (UTF-16 unless the client offers
UTF-8 or UTF-32).

hypelint works with code point offsets into the original text; an LSP `Position` is a 0-based
line and a column counted in the client's code units. Lines end at "\\n", "\\r\\n" or "\\r" as the
protocol says (not at the other separators `str.splitlines` knows, such as U+2028), so this
module keeps its own line table instead of relying on pygls' document helpers.

Pure Python: no pygls import, so it is tested (and usable) without the `lsp` extra.
"""
from __future__ import annotations

import bisect
from typing import List, Tuple

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"
ENCODINGS = (UTF8, UTF16, UTF32)


def code_units(text: str, encoding: str) -> int:
    """How many code units `text` takes in `encoding`."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF16:
        return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


def _code_points_for_units(line: str, units: int, encoding: str) -> int:
    """The code point index in `line` at which `units` code units have been consumed.

    A column that falls inside a character (half a surrogate pair, the middle of a UTF-8
    sequence) rounds down to that character's start; a column past the end is the line's end.
    """
    if units <= 0:
        return 0
    if encoding == UTF32 or line.isascii():
        return min(units, len(line))
    consumed = 0
    for index, char in enumerate(line):
        width = _unit_width(char, encoding)
        if consumed + width > units:
            return index
        consumed += width
        if consumed == units:
            return index + 1
    return len(line)


def _unit_width(char: str, encoding: str) -> int:
    point = ord(char)
    if encoding == UTF16:
        return 2 if point > 0xFFFF else 1
    if point < 0x80:
        return 1
    if point < 0x800:
        return 2
    if point < 0x10000:
        return 3
    return 4


def line_starts(text: str) -> List[int]:
    """Offsets where each line begins; lines end at "\\n", "\\r\\n" or a lone "\\r"."""
    starts = [0]
    if "\r" not in text:
        find = text.find
        index = find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = find("\n", index + 1)
        return starts
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\n":
            starts.append(index + 1)
        elif char == "\r":
            if index + 1 < length and text[index + 1] == "\n":
                index += 1
            starts.append(index + 1)
        index += 1
    return starts


class PositionMapper:
    """Converts between code point offsets into `text` and (line, character) in `encoding`."""

    def __init__(self, text: str, encoding: str = UTF16):
        encoding = encoding_name(encoding)
        if encoding not in ENCODINGS:
            encoding = UTF16
        self.text = text
        self.encoding = encoding
        self.starts = line_starts(text)

    def _line_bounds(self, line: int) -> Tuple[int, int]:
        """(start, end) offsets of a 0-based line, the end before its line terminator."""
        start = self.starts[line]
        if line + 1 < len(self.starts):
            end = self.starts[line + 1] - 1
            if end > start and self.text[end] == "\n" and self.text[end - 1] == "\r":
                end -= 1
        else:
            end = len(self.text)
        return start, end

    def position(self, offset: int) -> Tuple[int, int]:
        """(line, character) of a code point offset, both 0-based; character in code units."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start, end = self._line_bounds(line)
        # an offset inside a "\r\n" pair counts as the end of the line
        return line, code_units(self.text[start:min(offset, end)], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The code point offset of a client position, clamped to the document as the protocol
        asks: a line past the end is the end of the text, a character past the line's end is the
        line's end."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self._line_bounds(line)
        return start + _code_points_for_units(self.text[start:end], character, self.encoding)

    def line_text(self, line: int) -> str:
        """A 0-based line without its terminator."""
        start, end = self._line_bounds(line)
        return self.text[start:end]

    @property
    def line_count(self) -> int:
        return len(self.starts)


def negotiate(client_encodings) -> str:
    """The encoding to use: the client's first offer that we support, else UTF-16 (the default
    every client must accept)."""
    for offered in client_encodings or ():
        name = encoding_name(offered)
        if name in ENCODINGS:
            return name
    return UTF16


def encoding_name(encoding) -> str:
    """The plain string of an encoding given as a string or an lsprotocol enum member."""
    return str(getattr(encoding, "value", encoding) or UTF16)

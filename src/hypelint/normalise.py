"""Text normalised for matching, so claims cannot be smuggled past the rules: invisible and bidi
control characters removed, compatibility forms folded (NFKC: ligatures, full-width and
mathematical letters), combining accents on Latin letters dropped, Cyrillic and Greek
look-alikes inside Latin words read as Latin letters, NUL read as a space.

`normalise(text)` returns the text to parse and a SourceMap from its offsets back to the
original's; the linter maps every finding back (Linter.lint_document), so positions, columns
and quoted source lines point at the original characters. Text without any such character
(nearly all copy) is returned as it is, with no map, at the cost of one regex search.
"""
from __future__ import annotations

import bisect
import unicodedata
from typing import List, Optional, Tuple

import regex

# Removed: zero-width characters, bidi controls, the soft hyphen, variation selectors, tags.
_INVISIBLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
              "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f")
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Compatibility forms whose NFKC form is a Latin letter or digit: ligatures, full-width forms,
# mathematical alphanumerics, circled and parenthesised letters, letter-like symbols.
_COMPATIBLE = "\ufb00-\ufb06\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\U0001d400-\U0001d7ff\u2100-\u214f\u24b6-\u24e9"

# Cyrillic, Greek and other letters drawn like Latin ones (Unicode's confusables, the ones that
# matter for English words).
CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m",
    "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ӏ": "l", "ɡ": "g", "ո": "n", "ս": "u", "օ": "o",
    "А": "A", "В": "B", "Е": "E", "Ё": "E", "З": "3", "І": "I", "Ј": "J", "К": "K", "М": "M", "Н": "H",
    "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y", "Ѕ": "S", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W",
    # Greek
    "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Latin letters that read as others
    "ı": "i", "ȷ": "j", "ℓ": "l",
}
_CONFUSABLE_CHARS = "".join(sorted(CONFUSABLES))
_SUSPICIOUS = regex.compile(f"[\\x00{_INVISIBLE}{_COMBINING}{_COMPATIBLE}{_CONFUSABLE_CHARS}]")
_CONFUSABLE = regex.compile(f"[{_CONFUSABLE_CHARS}]")
_INVISIBLE_CHAR = regex.compile(f"[{_INVISIBLE}]")
_COMBINING_CHAR = regex.compile(f"[{_COMBINING}]")
# a word holding a Latin letter and a look-alike: only there is the look-alike read as Latin,
# so Russian or Greek copy is left as it is
_MIXED_WORD = regex.compile(f"(?=[\\w{_CONFUSABLE_CHARS}]*[A-Za-z])(?=[\\w]*[{_CONFUSABLE_CHARS}])"
                            f"[\\w{_CONFUSABLE_CHARS}]+")
_TRANSLATE_CONFUSABLES = str.maketrans(CONFUSABLES)


def _is_latin_letter(char: str) -> bool:
    return "A" <= char <= "Z" or "a" <= char <= "z" or "\u00c0" <= char <= "\u024f" and char.isalpha()


class SourceMap:
    """Offsets of the normalised text back to the original's. `edits` are (new start, new end,
    original start, original end) of every changed stretch, in order; between them offsets move
    by a constant."""

    def __init__(self, original: str, edits: List[Tuple[int, int, int, int]]):
        self.original = original
        self.edits = edits
        self._starts = [edit[0] for edit in edits]
        self._old_starts = [edit[2] for edit in edits]

    def start(self, offset: int) -> int:
        """The original offset of the character at `offset` of the normalised text."""
        return self._map(offset, self._starts, 0)

    def to_normalised(self, offset: int) -> int:
        """The inverse of `start`: where the original offset's character went (a removed one:
        where the next character went)."""
        return self._map(offset, self._old_starts, 2)

    def _map(self, offset: int, starts: List[int], side: int) -> int:
        """`offset` on one side of the edits (side 0: normalised, 2: original) on the other."""
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0:
            return offset
        edit = self.edits[index]
        from_end, to_start, to_end = edit[side + 1], edit[2 - side], edit[3 - side]
        if offset < from_end:
            return to_start
        return to_end + (offset - from_end)

    def end(self, offset: int, start: int) -> int:
        """The original end offset of a span ending at `offset` (exclusive) that starts at `start`."""
        if offset <= start:
            return self.start(start)
        return self.start(offset - 1) + 1 if not self._inside_expansion(offset - 1) else self._old_end(offset - 1)

    def _inside_expansion(self, offset: int) -> bool:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self.edits[index][1]

    def _old_end(self, offset: int) -> int:
        return self.edits[bisect.bisect_right(self._starts, offset) - 1][3]


def needs_normalising(text: str) -> bool:
    return not text.isascii() and _SUSPICIOUS.search(text) is not None or "\x00" in text


def normalise(text: str) -> Tuple[str, Optional[SourceMap]]:
    """(text for matching, map back to `text`'s offsets or None when nothing changed)."""
    if not needs_normalising(text):
        return text, None
    pieces: List[str] = []
    edits: List[Tuple[int, int, int, int]] = []
    written = 0  # length of the normalised text so far
    position = 0
    last = ""  # the last character written
    for match in _SUSPICIOUS.finditer(text):
        index = match.start()
        if index > position:
            pieces.append(text[position:index])
            written += index - position
            last = text[index - 1]
        position = index + 1
        char = match.group()
        if char == "\x00":
            replacement = " "
        elif char in CONFUSABLES:
            replacement = char  # decided per word below (same length: no edit)
        elif _INVISIBLE_CHAR.match(char):
            replacement = ""
        elif _COMBINING_CHAR.match(char):
            replacement = "" if _is_latin_letter(last) else char  # "cu\u0301re" reads "cure"
        else:
            folded = unicodedata.normalize("NFKC", char)  # a letter or digit only: "™" stays
            letter = unicodedata.category(char)[0] == "L" or unicodedata.category(char) == "Nd"
            replacement = folded if letter and folded.isalnum() and folded.isascii() else char
        if replacement != char:
            edits.append((written, written + len(replacement), index, index + 1))
        pieces.append(replacement)
        written += len(replacement)
        if replacement:
            last = replacement[-1]
    pieces.append(text[position:])
    normalised = "".join(pieces)
    if _CONFUSABLE.search(normalised):
        normalised = _MIXED_WORD.sub(lambda word: word.group().translate(_TRANSLATE_CONFUSABLES), normalised)
    if not edits:
        return (text, None) if normalised == text else (normalised, SourceMap(text, []))
    # merge touching edits (a run of removed characters is one stretch)
    merged: List[Tuple[int, int, int, int]] = []
    for edit in edits:
        if merged and merged[-1][1] == edit[0] and merged[-1][3] == edit[2] and merged[-1][0] == merged[-1][1] \
                and edit[0] == edit[1]:
            merged[-1] = (merged[-1][0], edit[1], merged[-1][2], edit[3])
        else:
            merged.append(edit)
    return normalised, SourceMap(text, merged)


def restore_positions(source_map: SourceMap, diagnostics):
    """The diagnostics with offsets, lines, columns and matched text of the original text."""
    import dataclasses

    from .document import LineIndex

    original = source_map.original
    index = LineIndex(original)
    restored = []
    for diagnostic in diagnostics:
        start = source_map.start(diagnostic.start)
        end = max(start, source_map.end(diagnostic.end, diagnostic.start))
        line, column = index.position(start)
        end_line, end_column = index.position(end)
        matched = diagnostic.matched if diagnostic.document_level else original[start:end]
        restored.append(dataclasses.replace(diagnostic, start=start, end=end, line=line, column=column,
                                            end_line=end_line, end_column=end_column, matched=matched))
    return restored

"""Where the strings of a TOML document are: key paths and exact content offsets.

tomllib validates but gives no positions, so this scanner walks the TOML grammar far enough to
know, for every string value, its key path (table headers, dotted keys, inline tables) and the
offsets of its content, and where the `#` comments are. It never raises: on text it cannot
follow it stops, and the caller reports tomllib's error.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import regex
from .. import regexcache

_BARE_KEY = regexcache.compile(r"[A-Za-z0-9_-]+")
_SPACE = regexcache.compile(r"[ \t]*")
_OTHER_VALUE = regexcache.compile(r"[^\s,\]\}#]+(?:[ T][0-9:.+\-Z]+)?")


@dataclass
class TomlString:
    path: Tuple[str, ...]
    start: int
    end: int
    kind: str  # "toml-basic" (escapes) or "toml-literal"


@dataclass
class TomlScan:
    strings: List[TomlString] = field(default_factory=list)
    comments: List[Tuple[int, int, str]] = field(default_factory=list)
    string_ranges: List[Tuple[int, int]] = field(default_factory=list)


class _Stop(Exception):
    pass


class _Scanner:
    def __init__(self, text: str, start: int, end: int):
        self.text = text
        self.pos = start
        self.end = end
        self.result = TomlScan()

    # -- helpers -------------------------------------------------------------------------
    def peek(self, literal: str) -> bool:
        return self.text.startswith(literal, self.pos, self.end)

    def skip_space(self, newlines: bool = False) -> None:
        text = self.text
        while self.pos < self.end:
            char = text[self.pos]
            if char in " \t" or (newlines and char in "\r\n"):
                self.pos += 1
            elif char == "#":
                self.comment()
            else:
                return

    def comment(self) -> None:
        start = self.pos
        line_end = self.text.find("\n", start, self.end)
        line_end = self.end if line_end < 0 else line_end
        stop = line_end - 1 if line_end > start and self.text[line_end - 1] == "\r" else line_end
        self.result.comments.append((start, stop, self.text[start + 1:stop]))
        self.pos = line_end

    # -- grammar -------------------------------------------------------------------------
    def document(self) -> TomlScan:
        table: Tuple[str, ...] = ()
        try:
            while True:
                self.skip_space(newlines=True)
                if self.pos >= self.end:
                    break
                if self.peek("["):
                    double = self.peek("[[")
                    self.pos += 2 if double else 1
                    self.skip_space()
                    table = self.key()
                    self.skip_space()
                    closing = "]]" if double else "]"
                    if not self.peek(closing):
                        raise _Stop
                    self.pos += len(closing)
                else:
                    self.assignment(table)
                self.skip_space()
                if self.pos < self.end and self.text[self.pos] not in "\r\n":
                    raise _Stop
        except _Stop:
            pass
        return self.result

    def key(self) -> Tuple[str, ...]:
        parts = []
        while True:
            self.skip_space()
            if self.peek('"') or self.peek("'"):
                start, end, _ = self.string()
                parts.append(self.text[start:end])
            else:
                match = _BARE_KEY.match(self.text, self.pos, self.end)
                if not match:
                    raise _Stop
                parts.append(match.group())
                self.pos = match.end()
            self.skip_space()
            if self.peek("."):
                self.pos += 1
                continue
            return tuple(parts)

    def assignment(self, prefix) -> None:
        """`key = value` at the cursor, the key read relative to `prefix` (a table's key path)."""
        key = self.key()
        self.skip_space()
        if not self.peek("="):
            raise _Stop
        self.pos += 1
        self.skip_space()
        self.value(prefix + key)

    def value(self, path: Tuple[str, ...]) -> None:
        if self.peek('"') or self.peek("'"):
            opening = self.pos
            start, end, kind = self.string()
            self.result.strings.append(TomlString(path, start, end, kind))
            self.result.string_ranges.append((opening, self.pos))
        elif self.peek("["):
            self.pos += 1
            while True:
                self.skip_space(newlines=True)
                if self.peek("]"):
                    self.pos += 1
                    return
                self.value(path)
                self.skip_space(newlines=True)
                if self.peek(","):
                    self.pos += 1
                elif not self.peek("]"):
                    raise _Stop
        elif self.peek("{"):
            self.pos += 1
            while True:
                self.skip_space(newlines=True)
                if self.peek("}"):
                    self.pos += 1
                    return
                self.assignment(path)
                self.skip_space(newlines=True)
                if self.peek(","):
                    self.pos += 1
        else:
            match = _OTHER_VALUE.match(self.text, self.pos, self.end)
            if not match:
                raise _Stop
            self.pos = match.end()

    def string(self) -> Tuple[int, int, str]:
        """Consume a string; return its content range and kind."""
        text = self.text
        for delimiter, kind in (('"""', "toml-basic"), ("'''", "toml-literal")):
            if self.peek(delimiter):
                start = self.pos + 3
                if text.startswith("\r\n", start):  # a newline right after the opening is trimmed
                    start += 2
                elif text.startswith("\n", start):
                    start += 1
                close = self._find_close(delimiter, start, escapes=kind == "toml-basic")
                end = close
                # up to two quotes may directly precede the closing delimiter
                while text.startswith(delimiter[0], end + 3, self.end) and end - close < 2:
                    end += 1
                self.pos = end + 3
                return start, end, kind
        quote = text[self.pos]
        start = self.pos + 1
        index = start
        while index < self.end:
            char = text[index]
            if char == "\\" and quote == '"':
                index += 2
                continue
            if char == quote:
                self.pos = index + 1
                return start, index, "toml-basic" if quote == '"' else "toml-literal"
            if char == "\n":
                break
            index += 1
        raise _Stop

    def _find_close(self, delimiter: str, start: int, escapes: bool) -> int:
        index = start
        while index < self.end:
            if escapes and self.text[index] == "\\":
                index += 2
                continue
            if self.text.startswith(delimiter, index, self.end):
                return index
            index += 1
        raise _Stop


def scan_toml(text: str, start: int = 0, end: Optional[int] = None) -> TomlScan:
    """Strings and comments of the TOML in text[start:end], with absolute offsets."""
    return _Scanner(text, start, len(text) if end is None else end).document()


def toml_error(text: str) -> Optional[Tuple[str, int, int]]:
    """(message, line, column) of tomllib's complaint about `text`, or None when it is valid."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.9/3.10
        import tomli as tomllib
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = regex.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if where:
            return message[:where.start()], int(where.group(1)), int(where.group(2))
        return message, 1, 1
    return None

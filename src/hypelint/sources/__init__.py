"""Sources: one parser per file format, each turning text into a Document.

A source is a function `parse(builder: DocumentBuilder) -> None` that marks prose ranges and
blocks on the builder. New formats register here by name and extension; parsers are imported
lazily so a run only pays for the formats it meets.
"""
from __future__ import annotations

import importlib
import os
from typing import Callable, Dict, Optional

from ..document import Document, DocumentBuilder
from ..errors import SourceError

# format name -> "module:function" relative to this package
PARSERS: Dict[str, str] = {
    "text": "text:parse",
    "markdown": "markdown:parse",
}

# file extension -> format name; files with other extensions are plain text when named
# explicitly, and are not picked up when walking directories.
EXTENSIONS: Dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".mdx": "markdown",
    ".txt": "text",
    ".text": "text",
}

# aliases accepted by `format=` and `--stdin-filename` style guesses
ALIASES = {"md": "markdown", "mdx": "markdown", "txt": "text", "plain": "text"}

_loaded: Dict[str, Callable[[DocumentBuilder], None]] = {}


class BinaryFileError(SourceError):
    """The file looks binary (contains NUL bytes); it is skipped with a note."""


def format_for_path(path: Optional[str], default: str = "text") -> str:
    """The format a path's extension implies, or `default`."""
    if not path:
        return default
    return EXTENSIONS.get(os.path.splitext(path)[1].lower(), default)


def is_known_extension(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in EXTENSIONS


def normalise_format(format: str) -> str:
    name = ALIASES.get(format.lower(), format.lower())
    if name not in PARSERS:
        raise SourceError(f"unknown format {format!r} (known: {', '.join(sorted(PARSERS))})")
    return name


def parser_for(format: str) -> Callable[[DocumentBuilder], None]:
    if format not in _loaded:
        module_name, function = PARSERS[format].split(":")
        module = importlib.import_module(f"{__name__}.{module_name}")
        _loaded[format] = getattr(module, function)
    return _loaded[format]


def parse(text: str, path: str = "<text>", format: Optional[str] = None) -> Document:
    """Build the Document for `text`; `format` defaults to the one `path` implies."""
    format = normalise_format(format) if format else format_for_path(path)
    if text.startswith("\ufeff"):
        text = text[1:]
    builder = DocumentBuilder(path, text, format)
    parser_for(format)(builder)
    return builder.build()


def decode(data: bytes, path: str) -> str:
    """Decode file bytes as UTF-8 (a BOM is dropped); binary data and bad bytes raise."""
    if b"\x00" in data[:8192]:
        raise BinaryFileError("binary file skipped", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise SourceError(f"cannot decode as UTF-8: invalid byte 0x{data[error.start]:02x}",
                          path, line, column) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_file(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise SourceError(f"cannot read file: {error.strerror or error}", path) from None
    return decode(data, path)

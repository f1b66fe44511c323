"""Sources: one parser per file format, each turning text into a Document.

A source is a function `parse(builder: DocumentBuilder) -> None` that marks prose ranges and
blocks on the builder (reading `builder.options`, a SourceOptions, for configurable behaviour).
New formats register here by name and extension; parsers are imported lazily so a run only
pays for the formats it meets. After the source, `parse` applies the language check (see
language.py) to every format alike.
"""
from __future__ import annotations

import fnmatch
import importlib
import os
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

from ..document import Document, DocumentBuilder
from ..errors import SourceError

# format name -> "module:function" relative to this package
PARSERS: Dict[str, str] = {
    "text": "text:parse",
    "markdown": "markdown:parse",
    "mdx": "mdx:parse",
    "html": "html:parse",
    "json": "structured:parse_json",
    "yaml": "structured:parse_yaml",
}

# file extension -> format name; files with other extensions are plain text when named
# explicitly, and are not picked up when walking directories.
EXTENSIONS: Dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".mdx": "mdx",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
}

# aliases accepted by `format=` and `--stdin-filename` style guesses
ALIASES = {"md": "markdown", "txt": "text", "plain": "text", "htm": "html", "yml": "yaml"}

# JSON and YAML files that are tooling configuration, not site copy: skipped when walking
# folders (naming one on the command line still lints it). Dot-files and files in dot-folders
# (.github, .vscode...) are skipped too.
CONFIG_FILE_NAMES = (
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "composer.json", "bower.json",
    "tsconfig*.json", "jsconfig*.json", "deno.json", "lerna.json", "nx.json", "turbo.json",
    "angular.json", "vercel.json", "firebase.json", "renovate.json", "babel.config.json",
    "*.lock.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "docker-compose*.yml",
    "docker-compose*.yaml", "compose.yml", "compose.yaml", "*.schema.json", "manifest.json",
    "pubspec.yaml", "environment.yml", "environment.yaml", "mkdocs.yml", "codecov.yml",
    "netlify.yml", "app.json", "appveyor.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml",
)
_STRUCTURED = frozenset({"json", "yaml"})


@dataclass(frozen=True)
class SourceOptions:
    """Configurable source behaviour (config keys `front-matter-fields` and `languages`).

    front_matter_fields: key names (any depth; camelCase/snake_case/kebab-case alike) or dotted
        key paths whose string values are copy, in addition to the built-in copy fields.
    languages: language codes that are linted; other declared or detected languages are skipped
        with an info note. "*" lints every language.
    """

    front_matter_fields: Tuple[str, ...] = ()
    languages: Tuple[str, ...] = ("en",)


DEFAULT_OPTIONS = SourceOptions()

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


def is_walk_candidate(path: str) -> bool:
    """Whether a file found while walking a folder is linted: a known extension, and for JSON
    and YAML not a dot-file, in a dot-folder, or a well-known tooling config file."""
    format = EXTENSIONS.get(os.path.splitext(path)[1].lower())
    if format is None:
        return False
    if format in _STRUCTURED:
        parts = os.path.normpath(path).replace(os.sep, "/").split("/")
        if any(part.startswith(".") and part not in (".", "..") for part in parts):
            return False
        name = parts[-1].lower()
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in CONFIG_FILE_NAMES):
            return False
    return True


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


def parse(text: str, path: str = "<text>", format: Optional[str] = None,
          options: Optional[SourceOptions] = None) -> Document:
    """Build the Document for `text`; `format` defaults to the one `path` implies."""
    from .language import apply_language_policy
    from ..normalise import normalise

    format = normalise_format(format) if format else format_for_path(path)
    if text.startswith("\ufeff"):
        text = text[1:]
    # matched in a normalised copy (invisible characters, look-alikes, ligatures, NUL); the
    # linter maps findings back to `text` with the document's source map
    text, source_map = normalise(text)
    builder = DocumentBuilder(path, text, format, options or DEFAULT_OPTIONS)
    try:
        parser_for(format)(builder)
    except SourceError as error:  # a source's refusal (nesting too deep...): name the file
        if error.path is None:
            raise SourceError(error.message, path, error.line, error.column) from None
        raise
    except RecursionError:
        raise SourceError("not linted: the input is nested too deeply to process", path) from None
    apply_language_policy(builder)
    document = builder.build()
    document.source_map = source_map
    return document


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

"""Quick fixes as plain text edits: applying a rule's suggestion, a `hypelint-disable-next-line`
comment, and adding a rule to a config file's `ignore:` list.

Edits are (start, end, new_text) with code point offsets into the text they apply to; the
server turns them into LSP workspace edits in the client's position encoding. Pure Python (no
pygls), so every fix is unit-tested without an editor.

Replacements come only from a rule's `replacement:` data, rewrites its authors vetted as
neutral (docs/editors.md); the case follows the sentence. Free-text suggestions are advice for a
person (hover, report) and never become edits.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import yaml

from ..diagnostic import Diagnostic

DIRECTIVE = "hypelint-disable-next-line"
CONFIG_NAME = ".hypelint.yaml"
CONFIG_NAMES = (".hypelint.yaml", ".hypelint.yml")


@dataclass(frozen=True)
class TextEdit:
    """Replace text[start:end] with new_text (offsets in code points)."""

    start: int
    end: int
    new_text: str


@dataclass(frozen=True)
class Replacement:
    title: str
    edit: TextEdit


# -- applying a rule's vetted replacement -----------------------------------------------------------
_SENTENCE_END = ".!?"
_TRAILING_MARKUP = re.compile(r"[\s*_`\"'\u201c\u201d\u2018\u2019()\[\]]*$")
_BLOCK_MARKER = re.compile(r"[ \t]*(?:(?:[#>*+-]|\d+[.)])[ \t]*)*$")


def at_sentence_start(text: str, start: int) -> bool:
    """Whether `start` begins a sentence: the document's start, after . ! or ?, after a blank
    line, or at the start of a heading, list item or quote line (markup and quotes skipped)."""
    before = text[:start]
    line = before[before.rfind("\n") + 1:]
    if line.strip() and _BLOCK_MARKER.fullmatch(line):  # "# ", "- ", "> ", "1. " only
        return True
    words = _TRAILING_MARKUP.sub("", before)
    if not words or words[-1] in _SENTENCE_END:
        return True
    return re.search(r"\n[ \t]*\n", before[len(words):]) is not None  # a new paragraph


def fit_case(new_text: str, text: str, start: int, end: int) -> str:
    """The replacement in the case of the sentence it lands in: capitalised at a sentence start,
    lower-case inside a sentence (an acronym such as "FDA" is kept), shouting where the flagged
    text shouts."""
    matched = text[start:end]
    letters = [char for char in matched if char.isalpha()]
    if len(letters) > 1 and all(char.isupper() for char in letters):
        return new_text.upper()
    if at_sentence_start(text, start):
        return new_text[:1].upper() + new_text[1:]
    if new_text[:1].isupper() and not new_text[1:2].isupper():
        return new_text[:1].lower() + new_text[1:]
    return new_text


def replacement_fixes(diagnostic: Diagnostic, text: str, replacements: Sequence[str] = ()) -> List[Replacement]:
    """One edit per vetted replacement of the rule (its `replacement:` data), replacing the
    flagged span. Suggestions are advice for a person (hover, report) and never become edits:
    a rewrite lifted from advice can assert a claim nobody checked (issue 18)."""
    if diagnostic.document_level or diagnostic.end <= diagnostic.start or not replacements:
        return []
    fixes = []
    seen = set()
    for replacement in replacements:
        new_text = fit_case(replacement, text, diagnostic.start, diagnostic.end)
        if new_text and new_text not in seen:
            seen.add(new_text)
            fixes.append(Replacement(f'Replace with "{new_text}"', TextEdit(diagnostic.start, diagnostic.end, new_text)))
    return fixes


# -- disable-next-line comments ------------------------------------------------------------------
# comment delimiters by format; None: the format has no comments (JSON)
_COMMENTS = {
    "markdown": ("<!-- ", " -->"),
    "html": ("<!-- ", " -->"),
    "mdx": ("{/* ", " */}"),
    "yaml": ("# ", ""),
    "toml": ("# ", ""),
    "text": ("", ""),
    "json": None,
}
_EXTENSION_COMMENTS = {".mdx": "mdx", ".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json",
                       ".html": "html", ".htm": "html"}
# what a directive line must repeat from the flagged line to stay in the same container:
# indentation, and Markdown block quote markers
_MARKUP_PREFIX = re.compile(r"(?:[ \t]*>)*[ \t]*")
_INDENT = re.compile(r"[ \t]*")


def comment_delimiters(path: Optional[str], format: str) -> Optional[Tuple[str, str]]:
    """(opening, closing) of a comment line in this file, or None when it has no comments."""
    extension = os.path.splitext(path or "")[1].lower()
    kind = _EXTENSION_COMMENTS.get(extension, format)
    return _COMMENTS.get(kind)


def disable_next_line_edit(diagnostic: Diagnostic, text: str, path: Optional[str], format: str) -> Optional[TextEdit]:
    """Insert `hypelint-disable-next-line CODE` as a comment line above the flagged line."""
    delimiters = comment_delimiters(path, format)
    if delimiters is None:
        return None
    opening, closing = delimiters
    line_start = text.rfind("\n", 0, diagnostic.start) + 1
    line_end = text.find("\n", line_start)
    line = text[line_start:] if line_end < 0 else text[line_start:line_end]
    newline = "\r\n" if line.endswith("\r") else "\n"
    pattern = _MARKUP_PREFIX if opening.startswith(("<!--", "{/*")) else _INDENT
    prefix = pattern.match(line).group()
    comment = f"{prefix}{opening}{DIRECTIVE} {diagnostic.code}{closing}{newline}"
    return TextEdit(line_start, line_start, comment)


# -- ignoring a rule in the project config -------------------------------------------------------
def new_config_text(code: str, name: str) -> str:
    """The content of a new `.hypelint.yaml` that ignores one rule."""
    return f"ignore:\n  - {code}  # {name}\n"


def _already_ignored(values, code: str, name: str) -> bool:
    return any(isinstance(v, str) and v.strip().lower() in (code.lower(), name.lower()) for v in values or ())


def ignore_in_yaml(text: str, code: str, name: str) -> Optional[TextEdit]:
    """The edit adding `code` to the `ignore:` list of a `.hypelint.yaml`; None when the rule is
    already ignored or the file cannot be edited safely (invalid YAML, not a block mapping)."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return None
    if root is None:
        edit = TextEdit(len(text), len(text), ("\n" if text and not text.endswith("\n") else "") + new_config_text(code, name))
        return _checked_yaml(text, edit, code)
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    for key, value in root.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value == "ignore"):
            continue
        if isinstance(value, yaml.SequenceNode):
            if _already_ignored([item.value for item in value.value if isinstance(item, yaml.ScalarNode)], code, name):
                return None
            edit = _append_to_sequence(text, value, code, name)
        elif isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"):
            colon = text.find(":", key.end_mark.index)
            if colon < 0:
                return None
            end = value.end_mark.index if value.value else colon + 1
            edit = TextEdit(colon + 1, max(end, colon + 1), f" [{code}]")
        else:
            return None
        return _checked_yaml(text, edit, code) if edit else None
    separator = "\n" if text and not text.endswith("\n") else ""
    edit = TextEdit(len(text), len(text), separator + new_config_text(code, name))
    return _checked_yaml(text, edit, code)


def _append_to_sequence(text: str, sequence, code: str, name: str) -> Optional[TextEdit]:
    if sequence.flow_style:
        close = sequence.end_mark.index - 1
        if close < 0 or text[close] != "]":
            return None
        if not sequence.value:
            return TextEdit(close, close, code)
        last = sequence.value[-1].end_mark.index
        return TextEdit(last, last, f", {code}")
    last_item = sequence.value[-1]
    line_start = text.rfind("\n", 0, last_item.start_mark.index) + 1
    prefix = text[line_start:last_item.start_mark.index]
    if not re.fullmatch(r"[ \t]*-[ \t]+", prefix):
        return None
    line_end = text.find("\n", last_item.end_mark.index)
    if line_end < 0:
        line_end = len(text)
    elif line_end > 0 and text[line_end - 1] == "\r":
        line_end -= 1
    newline = "\r\n" if "\r\n" in text else "\n"
    return TextEdit(line_end, line_end, f"{newline}{prefix}{code}  # {name}")


def _checked_yaml(text: str, edit: TextEdit, code: str) -> Optional[TextEdit]:
    """Only hand out an edit whose result parses and lists the rule (never corrupt a config)."""
    result = apply_edits(text, [edit])
    try:
        data = yaml.safe_load(result)
    except yaml.YAMLError:
        return None
    if isinstance(data, dict) and isinstance(data.get("ignore"), list) and code in data["ignore"]:
        return edit
    return None


_TOML_TABLE = re.compile(r"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*hypelint[ \t]*\][ \t]*(?:#[^\n]*)?$", re.MULTILINE)
_TOML_HEADER = re.compile(r"^[ \t]*\[\[?[ \t]*[A-Za-z0-9_.\"' -]+\]\]?[ \t]*(?:#[^\n]*)?$", re.MULTILINE)
_TOML_IGNORE = re.compile(r"^[ \t]*ignore[ \t]*=[ \t]*\[", re.MULTILINE)


def ignore_in_pyproject(text: str, code: str, name: str) -> Optional[TextEdit]:
    """The edit adding `code` to `ignore` in the `[tool.hypelint]` table of a pyproject.toml."""
    table = _TOML_TABLE.search(text)
    if not table:
        return None
    body_start = table.end()
    following = _TOML_HEADER.search(text, body_start + 1)
    body_end = following.start() if following else len(text)
    ignore = _TOML_IGNORE.search(text, body_start, body_end)
    if ignore is None:
        newline = "\r\n" if "\r\n" in text else "\n"
        edit = TextEdit(body_start, body_start, f'{newline}ignore = ["{code}"]  # {name}')
    else:
        last, close = _scan_toml_array(text, ignore.end())
        if close is None:
            return None
        if text[last] == "[":
            edit = TextEdit(last + 1, last + 1, f'"{code}"')
        elif text[last] == ",":
            edit = TextEdit(last + 1, last + 1, f' "{code}",')
        else:
            edit = TextEdit(last + 1, last + 1, f', "{code}"')
    return _checked_toml(text, edit, code, name)


def _scan_toml_array(text: str, start: int) -> Tuple[int, Optional[int]]:
    """From just after an array's `[`: (offset of its last significant character, offset of its
    closing `]`), skipping strings and comments; (start - 1, None) when it does not close."""
    last = start - 1
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char == "#":
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
            continue
        if char in "\"'":
            quote = char
            index += 1
            while index < len(text) and text[index] != quote:
                if text[index] == "\\" and quote == '"':
                    index += 1
                index += 1
            last = index
        elif char == "[":
            depth += 1
            last = index
        elif char == "]":
            if depth == 0:
                return last, index
            depth -= 1
            last = index
        elif not char.isspace():
            last = index
        index += 1
    return last, None


def _checked_toml(text: str, edit: TextEdit, code: str, name: str) -> Optional[TextEdit]:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.9/3.10
        import tomli as tomllib
    try:
        before = tomllib.loads(text).get("tool", {}).get("hypelint", {})
        after = tomllib.loads(apply_edits(text, [edit])).get("tool", {}).get("hypelint", {})
    except ValueError:
        return None
    if _already_ignored(before.get("ignore") if isinstance(before.get("ignore"), list) else (), code, name):
        return None
    ignored = after.get("ignore")
    return edit if isinstance(ignored, list) and code in ignored else None


def apply_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """The text after non-overlapping edits (used to check fixes and in tests)."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[:edit.start] + edit.new_text + text[edit.end:]
    return text

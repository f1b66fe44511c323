"""Structured copy: JSON and YAML locale and data files, and the string scalars of front matter.

In a `.json`, `.yaml` or `.yml` file every string *value* is prose and keys are not. Positions
are exact: JSON strings are found by a small position-tracking scanner (which survives invalid
JSON and `//` comments), YAML strings by PyYAML's event marks. A string's content range is
prose; escapes (`\\n`, `\\u00e9`, `''`), placeholders (`{name}`, `%s`) and inline tags are
hidden inside it, so the mask keeps the file's offsets. Values that look like paths, URLs, file
names or identifiers (`/uploads/a.jpg`, `iv-stem-cell-therapy`) are not copy.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, List, Optional, Tuple

import regex
from .. import regexcache
import yaml

from ..document import DocumentBuilder
from ..errors import SourceError
from ..limits import MAX_YAML_DEPTH, deep_flow_offset

# -- one string value -----------------------------------------------------------------------

_ESCAPES = {
    # JSON, YAML double-quoted and TOML basic strings
    "backslash": regexcache.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[ \t]*\r?\n|.)", regex.DOTALL),
    # YAML single-quoted: '' is one quote
    "single": regexcache.compile(r"''"),
}
_STRING_KINDS = {"json": "backslash", "double": "backslash", "toml-basic": "backslash", "single": "single"}

# Syntax embedded in copy strings that is not copy: inline HTML/JSX-ish tags (<b>, <0>),
# ICU/i18next placeholders, printf placeholders, Markdown link destinations.
_EMBEDDED = regexcache.compile(
    r"</?[A-Za-z0-9][^<>\n]{0,200}>"
    r"|\{[A-Za-z_$][\w.$-]*(?:\s*,\s*[A-Za-z]+)?(?:\s*,[^{}]*)?\}"
    r"|%(?:\(\w+\))?[sdif]\b|%\d+\$[sd]"
    r"|(?<=\])\([^()\s]*\)"
)
_IDENTIFIER = regexcache.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){2,}")
_PATH_LIKE = regexcache.compile(r"[/\\@:#=]|\A\.|\.[A-Za-z0-9]{1,5}\Z")


def looks_like_copy(value: str) -> bool:
    """False for values that are paths, URLs, file names, colours or slugs rather than copy."""
    value = value.strip()
    if not any(char.isalpha() for char in value):
        return False
    if any(char.isspace() for char in value):
        return True
    return not (_PATH_LIKE.search(value) or _IDENTIFIER.fullmatch(value))


def _escaped_character(escape: str) -> str:
    """What an escape reads as in the mask: its character if it is a visible one, else a space."""
    if escape[1:2] in "uUx" and len(escape) > 2:
        try:
            character = chr(int(escape[2:], 16))
        except ValueError:
            return " "
        return character if character.isprintable() and not character.isspace() else " "
    character = escape[1:2]
    return character if character in "\"'/\\" else " "


def mark_string(builder: DocumentBuilder, start: int, end: int, kind: str) -> bool:
    """Mark a string's content range as one prose block. `kind` says how escapes are written:
    json, double, single, toml-basic (escapes hidden) or plain, block, toml-literal (none)."""
    text = builder.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start or not looks_like_copy(text[start:end]):
        return False
    builder.add_prose(start, end)
    builder.add_block(start, end, "field")
    escapes = _ESCAPES.get(_STRING_KINDS.get(kind, ""))
    if escapes is not None:
        for match in escapes.finditer(text, start, end):
            if kind == "single":
                builder.hide(match.start() + 1, match.end(), "'")
            else:
                builder.hide(match.start(), match.end(), _escaped_character(match.group()))
    for match in _EMBEDDED.finditer(text, start, end):
        builder.hide(match.start(), match.end())
    return True


# -- YAML -----------------------------------------------------------------------------------

@dataclass
class YamlString:
    """A string scalar value: its key path (mapping keys from the root), content range, kind."""

    path: Tuple[str, ...]
    start: int
    end: int
    kind: str


@dataclass
class YamlScan:
    strings: List[YamlString]
    scalar_ranges: List[Tuple[int, int]]  # every scalar, keys included (comments are outside)
    comments: List[Tuple[int, int, str]]  # (start, end, body) of `#` comments
    error: Optional[Tuple[str, int]]      # (message, offset) when the YAML is invalid


# what PyYAML's reader rejects (yaml.reader.Reader.NON_PRINTABLE)
_NON_PRINTABLE = regexcache.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
_PROPERTIES = regexcache.compile(r"(?:[&!][^\s]*\s+)*")
_STYLE_KINDS = {None: "plain", "'": "single", '"': "double", "|": "block", ">": "block"}
_STR_TAG = "tag:yaml.org,2002:str"
# (also an empty value before a flow collection's closer, `{key: }`: libyaml places the empty
# scalar after the spaces, PyYAML before them; found by tests/test_yaml_fast_path.py)
_LIBYAML_DIFFERS = regexcache.compile("[\t!\x85\u2028\u2029\ufeff]|[|>][-+0-9]*#|:[ ]+[}\\],]")
_FAST_LOADER = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None


class _Frame:
    __slots__ = ("is_map", "expect_key", "key", "in_key")

    def __init__(self, is_map: bool, in_key: bool):
        self.is_map = is_map
        self.expect_key = True
        self.key: Optional[str] = None
        self.in_key = in_key


def scan_yaml(text: str, start: int = 0, end: Optional[int] = None) -> YamlScan:
    """String values of the YAML in text[start:end] with absolute offsets. Invalid YAML yields
    the strings before the error plus the error."""
    end = len(text) if end is None else end
    source = text[start:end]
    deep = deep_flow_offset(source)
    if deep is not None:
        line = text.count("\n", 0, start + deep) + 1
        raise SourceError(f"not linted: YAML nested deeper than {MAX_YAML_DEPTH} levels", line=line)
    error = None
    forbidden = _NON_PRINTABLE.search(source)
    if forbidden:
        # YAML refuses the whole stream; read such characters as spaces and say so once
        error = (f"control character U+{ord(forbidden.group()):04X} is not allowed in YAML",
                 start + forbidden.start())
        source = _NON_PRINTABLE.sub(" ", source)
    strings: List[YamlString] = []
    ranges: List[Tuple[int, int]] = []
    problem = None
    # libyaml gives the same events and offsets ~20x faster, but is laxer than PyYAML with
    # tabs, tags, unusual line breaks, `|#` headers and `?` in flow collections: YAML with any
    # of those takes PyYAML's path (tests/test_yaml_fast_path.py compares the two)
    fast = _FAST_LOADER if not _LIBYAML_DIFFERS.search(source) else None
    if fast is not None and "?" in source and ("[" in source or "{" in source):
        fast = None
    if fast is not None:
        try:
            _read_events(fast, source, text, start, strings, ranges)
        except yaml.YAMLError as fast_problem:
            problem = fast_problem
    if fast is None or problem is not None:
        # invalid YAML: PyYAML's own parser gives the strings before the error and its message
        strings, ranges, problem = [], [], None
        try:
            _read_events(yaml.SafeLoader, source, text, start, strings, ranges)
        except yaml.YAMLError as slow_problem:
            problem = slow_problem
    if problem is not None:
        error = error or _yaml_error(problem, source, start)
    comments = find_hash_comments(text, start, end, ranges)
    return YamlScan(strings, ranges, comments, error)


def _read_events(loader_class, source: str, text: str, start: int,
                 strings: List[YamlString], ranges: List[Tuple[int, int]]) -> None:
    """Append the string values and the ranges of all scalars of `source` (which starts at
    `start` in `text`); raises yaml.YAMLError where the YAML is invalid."""
    loader = loader_class(source)
    stack: List[_Frame] = []
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                in_key = _role_is_key(stack)
                stack.append(_Frame(isinstance(event, yaml.MappingStartEvent), in_key))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                if stack:
                    stack.pop()
                _advance(stack)
            elif isinstance(event, yaml.ScalarEvent):
                style = event.style or None  # libyaml says '' for plain scalars, PyYAML None
                low, high = start + event.start_mark.index, start + event.end_mark.index
                if style in ("|", ">"):  # a comment may follow the `|` header
                    header_end = text.find("\n", low, high)
                    ranges.append((header_end if header_end >= 0 else low, high))
                else:
                    ranges.append((low, high))
                is_key = _role_is_key(stack)
                if is_key and stack and stack[-1].is_map and not stack[-1].in_key:
                    stack[-1].key = event.value
                elif not is_key and _is_string(loader, event, style):
                    content = _content_range(text, low, high, style)
                    if content:
                        path = tuple(frame.key for frame in stack if frame.is_map and frame.key is not None)
                        strings.append(YamlString(path, content[0], content[1], _STYLE_KINDS.get(style, "plain")))
                _advance(stack)
            elif isinstance(event, yaml.AliasEvent):
                _advance(stack)
            elif isinstance(event, yaml.DocumentStartEvent):
                stack = []
    finally:
        loader.dispose()


def _yaml_error(problem, source: str, start: int) -> Tuple[str, int]:
    """(message, absolute offset). When the parser only noticed at the end of the text (an
    unclosed quote or bracket), the construct it was reading is the helpful place."""
    problem_mark = getattr(problem, "problem_mark", None)
    context_mark = getattr(problem, "context_mark", None)
    mark = problem_mark
    if context_mark is not None and (problem_mark is None or not source[problem_mark.index:].strip()):
        mark = context_mark
    offset = mark.index if mark is not None else (getattr(problem, "position", 0) or 0)
    message = getattr(problem, "problem", None) or str(problem).splitlines()[0]
    context = getattr(problem, "context", None)
    if context and mark is context_mark:
        message = f"{context}, {message}"
    return message, start + min(offset, len(source))


def _role_is_key(stack: List[_Frame]) -> bool:
    if not stack:
        return False
    top = stack[-1]
    return top.in_key or (top.is_map and top.expect_key)


def _advance(stack: List[_Frame]) -> None:
    """A node just finished inside the top frame: a mapping now expects the other role."""
    if stack and stack[-1].is_map:
        stack[-1].expect_key = not stack[-1].expect_key


def _is_string(loader, event, style) -> bool:
    if event.tag not in (None, "!"):
        return event.tag == _STR_TAG
    if style is not None:
        return True
    return loader.resolve(yaml.ScalarNode, event.value, event.implicit) == _STR_TAG


def _content_range(text: str, start: int, end: int, style) -> Optional[Tuple[int, int]]:
    """The characters of a scalar's value between its properties/quotes/header and its end."""
    start = _PROPERTIES.match(text, start, end).end()
    if style in ("'", '"'):
        if end - start < 2 or text[start] != style:
            return None
        return start + 1, end - 1
    if style in ("|", ">"):
        newline = text.find("\n", start, end)
        if newline < 0:
            return None
        return newline + 1, end
    return start, end


def find_hash_comments(text: str, start: int, end: int, scalar_ranges) -> List[Tuple[int, int, str]]:
    """`#` comments (YAML, TOML) in text[start:end] that lie outside every scalar."""
    comments = []
    ordered = sorted(scalar_ranges)
    index = 0
    position = text.find("#", start, end)
    while position >= 0:
        while index < len(ordered) and ordered[index][1] <= position:
            index += 1
        inside = index < len(ordered) and ordered[index][0] <= position < ordered[index][1]
        if not inside and (position == start or text[position - 1] in " \t\n"):
            line_end = text.find("\n", position, end)
            line_end = end if line_end < 0 else line_end
            comment_end = line_end - 1 if line_end > position and text[line_end - 1] == "\r" else line_end
            comments.append((position, comment_end, text[position + 1:comment_end]))
            position = text.find("#", line_end, end)
        else:
            position = text.find("#", position + 1, end)
    return comments


def parse_yaml(builder: DocumentBuilder) -> None:
    """A YAML data file: every string value is copy."""
    scan = scan_yaml(builder.parse_text)
    for string in scan.strings:
        mark_string(builder, string.start, string.end, string.kind)
    for start, end, body in scan.comments:
        builder.add_comment(start, end, body)
    if scan.error:
        message, offset = scan.error
        builder.note(f"invalid YAML: {message}; only the strings before it are linted", offset)


# -- JSON -----------------------------------------------------------------------------------

_JSON_TOKEN = regexcache.compile(
    r'(?P<string>"(?:[^"\\\n]|\\.)*(?:"|$))'
    r"|(?P<line_comment>//[^\n]*)"
    r"|(?P<block_comment>/\*.*?(?:\*/|\Z))"
    r"|(?P<punct>[{}\[\]:,])"
    r"|(?P<other>[^\s{}\[\]:,\"/]+|/)",
    regex.DOTALL | regex.MULTILINE,
)


def json_tokens(text: str) -> Iterator[Tuple[str, int, int]]:
    """(kind, start, end) tokens: string, line_comment, block_comment, punct, other."""
    for match in _JSON_TOKEN.finditer(text):
        yield match.lastgroup, match.start(), match.end()


def parse_json(builder: DocumentBuilder) -> None:
    """A JSON (or JSONC) file: every string value is copy, object keys are not."""
    text = builder.text
    tokens = [token for token in json_tokens(text)]
    significant = [token for token in tokens if not token[0].endswith("comment")]
    for index, (kind, start, end) in enumerate(significant):
        if kind != "string":
            continue
        following = significant[index + 1] if index + 1 < len(significant) else None
        is_key = following is not None and following[0] == "punct" and text[following[1]] == ":"
        closed = end - start >= 2 and text[end - 1] == '"'
        if not is_key and closed:
            mark_string(builder, start + 1, end - 1, "json")
    comment_ranges = []
    for kind, start, end in tokens:
        if kind == "line_comment":
            builder.add_comment(start, end, text[start + 2:end])
            comment_ranges.append((start, end))
        elif kind == "block_comment":
            builder.add_comment(start, end, text[start + 2:end - 2] if text.endswith("*/", 0, end) else text[start + 2:end])
            comment_ranges.append((start, end))
    _check_json(builder, text, comment_ranges)


def _check_json(builder: DocumentBuilder, text: str, comment_ranges) -> None:
    if comment_ranges:  # JSONC: validate with the comments blanked
        chars = list(text)
        for start, end in comment_ranges:
            chars[start:end] = " " * (end - start)
        text = "".join(chars)
    if not text.strip():
        return
    import json  # here: Markdown front matter, the common case, needs only the YAML side

    try:
        json.loads(text)
    except RecursionError:  # the tokens above are linted; only the check cannot go that deep
        builder.note("JSON nested too deeply to validate; its strings are still linted", 0)
    except ValueError as error:
        position = getattr(error, "pos", 0) or 0
        message = getattr(error, "msg", str(error))
        builder.note(f"invalid JSON: {message}; its strings are still linted", position)

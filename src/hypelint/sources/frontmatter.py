"""Front matter (YAML `---`, TOML `+++`) shared by the Markdown, MDX and HTML sources: where it
is, which of its fields are copy, and marking those fields as prose with exact positions."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence

import regex
from .. import regexcache

_FRONT_MATTER = regexcache.compile(
    r"\A(?P<fence>---|\+\+\+)[ \t]*\r?\n(?P<body>.*?)^(?:(?P=fence)|\.\.\.)[ \t]*(?:\r?\n|\Z)",
    regex.DOTALL | regex.MULTILINE,
)
_EMPTY = regexcache.compile(r"\A(?P<fence>---|\+\+\+)[ \t]*\r?\n(?P=fence)[ \t]*(?:\r?\n|\Z)")


@dataclass
class FrontMatter:
    """Where a front matter block and its body are in the text."""

    kind: str        # "yaml" or "toml"
    start: int       # offset of the opening fence
    end: int         # offset just past the closing fence line
    body_start: int  # offset of the first character between the fences
    body_end: int


def find_front_matter(text: str) -> Optional[FrontMatter]:
    """The front matter block at the very start of `text`, if any."""
    match = _FRONT_MATTER.match(text)
    if match:
        kind = "yaml" if match.group("fence") == "---" else "toml"
        return FrontMatter(kind, match.start(), match.end(), match.start("body"), match.end("body"))
    match = _EMPTY.match(text)
    if match:
        kind = "yaml" if match.group("fence") == "---" else "toml"
        return FrontMatter(kind, 0, match.end(), match.end(), match.end())
    return None


# -- copy fields ----------------------------------------------------------------------------

# Keys whose string values are copy: a key whose last word is one of these (`title`,
# `meta_description`, `seoTitle`, `og-description`, `imageAlt`: alt text is prose in Markdown
# and HTML too), and question/answer text under an FAQ key.
COPY_FIELD_WORDS = frozenset({"title", "subtitle", "description", "summary", "excerpt", "alt"})
FAQ_WORDS = frozenset({"faq", "faqs"})
FAQ_FIELDS = frozenset({"question", "answer", "questions", "answers", "q", "a"})
LANGUAGE_KEYS = ("lang", "language", "locale")

_KEY_WORD = regexcache.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def key_words(key: str) -> List[str]:
    """`metaDescription`, `meta_description`, `meta-description` -> ["meta", "description"]."""
    return [word.lower() for word in _KEY_WORD.findall(key)]


def normalise_key(key: str) -> str:
    return "".join(key_words(key))


class CopyFields:
    """Decides from a key path (mapping keys from the root) whether a string is copy."""

    def __init__(self, extra: Sequence[str] = ()):
        self.names = set()
        self.paths = []
        for field in extra:
            parts = tuple(normalise_key(part) for part in field.split("."))
            if len(parts) == 1:
                self.names.add(parts[0])
            else:
                self.paths.append(parts)

    def is_copy(self, path: Sequence[str]) -> bool:
        keys = [str(key) for key in path]
        normalised = [normalise_key(key) for key in keys]
        for index, key in enumerate(keys):
            words = key_words(key)
            if words and words[-1] in COPY_FIELD_WORDS:
                return True
            if normalised[index] in self.names:
                return True
            if FAQ_WORDS.intersection(words) and any(k.lower() in FAQ_FIELDS for k in keys[index + 1:]):
                return True
        for parts in self.paths:
            for index in range(len(normalised) - len(parts) + 1):
                if tuple(normalised[index:index + len(parts)]) == parts:
                    return True
        return False


def mark_front_matter(builder, front: FrontMatter) -> None:
    """Lint the copy fields of front matter, record its `#` comments and its language, and
    report invalid front matter once (the body is linted either way)."""
    from .structured import mark_string, scan_yaml

    options = builder.options
    fields = CopyFields(getattr(options, "front_matter_fields", ()) or ())
    text = builder.parse_text
    if front.kind == "yaml":
        scan = scan_yaml(text, front.body_start, front.body_end)
        strings = [(s.path, s.start, s.end, s.kind) for s in scan.strings]
        comments = scan.comments
        if scan.error:
            message, offset = scan.error
            builder.note(f"invalid YAML front matter: {message} (fields from here on are not linted; "
                         f"the body is)", offset)
    else:
        from .tomlscan import scan_toml, toml_error

        scan = scan_toml(text, front.body_start, front.body_end)
        strings = [(s.path, s.start, s.end, s.kind) for s in scan.strings]
        comments = scan.comments
        problem = toml_error(text[front.body_start:front.body_end])
        if problem:
            message, line, column = problem
            offset = _offset_of(text, front.body_start, line, column)
            builder.note(f"invalid TOML front matter: {message} (fields from here on are not linted; "
                         f"the body is)", offset)
    for path, start, end, kind in strings:
        if len(path) == 1 and path[0] in LANGUAGE_KEYS and builder.lang is None:
            builder.lang = text[start:end].strip()
            builder.meta["lang_source"] = ("front matter `%s`" % path[0], start)
        elif path and fields.is_copy(path):
            mark_string(builder, start, end, kind)
    for start, end, body in comments:
        builder.add_comment(start, end, body)


def _offset_of(text: str, base: int, line: int, column: int) -> int:
    offset = base
    for _ in range(line - 1):
        newline = text.find("\n", offset)
        if newline < 0:
            return len(text)
        offset = newline + 1
    return min(offset + max(column - 1, 0), len(text))

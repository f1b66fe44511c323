"""Front matter detection shared by the Markdown-family sources (YAML `---`, TOML `+++`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex

_FRONT_MATTER = regex.compile(
    r"\A(?P<fence>---|\+\+\+)[ \t]*\r?\n(?P<body>.*?)^(?:(?P=fence)|\.\.\.)[ \t]*(?:\r?\n|\Z)",
    regex.DOTALL | regex.MULTILINE,
)
_EMPTY = regex.compile(r"\A(?P<fence>---|\+\+\+)[ \t]*\r?\n(?P=fence)[ \t]*(?:\r?\n|\Z)")


@dataclass
class FrontMatter:
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

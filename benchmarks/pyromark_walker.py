"""The Rust Markdown parser measured for issue 7 and not adopted: pyromark (pulldown-cmark).

A prose-mask walker over pyromark's events with byte ranges, the differential test against
hypelint's own Markdown source (markdown-it-py), a generator of odd Markdown for that test, and a
way to run `hypelint check` with it. Results are in benchmarks/README.md ("Parsing: pyromark").

    pip install pyromark                               # into the environment hypelint is in
    python benchmarks/pyromark_walker.py compare 'benchmarks/corpus/full/**/*.md' ...
    python benchmarks/pyromark_walker.py fuzz 2000     # generated edge cases
    python benchmarks/pyromark_walker.py check --no-cache --jobs 2 benchmarks/corpus/full

`compare` and `fuzz` parse every document both ways and report those whose mask, blocks,
comments or notes differ. (markdown-it-pyrs, the Rust port of markdown-it, was tried first and
dropped: version 0.4.0 panics on text such as "it's [a ` b] c", and has no wheels for Python 3.13+.)
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Callable, List, Optional, Tuple

import glob
import random
import sys

import regex
from hypelint import regexcache
from hypelint.document import DocumentBuilder
from hypelint.sources import html, parse, read_file
from hypelint.sources import markdown as markdown_source
from hypelint.sources.markdown import _subtract

try:
    import pyromark
except ImportError:  # no wheel for this platform or Python: hypelint.sources.markdown's walker
    pyromark = None

AVAILABLE = pyromark is not None

_COMMENT = regexcache.compile(r"<!--(.*?)-->", regex.DOTALL)
_NON_ASCII = regexcache.compile(r"[^\x00-\x7f]+")
_INLINE_CONTAINERS = frozenset({"Emphasis", "Strong", "Strikethrough", "Link", "Image"})
_INLINE_LEAVES = frozenset({"Text", "Code", "InlineHtml", "SoftBreak", "HardBreak"})


def char_offsets(source: str) -> Optional[Callable[[int], int]]:
    """A function from UTF-8 byte offsets in `source` to character offsets (None: ASCII, the same)."""
    if source.isascii():
        return None
    after: List[int] = []   # byte offset just after each non-ASCII character
    extra: List[int] = []   # bytes beyond one per character, up to and including it
    surplus = 0
    for match in _NON_ASCII.finditer(source):
        char_index = match.start()
        for char in match.group():
            surplus += len(char.encode("utf-8")) - 1
            char_index += 1
            after.append(char_index + surplus)
            extra.append(surplus)

    def convert(byte_offset: int) -> int:
        index = bisect_right(after, byte_offset)
        return byte_offset - (extra[index - 1] if index else 0)

    return convert


def parse_body(builder: DocumentBuilder, text: str, start: int, mdx: bool = False) -> bool:
    """Mark the prose of the Markdown in text[start:]; False if this parser cannot (then the
    caller uses the pure-Python one)."""
    if mdx:
        return False  # pulldown-cmark cannot turn indented code off
    source = text[start:]
    try:
        events = pyromark.events_with_range(source, options=_OPTIONS)
    except Exception:  # text the Rust side rejects
        return False
    convert = char_offsets(source)
    _EventWalker(builder, text, start, convert).walk(events)
    return True


_OPTIONS = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH) if AVAILABLE else 0


def _kind(event) -> Tuple[str, str, object]:
    """("Start" | "End" | "", name, detail) of a pyromark event."""
    if isinstance(event, str):
        return "", event, None
    (tag, value), = event.items()
    if tag in ("Start", "End"):
        if isinstance(value, str):
            return tag, value, None
        (name, detail), = value.items()
        return tag, name, detail
    return "", tag, value


class _EventWalker:
    def __init__(self, builder: DocumentBuilder, text: str, offset: int, convert):
        self.builder = builder
        self.text = text
        self.offset = offset
        self.convert = convert

    def span(self, where) -> Tuple[int, int]:
        low, high = where["start"], where["end"]
        if self.convert is not None:
            low, high = self.convert(low), self.convert(high)
        return low + self.offset, high + self.offset

    def walk(self, events) -> None:
        quote_depth = list_depth = 0
        skip = 0            # inside a code block, an autolink: nothing is prose
        run: Optional[list] = None   # [kind, start, end, spans, code]
        for event, where in events:
            tag, name, detail = _kind(event)
            if skip:
                if tag == "Start" and name in ("CodeBlock", "Link"):
                    skip += 1
                elif tag == "End" and name in ("CodeBlock", "Link"):
                    skip -= 1
                continue
            inline = name in _INLINE_LEAVES or name in _INLINE_CONTAINERS
            if inline:
                low, high = self.span(where)
                if run is None:  # inline content straight in a tight list item
                    run = ["list_item" if list_depth else "paragraph", low, high, [], [], quote_depth, list_depth]
                elif run[1] is None:
                    run[1], run[2] = low, high
                else:
                    run[2] = max(run[2], high)
                if name == "Text":
                    self.text_span(low, high, detail, run[3])
                elif name == "Code":
                    run[4].append((low, high))
                elif tag == "Start" and name == "Link" and detail.get("link_type") in ("Autolink", "Email"):
                    skip = 1
                continue
            if tag == "Start":
                if run is not None and name not in ("Paragraph", "Heading", "TableCell"):
                    self.flush(run)
                    run = None
                if name == "Paragraph":
                    run = ["list_item" if list_depth else "paragraph", None, None, [], [], quote_depth, list_depth]
                elif name == "Heading":
                    run = ["heading", None, None, [], [], quote_depth, list_depth]
                elif name == "TableCell":
                    run = ["table_cell", None, None, [], [], quote_depth, list_depth]
                elif name == "BlockQuote":
                    quote_depth += 1
                elif name == "List":
                    list_depth += 1
                elif name == "CodeBlock":
                    skip = 1
                elif name == "HtmlBlock":
                    self.html_block(*self.span(where), quoted=quote_depth > 0)
            elif tag == "End":
                if run is not None and name in ("Paragraph", "Heading", "TableCell", "Item"):
                    self.flush(run)
                    run = None
                if name == "BlockQuote":
                    quote_depth -= 1
                elif name == "List":
                    list_depth -= 1
        if run is not None:
            self.flush(run)

    def text_span(self, low: int, high: int, content: str, spans) -> None:
        source = self.text[low:high]
        if source == content:
            spans.append((low, high))
        elif source.startswith("&") and source.endswith(";"):
            return  # a character reference: not prose
        else:
            spans.extend(_aligned(self.text, low, high, content))

    def flush(self, run) -> None:
        kind, start, end, spans, code, quote_depth, list_depth = run
        if start is None:
            return
        comments = [(m.start(), m.end(), m.group(1)) for m in _COMMENT.finditer(self.text, start, end)
                    if not any(low < m.end() and m.start() < high for low, high in code)]
        for low, high in _subtract(spans, [(c[0], c[1]) for c in comments]) if comments else spans:
            self.builder.add_prose(low, high)
        for low, high, body in comments:
            self.builder.add_comment(low, high, body)
        self.builder.add_block(start, end, kind, list_depth=list_depth, quoted=quote_depth > 0)

    def html_block(self, low: int, high: int, quoted: bool) -> None:
        text = self.text
        start = text.rfind("\n", 0, low) + 1
        newline = text.find("\n", max(high - 1, low))
        end = newline + 1 if newline >= 0 else len(text)
        if not quoted:
            html.extract(self.builder, text, start, end)
            return
        for match in _COMMENT.finditer(text, start, end):
            self.builder.add_comment(match.start(), match.end(), match.group(1))


def _aligned(text: str, low: int, high: int, content: str) -> List[Tuple[int, int]]:
    """The runs of text[low:high] that spell `content` in order, skipping source characters
    the content does not have."""
    runs: List[Tuple[int, int]] = []
    index = 0
    for offset in range(low, high):
        if index < len(content) and text[offset] == content[index]:
            index += 1
            if runs and runs[-1][1] == offset:
                runs[-1] = (runs[-1][0], offset + 1)
            else:
                runs.append((offset, offset + 1))
    return runs


# -- running it -----------------------------------------------------------------------------------
def install() -> None:
    """Make hypelint's Markdown source use this walker (the pure-Python one for MDX, or when
    pyromark fails)."""
    original = markdown_source.parse_body

    def parse_body_fast(builder, text, start, mdx=False):
        if not (AVAILABLE and parse_body(builder, text, start, mdx)):
            original(builder, text, start, mdx)

    markdown_source.parse_body = parse_body_fast
    _installed.append((original, parse_body_fast))


_installed: list = []


def _state(document):
    return (document.mask, [(b.start, b.end, b.kind, b.list_depth, b.quoted) for b in document.blocks],
            [(c.start, c.end, c.body) for c in document.comments], [(n.message, n.offset) for n in document.notes])


def both(text: str, path: str):
    original, fast = _installed[0]
    markdown_source.parse_body = original
    expected = _state(parse(text, path))
    markdown_source.parse_body = fast
    return expected, _state(parse(text, path))


def _report(label: str, text: str, expected, got) -> None:
    print(f"DIFF {label}")
    for index, (a, b) in enumerate(zip(expected[0], got[0])):
        if a != b:
            line_start = text.rfind("\n", 0, index) + 1
            line_end = text.find("\n", index)
            print(f"  mask at {index}: {text[line_start:line_end][:120]!r}")
            print(f"    markdown-it-py {expected[0][line_start:line_end][:120]!r}")
            print(f"    pyromark       {got[0][line_start:line_end][:120]!r}")
            break
    if expected[1] != got[1]:
        print(f"  blocks only markdown-it-py: {sorted(set(expected[1]) - set(got[1]))[:3]}")
        print(f"  blocks only pyromark:       {sorted(set(got[1]) - set(expected[1]))[:3]}")


_WORDS = ["cure", "heals", "stem", "cells", "café", "naïve", "治疗", "🙂", "guaranteed", "safe", "FDA", "the"]
_INLINE = [
    lambda r: r.choice(_WORDS), lambda r: f"*{r.choice(_WORDS)}*", lambda r: f"**{r.choice(_WORDS)} x**",
    lambda r: f"_{r.choice(_WORDS)}_", lambda r: f"~~{r.choice(_WORDS)}~~", lambda r: f"`{r.choice(_WORDS)}`",
    lambda r: f"``a ` {r.choice(_WORDS)}``", lambda r: f"[{r.choice(_WORDS)} x](http://e.com/y \"t\")",
    lambda r: "[x][ref]", lambda r: "[ref]", lambda r: f"![alt {r.choice(_WORDS)}](i.png)",
    lambda r: "<http://auto.link/x>", lambda r: "<me@ex.com>", lambda r: "&amp;", lambda r: "&eacute;",
    lambda r: "&#35;", lambda r: "\\*", lambda r: "\\|", lambda r: "<b>", lambda r: "</b>", lambda r: "<!-- c -->",
    lambda r: "<!-- hypelint-disable-line HL101 -- reason -->", lambda r: "{{ site.url }}",
    lambda r: "https://bare.example.com/x", lambda r: "*", lambda r: "_", lambda r: "[", lambda r: "]",
    lambda r: "`", lambda r: "\t", lambda r: "\\", lambda r: "<", lambda r: "&", lambda r: "|",
]


def _line(r, n=None):
    return " ".join(r.choice(_INLINE)(r) for _ in range(n or r.randint(1, 8)))


def _paragraph(r):
    return "\n".join(_line(r) + r.choice(["", "", "  ", "\\", " "]) for _ in range(r.randint(1, 3)))


_BLOCKS = [
    _paragraph,
    lambda r: "#" * r.randint(1, 6) + " " + _line(r) + r.choice(["", " ##"]),
    lambda r: _line(r) + "\n" + r.choice(["===", "---"]),
    lambda r: "\n".join(r.choice(["- ", "* ", "1. ", "2) "]) + _paragraph(r).replace("\n", "\n  ")
                        for _ in range(r.randint(1, 3))),
    lambda r: "- " + _line(r) + "\n  - " + _line(r) + "\n    1. " + _line(r) + "\n\n  " + _line(r),
    lambda r: "> " + _paragraph(r).replace("\n", "\n> ") + r.choice(["", "\nlazy " + _line(r)]),
    lambda r: "| a | b |\n|---|:-:|\n" + "\n".join(f"| {_line(r, 2)} | {_line(r, 2)} |" for _ in range(3)),
    lambda r: "a | b\n--- | ---\n" + _line(r, 2) + " | " + _line(r, 2),
    lambda r: "```\n" + _line(r) + "\n```", lambda r: "    indented " + _line(r),
    lambda r: "<div>\n" + _line(r) + "\n</div>", lambda r: "<!--\n" + _line(r) + "\n-->",
    lambda r: "[ref]: http://ref.example.com \"Title\"", lambda r: "***",
]


def generated(seed: int) -> str:
    r = random.Random(seed)
    parts = [r.choice(_BLOCKS)(r) for _ in range(r.randint(1, 7))]
    text = r.choice(["\n\n", "\n"]).join(parts) + "\n"
    return text.replace("\n", "\r\n") if r.random() < 0.15 else text


def main(argv) -> int:
    if not AVAILABLE:
        print("pyromark is not installed (pip install pyromark)", file=sys.stderr)
        return 2
    install()
    command, args = argv[0], argv[1:]
    if command == "check":
        from hypelint.cli import main as hypelint_main

        return hypelint_main(["check", *args])
    if command == "compare":
        paths = [path for pattern in args for path in sorted(glob.glob(pattern, recursive=True))]
        documents = ((path, path, read_file(path)) for path in paths)
    else:
        paths = range(int(args[0]) if args else 1000)
        documents = ((f"generated #{seed}", "generated.md", generated(seed)) for seed in paths)
    differ = 0
    for label, path, text in documents:
        expected, got = both(text, path)
        if expected != got:
            differ += 1
            if differ <= 10:
                _report(label, text, expected, got)
    print(f"{differ} of {len(paths)} documents differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

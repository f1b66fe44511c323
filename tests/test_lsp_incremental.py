"""The language server's incremental Markdown parsing must give exactly the Document a whole
parse gives: same mask, blocks, comments and notes, for every document and after every edit."""
from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from hypelint.lsp.incremental import IncrementalMarkdown, chunk_starts
from hypelint.sources import parse

from conftest import ROOT, SHARED, needs_shared


def snapshot(document):
    return (document.text, document.mask, [dataclasses.astuple(b) for b in document.blocks],
            [dataclasses.astuple(c) for c in document.comments], [dataclasses.astuple(n) for n in document.notes],
            document.lang, document.format, document.sentences)


def assert_same_as_whole_parse(text: str, parser: IncrementalMarkdown = None):
    parser = parser or IncrementalMarkdown("page.md")
    assert snapshot(parser.parse(text)) == snapshot(parse(text, "page.md", "markdown"))


TRICKY = {
    "front matter with blank lines and comments": "---\ntitle: x\n\n# not a heading\n---\n\n# Cures\n\nIt cures.\n",
    "toml front matter closed by its own fence": "+++\na = 1\n\n---\n\nb = 2\n+++\n\nIt cures.\n",
    "thematic breaks that look like front matter": "Intro.\n\n---\n\nIt cures.\n\n---\n\nMore cures.\n",
    "fence with blank lines and headings": "Intro.\n\n```md\n# cures\n\ncures\n```\n\nIt cures.\n\n~~~~\n\n~~~\nx\n\n~~~~\n\nEnd cures.\n",
    "unclosed fence": "Intro cures.\n\n```\n\n# cures\n\ncures\n",
    "backtick info with backtick is no fence": "Intro.\n\n```a`b\n\nIt cures.\n",
    "loose lists": "- one cures\n\n- two cures\n\n  more of two\n\n1. first\n\n2. second cures\n\nAfter the list cures.\n",
    "block quotes": "> quoted cures\n\n> another quote\n>\n> cures again\n\nPlain cures.\n",
    "indented code": "Intro.\n\n    code cures\n\n    more code\n\nProse cures.\n",
    "tables": "| a | b |\n| --- | --- |\n| cures | no side effects |\n\nText cures.\n",
    "setext headings": "Title cures\n===\n\nSub\n---\n\n===\n\nText.\n",
    "one-line comments": "<!-- hypelint-disable-next-line HL101 -->\nIt cures.\n\n<!-- a -->\n\nIt cures too.\n",
    "multi-line comment block": "Intro.\n\n<!-- start\n\n# hidden cures\n\n-->\n\nShown cures.\n",
    "html block": "<div>\n\n# cures\n\n</div>\n\nText cures.\n",
    "link reference definitions": "See [the study][s].\n\n[s]: https://example.org/study\n\nIt cures.\n",
    "fence in a list item": "- item\n\n  ```\n\n# not heading\n\n  ```\n\nText cures.\n",
    "crlf": "# Title\r\n\r\nIt cures.\r\n\r\n- a\r\n\r\nMore cures.\r\n",
    "lone cr": "# Title\r\rIt cures.\r",
    "emoji and escapes": "# Care 🌿\n\nSmile 😀 it \\*cures\\* colds & more.\n\n*emphasis* cures\n\n* * *\n\nEnd.\n",
    "byte order mark": "\ufeff# Title\n\nIt cures.\n",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_markdown_parses_the_same(name):
    assert_same_as_whole_parse(TRICKY[name])


def test_unsafe_buffers_are_parsed_whole_and_simple_ones_in_chunks():
    for name in ("multi-line comment block", "html block", "link reference definitions", "fence in a list item",
                 "lone cr", "byte order mark"):
        assert chunk_starts(TRICKY[name]) is None, name
    text = TRICKY["fence with blank lines and headings"]
    starts = chunk_starts(text)
    assert [text[s:s + 6] for s in starts] == ["Intro.", "```md\n", "It cur", "~~~~\n\n", "End cu"]
    front = TRICKY["front matter with blank lines and comments"]
    assert [front[s:s + 7] for s in chunk_starts(front)] == ["---\ntit", "# Cures", "It cure"]


def _documents():
    paths = sorted((ROOT / "examples").rglob("*.md"))
    if (SHARED / "wild").is_dir():
        paths += sorted((SHARED / "wild").glob("*.md"))
    return paths


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name[:50])
def test_real_pages_parse_the_same(path: Path):
    assert_same_as_whole_parse(path.read_text(encoding="utf-8"))


def test_edits_reuse_unchanged_chunks_and_stay_exact():
    """Random edits (including ones that open fences, comments and lists) applied one after
    another to one incremental parser: every version equals a whole parse."""
    rng = random.Random(6)
    pieces = ["cures ", "\n\n", "\n", "```\n", "~~~\n", "- ", "> ", "# ", "---\n", "+++\n", "<!-- x -->\n",
              "    ", "\t", "😀", "| a |\n", "1. ", "* ", "===\n", "text"]
    rare = ["<!--", "-->", "[a]: /b\n", "\r", "<div>"]  # each makes the buffer unsafe to cut
    safe = [name for name in sorted(TRICKY) if chunk_starts(TRICKY[name]) is not None]
    base = "\n\n".join(TRICKY[name] for name in safe)
    chunked = 0
    for round_number in range(6):
        text = base
        parser = IncrementalMarkdown("page.md")
        for _ in range(60):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.3 and len(text) > 10:
                text = text[:at] + text[at + rng.randrange(1, 8):]
            else:
                text = text[:at] + rng.choice(rare if rng.random() < 0.02 else pieces) + text[at:]
            assert_same_as_whole_parse(text, parser)
            starts = chunk_starts(text)
            chunked += starts is not None and len(starts) > 1
    assert chunked > 150, "most versions must exercise the chunked path"


def test_an_edit_reparses_only_its_chunk():
    text = "\n".join(f"## Section {n}\n\nParagraph {n} about care.\n" for n in range(50))
    parser = IncrementalMarkdown("page.md")
    parser.parse(text)
    edited = text.replace("Paragraph 25 about", "Paragraph 25 cures, about")
    assert snapshot(parser.parse(edited)) == snapshot(parse(edited, "page.md", "markdown"))
    assert parser.reparsed == 1


def test_findings_with_reused_matches_equal_a_whole_parse_across_edits():
    """The server reuses each unchanged chunk's pattern matches between versions; the findings
    must stay exactly those of linting the whole buffer from scratch."""
    from hypelint.linter import Linter

    linter = Linter()
    paragraphs = [
        "# Stem cell hair clinic",
        "Our serum reverses hair loss with no side effects.",
        "Studies have shown that it works for everyone.",
        "This therapy is not FDA-approved.",
        "- It cures baldness\n- It is guaranteed",
        "Book a consultation today.",
    ]
    parser = IncrementalMarkdown("page.md")
    rng = random.Random(7)
    for _ in range(40):
        index = rng.randrange(len(paragraphs))
        choice = rng.choice(["Clinically proven results.", "A calm, friendly clinic.",
                             "It may help reverse thinning hair.", paragraphs[index]])
        paragraphs[index] = choice
        text = "\n\n".join(paragraphs) + "\n"
        incremental = linter.lint_document(parser.parse(text))
        whole = linter.lint_document(parse(text, "page.md", "markdown"))
        assert [d.to_dict() for d in incremental] == [d.to_dict() for d in whole], text


@needs_shared  # counts real pages of ../shared
def test_keys_found_region_by_region_equal_a_whole_scan():
    """The prefilter's keys of an edited buffer come from each region's cached keys: they must
    be the keys a scan of the whole mask finds, for real pages and after edits."""
    from hypelint.linter import Linter
    from hypelint.prefilter import Prefilter

    linter = Linter()
    prefilter = Prefilter(linter.rules)
    assert prefilter.line_local
    checked = 0
    for path in _documents():
        text = path.read_text(encoding="utf-8")
        parser = IncrementalMarkdown(path.name)
        for version in (text, text.replace("\n\n", "\n\nIt cures acne, and no side effects.\n\n", 3)):
            document = parser.parse(version)
            if document.reuse is None:
                continue
            keys = linter._reused_keys(prefilter, document)
            assert keys == prefilter.found_keys(document.mask), path.name
            checked += 1
    assert checked >= 10


@needs_shared  # counts real pages of ../shared
def test_page_genre_found_region_by_region_equals_a_whole_scan():
    """The consumer-protection genre (three distinct caution words anywhere on the page) comes
    from each region's cached words in an edited buffer: the same answer as a whole-page scan,
    with the words spread over several regions."""
    from hypelint.context import Context

    words = ["Beware of scams.", "Watch out for red flags.", "It cures everything.", "Too good to be true!"]
    pages = ["\n\n".join(f"## Part {n}\n\n{words[n % len(words)] if n < count else 'Calm text.'}"
                         for n in range(12)) + "\n" for count in range(5)]
    pages += [path.read_text(encoding="utf-8") for path in _documents()]
    regions = 0
    for text in pages:
        document = IncrementalMarkdown("page.md").parse(text)
        if document.line_regions() is not None:
            regions += 1
        assert Context(document).warning_genre() == Context(parse(text, "page.md", "markdown")).warning_genre()
    assert regions >= 10
    # "Beware of scams." alone is two words; with "Watch out for red flags." in another region, four
    assert [Context(IncrementalMarkdown("p.md").parse(page)).warning_genre() for page in pages[:5]] == \
        [False, False, True, True, True]

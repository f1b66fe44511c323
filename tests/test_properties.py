"""Property-based tests: for arbitrary documents built from the syntax that trips sources up
(Markdown, HTML, MDX, templates, front matter, entities, unclosed constructs), linting never
raises and every position is valid: inside the file, consistent with its line and column, and
on exactly the words a rule looks for (never on the syntax around them)."""
from __future__ import annotations

import contextlib
import dataclasses

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypelint.document import LineIndex
from hypelint.sources import SourceOptions, parse
from tiny_rules import linter

SETTINGS = settings(max_examples=120, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
OPTIONS = SourceOptions(languages=("*",))  # a random document must not be skipped as "not English"

WORDS = ["cure", "cures", "Cure", "guaranteed", "no side effects", "no\nside effects", "serum", "It", ".",
         ",", " ", "  ", "\t", "\n", "\n\n", "\r\n", "é", "\u2019", "\u00a0", "\U0001F9EC", "\u0301", "\x0b"]
TEMPLATES = ["{{", "}}", "{%", "%}", "{{ cure }}", "{% if cure %}", "{{< cure >}}", "{{% cure %}}", "{#", "#}",
             "<%= cure %>", "{: .cure}", "{#cure}"]
MARKDOWN = ["# ", "## ", "> ", "- ", "* ", "1. ", "   ", "    ", "*", "**", "_", "~~", "`", "``", "```", "~~~",
            "[", "]", "(", ")", "![", "](", "](http://x.com/cure)", "<", ">", "<https://cure.com>", "\\",
            "&amp;", "&nbsp;", "&#x41;", "|", "| a | cure |\n|---|---|\n", "---", "+++", "title: ",
            "---\ntitle: ", "+++\ntitle = \"", "\n---\n", "[x]: http://cure.com", "<!--", "-->",
            "<!-- hypelint-disable-next-line HL701 -->\n", "<!-- hypelint-disable -->", "<!-- hypelint-enable -->",
            "<div>", "</div>", "<span title=\"cure\">", "www.cure.com", "a@cure.com"]
HTML = ["<p>", "</p>", "<div class=\"cure\">", "</div>", "<b>", "</b>", "<br>", "<img alt=\"cure\" src=cure.png>",
        "<img alt='", "<a href=\"/cure\" title=\"", "\"", "'", "=", "<", ">", "/>", "</", "<script>", "</script>",
        "<style>", "</style>", "<pre>", "</pre>", "<code>", "</code>", "<title>", "</title>", "<!--", "-->",
        "<!DOCTYPE html>", "<![CDATA[", "]]>", "<?xml ?>", "&amp;", "&eacute;", "&#8217;", "&", "&#", ";",
        "<meta name=\"description\" content=\"", "<meta property=og:description content=", "<li>", "<ul>",
        "</ul>", "<td>", "<svg>", "</svg>", "<html lang=\"en\">", "<textarea>", "</ textarea>",
        "<!-- hypelint-disable-next-line HL701 -->", "---\ntitle: "]
MDX = ["import x from 'y'\n", "export const a = {\n", "}\n", "<Alert>", "</Alert>", "<Alert severity=\"cure\">",
       "<Link href={\"/cure\"}>", "</Link>", "<>", "</>", "{", "}", "{cure}", "{/* cure */}", "`", "'", "\"",
       "<X y={() => <Z/>} />", "{/* hypelint-disable-next-line HL701 */}\n"]
YAML = ["a: ", "- ", "  ", "'", "\"", "\\\"", "''", "|", ">-", "? ", ": ", "#", "# hypelint-disable-next-line\n",
        "{", "}", "[", "]", ",", "&x ", "*x", "!!str ", "\n", "---\n", "...\n", "%YAML 1.2\n", "\t"]
JSON = ["{", "}", "[", "]", ":", ",", "\"", "\\\"", "\\u00e9", "\\n", "\\", "// c\n", "/*", "*/", "true", "1",
        "\"cure\"", "\"a\": ", "\"It cures\""]


def documents(*alphabets):
    fragments = [fragment for alphabet in alphabets for fragment in alphabet]
    return st.lists(st.one_of(st.sampled_from(fragments), st.text(max_size=4)), max_size=40).map("".join)


def check(text, path):
    document = parse(text, path, options=OPTIONS)
    assert len(document.mask) == len(document.text)
    for offset, char in enumerate(document.text):
        if char == "\n":
            assert document.mask[offset] in "\n \x00"
    diagnostics = linter(source_options=OPTIONS).lint_text(text, path=path)
    # findings point into the text as given; the document may hold a copy normalised for
    # matching (invisible characters removed...: hypelint.normalise), mapped by its source_map
    source_map = document.source_map
    original = source_map.original if source_map is not None else document.text
    index = LineIndex(original)
    for diagnostic in diagnostics:
        assert 0 <= diagnostic.start <= diagnostic.end <= len(original)
        assert 1 <= diagnostic.line <= index.line_count
        assert 1 <= diagnostic.column <= len(index.line_text(diagnostic.line)) + 2
        assert index.position(diagnostic.start) == (diagnostic.line, diagnostic.column)
        assert index.position(diagnostic.end) == (diagnostic.end_line, diagnostic.end_column)
        if diagnostic.code.startswith("HL7"):
            low, high = diagnostic.start, diagnostic.end
            if source_map is not None:
                low, high = source_map.to_normalised(low), source_map.to_normalised(high)
            matched = document.text[low:high]
            assert "\x00" not in document.mask[low:high]
            if diagnostic.code != "HL703":  # single words: the original text is exactly the word
                assert matched.lower() in ("cure", "cures", "guaranteed"), (matched, diagnostic)
            else:
                assert regex.fullmatch(r"no\s+side\s+effects", document.mask[low:high], regex.IGNORECASE)


@SETTINGS
@given(documents(WORDS, MARKDOWN, TEMPLATES))
def test_markdown_never_raises_and_positions_are_valid(text):
    check(text, "page.md")


@SETTINGS
@given(documents(WORDS, HTML, TEMPLATES))
def test_html_never_raises_and_positions_are_valid(text):
    check(text, "page.html")


@SETTINGS
@given(documents(WORDS, MARKDOWN, MDX))
def test_mdx_never_raises_and_positions_are_valid(text):
    check(text, "page.mdx")


@settings(max_examples=60, deadline=None, database=None)
@given(documents(WORDS, YAML))
def test_yaml_never_raises_and_positions_are_valid(text):
    check(text, "data.yaml")


@settings(max_examples=60, deadline=None, database=None)
@given(documents(WORDS, JSON))
def test_json_never_raises_and_positions_are_valid(text):
    check(text, "data.json")


@pytest.mark.parametrize("text", [
    "<p>cure", "<", "<!--", "&", "<a href='", "{{", "```", "---\n", "+++\n", "<img alt=\"cure",
    "- <!-- cure -->\n  cures", "> <div>\n> cure", "\r\n\r\n<p>\r\ncure\r\n</p>",
])
@pytest.mark.parametrize("path", ["page.md", "page.html", "page.mdx", "data.yaml", "data.json", "notes.txt"])
def test_edge_documents(text, path):
    check(text, path)


@contextlib.contextmanager
def _inline_parser_for_all_content():
    """The shared Markdown parsers with markdown-it's own core `inline` rule, which parses plain
    inline content too (hypelint's skips it: hypelint.sources.markdown._plain_spans)."""
    from markdown_it.rules_core.inline import inline

    from hypelint.sources import markdown

    saved = dict(markdown._parsers)
    markdown._parsers.clear()
    try:
        for mdx in (False, True):
            markdown.markdown_parser(mdx).core.ruler.at("inline", inline)
        yield
    finally:
        markdown._parsers.clear()
        markdown._parsers.update(saved)


def _parsed(text, path):
    document = parse(text, path, options=OPTIONS)
    return (document.mask, [dataclasses.astuple(block) for block in document.blocks],
            [dataclasses.astuple(comment) for comment in document.comments],
            [dataclasses.astuple(note) for note in document.notes])


@settings(max_examples=400, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(documents(WORDS, MARKDOWN, TEMPLATES), st.sampled_from(["page.md", "page.mdx"]))
def test_plain_inline_content_parses_as_the_inline_parser_would(text, path):
    fast = _parsed(text, path)
    with _inline_parser_for_all_content():
        assert _parsed(text, path) == fast

"""Positions are the product: exact line/column for every tricky input, in every source."""
from __future__ import annotations

import pytest

from hypelint.document import LineIndex
from hypelint.linter import Linter
from hypelint.rules import load_packs

RULES = load_packs(["core"])


def spans(text, format="markdown", select=("cure-claim",)):
    diagnostics = Linter(RULES, select=list(select)).lint_text(text, format=format)
    return [(d.line, d.column, d.end_line, d.end_column) for d in diagnostics]


def test_line_index_round_trip():
    index = LineIndex("ab\r\ncd\n\nef")
    assert index.position(0) == (1, 1)
    assert index.position(4) == (2, 1)
    assert index.position(8) == (4, 1)
    assert index.offset(2, 2) == 5
    assert index.line_text(1) == "ab"


@pytest.mark.parametrize("format", ["markdown", "text"])
def test_crlf_line_endings(format):
    assert spans("First line.\r\nIt cures baldness.\r\n", format) == [(2, 4, 2, 9)]


@pytest.mark.parametrize("format", ["markdown", "text"])
def test_utf8_bom_is_not_a_column(format):
    assert spans("\ufeffcures here", format) == [(1, 1, 1, 6)]


def test_bom_in_file_bytes(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeffIt cures.\n".encode("utf-8"))
    result = Linter(RULES, select=["cure-claim"]).lint_file(str(path))
    assert [(d.line, d.column) for d in result.diagnostics] == [(1, 4)]


def test_tabs_count_as_one_column():
    assert spans("\tA\tcure\there", "text") == [(1, 4, 1, 8)]


def test_combining_characters_count_code_points():
    # "e" + U+0304 COMBINING MACRON is two code points
    assert spans("Cafe\u0304 cure", "text") == [(1, 7, 1, 11)]
    assert spans("Cafe\u0304 cure") == [(1, 7, 1, 11)]


def test_emoji_outside_bmp_is_one_column():
    assert spans("\U0001F9EC\U0001F9EC cure now") == [(1, 4, 1, 8)]


def test_blockquote_prefixes():
    text = "> Intro line\n> > It cures\n> all."
    assert spans(text) == [(2, 8, 2, 13)]


def test_phrase_across_blockquote_line_break():
    text = "> Our serum will reverse\n> hair loss fast."
    assert spans(text, select=("reversal-claim",)) == [(1, 18, 2, 12)]


def test_nested_list_indentation():
    text = "- one\n  - two\n    - three cures\n"
    assert spans(text) == [(3, 13, 3, 18)]


def test_ordered_list_inside_blockquote():
    assert spans("> 1. It cures.\n") == [(1, 9, 1, 14)]


def test_heading_table_link_text_and_alt_text_are_prose():
    text = (
        "# A cure\n\n"
        "| col | other |\n|---|---|\n| x | cure |\n\n"
        "[a cure](https://example.com/cure) and ![cure photo](cure.png)\n"
    )
    assert spans(text) == [(1, 5, 1, 9), (5, 7, 5, 11), (7, 4, 7, 8), (7, 42, 7, 46)]


def test_table_cell_with_escaped_pipes_is_prose_at_exact_columns():
    # GFM reads `\|` in a cell as `|`: the cell's text is still found, and columns count the
    # backslashes (the whole cell used to be dropped)
    text = "| a | b |\n|---|---|\n| it cures \\| or `x\\|y` | then cures |\n"
    assert spans(text) == [(3, 6, 3, 11), (3, 32, 3, 37)]


@pytest.mark.parametrize("text", [
    "```\ncure\n```\n",
    "~~~md\nit cures\n~~~\n",
    "    indented cure\n",
    "Use `cure` in code.\n",
    "See <https://example.com/cure>.\n",
    "[link](https://example.com/cure)\n",
    "![](cure.png)\n",
    "Visit https://cure.example.com today.\n",
    "<div class=\"cure\"></div>\n",
    "Text <span title=\"cure\">x</span>.\n",
    "<!-- cure -->\n",
    "---\nlayout: cure\n---\nBody.\n",
    "+++\nslug = \"cure\"\n+++\nBody.\n",
    "[ref link][cure]\n\n[cure]: https://example.com/cure\n",
])
def test_non_prose_is_never_searched(text):
    assert spans(text) == []


def test_front_matter_keeps_body_lines_exact():
    assert spans("---\ntitle: x\n---\n\nIt cures.\n") == [(5, 4, 5, 9)]


def test_emphasis_inside_phrase():
    assert spans("It will **reverse** hair loss.", select=("reversal-claim",)) == [(1, 11, 1, 30)]


def test_entities_and_escapes():
    assert spans("Caf&eacute; \\*cure\\*") == [(1, 15, 1, 19)]


def test_match_never_spans_two_blocks():
    assert spans("Reverse\n\nhair loss") == []
    assert spans("# Reverse\nhair loss") == []


def test_sentences_and_blocks_available():
    from hypelint.sources import parse

    document = parse("# Title\n\nFirst one. Second one? Dr. Lee said so.\n\n- item\n", "x.md")
    assert [b.kind for b in document.blocks] == ["heading", "paragraph", "list_item"]
    sentences = [document.text[s:e] for s, e in document.sentences]
    assert sentences == ["Title", "First one.", "Second one?", "Dr. Lee said so.", "item"]
    start = document.text.index("Second")
    assert document.text[slice(*document.sentence_at(start))] == "Second one?"


def test_plain_text_paragraphs_and_lists():
    from hypelint.sources import parse

    text = "A heading\nA long paragraph " + "x" * 120 + ".\n- item one\n\nwrapped\nparagraph\n"
    document = parse(text, "x.txt")
    assert [(b.kind, document.text[b.start:b.end]) for b in document.blocks] == [
        ("paragraph", "A heading"),
        ("paragraph", "A long paragraph " + "x" * 120 + "."),
        ("list_item", "item one"),
        ("paragraph", "wrapped\nparagraph"),
    ]

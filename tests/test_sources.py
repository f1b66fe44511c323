"""Fixture tests for every source format, with exact positions (line, column, end line, end
column; 1-based, end-exclusive). The copy is our own; the rules are tests/tiny_rules.py:
HL701 cure(s), HL702 guaranteed, HL703 no side effects."""
from __future__ import annotations

import pytest

from conftest import needs_shared
from hypothesis import given, settings
from hypothesis import strategies as st

from hypelint.sources import SourceOptions, format_for_path, is_walk_candidate, parse
from tiny_rules import found


def codes(results):
    return [r[-1] for r in results]


# -- HTML ---------------------------------------------------------------------------------------

HTML_PAGE = """<html><head><title>It cures</title>
<meta name="description" content="Cures fast.">
<meta property="og:description" content="A cure.">
<style>.cure { color: red }</style><script>cure()</script></head>
<body class="cure"><!-- cure -->
<p>Our <b>serum</b> cures <a href="/cure" title="a cure">x</a>.</p>
<img src="cure.png" alt="Cure photo"><code>cure</code><pre>cure</pre>
</body></html>
"""


def test_html_prose_positions():
    assert found(HTML_PAGE, path="page.html") == [
        (1, 23, 1, 28, "HL701"),   # <title>
        (2, 35, 2, 40, "HL701"),   # meta description
        (3, 44, 3, 48, "HL701"),   # og:description
        (6, 21, 6, 26, "HL701"),   # visible text between inline tags
        (6, 52, 6, 56, "HL701"),   # title attribute
        (7, 26, 7, 30, "HL701"),   # alt attribute
    ]


def test_html_blocks_and_kinds():
    document = parse("<h2>Heading</h2><ul><li>One<li>Two</ul><table><tr><td>Cell</td></tr></table>"
                     "<p>Para <em>graph</em></p><img alt='Alt text'>", "x.html")
    blocks = [(b.kind, document.mask[b.start:b.end].strip()) for b in document.blocks]
    assert blocks == [("heading", "Heading"), ("list_item", "One"), ("list_item", "Two"),
                      ("table_cell", "Cell"), ("paragraph", "Para     graph"), ("paragraph", "Alt text")]


def test_html_entities_are_blanked_not_searched():
    # &nbsp; between the words still separates them; an entity is never part of a match
    assert found("<p>no&nbsp;side effects, cure&eacute;s</p>", path="x.htm") == [(1, 4, 1, 24, "HL703")]


@pytest.mark.parametrize("html,expected", [
    ("<p>Unclosed <b>tags still cure\n<p>A < b cures\n<div class=\"broken cure", [(1, 27, 1, 31), (2, 10, 2, 15)]),
    ("<p>It cures <!-- unterminated comment cure", [(1, 7, 1, 12)]),
    ("</p></div>It cures</span><p>", [(1, 14, 1, 19)]),
    ("<script>cure", []),
    ("<p title='x'cure>cure</p>", [(1, 18, 1, 22)]),
    ("<<<>>> cure <", [(1, 8, 1, 12)]),
])
def test_malformed_html_still_lints(html, expected):
    assert [r[:4] for r in found(html, path="x.html")] == expected


def test_html_with_front_matter_and_liquid():
    page = ('---\ntitle: It cures\nlayout: cure\n---\n'
            '{% for item in page.faq %}<h3>{{ item.cure }}</h3>{% endfor %}\n'
            '<a href="{{ "/cure" | relative_url }}" title="It cures">x</a>\n')
    assert found(page, path="x.html") == [(2, 11, 2, 16, "HL701"), (6, 50, 6, 55, "HL701")]


def test_html_lang_attribute_skips_other_languages():
    page = '<html lang="fr"><body><p>Une cure thermale.</p></body></html>'
    diagnostics = [r for r in found(page, path="x.html")]
    assert diagnostics == [(1, 13, 1, 15, "HL005")]
    assert found(page, path="x.html", source_options=SourceOptions(languages=("en", "fr"))) == [
        (1, 30, 1, 34, "HL701")]


def test_html_blocks_inside_markdown_are_linted():
    text = "Intro.\n\n<div class=\"cure\">\n<p>It cures.</p>\n</div>\n\n> <p>quoted cure</p>\n"
    assert found(text, "markdown") == [(4, 7, 4, 12, "HL701")]


# -- Markdown and templates ---------------------------------------------------------------------

def test_templates_are_never_prose():
    text = ("{% include cure.html %} It cures.\n"
            "[a cure]({{ site.url }}/cures/{% post_url x %})\n"
            "{{< figure alt=\"cure\" >}} {{% cure %}} {{ cure }} {# cure #} <%= cure %>\n"
            "Hello {{ page.cure | upcase }} world.\n"
            "{% comment %}\nIt cures.\n{% endcomment %}\n"
            "Title {#cure} and {: .cure}\n")
    assert found(text, "markdown") == [(1, 28, 1, 33, "HL701"), (2, 4, 2, 8, "HL701")]


@pytest.mark.parametrize("format", ["text", "yaml", "html"])
def test_templates_are_blanked_in_every_format(format):
    text = {"text": "Hi {{ cure }} there, {% cure %}.",
            "yaml": "a: Hi {{ cure }} there, {% cure %}.",
            "html": "<p>Hi {{ cure }} there, {% cure %}.</p>"}[format]
    assert found(text, format) == []


def test_unclosed_template_does_not_swallow_a_code_fence():
    text = "```\n{{ oops\n```\nIt cures }}.\n"
    assert found(text, "markdown") == [(4, 4, 4, 9, "HL701")]


# -- front matter -------------------------------------------------------------------------------

FRONT_MATTER = """---
title: Serum cures
layout: cures
date: 2020-01-01
meta_description: "Guaranteed."
tags: [cure, guaranteed]
faq:
  - question: Does it cure?
    answer: |
      It cures nothing.
    link: /cure-page
promo: It cures all.
image: /img/cure.png
---
Body cures.
"""


def test_yaml_front_matter_copy_fields():
    assert found(FRONT_MATTER, "markdown") == [
        (2, 14, 2, 19, "HL701"),    # title
        (5, 20, 5, 30, "HL702"),    # meta_description (last word: description)
        (8, 23, 8, 27, "HL701"),    # FAQ question
        (10, 10, 10, 15, "HL701"),  # FAQ answer, block scalar
        (15, 6, 15, 11, "HL701"),   # body
    ]


def test_configured_front_matter_fields():
    options = SourceOptions(front_matter_fields=("promo", "faq.link"))
    results = found(FRONT_MATTER, "markdown", source_options=options)
    assert (12, 11, 12, 16, "HL701") in results
    assert not any(line in (3, 6, 11, 13) for line, *_ in results)  # paths are still not copy


def test_front_matter_field_names_ignore_case_style():
    text = "---\nbodyText: It cures.\nseoTitle: Guaranteed\n---\n"
    assert found(text, "markdown", source_options=SourceOptions(front_matter_fields=("body_text",))) == [
        (2, 14, 2, 19, "HL701"), (3, 11, 3, 21, "HL702")]


def test_yaml_front_matter_scalar_styles():
    text = ('---\n'
            "title: 'it''s a cure'\n"
            'subtitle: "a \\"cure\\" here"\n'
            'summary: >-\n'
            '  Folded and\n'
            '  guaranteed.\n'
            'excerpt: plain text\n'
            '  that cures\n'
            'description: &anchor !!str cures\n'
            '---\n')
    assert found(text, "markdown") == [(2, 17, 2, 21, "HL701"), (3, 16, 3, 20, "HL701"),
                                       (6, 3, 6, 13, "HL702"), (8, 8, 8, 13, "HL701"),
                                       (9, 28, 9, 33, "HL701")]


def test_toml_front_matter():
    text = ("+++\n"
            'title = "It cures"\n'
            'slug = "cures"\n'
            "[seo]\n"
            "meta_description = '''\n"
            "Guaranteed relief.'''\n"
            'faq = [{ question = "Does it cure?", link = "/cure" }]\n'
            "+++\n"
            "Body.\n")
    assert found(text, "markdown") == [(2, 13, 2, 18, "HL701"), (6, 1, 6, 11, "HL702"),
                                       (7, 30, 7, 34, "HL701")]


@pytest.mark.parametrize("text,note", [
    ('---\ntitle: "unclosed cure\nlayout: x\n---\nIt cures.\n', (2, 8)),
    ("---\ntitle: [a, b\n---\nIt cures.\n", (2, 8)),
    ('+++\ntitle = \n+++\nIt cures.\n', (2, 9)),
])
def test_invalid_front_matter_is_one_warning_and_the_body_still_lints(text, note):
    from tiny_rules import linter

    diagnostics = linter().lint_text(text, format="markdown")
    notes = [d for d in diagnostics if d.code == "HL001"]
    assert len(notes) == 1
    assert (notes[0].line, notes[0].column) == note
    assert str(notes[0].severity) == "warning" and notes[0].category == "hypelint.syntax"
    assert "front matter" in notes[0].message
    assert [(d.line, d.column) for d in diagnostics if d.code == "HL701"][-1] == (text.count("\n"), 4)


def test_front_matter_in_html_file_and_mdx():
    text = "---\ndescription: It cures.\n---\n"
    assert found(text + "<p>Body</p>", path="x.html") == [(2, 17, 2, 22, "HL701")]
    assert found(text + "Body\n", path="x.mdx") == [(2, 17, 2, 22, "HL701")]


# -- MDX ----------------------------------------------------------------------------------------

MDX = """import { Alert } from "@mui/material";
export const meta = {
  title: "cures",
};

# It cures

<Alert severity="cures" onClose={() => cure()}>
    Our serum cures baldness.
</Alert>

Text <Link href="/cure">a cure</Link> {cures} `cure` end.
{/* hypelint-disable-next-line cure-word */}
It cures again.

```jsx
<Cure cures />
```
"""


def test_mdx_skips_esm_jsx_and_expressions_but_lints_children():
    assert found(MDX, path="page.mdx") == [
        (6, 6, 6, 11, "HL701"),    # heading
        (9, 15, 9, 20, "HL701"),   # text child of a JSX component (indented: not code in MDX)
        (12, 27, 12, 31, "HL701"),  # text child of an inline component
    ]


def test_mdx_is_its_own_format():
    assert format_for_path("a.mdx") == "mdx"
    assert format_for_path("a.md") == "markdown"


def test_mdx_text_that_looks_like_jsx():
    assert found("a < b cures and x<y\n", path="x.mdx") == [(1, 7, 1, 12, "HL701")]
    assert found("Export cures.\n", path="x.mdx") == [(1, 8, 1, 13, "HL701")]


# -- JSON and YAML ------------------------------------------------------------------------------

JSON = r"""{
  "cures": "It cures fast.",
  "list": ["guaranteed", "no side effects"],
  "nested": {"key": "Escaped \"cure\" and caf\u00e9 cures\nnext"},
  "path": "/images/cure.png",
  "slug": "how-to-cure-it",
  "count": 3,
  "html": "A <a href='/cure'>cure</a> for {name}"
}
"""


def test_json_values_are_copy_keys_are_not():
    assert found(JSON, path="en.json") == [
        (2, 16, 2, 21, "HL701"),
        (3, 13, 3, 23, "HL702"),
        (3, 27, 3, 42, "HL703"),
        (4, 32, 4, 36, "HL701"),
        (4, 53, 4, 58, "HL701"),
        (8, 30, 8, 34, "HL701"),
    ]


def test_invalid_json_is_one_warning_and_its_strings_still_lint():
    from tiny_rules import linter

    diagnostics = linter().lint_text('{"a": "It cures", "b": }\n', path="x.json")
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("HL701", 1, 11), ("HL001", 1, 24)]
    assert "invalid JSON" in diagnostics[1].message


YAML = """title: It cures
plain: a multi-line
  value that cures
quoted: 'it''s a cure'
double: "a \\"cure\\" here"
block: |
  Line one cures.
  Line two.
folded: >-
  Folded cure
number: 12
cures: key only
list:
  - guaranteed
  - /img/cure.png
? complex cure key
: value
# hypelint-disable-next-line HL703
safe: no side effects
"""


def test_yaml_values_are_copy_keys_are_not():
    assert found(YAML, path="home.yaml") == [
        (1, 11, 1, 16, "HL701"),
        (3, 14, 3, 19, "HL701"),
        (4, 18, 4, 22, "HL701"),
        (5, 14, 5, 18, "HL701"),
        (7, 12, 7, 17, "HL701"),
        (10, 10, 10, 14, "HL701"),
        (14, 5, 14, 15, "HL702"),
    ]


def test_invalid_yaml_lints_strings_before_the_error():
    from tiny_rules import linter

    diagnostics = linter().lint_text("a: It cures\nb: [unclosed\nc: cures\n", path="x.yml")
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("HL701", 1, 7), ("HL001", 3, 2)]


# -- language -----------------------------------------------------------------------------------

FRENCH = ("Nos soins sont adaptés pour vous. La cure thermale est une méthode douce qui vous aide "
          "dans votre quotidien. Il est conseillé de venir dès les premiers signes, et nous vous "
          "accompagnons avec des séances régulières pour votre confort et votre bien-être. Les "
          "résultats sont variables, mais nous sommes là pour vous aider. ") * 2


@pytest.mark.parametrize("text,path,note", [
    ("---\nlang: fr\n---\nLa cure.\n", "x.md", (2, 7)),
    ("---\nlanguage: fr-CA\n---\nLa cure.\n", "x.md", (2, 11)),
    ('{"a": "La cure"}', "locales/fr.json", (1, 1)),
    ("La cure.", "content/about.fr.md", (1, 1)),
    (FRENCH, "x.txt", (1, 1)),
    ("Это лекарство, которое cures всё за один день.", "x.txt", (1, 1)),
])
def test_other_languages_are_skipped_with_an_info_note(text, path, note):
    from tiny_rules import linter

    diagnostics = linter().lint_text(text, path=path)
    assert [(d.code, d.line, d.column, str(d.severity)) for d in diagnostics] == [("HL005", *note, "info")]
    everything = linter(source_options=SourceOptions(languages=("*",))).lint_text(text, path=path)
    assert [d.code for d in everything] and all(d.code == "HL701" for d in everything)


@pytest.mark.parametrize("text,path", [
    ("---\nlang: en-US\n---\nIt cures.\n", "x.md"),
    ('{"a": "It cures"}', "en.json"),
    ("Our serum cures. " * 30, "x.txt"),
    ("Le spa: our serum cures.", "x.txt"),  # a few French words do not make a French page
])
def test_english_is_linted(text, path):
    assert codes(found(text, path=path))[0] == "HL701"


def test_languages_option_adds_a_language():
    options = SourceOptions(languages=("en", "fr"))
    assert codes(found("---\nlang: fr\n---\nLa cure.\n", "markdown", source_options=options)) == ["HL701"]


# -- discovery ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path,walked", [
    ("site/index.html", True), ("site/page.htm", True), ("locales/en.json", True),
    ("data/home.yaml", True), ("data/home.yml", True), ("pages/a.mdx", True),
    ("package.json", False), ("web/package-lock.json", False), ("tsconfig.base.json", False),
    (".github/workflows/ci.yml", False), (".hypelint.yaml", False), ("pnpm-lock.yaml", False),
    ("docker-compose.prod.yml", False), ("notes.pdf", False),
])
def test_directory_walks_skip_tooling_files(path, walked):
    assert is_walk_candidate(path) is walked


# -- configuration ------------------------------------------------------------------------------

def test_config_keys_reach_the_sources(tmp_path, cli):
    config = tmp_path / ".hypelint.yaml"
    config.write_text("front-matter-fields: [promo]\nlanguages: [en, fr]\n")
    page = tmp_path / "page.md"
    page.write_text("---\npromo: Our serum cures baldness.\nlang: fr\n---\nBody.\n")
    result = cli("check", "--config", config, page)
    assert result.out.splitlines() == [
        f"{page}:2:18: HL101 [error] \"cures\" is a cure claim: only an approved drug may claim to cure a disease."]
    isolated = cli("check", "--isolated", page)
    assert [line.split()[1] for line in isolated.out.splitlines()] == ["HL005"]
    assert isolated.code == 0  # an info note does not fail the run


@pytest.mark.parametrize("content,message", [
    ("front-matter-fields: promo\n", "front-matter-fields: expected list, got str"),
    ("languages: [en, 1]\n", "languages: expected a list of non-empty strings, got integer 1"),
    ("require-suppression-reason: yes please\n", "require-suppression-reason: expected true or false, got string"),
])
def test_config_key_errors(tmp_path, cli, content, message):
    config = tmp_path / ".hypelint.yaml"
    config.write_text(content)
    (tmp_path / "page.md").write_text("Text.\n")
    result = cli("check", "--config", config, tmp_path / "page.md")
    assert result.code == 2
    assert message in result.err


def test_stdin_filename_picks_the_format_and_options(cli):
    result = cli("check", "-", "--stdin-filename", "page.html",
                 stdin=b'<p class="cures">Our serum cures baldness.</p>')
    assert result.out.startswith("page.html:1:28: HL101")


def test_directory_walk_finds_the_new_formats(tmp_path, cli):
    for name in ("a.html", "b.json", "c.yaml", "d.mdx", "package.json", ".github/w.yml"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text('{"a": "Our serum cures baldness."}' if name.endswith("json") else
                        "a: Our serum cures baldness.\n" if name.endswith("yml") or name.endswith("yaml") else
                        "<p>Our serum cures baldness.</p>" if name.endswith("html") else
                        "Our serum cures baldness.\n")
    result = cli("check", tmp_path)
    files = sorted({line.split(":")[0].rsplit("/", 1)[-1] for line in result.out.splitlines()})
    assert files == ["a.html", "b.json", "c.yaml", "d.mdx"]


def test_a_bare_language_code_names_only_locale_files():
    assert codes(found("It cures.", path="docs/it.md")) == ["HL701"]
    assert codes(found('{"a": "Ci cure"}', path="locales/it.json")) == ["HL005"]


# -- plain inline content: marked without markdown-it's inline parser --------------------------
_PLAIN_PIECES = ["cures", "hair loss", " ", "  ", "   ", "\t", "\n", "\n  ", "\n\t ", " \n", "  \n", "   \n",
                 "\u00a0", "\u00a0\n", "!", "#", ":", "-", "\"", "'", "(", ")", "1.", "50%", "é", "😀", "=", "+",
                 "$", "^", "{", "}", "|", "]", ">", "@", "http://example.org"]


def _parsed_inline_spans(content: str):
    from hypelint.sources.markdown import _InlineScanner, markdown_parser

    parser = markdown_parser()
    children = []
    parser.inline.parse(content, parser, {}, children)
    spans = []
    _InlineScanner(content, spans).scan(children, 0)
    return spans


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_PLAIN_PIECES), min_size=1, max_size=12))
def test_plain_inline_content_is_marked_as_the_inline_parser_would(pieces):
    from hypelint.sources.markdown import _INLINE_MARKUP, _plain_spans

    content = "".join(pieces)
    assert _INLINE_MARKUP.search(content) is None
    assert _plain_spans(content) == _parsed_inline_spans(content)


@needs_shared  # counts real pages of ../shared
def test_plain_inline_content_of_real_pages_is_marked_as_the_inline_parser_would():
    from hypelint.sources.markdown import _INLINE_MARKUP, _plain_spans, markdown_parser
    from conftest import ROOT, SHARED

    paths = sorted((ROOT / "examples").rglob("*.md")) + sorted((SHARED / "wild").glob("*.md"))
    plain = 0
    for path in paths:
        for token in markdown_parser().parse(path.read_text(encoding="utf-8")):
            if token.type == "inline":
                assert (token.children is None) == (_INLINE_MARKUP.search(token.content) is None)
                if token.children is None:
                    plain += 1
                    assert _plain_spans(token.content) == _parsed_inline_spans(token.content), path.name
    assert plain > 100


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
@pytest.mark.parametrize("text", [
    "| a | cure |\n|---|---|\ncure\n0\n",
    "# Title\nIt cures.\n\n| a | b |\n|---|---|\n| cure | x |\n\n- one cure\n- two\n\n> quoted cure\n",
    "Intro.\n\nIt cures `code` and <b>more</b>.\n\n<div>\ncure\n</div>\n\n```\ncure\n```\n",
])
def test_lone_carriage_returns_end_lines_as_in_markdown_it(text, ending):
    """markdown-it ends lines at a lone CR too (old Mac files): the prose is the same as with
    LF line endings (a table after such lines raised IndexError before)."""
    converted = text.replace("\n", ending)
    with_lf, with_cr = parse(text, "page.md"), parse(converted, "page.md")
    assert [char for char, source in zip(with_cr.mask, converted) if source not in "\r\n"] == \
        [char for char, source in zip(with_lf.mask, text) if source != "\n"]

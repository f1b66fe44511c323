"""The HTML review report without a browser: markup, escaping, self-containment, counts, CLI."""
from __future__ import annotations

import base64
import hashlib
import os
import re
from html.parser import HTMLParser

import pytest

from hypelint.diagnostic import Diagnostic, Severity
from hypelint.reporters import FORMATS, Report, reporter
from hypelint.reporters.html import (render, render_line, safe_url, script_json, split_lines,
                                     suppression_comment, _Piece)
from hypelint.rules import Reference

from html_report_support import (FILES, XSS_FILES, XSS_PATH_NAME, Elements, build_report, line_findings,
                                 make_linter, report_data, write_files)

VOID = {"meta", "link", "br", "img", "input", "rect", "hr", "wbr"}


@pytest.fixture
def linter(tmp_path):
    return make_linter(tmp_path)


@pytest.fixture
def review(tmp_path, linter):
    report = build_report(linter, write_files(tmp_path / "copy", FILES))
    return report, render(report)


@pytest.fixture
def hostile(tmp_path, linter):
    report = build_report(linter, write_files(tmp_path / "hostile", XSS_FILES))
    return report, render(report)


class _Nesting(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def _nest(fragment):
    parser = _Nesting()
    parser.feed(fragment)
    parser.close()
    assert parser.stack == []
    return "".join(parser.text)


def _piece(finding, start, end):
    return _Piece(finding, start, end, f"sev-error cat-{finding}", True)


# -- spans -------------------------------------------------------------------------------------

def test_registered_as_a_format():
    assert FORMATS["html"] == "html:render"
    assert reporter("html") is render


def test_nested_and_crossing_spans_render_as_properly_nested_marks():
    line = "Feel instant relief forever now"
    fragment = render_line(line, [_piece(0, 5, 19), _piece(1, 13, 27), _piece(2, 13, 19)])
    assert _nest(fragment) == line
    # every finding keeps its own <mark>s; the crossing one is split in two, only the first has the id
    assert fragment.count('data-f="1"') == 2 and fragment.count('id="f1"') == 1
    assert re.findall(r'data-f="(\d)"', fragment) == ["0", "1", "2", "1"]


@pytest.mark.parametrize("pieces", [
    [(0, 0, 3), (1, 0, 3)], [(0, 0, 5), (1, 2, 3), (2, 1, 4)], [(0, 0, 2), (1, 2, 4)], [(0, 3, 3)],
    [(0, 0, 6), (1, 1, 5), (2, 2, 4), (3, 3, 6)],
])
def test_any_overlap_keeps_the_text_and_nests(pieces):
    line = "abcdef"
    fragment = render_line(line, [_piece(*piece) for piece in pieces])
    assert _nest(fragment) == line
    assert {int(n) for n in re.findall(r'data-f="(\d)"', fragment)} == {piece[0] for piece in pieces}


def test_lines_are_split_as_the_line_index_counts_them():
    assert split_lines("a\r\nb\n\nc") == ["a", "b", "", "c"]


def test_every_line_finding_is_highlighted_once_and_document_findings_are_not(review):
    report, page = review
    marked = {int(n) for n in re.findall(r'<mark class="hl [^"]*" data-f="(\d+)"', page)}
    starts = re.findall(r'<mark class="hl [^"]*" data-f="(\d+)" id="f\1"', page)
    data = report_data(page)
    expected = {index for index, finding in enumerate(data["findings"]) if not finding["document_level"]}
    assert marked == expected and len(starts) == len(expected) == len(line_findings(report)) == 6
    [document_level] = [i for i, f in enumerate(data["findings"]) if f["document_level"]]
    assert '<li class="finding notice sev-warning' in page and f'data-f="{document_level}"' in page
    assert data["findings"][document_level]["code"] == "TST901"


def test_multi_line_span_is_highlighted_on_both_lines(review):
    _, page = review
    data = report_data(page)
    [guarantee] = [i for i, f in enumerate(data["findings"]) if f["code"] == "TST105"]
    assert data["findings"][guarantee]["matched"] == "guaranteed\nresults"
    line7 = re.search(r'<div class="l" data-n="7">(.*?)</div>', page).group(1)
    line8 = re.search(r'<div class="l" data-n="8">(.*?)</div>', page).group(1)
    assert f'data-f="{guarantee}" id="f{guarantee}" tabindex="0">guaranteed</mark>' in line7
    assert line8.startswith(f'<mark class="hl sev-error cat-0" data-f="{guarantee}" tabindex="0">results</mark>')


def test_the_copy_is_shown_whole_with_line_numbers(review):
    report, page = review
    [review_path] = [p for p in report.files if p.endswith("review.md")]
    section = re.search(r'<section class="file" id="file-\d+" data-file="\d+" aria-label="%s">(.*?)</section>'
                        % re.escape(review_path), page, re.S).group(1)
    lines = re.findall(r'<div class="l" data-n="(\d+)">(.*?)</div>', section)
    assert [int(n) for n, _ in lines] == list(range(1, 11))
    shown = "\n".join(_nest(html) for _, html in lines) + "\n"
    assert shown == FILES["review.md"]


# -- counts ------------------------------------------------------------------------------------

def test_totals_chart_and_file_table_count_the_findings(review):
    report, page = review
    cards = dict((label, int(value)) for value, label in
                 re.findall(r'<div class="card-value">([\d,]+)</div><div class="card-label">([^<]+)</div>', page))
    assert cards == {"files checked": 3, "files with findings": 2, "errors": 3, "warnings": 3, "info": 1,
                     "document-level": 1}
    bars = re.findall(r'<text class="chart-label"[^>]*>([^<]+)</text>', page)
    assert sorted(bars) == sorted({d.category for d in report.diagnostics})
    counts = dict(re.findall(r'<text class="chart-label"[^>]*>([^<]+)</text>.*?<text class="chart-count"[^>]*>(\d+)</text>',
                             page))
    assert counts == {"claim.absolute": "2", "claim.cure": "2", "claim.puffery": "1", "claim.superlative": "1",
                      "disclosure.supplement": "1"}
    rows = {path.rsplit("/", 1)[-1]: cells for path, cells in
            re.findall(r'<td class="path"><a href="#file-\d+">([^<]+)</a></td>(.*?)</tr>', page)}
    numbers = {name: re.findall(r'>(\d+)</td>', cells) for name, cells in rows.items()}
    assert numbers == {"clean.md": ["0", "0", "0", "0"], "plain.txt": ["1", "0", "0", "1"],
                       "review.md": ["2", "3", "1", "6"]}
    # each row links to a section (files without findings to their entry in the clean list)
    for anchor in re.findall(r'<td class="path"><a href="#(file-\d+)">', page):
        assert f'id="{anchor}"' in page


def test_empty_run_says_so():
    page = render(Report([], None, ["a.md"], texts={"a.md": "Fine copy.\n"}))
    assert "No findings" in page and "<svg" not in page and report_data(page)["findings"] == []


# -- escaping and self-containment ---------------------------------------------------------------

def test_hostile_copy_is_escaped_everywhere(hostile):
    report, page = hostile
    elements = Elements(page)
    # nothing from the copy became an element or an attribute
    assert [tag for tag, _ in elements.tags if tag in ("img", "iframe", "b")] == []
    assert [tag for tag, _ in elements.tags if tag == "svg"] == ["svg"]  # the chart, nothing else
    assert len(elements.raw["script"]) == 2  # the data block and the report's own script
    assert not any(name.startswith("on") for _, attrs in elements.tags for name in attrs)
    assert "javascript:" not in " ".join(str(v) for _, attrs in elements.tags for v in attrs.values())
    assert "&lt;script&gt;window.__hypelintXss = 1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page
    # the file name with markup in it is escaped in the table, the heading and the section label
    assert XSS_PATH_NAME not in page and escape_attribute(XSS_PATH_NAME) in page
    # the data block cannot be closed early, and still round-trips the exact text
    data_block = re.search(r'id="hypelint-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data_block and ">" not in data_block and "&" not in data_block
    messages = [f["message"] for f in report_data(page)["findings"]]
    assert "found <script> here" in messages


def escape_attribute(text):
    from html import escape

    return escape(text, quote=True)


def test_script_json_escapes_markup_characters():
    text = script_json({"a": "</script><!-- & \u2028"})
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028"}'


@pytest.mark.parametrize("url,safe", [
    ("https://www.ecfr.gov/x", True), ("http://example.com", True), ("HTTPS://example.com/a?b=c", True),
    ("javascript:alert(1)", False), (" javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False),
    ("data:text/html,<script>", False), ("//example.com", False), ("https://", False),
    ("vbscript:x", False), ("https://exa mple.com", False), ("file:///etc/passwd", False), ("", False),
])
def test_only_http_links_are_kept(url, safe):
    assert (safe_url(url) is not None) is safe


def test_reference_links_that_are_not_http_are_dropped(tmp_path, linter):
    rules = linter.rules
    for rule in rules:
        rule.references = (Reference("Evil", "javascript:alert(1)"), Reference("Good", "https://example.com/ok"))
    report = build_report(linter, write_files(tmp_path / "copy", {"plain.txt": FILES["plain.txt"]}))
    references = report_data(render(report))["rules"]["TST101"]["references"]
    assert references == [{"title": "Evil", "url": None}, {"title": "Good", "url": "https://example.com/ok"}]


def test_page_loads_nothing_from_the_network(review):
    _, page = review
    elements = Elements(page)
    for tag, attrs in elements.tags:
        for name in ("src", "href", "action", "data", "poster", "srcset"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith("#") or value == "data:,", (tag, name, value)
    assert not elements.find("link", rel="stylesheet")
    for style in elements.raw["style"]:
        assert "@import" not in style and "url(" not in style
    # the only http(s) URLs are the rules' reference links, in the data block, shown as links
    outside_data = re.sub(r'<script type="application/json".*?</script>', "", page, flags=re.S)
    assert not re.search(r"https?://", outside_data)
    assert {r["url"][:8] for rule in report_data(page)["rules"].values() for r in rule["references"]} == {"https://"}


def test_content_security_policy_allows_only_the_reports_own_style_and_script(review):
    _, page = review
    elements = Elements(page)
    [policy] = [attrs["content"] for tag, attrs in elements.tags
                if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in policy

    def sha(text):
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    [style] = elements.raw["style"]
    code = elements.raw["script"][1]
    assert f"style-src {sha(style)};" in policy and f"script-src {sha(code)};" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


# -- suppression comments ----------------------------------------------------------------------

@pytest.mark.parametrize("path,line,text,expected", [
    ("page.md", 3, None, "<!-- hypelint-disable-next-line HL101 -->"),
    ("page.mdx", 3, None, "<!-- hypelint-disable-next-line HL101 -->"),
    ("page.html", 3, None, "<!-- hypelint-disable-next-line HL101 -->"),
    ("strings.yaml", 3, None, "# hypelint-disable-next-line HL101"),
    ("strings.yml", 3, None, "# hypelint-disable-next-line HL101"),
    ("config.TOML", 3, None, "# hypelint-disable-next-line HL101"),
    ("notes.txt", 3, None, "hypelint-disable-next-line HL101"),
    ("-", 1, None, "hypelint-disable-next-line HL101"),
    ("strings.json", 3, None, None),
    ("page.md", 2, "---\ntitle: Cures all\n---\nBody cures.\n", "# hypelint-disable-next-line HL101"),
    ("page.md", 4, "---\ntitle: Cures all\n---\nBody cures.\n", "<!-- hypelint-disable-next-line HL101 -->"),
])
def test_suppression_comment_uses_the_files_comment_syntax(path, line, text, expected):
    assert suppression_comment(path, "HL101", line, text) == expected


def test_every_finding_has_a_copy_button_with_its_directive(review):
    _, page = review
    data = report_data(page)
    buttons = [int(n) for n in re.findall(r'<button type="button" class="copy" data-copy="(\d+)"', page)]
    assert sorted(set(buttons)) == list(range(len(data["findings"])))
    by_code = {f["code"]: f["suppression"] for f in data["findings"]}
    assert by_code["TST101"] in ("hypelint-disable-next-line TST101", "<!-- hypelint-disable-next-line TST101 -->")
    assert by_code["TST102"] == "<!-- hypelint-disable-next-line TST102 -->"


# -- robustness --------------------------------------------------------------------------------

def _diagnostic(path, line, column, end_line, end_column, code="HL101", document_level=False):
    return Diagnostic(path, line, column, end_line, end_column, code, "cure-claim", "claim.cure",
                      Severity.ERROR, "msg", document_level=document_level)


def test_findings_outside_the_text_are_listed_not_lost():
    report = Report([_diagnostic("a.md", 9, 1, 9, 4), _diagnostic("a.md", 1, 3, 1, 99)], None, ["a.md"],
                    texts={"a.md": "one line\n"})
    page = render(report)
    assert page.count('class="finding notice') == 1  # line 9 does not exist: shown at the top
    assert re.search(r'<div class="l" data-n="1">on<mark [^>]*data-f="0"[^>]*>e line</mark></div>', page)


def test_a_file_without_its_text_still_lists_its_findings():
    page = render(Report([_diagnostic("gone.md", 2, 1, 2, 5)], None, ["gone.md"]))
    assert "The copy of this file is not part of the report." in page
    assert 'class="finding notice sev-error cat-0"' in page


# -- the command line --------------------------------------------------------------------------

RISKY = "Our serum cures baldness.\n\nResults are guaranteed.\n"


def test_cli_writes_the_report_atomically(tmp_path, cli):
    page = tmp_path / "page.md"
    page.write_text(RISKY)
    output = tmp_path / "out" / "report.html"
    output.parent.mkdir()
    result = cli("check", "--format", "html", "--output-file", output, page)
    assert result.code == 1 and result.out == ""
    html = output.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Our serum <mark" in html
    assert sorted(os.listdir(output.parent)) == ["report.html"]  # no temporary file left behind
    assert oct(output.stat().st_mode & 0o777) != oct(0o600)


def test_cli_html_to_stdout_and_from_stdin(cli):
    result = cli("check", "--format", "html", "--stdin-filename", "landing.md", "-", stdin=RISKY.encode())
    assert result.code == 1
    data = report_data(result.out)
    assert data["files"][0]["path"] == "landing.md"
    assert {f["code"] for f in data["findings"]} >= {"HL101", "HL121"}
    assert "Our serum <mark" in result.out  # the copy from standard input is shown


def test_cli_output_file_in_a_missing_folder_fails_before_linting(tmp_path, cli):
    page = tmp_path / "page.md"
    page.write_text(RISKY)
    result = cli("check", "--format", "html", "--output-file", tmp_path / "nope" / "r.html", page)
    assert result.code == 2
    assert result.err.strip().splitlines()[-1].startswith("hypelint: error: --output-file")
    assert not (tmp_path / "nope").exists()
    result = cli("check", "--output-file", tmp_path, page)
    assert result.code == 2 and "is a directory" in result.err


def test_cli_output_file_works_for_every_format(tmp_path, cli):
    page = tmp_path / "page.md"
    page.write_text(RISKY)
    output = tmp_path / "report.txt"
    assert cli("check", "--output-file", output, page).code == 1
    assert output.read_text().startswith(f"{page}:1:11: HL101")


def test_cli_report_lists_unreadable_files(tmp_path, cli):
    (tmp_path / "good.md").write_text(RISKY)
    (tmp_path / "bad.md").write_bytes(b"caf\xe9 cures\n")
    output = tmp_path / "report.html"
    result = cli("check", "--format", "html", "--output-file", output, tmp_path)
    assert result.code == 2  # a file that could not be linted fails the run (HL007, issue 18)
    html = output.read_text(encoding="utf-8")
    assert "Not checked" in html and "bad.md:1:4: cannot decode as UTF-8" in html
    # the file that was not linted is a finding too (HL007), listed with the others
    assert [f["path"] for f in report_data(html)["files"]] == [str(tmp_path / "good.md"), str(tmp_path / "bad.md")]
    assert "HL007" in html and "not linted" in html

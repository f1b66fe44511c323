"""The HTML report for reviewers (issue 18, point 12): HTML pages shown as their visible text
with highlights, summary cards and chart that follow the filters, and a printout that keeps
each finding's rationale and suggestions. Browser checks skip without Chromium."""
from __future__ import annotations

import re

import pytest

from browser_support import launch, why_no_browser
from hypelint.reporters.html import visible_line, visible_masks

PAGE = ('<html><head><title>Spa &amp; Wellness</title><style>p{x:1}</style></head>\n<body>\n'
        '<p>Our serum <b>cures</b> hair&nbsp;loss &mdash; with no side effects.</p>\n'
        '<script>var a = "<p>";</script>\n</body></html>\n')


def test_visible_line_hides_tags_and_decodes_entities():
    [mask] = visible_masks("a.html", '<p>Our <b>serum</b> &amp; hair&nbsp;loss</p>')
    text, mapping = visible_line('<p>Our <b>serum</b> &amp; hair&nbsp;loss</p>', mask)
    assert text == "Our serum & hair loss"
    assert text[mapping[10]:mapping[15]] == "serum"
    assert visible_masks("a.md", "x") is None


def _report(tmp_path, cli, *args):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    output = tmp_path / "report.html"
    result = cli("check", "--no-cache", "--format", "html", "--output-file", output, *args, tmp_path / "page.html")
    assert result.code == 1, result.err
    return output.read_text(encoding="utf-8")


def test_an_html_page_is_shown_as_its_visible_text_with_highlights(tmp_path, cli):
    html = _report(tmp_path, cli)
    copy = re.search(r'<div class="copy visible-text".*?</div>\n', html, re.S).group(0)
    assert "&lt;p&gt;" not in copy and "&lt;b&gt;" not in copy and "&amp;nbsp;" not in copy
    assert "var a" not in copy and "p{x:1}" not in copy  # scripts and styles
    assert 'data-n="3">Our serum <mark' in copy  # the source's line numbers
    assert re.search(r'<mark [^>]*>cures</mark> hair loss \u2014 with <mark [^>]*>no side effects</mark>\.', copy)


def test_printing_keeps_rationale_and_suggestions(tmp_path, cli):
    html = _report(tmp_path, cli)
    details = re.findall(r'<tr class="print-detail[^"]*">(.*?)</tr>', html, re.S)
    assert len(details) == 2
    assert all("Why it is risky:" in detail for detail in details)
    assert any("What to write instead:" in detail for detail in details)
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert re.search(r"@media print \{[^@]*tr\.print-detail \{ display: table-row; \}", css, re.S)


@pytest.fixture(scope="module")
def browser():
    reason = why_no_browser()
    if reason is not None:
        pytest.skip(f"browser tests: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()


def test_cards_and_chart_follow_the_filters_and_print_shows_details(tmp_path, cli, browser):
    from playwright.sync_api import expect

    _report(tmp_path, cli)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.goto((tmp_path / "report.html").as_uri())
        cards = {name: page.locator(f'.card[data-card="{name}"] .card-value') for name in ("error", "flagged")}
        expect(cards["error"]).to_have_text("2")
        widths = lambda: page.evaluate(  # noqa: E731
            "[...document.querySelectorAll('.chart-bar')].map(b => parseFloat(b.getAttribute('width')))")
        before = widths()
        page.click(".toggle[data-severity=warning]")  # no warnings in this page
        expect(cards["error"]).to_have_text("0")
        expect(cards["flagged"]).to_have_text("0")
        assert sum(widths()) == 0 < sum(before)
        page.click("#clear-filters")
        expect(cards["error"]).to_have_text("2")
        assert widths() == before
        page.emulate_media(media="print")
        expect(page.locator("tr.print-detail").first).to_be_visible()
        expect(page.locator("tr.print-detail").first).to_contain_text("Why it is risky")
        page.emulate_media(media="screen")
        expect(page.locator("tr.print-detail").first).to_be_hidden()
    finally:
        context.close()

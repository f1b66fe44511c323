"""The HTML review report in a real headless Chromium: highlights, filters, details, XSS, size.

Driven by Playwright against the system's Chromium (see browser_support.py); skipped with the
reason when Playwright or Chromium is missing. Tests wait on page state, never sleep.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import launch, why_no_browser
from conftest import ROOT
from html_report_support import (FILES, XSS_FILES, build_report, line_findings, make_linter, report_data,
                                 write_files)
from hypelint.reporters.html import render

ARTIFACTS = ROOT / "test-artifacts"  # gitignored; CI may keep it

pytestmark = pytest.mark.skipif(why_no_browser() is not None, reason=f"browser tests: {why_no_browser()}")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()


class OpenedReport:
    """A page showing a report file, with everything that went wrong or out recorded."""

    def __init__(self, browser, path: Path, bypass_csp: bool = False):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=bypass_csp)
        self.page = self.context.new_page()
        self.console_errors, self.page_errors, self.requests = [], [], []
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(path.as_uri())

    def close(self):
        self.context.close()

    def distinct_highlights(self) -> int:
        return self.page.evaluate("new Set([...document.querySelectorAll('mark.hl')].map(m => m.dataset.f)).size")

    def highlighted(self, severity: str) -> bool:
        """Whether the highlights of that severity are painted (a hidden one has no background)."""
        return self.page.evaluate(
            """severity => [...document.querySelectorAll('mark.sev-' + severity)].map(
                   m => getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)')""", severity)


def _write_report(directory: Path, report) -> Path:
    path = directory / "report.html"
    path.write_text(render(report), encoding="utf-8")
    return path


@pytest.fixture
def review(tmp_path, browser):
    report = build_report(make_linter(tmp_path), write_files(tmp_path / "copy", FILES))
    opened = OpenedReport(browser, _write_report(tmp_path, report))
    opened.report = report
    yield opened
    opened.close()


def test_number_of_highlights_equals_number_of_line_findings(review):
    assert review.distinct_highlights() == len(line_findings(review.report)) == 6
    assert review.page.locator("mark.hl[id]").count() == 6  # one first piece each
    assert review.page.locator(".document-findings li.finding").count() == 1
    assert review.console_errors == [] and review.page_errors == []


def test_clicking_a_severity_filter_hides_the_others(review):
    from playwright.sync_api import expect

    page = review.page
    page.click(".toggle[data-severity=error]")
    expect(page.locator("#shown")).to_have_text("Showing 3 of 7 findings")
    assert review.highlighted("error") == [True] * 4  # 3 errors, one of them over two lines
    assert not any(review.highlighted("warning")) and not any(review.highlighted("info"))
    expect(page.locator("tr.finding.sev-warning").first).to_be_hidden()
    expect(page.locator("tr.finding.sev-error").first).to_be_visible()
    expect(page.locator(".document-findings li.sev-warning")).to_be_hidden()
    # the files table counts only what is shown, and drops files with nothing shown
    review_row = page.locator(".files-table tr", has_text="review.md")
    expect(review_row.locator(".count-total")).to_have_text("2")
    expect(page.locator(".files-table tr", has_text="clean.md")).to_be_hidden()

    page.click(".toggle[data-severity=info]")  # a second severity adds to the first
    expect(page.locator("#shown")).to_have_text("Showing 4 of 7 findings")
    assert all(review.highlighted("info"))
    page.click("#clear-filters")
    expect(page.locator("#shown")).to_have_text("7 findings")
    assert all(review.highlighted("warning"))


def test_category_filter_shows_only_the_checked_categories(review):
    from playwright.sync_api import expect

    page = review.page
    page.click("#category-menu summary")
    page.locator(".category-option", has_text="claim.superlative").locator("input").check()
    expect(page.locator("#shown")).to_have_text("Showing 1 of 7 findings")
    assert review.page.evaluate(
        "[...document.querySelectorAll('mark.hl')].filter(m => getComputedStyle(m).backgroundColor !== "
        "'rgba(0, 0, 0, 0)').map(m => m.textContent)") == ["relief", " forever"]
    expect(page.locator("#category-summary")).to_have_text("(1 of 5)")


def test_selecting_a_highlight_shows_the_rule_and_copies_the_suppression_comment(review):
    from playwright.sync_api import expect

    page = review.page
    review.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("mark.hl", has_text="cure").last.click()  # "cure" inside "miracle cure": both are listed
    cards = page.locator("#panel-body article.detail")
    expect(cards).to_have_count(2)
    cure = cards.first
    expect(cure.locator(".detail-code")).to_have_text("TST101")
    expect(cure.locator(".detail-name")).to_have_text("test-cure")
    expect(cure.locator(".detail-message")).to_have_text('"cure" is a test cure claim.')
    expect(cure).to_contain_text("Only an approved drug may claim to cure a disease.")
    expect(cure).to_contain_text("Say what the product does, not what it cures.")
    link = cure.locator("a", has_text="21 CFR 101.93(g)")
    expect(link).to_have_attribute("href", "https://www.ecfr.gov/current/title-21/section-101.93")
    expect(page.locator("mark.hl.selected")).to_have_count(2)

    cure.locator("button.copy").click()
    expect(page.locator("#toast")).to_have_text("Copied: <!-- hypelint-disable-next-line TST101 -->")
    assert page.evaluate("navigator.clipboard.readText()") == "<!-- hypelint-disable-next-line TST101 -->"

    page.keyboard.press("j")  # next finding
    expect(page.locator("#panel-body .detail-code")).to_have_text("TST103")
    page.keyboard.press("Escape")
    expect(page.locator("#panel-empty")).to_be_visible()
    assert review.console_errors == [] and review.page_errors == []


def test_document_level_finding_is_shown_at_the_top_of_its_file(review):
    from playwright.sync_api import expect

    section = review.page.locator("section.file", has_text="review.md")
    notice = section.locator(".document-findings li.finding")
    expect(notice).to_contain_text("TST901")
    notice.locator(".notice-main").click()
    expect(review.page.locator("#panel-body .detail-where")).to_contain_text("(whole file)")


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_hostile_copy_runs_nothing(tmp_path, browser, bypass_csp):
    report = build_report(make_linter(tmp_path), write_files(tmp_path / "hostile", XSS_FILES))
    opened = OpenedReport(browser, _write_report(tmp_path, report), bypass_csp=bypass_csp)
    page = opened.page
    try:
        assert opened.distinct_highlights() == len(line_findings(report))
        for index in range(page.locator("mark.hl").count()):  # select every highlight, hover everything
            page.locator("mark.hl").nth(index).click()
        page.locator(".l").last.hover()
        page.locator("mark.hl", has_text="<script>").click()
        assert "found <script> here" in page.locator("#panel-body").inner_text()
        assert page.evaluate("window.__hypelintXss") is None
        assert page.evaluate("document.querySelectorAll('main img, main iframe, main b, main svg:not(.chart-svg)').length") == 0
        copy_text = "\n".join(page.locator(".copy").all_inner_texts())
        assert "<script>window.__hypelintXss = 1</script>" in copy_text
        assert '"><img src=x onerror="window.__hypelintXss = 2">' in copy_text
        assert "<script> window.__hypelintXss = 8 </script>" in copy_text
        assert page.locator("text=javascript:window.__hypelintXss=3").count() == 1  # shown as text
        assert opened.console_errors == [] and opened.page_errors == []
        assert all(url.startswith(("file:", "data:")) for url in opened.requests), opened.requests
    finally:
        opened.close()


def test_screenshot_is_written_as_an_artifact(review):
    review.page.locator("mark.hl", has_text="instant").first.click()
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "html-report.png"
    review.page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000


def test_a_500_file_report_opens_and_filters(tmp_path, browser):
    from playwright.sync_api import expect

    files = {f"page-{index:03}.md": f"# Page {index}\n\nOur balm is a miracle cure.\nFeel instant relief "
             f"forever with guaranteed\nresults.\n\nIt cures item {index}.\n" for index in range(500)}
    report = build_report(make_linter(tmp_path), write_files(tmp_path / "many", files))
    assert len(report.files) == 500
    opened = OpenedReport(browser, _write_report(tmp_path, report))
    page = opened.page
    try:
        total = len(report.diagnostics)
        expect(page.locator("#shown")).to_have_text(f"{total:,} findings")
        assert opened.distinct_highlights() == len(line_findings(report))
        assert page.locator("section.file").count() == 500
        errors = sum(1 for d in report.diagnostics if str(d.severity) == "error")
        page.click(".toggle[data-severity=error]")
        expect(page.locator("#shown")).to_have_text(f"Showing {errors:,} of {total:,} findings")
        page.click(".toggle[data-severity=error]")
        expect(page.locator("#shown")).to_have_text(f"{total:,} findings")
        assert opened.console_errors == [] and opened.page_errors == []
    finally:
        opened.close()


def test_report_data_matches_what_the_page_shows(review):
    data = report_data(review.page.content())
    assert len(data["findings"]) == review.page.evaluate("JSON.parse(document.getElementById('hypelint-data')"
                                                         ".textContent).findings.length")

"""Benchmark: how big a 500-file HTML review report is, and how fast it renders, opens and filters.

    .venv/bin/python benchmarks/html_report.py [--files 500] [--lines 40]

Lints generated copy (our own sentences, several findings per file) with the built-in rules,
renders the report, then opens it in the system's headless Chromium (see tests/browser_support.py)
and reports the load time and the time one severity filter click takes, style and layout included.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hypelint.linter import Linter  # noqa: E402
from hypelint.reporters import Report  # noqa: E402
from hypelint.reporters.html import render  # noqa: E402

SENTENCES = [
    "Our clinic offers a gentle programme for tired joints and stiff mornings.",
    "This serum cures thinning hair in weeks.",
    "Book a consultation to talk through the options with our nurse.",
    "Results are guaranteed or your money back.",
    "The treatment has no side effects and no downtime.",
    "Our lab is FDA-approved and uses premium ingredients.",
    "Studies have shown that the formula works for most people.",
    "Prices and opening hours are listed on the contact page.",
]


def make_copy(index: int, lines: int) -> str:
    body = [f"# Service page {index}", ""]
    for line in range(lines):
        body.append(SENTENCES[(index + line) % len(SENTENCES)])
        if line % 4 == 3:
            body.append("")
    return "\n".join(body) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--clicks", type=int, default=10)
    args = parser.parse_args()

    from browser_support import launch, why_no_browser

    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        paths = []
        for index in range(args.files):
            path = folder / f"page-{index:03}.md"
            path.write_text(make_copy(index, args.lines), encoding="utf-8")
            paths.append(str(path))
        linter = Linter()
        results = [linter.lint_file(path) for path in paths]
        report = Report(sorted(d for r in results for d in r.diagnostics), linter.rules, paths,
                        texts={r.path: r.text for r in results})
        started = time.perf_counter()
        page_html = render(report)
        render_seconds = time.perf_counter() - started
        output = folder / "report.html"
        output.write_text(page_html, encoding="utf-8")
        print(f"files: {args.files}, findings: {len(report.diagnostics):,}")
        print(f"render: {render_seconds * 1000:.0f} ms, size: {len(page_html.encode()) / 1e6:.2f} MB")

        reason = why_no_browser()
        if reason:
            print(f"browser part skipped: {reason}")
            return 0
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(output.as_uri())
            timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd}; }""")
            print(f"open: DOMContentLoaded {timing['dom']:.0f} ms, load {timing['load']:.0f} ms")
            clicks = page.evaluate("""count => {
                const button = document.querySelector('.toggle[data-severity=error]');
                const times = [];
                for (let i = 0; i < count; i++) {
                    const start = performance.now();
                    button.click();
                    document.body.getBoundingClientRect();  // force style and layout
                    void document.body.offsetHeight;
                    times.push(performance.now() - start);
                }
                return times; }""", args.clicks * 2)
            print(f"severity filter click (style + layout): median {statistics.median(clicks):.1f} ms, "
                  f"max {max(clicks):.1f} ms over {len(clicks)} clicks")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

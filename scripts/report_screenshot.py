"""Regenerate docs/report.png, the README's screenshot of the HTML review report.

    .venv/bin/python scripts/report_screenshot.py [--output docs/report.png]

Runs `hypelint check --format html` on examples/risky/, opens the report in the system's headless
Chromium (Debian's `chromium`, or HYPELINT_CHROMIUM; see tests/browser_support.py), selects the
first cure claim so the detail panel is filled, and saves a screenshot of the top of the page.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import launch, why_no_browser  # noqa: E402
from hypelint.cli import main as hypelint  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "docs" / "report.png"))
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1400)
    args = parser.parse_args()
    reason = why_no_browser()
    if reason:
        print(f"report_screenshot: {reason}", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as directory:
        report = Path(directory) / "report.html"
        os.chdir(ROOT)  # report paths relative to the project, as a user would run it
        code = hypelint(["check", "--isolated", "--quiet", "--format", "html", "--output-file", str(report),
                         "examples/risky/"])
        if code not in (0, 1):
            return code
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": args.width, "height": args.height}, device_scale_factor=1)
            page.goto(report.as_uri())
            page.locator("mark.hl.sev-error").first.click()
            page.evaluate("window.scrollTo(0, 0)")
            page.mouse.move(0, args.height - 1)  # no hover effect in the picture
            Path(args.output).parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=args.output)
            browser.close()
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

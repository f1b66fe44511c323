"""Fixtures for the HTML report tests: a tiny ruleset of our own, example copy, and report builders.

The ruleset is written by the tests so that the spans (nested, crossing, multi-line, document
level) stay the same whatever the built-in packs learn.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from hypelint.linter import Linter
from hypelint.reporters import Report
from hypelint.rules import load_packs

RULESET = """\
pack: report-test
rules:
  - code: TST101
    name: test-cure
    category: claim.cure
    severity: error
    message: '"{match}" is a test cure claim.'
    rationale: Only an approved drug may claim to cure a disease.
    references: [{title: 21 CFR 101.93(g), url: 'https://www.ecfr.gov/current/title-21/section-101.93'}]
    patterns: ['cures?']
    suggestions: ['Say what the product does, not what it cures.']
    examples: {bad: ['It [[cures]] colds.'], good: ['Nothing here.']}
  - code: TST102
    name: test-miracle
    category: claim.puffery
    severity: warning
    message: '"{match}" is test hype.'
    rationale: Miracle language overstates any effect.
    references: [{title: FTC Health Products Compliance Guidance, url: 'https://www.ftc.gov/business-guidance'}]
    patterns: ['miracle cure']
    examples: {bad: ['A [[miracle cure]].'], good: ['Nothing here.']}
  - code: TST103
    name: test-instant
    category: claim.absolute
    severity: warning
    message: '"{match}" promises an instant result.'
    rationale: No treatment works instantly for everyone.
    references: [{title: FTC Act section 5, url: 'https://www.ftc.gov/legal-library'}]
    patterns: ['instant relief']
    examples: {bad: ['Feel [[instant relief]].'], good: ['Nothing here.']}
  - code: TST104
    name: test-forever
    category: claim.superlative
    severity: info
    message: '"{match}" promises a permanent result.'
    rationale: Permanence needs long-term evidence.
    references: [{title: FTC Act section 5, url: 'https://www.ftc.gov/legal-library'}]
    patterns: ['relief forever']
    examples: {bad: ['Get [[relief forever]].'], good: ['Nothing here.']}
  - code: TST105
    name: test-guarantee
    category: claim.absolute
    severity: error
    message: '"{match}" is a test guarantee.'
    rationale: No treatment can guarantee an outcome.
    references: [{title: FTC Act section 5, url: 'https://www.ftc.gov/legal-library'}]
    patterns: ['guaranteed results']
    examples: {bad: ['[[Guaranteed results]].'], good: ['Nothing here.']}
  - code: TST106
    name: test-markup
    category: claim.puffery
    severity: info
    message: 'found {match} here'
    rationale: Markup in plain text copy is suspicious.
    references: [{title: Example, url: 'https://example.com/rules'}]
    patterns: ['<script>']
    examples: {bad: ['a [[<script>]] tag'], good: ['Nothing here.']}
  - code: TST901
    name: test-missing-disclaimer
    category: disclosure.supplement
    severity: warning
    scope: document
    message: 'This copy sells a "{match}" but has no supplement disclaimer.'
    rationale: Supplement copy needs the FDA disclaimer.
    references: [{title: 21 CFR 101.93(c), url: 'https://www.ecfr.gov/current/title-21/section-101.93'}]
    patterns: ['balm']
    requires: ['not been evaluated']
    examples: {bad: ['Our balm soothes.'], good: ['Our balm soothes. This has not been evaluated by the FDA.']}
"""

# Copy written for these tests. Line 6 has a finding nested in another ("cure" in "miracle
# cure"), line 7 two crossing ones ("instant relief" / "relief forever"), lines 7-8 one that spans
# a line break ("guaranteed results"); the file has a document-level finding (no disclaimer).
REVIEW_MD = """\
---
title: Joint Support Balm
---
# Joint Support

Our balm is a miracle cure for stiff knees.
Feel instant relief forever with guaranteed
results in a week.

Ask your doctor before use.
"""

PLAIN_TXT = "Our tea cures colds.\nThat is all.\n"

# Hostile copy: every one of these must be shown as text and run nothing.
XSS_MD = """\
# Offer <script>window.__hypelintXss = 1</script>

"><img src=x onerror="window.__hypelintXss = 2"> Our gel cures everything.

[Read more](javascript:window.__hypelintXss=3) and it cures <b onmouseover="window.__hypelintXss=4">all</b> ills.

<svg onload="window.__hypelintXss=5"></svg>
<iframe src="javascript:window.__hypelintXss=6"></iframe>
</script><script>window.__hypelintXss = 7</script><!-- -->
"""
XSS_TXT = "It cures <script> window.__hypelintXss = 8 </script> and </textarea><script>window.__hypelintXss=9</script>\n"
XSS_PATH_NAME = '"><img src=x onerror="window.__hypelintXss=10">.txt'

FILES: Dict[str, str] = {"review.md": REVIEW_MD, "plain.txt": PLAIN_TXT, "clean.md": "Nothing to see here.\n"}
XSS_FILES: Dict[str, str] = {"xss.md": XSS_MD, "xss.txt": XSS_TXT, XSS_PATH_NAME: "It cures.\n"}


def make_linter(tmp_path: Path) -> Linter:
    ruleset = tmp_path / "report-test.yaml"
    ruleset.write_text(RULESET, encoding="utf-8")
    return Linter(load_packs([str(ruleset)]))


def write_files(directory: Path, files: Dict[str, str]) -> List[str]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return sorted(paths)


def build_report(linter: Linter, paths: List[str]) -> Report:
    """The Report the CLI would build for these files."""
    results = [linter.lint_file(path) for path in paths]
    diagnostics = sorted(d for result in results for d in result.diagnostics)
    return Report(diagnostics, linter.rules, [r.path for r in results],
                  texts={r.path: r.text for r in results if r.text is not None})


def line_findings(report: Report):
    return [d for d in report.diagnostics if not d.document_level and not d.category.startswith("disclosure.")]


def report_data(page_html: str) -> dict:
    match = re.search(r'<script type="application/json" id="hypelint-data">(.*?)</script>', page_html, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


class Elements(HTMLParser):
    """Every start tag as (tag, attributes), plus the text of <style> and <script> elements."""

    def __init__(self, page_html: str):
        super().__init__(convert_charrefs=True)
        self.tags: List[Tuple[str, Dict[str, Optional[str]]]] = []
        self.raw: Dict[str, List[str]] = {"style": [], "script": []}
        self._open: List[str] = []
        self.feed(page_html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in self.raw:
            self._open.append(tag)
            self.raw[tag].append("")

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        if self._open:
            self.raw[self._open[-1]][-1] += data

    def find(self, tag: str, **attributes) -> List[Dict[str, Optional[str]]]:
        return [attrs for name, attrs in self.tags
                if name == tag and all(attrs.get(key.replace("_", "-")) == value for key, value in attributes.items())]

"""JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure, CircleCI).

One <testsuite> per linted file; each finding is a failed <testcase> named after its rule and
position, and a file without findings is one passing test case, so the report counts files.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from typing import Dict, List

from ..diagnostic import Diagnostic
from . import Report

# Characters XML 1.0 cannot carry at all, even escaped.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("\ufffd", text)


def render(report: Report) -> str:
    by_file: Dict[str, List[Diagnostic]] = defaultdict(list)
    for diagnostic in report.diagnostics:
        by_file[diagnostic.path].append(diagnostic)
    files = list(dict.fromkeys(list(report.files) + list(by_file)))
    root = ElementTree.Element("testsuites", name="hypelint")
    total_tests = total_failures = 0
    for path in files:
        findings = by_file.get(path, [])
        suite = ElementTree.SubElement(root, "testsuite", name=_clean(path))
        if not findings:
            ElementTree.SubElement(suite, "testcase", name="hypelint", classname=_clean(path), file=_clean(path))
        for d in findings:
            case = ElementTree.SubElement(
                suite, "testcase", name=_clean(f"{d.code} {d.name} at {d.line}:{d.column}"),
                classname=_clean(path), file=_clean(path), line=str(d.line))
            failure = ElementTree.SubElement(case, "failure", message=_clean(d.message), type=str(d.severity))
            body = [f"{d.path}:{d.line}:{d.column}: {d.code} [{d.severity}] {d.message}"]
            body += [f"help: {s}" for s in d.suggestions] + [f"see: {r}" for r in d.references]
            failure.text = _clean("\n".join(body))
        tests = max(1, len(findings))
        suite.set("tests", str(tests))
        suite.set("failures", str(len(findings)))
        suite.set("errors", "0")
        total_tests += tests
        total_failures += len(findings)
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(len(report.errors)))
    if report.errors:
        suite = ElementTree.SubElement(root, "testsuite", name="hypelint errors", tests=str(len(report.errors)),
                                       failures="0", errors=str(len(report.errors)))
        for message in report.errors:
            case = ElementTree.SubElement(suite, "testcase", name=_clean(message.split(": ")[0]), classname="hypelint")
            ElementTree.SubElement(case, "error", message=_clean(message)).text = _clean(message)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"

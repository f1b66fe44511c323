"""SARIF 2.1.0 for code-scanning services (GitHub code scanning, Azure DevOps, IDE viewers).

`tool.driver.rules` describes every active rule: its name, short and full description, help
text (rationale, what to write instead, references) and help URI (the first reference).
Results carry regions in Unicode code points (`columnKind`), and content fingerprints that
survive moved lines (`partialFingerprints`, the same as the baseline's).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Dict, List
from urllib.parse import quote

from ..diagnostic import Diagnostic, Severity
from . import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "hypelintFingerprint/v1"


def _rule_descriptor(rule) -> Dict:
    short = " ".join((rule.description or rule.message.replace("{match}", "…")).split())
    rationale = " ".join(rule.rationale.split())
    help_lines = [rationale]
    help_markdown = [rationale]
    if rule.suggestions:
        help_lines += ["", "What to write instead:"] + [f"- {s}" for s in rule.suggestions]
        help_markdown += ["", "**What to write instead**", ""] + [f"- {s}" for s in rule.suggestions]
    if rule.references:
        help_lines += ["", "References:"] + [f"- {r.title}: {r.url}" for r in rule.references]
        help_markdown += ["", "**References**", ""] + [f"- [{r.title}]({r.url})" for r in rule.references]
    descriptor = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": rationale},
        "help": {"text": "\n".join(help_lines), "markdown": "\n".join(help_markdown)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"category": rule.category, "pack": rule.pack, "tags": [rule.category, rule.pack]},
    }
    if rule.references:
        descriptor["helpUri"] = rule.references[0].url
    return descriptor


def _artifact_location(path: str) -> Dict:
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    # the file name's bytes, percent-encoded: a name that is not UTF-8 is still a valid URI
    return {"uri": quote(os.fsencode(path.replace(os.sep, "/"))), "uriBaseId": "%SRCROOT%"}


def _result(report: Report, diagnostic: Diagnostic, rule_index: Dict[str, int]) -> Dict:
    result = {
        "ruleId": diagnostic.code,
        "level": LEVELS[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": _artifact_location(diagnostic.path),
                "region": {
                    "startLine": diagnostic.line,
                    "startColumn": diagnostic.column,
                    "endLine": diagnostic.end_line,
                    "endColumn": diagnostic.end_column,
                },
            },
        }],
        "partialFingerprints": {FINGERPRINT_KEY: report.fingerprint(diagnostic)},
        "properties": {"name": diagnostic.name, "category": diagnostic.category},
    }
    if diagnostic.code in rule_index:
        result["ruleIndex"] = rule_index[diagnostic.code]
    return result


def build(report: Report) -> Dict:
    """The SARIF log as a dict (render() serialises it)."""
    from .. import __version__

    descriptors: List[Dict] = [_rule_descriptor(rule) for rule in (report.rules or [])]
    known = {d["id"] for d in descriptors}
    for diagnostic in report.diagnostics:  # findings from outside the rule packs (source notes)
        if diagnostic.code not in known:
            known.add(diagnostic.code)
            descriptors.append({"id": diagnostic.code, "name": diagnostic.name,
                                "shortDescription": {"text": diagnostic.message},
                                "defaultConfiguration": {"level": LEVELS[diagnostic.severity]}})
    rule_index = {descriptor["id"]: index for index, descriptor in enumerate(descriptors)}
    invocation = {"executionSuccessful": not report.errors}
    if report.errors:
        invocation["toolExecutionNotifications"] = [{"level": "error", "message": {"text": error}}
                                                    for error in report.errors]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hypelint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": descriptors,
            }},
            "invocations": [invocation],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": [_result(report, d, rule_index) for d in report.diagnostics],
        }],
    }


def render(report: Report) -> str:
    return json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"

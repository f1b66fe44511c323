"""GitLab Code Quality JSON: the artifact `artifacts:reports:codequality` shows in merge requests.

Each finding is an issue with a description, check_name, severity (error → major, warning →
minor, info → info, as eslint's GitLab formatter does), location, and a fingerprint GitLab uses
to tell new issues from old: the baseline's content fingerprint, so moving lines does not make an
issue look new, plus the file and an occurrence number so identical findings stay distinct.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter

from ..diagnostic import Severity
from . import Report

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report) -> str:
    issues = []
    occurrences: Counter = Counter()
    for d in report.diagnostics:
        content = report.fingerprint(d)
        occurrences[(d.path, content)] += 1
        identity = f"{d.path}\0{content}\0{occurrences[(d.path, content)]}"
        fingerprint = hashlib.md5(identity.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()
        issues.append({
            "type": "issue",
            "check_name": d.code,
            "description": f"{d.code} {d.name}: {d.message}",
            "categories": ["Style"],
            "severity": SEVERITIES[d.severity],
            "fingerprint": fingerprint,
            "location": {
                "path": d.path.replace("\\", "/"),
                "positions": {"begin": {"line": d.line, "column": d.column},
                              "end": {"line": d.end_line, "column": d.end_column}},
            },
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


"""`--statistics`: how many findings each rule produced, most frequent first (like ruff's)."""
from __future__ import annotations

import json
from collections import Counter
from typing import Dict, List

from . import Report


def counts(report: Report) -> List[Dict[str, object]]:
    tally = Counter(d.code for d in report.diagnostics)
    first = {}
    for d in report.diagnostics:
        first.setdefault(d.code, d)
    ordered = sorted(tally, key=lambda code: (-tally[code], code))
    return [{"code": code, "name": first[code].name, "severity": str(first[code].severity),
             "count": tally[code]} for code in ordered]


def render(report: Report) -> str:
    rows = counts(report)
    if not rows:
        return ""
    count_width = max(len(str(row["count"])) for row in rows)
    name_width = max(len(str(row["name"])) for row in rows)
    return "".join(f"{row['count']:>{count_width}}  {row['code']}  {row['name']:<{name_width}}  [{row['severity']}]\n"
                   for row in rows)


def render_json(report: Report) -> str:
    return json.dumps(counts(report), indent=2) + "\n"

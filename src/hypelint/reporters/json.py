"""JSON: an array of diagnostic objects with a fixed set of keys (see Diagnostic.to_dict)."""
from __future__ import annotations

import json

from . import Report


def render(report: Report) -> str:
    return json.dumps([d.to_dict() for d in report.diagnostics], indent=2, ensure_ascii=False) + "\n"

"""JSON: an array of diagnostic objects with a fixed set of keys (see Diagnostic.to_dict);
JSON Lines (`jsonl`): the same objects, one per line, for streaming tools."""
from __future__ import annotations

import json

from . import Report


def render(report: Report) -> str:
    return json.dumps([d.to_dict() for d in report.diagnostics], indent=2, ensure_ascii=False) + "\n"


def render_lines(report: Report) -> str:
    return "".join(json.dumps(d.to_dict(), ensure_ascii=False) + "\n" for d in report.diagnostics)

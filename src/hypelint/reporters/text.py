"""The default concise format: `path:line:col: CODE [severity] message`, one finding a line."""
from __future__ import annotations

from . import Report


def render(report: Report) -> str:
    return "".join(
        f"{d.path}:{d.line}:{d.column}: {d.code} [{d.severity}] {d.message}\n" for d in report.diagnostics
    )

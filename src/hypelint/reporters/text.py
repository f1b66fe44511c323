"""The default concise format: `path:line:col: CODE [severity] message`, one finding a line."""
from __future__ import annotations

from . import Report, printable


def render(report: Report) -> str:
    # paths and messages escaped: a file name holding a newline or an escape sequence can
    # neither fake a finding line nor reach the terminal
    return "".join(
        f"{printable(d.path)}:{d.line}:{d.column}: {d.code} [{d.severity}] {printable(d.message)}\n"
        for d in report.diagnostics
    )

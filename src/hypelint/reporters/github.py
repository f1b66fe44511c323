"""GitHub Actions workflow commands: one `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`
line per finding, which GitHub turns into annotations on the pull request's changed lines.

Severity maps to the command: error → `error`, warning → `warning`, info → `notice`. Values are
escaped as GitHub's runner expects (`%`, CR and LF everywhere; also `:` and `,` in properties).
"""
from __future__ import annotations

from ..diagnostic import Severity
from . import Report, printable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(value)  # other control characters would reach the log's terminal


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for d in report.diagnostics:
        properties = [("file", d.path.replace("\\", "/")), ("line", str(d.line))]
        # GitHub only honours columns on single-line annotations
        if d.end_line == d.line:
            properties += [("col", str(d.column)), ("endLine", str(d.end_line)), ("endColumn", str(d.end_column))]
        else:
            properties += [("endLine", str(d.end_line))]
        properties.append(("title", f"{d.code} {d.name}"))
        encoded = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
        lines.append(f"::{COMMANDS[d.severity]} {encoded}::{escape_data(d.message)}\n")
    return "".join(lines)

"""The `full` format: each finding with its source line(s), a ^^^^ underline of the exact span,
the rule's suggestions and references (like ruff's full output). Colour only when the CLI sets
`Report.color` (a terminal without NO_COLOR)."""
from __future__ import annotations

import unicodedata
from typing import List

from ..diagnostic import Diagnostic, Severity
from . import Report, printable

MAX_SPAN_LINES = 4  # longer spans show their first lines and an ellipsis

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_BLUE = "\x1b[34m"
_CYAN = "\x1b[36m"
_SEVERITY_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}


def _width(text: str) -> int:
    """Terminal cells the text takes: wide East Asian characters two, combining marks none."""
    total = 0
    for character in text:
        if unicodedata.combining(character):
            continue
        total += 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1
    return total


class _Painter:
    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not text:
            return text
        return "".join(styles) + text + _RESET


def _visible(line: str) -> str:
    # One cell per code point keeps the underline aligned with the reported columns.
    return "".join(" " if c == "\t" or (ord(c) < 32) else c for c in line)


def _render_one(report: Report, diagnostic: Diagnostic, paint: _Painter) -> List[str]:
    colour = _SEVERITY_COLOURS[diagnostic.severity]
    header = (f"{paint(printable(diagnostic.path), _BOLD)}:{diagnostic.line}:{diagnostic.column}: "
              f"{paint(diagnostic.code, _BOLD, colour)} [{paint(str(diagnostic.severity), colour)}] "
              f"{printable(diagnostic.message)}")
    lines = [header]
    text = report.text_of(diagnostic.path)
    if text is not None:
        source_lines = text.split("\n")
        last = min(diagnostic.end_line, diagnostic.line + MAX_SPAN_LINES - 1)
        if last > len(source_lines):
            last = len(source_lines)
        gutter = len(str(last))
        bar = paint("|", _BLUE, _BOLD)
        lines.append(f"{' ' * gutter} {bar}")
        for number in range(diagnostic.line, last + 1):
            raw = source_lines[number - 1].rstrip("\r")
            shown = _visible(raw)
            start = diagnostic.column - 1 if number == diagnostic.line else len(raw) - len(raw.lstrip())
            end = diagnostic.end_column - 1 if number == diagnostic.end_line else len(raw)
            end = max(end, start + 1)  # an empty span still gets one caret
            carets = "^" * max(1, _width(shown[start:end]))
            label = f" {diagnostic.name}" if number == last else ""
            lines.append(f"{paint(str(number).rjust(gutter), _BLUE, _BOLD)} {bar} {shown}".rstrip())
            lines.append(f"{' ' * gutter} {bar} {' ' * _width(shown[:start])}{paint(carets + label, colour, _BOLD)}")
        if diagnostic.end_line > last:
            lines.append(f"{' ' * gutter} {bar} ...")
        if diagnostic.document_level:
            lines.append(f"{' ' * gutter} {bar} (applies to the whole file)")
        lines.append(f"{' ' * gutter} {bar}")
        indent = " " * gutter
    else:
        indent = " "
    for suggestion in diagnostic.suggestions:
        lines.append(f"{indent} = {paint('help', _BOLD, _CYAN)}: {suggestion}")
    for reference in diagnostic.references:
        lines.append(f"{indent} = {paint('see', _BOLD, _CYAN)}: {reference}")
    return lines


def render(report: Report) -> str:
    paint = _Painter(report.color)
    blocks = ["\n".join(_render_one(report, d, paint)) + "\n" for d in report.diagnostics]
    return "\n".join(blocks)

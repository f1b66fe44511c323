"""The HTML review report: one self-contained page for the people who sign off health copy.

Medical, legal and regulatory reviewers do not read terminal output. This reporter writes a
single HTML file (inline CSS and JavaScript, no network requests, opens from disk) with totals,
a chart of findings per category, and every file's copy with its flagged spans highlighted.

Everything the page shows is rendered here, server side, with all copy escaped; the script in
`assets/report.js` only toggles classes and fills the detail panel with `textContent` from a JSON
data block. A Content-Security-Policy with hashes of the page's own style and script blocks any
other script or network request, as a second line of defence behind the escaping.
"""
from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from typing import Dict, Iterable, List, Optional, Sequence, Tuple
from urllib.parse import urlsplit

from .. import __version__
from ..diagnostic import Diagnostic
from ..rules import CATEGORIES
from . import Report, escape_surrogates

SEVERITIES: Tuple[str, ...] = ("error", "warning", "info")  # most severe first, as reviewers triage
SEVERITY_LABELS = {"error": "Errors", "warning": "Warnings", "info": "Info"}
DIRECTIVE = "hypelint-disable-next-line"

# Suppression comment syntax by file extension. Formats without comments (JSON) get None:
# their findings can only be suppressed in the configuration.
_HTML_COMMENT_EXTENSIONS = {".md", ".markdown", ".mdown", ".mkd", ".mdx", ".html", ".htm", ".xml",
                            ".svg", ".vue", ".astro"}
_HASH_COMMENT_EXTENSIONS = {".yaml", ".yml", ".toml"}
_NO_COMMENT_EXTENSIONS = {".json"}


def render(report: Report) -> str:
    """The whole report as one HTML document."""
    return _Page(report).render()


# -- positions and spans -----------------------------------------------------------------------

def is_document_level(diagnostic: Diagnostic) -> bool:
    """Findings about the file as a whole (missing disclosures) rather than about a span."""
    return diagnostic.document_level or diagnostic.category.startswith("disclosure.")


def suppression_comment(path: str, code: str, line: int = 1, text: Optional[str] = None) -> Optional[str]:
    """The directive that suppresses `code` on `line` of `path`, in that file's comment syntax.

    Markdown front matter is YAML or TOML, so a finding inside it needs a `#` comment. JSON has no
    comments: None (suppress in the configuration instead).
    """
    lines = front_matter_lines(text) if text is not None else None
    return _suppression(path, code, lines is not None and lines[0] <= line <= lines[1])


def _suppression(path: str, code: str, in_front_matter: bool) -> Optional[str]:
    extension = os.path.splitext(path)[1].lower()
    directive = f"{DIRECTIVE} {code}"
    if extension in _NO_COMMENT_EXTENSIONS:
        return None
    if extension in _HASH_COMMENT_EXTENSIONS:
        return f"# {directive}"
    if extension in _HTML_COMMENT_EXTENSIONS:
        return f"# {directive}" if in_front_matter else f"<!-- {directive} -->"
    return directive  # plain text: the directive on a line of its own


def front_matter_lines(text: str) -> Optional[Tuple[int, int]]:
    """First and last 1-based line between the front matter fences, or None."""
    from ..sources.frontmatter import find_front_matter

    front_matter = find_front_matter(text)
    if front_matter is None:
        return None
    return (text.count("\n", 0, front_matter.body_start) + 1,
            text.count("\n", 0, front_matter.body_end))  # the line before the closing fence


def safe_url(url: str) -> Optional[str]:
    """`url` if it is an absolute http(s) link, else None: a report never links anything else."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c in url for c in "\r\n\t "):
        return url
    return None


@dataclass
class _Piece:
    """The part of one finding that lies on one line, as columns [start, end) of that line."""

    finding: int
    start: int
    end: int
    classes: str
    first: bool


@dataclass
class _FileView:
    index: int
    path: str
    text: Optional[str]
    line_findings: List[Tuple[int, Diagnostic]] = field(default_factory=list)
    document_findings: List[Tuple[int, Diagnostic]] = field(default_factory=list)
    unplaced: List[Tuple[int, Diagnostic]] = field(default_factory=list)  # positions outside the text

    @property
    def anchor(self) -> str:
        return f"file-{self.index}"

    @property
    def findings(self) -> List[Tuple[int, Diagnostic]]:
        return sorted(self.document_findings + self.line_findings + self.unplaced, key=lambda item: item[0])

    def counts(self) -> Dict[str, int]:
        counts = {name: 0 for name in SEVERITIES}
        for _, diagnostic in self.findings:
            counts[str(diagnostic.severity)] += 1
        return counts


def split_lines(text: str) -> List[str]:
    """Lines as LineIndex counts them (split at "\\n"), without a trailing "\\r"."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def line_pieces(diagnostic: Diagnostic, finding: int, classes: str, lines: Sequence[str]) -> List[Tuple[int, _Piece]]:
    """(line index, piece) for every line a finding covers; a zero-width finding gives one empty piece."""
    pieces: List[Tuple[int, _Piece]] = []
    first_line = diagnostic.line - 1
    last_line = max(diagnostic.end_line - 1, first_line)
    for line_number in range(first_line, min(last_line, len(lines) - 1) + 1):
        length = len(lines[line_number])
        start = diagnostic.column - 1 if line_number == first_line else 0
        end = diagnostic.end_column - 1 if line_number == last_line else length
        start, end = min(max(start, 0), length), min(max(end, 0), length)
        if end > start or (first_line == last_line and end == start):
            pieces.append((line_number, _Piece(finding, start, end, classes, not pieces)))
    if not pieces and 0 <= first_line < len(lines):
        # a span that only covers a line break: mark where it starts so it can still be selected
        column = min(max(diagnostic.column - 1, 0), len(lines[first_line]))
        pieces.append((first_line, _Piece(finding, column, column, classes, True)))
    return pieces


def _mark_open(piece: _Piece) -> str:
    identity = f' id="f{piece.finding}"' if piece.first else ""
    empty = " hl-empty" if piece.start == piece.end else ""
    return f'<mark class="hl {piece.classes}{empty}" data-f="{piece.finding}"{identity} tabindex="0">'


def render_line(line: str, pieces: Sequence[_Piece]) -> str:
    """One line of copy, escaped, with properly nested <mark> elements for (overlapping) pieces.

    Where two spans cross, the inner one is closed and reopened, so every element nests and each
    finding stays one or more <mark data-f=N> elements.
    """
    if not pieces:
        return escape(line, quote=False)
    empty = [piece for piece in pieces if piece.start == piece.end]
    spans = [piece for piece in pieces if piece.end > piece.start]
    points = sorted({0, len(line)} | {p.start for p in spans} | {p.end for p in spans} | {p.start for p in empty})
    starting: Dict[int, List[_Piece]] = {}
    for piece in spans:
        starting.setdefault(piece.start, []).append(piece)
    empty_at: Dict[int, List[_Piece]] = {}
    for piece in empty:
        empty_at.setdefault(piece.start, []).append(piece)

    out: List[str] = []
    stack: List[_Piece] = []
    for position_index, point in enumerate(points):
        ending = [index for index, piece in enumerate(stack) if piece.end == point]
        if ending:
            lowest = ending[0]
            reopen = [piece for piece in stack[lowest:] if piece.end != point]
            out.append("</mark>" * (len(stack) - lowest))
            del stack[lowest:]
            for piece in reopen:
                out.append(_mark_open(_Piece(piece.finding, point, piece.end, piece.classes, False)))
                stack.append(piece)
        for piece in empty_at.get(point, ()):
            out.append(_mark_open(piece) + "</mark>")
        # longer spans open first, so they enclose the shorter ones starting at the same place
        for piece in sorted(starting.get(point, ()), key=lambda p: (-p.end, p.finding)):
            out.append(_mark_open(piece))
            stack.append(piece)
        if position_index + 1 < len(points):
            out.append(escape(line[point:points[position_index + 1]], quote=False))
    out.append("</mark>" * len(stack))
    return "".join(out)


# -- HTML pages as their visible text ----------------------------------------------------------

_HTML_EXTENSIONS = (".html", ".htm")


def visible_masks(path: str, text: Optional[str]) -> Optional[List[str]]:
    """For an HTML page: the prose mask of each line (hypelint.document: prose as is, markup as
    spaces, block boundaries as NUL), so the report shows what a visitor reads, not the source.
    None for other formats, or when the page cannot be parsed."""
    if text is None or not path.lower().endswith(_HTML_EXTENSIONS):
        return None
    try:
        from ..sources import parse

        mask = parse(text, path).mask
    except Exception:  # noqa: BLE001 - the raw source is shown instead
        return None
    if len(mask) != len(text):
        return None
    masks, offset = [], 0
    for raw in text.split("\n"):
        masks.append(mask[offset:offset + len(raw)])
        offset += len(raw) + 1
    return masks


def visible_line(line: str, mask: str) -> Tuple[str, List[int]]:
    """The visible text of one source line and, for every column 0..len(line), where that column
    lands in it. Tags, comments, scripts and styles disappear; an entity shows as its character;
    whitespace and block boundaries collapse to one space."""
    out: List[str] = []
    mapping: List[int] = []
    pending = False
    in_entity = False
    for column, char in enumerate(line):
        mapping.append(len(out))
        shown = mask[column] if column < len(mask) else "\x00"
        if in_entity:
            if char == ";" or not (char.isalnum() or char == "#"):
                in_entity = False
            if char == ";" or char.isalnum() or char == "#":
                continue
        if shown == "\x00":
            pending = bool(out)
            continue
        if char == "&":
            in_entity = True
        if shown.isspace():
            if char.isspace() or char == "&":
                pending = bool(out)
            continue  # hidden markup
        if pending:
            out.append(" ")
            mapping[-1] = len(out)
            pending = False
        out.append(shown)
    mapping.append(len(out))
    return "".join(out), mapping


# -- the page ----------------------------------------------------------------------------------

def _data_card(card: str) -> str:
    return f' data-card="{card}"' if card else ""


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def script_json(data: object) -> str:
    """JSON that is safe inside a <script> element: no "<", ">" or "&" can end or confuse it."""
    text = escape_surrogates(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _generated_at() -> str:
    # SOURCE_DATE_EPOCH makes the report reproducible (screenshots, diffs), as in reproducible builds
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        moment = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    else:
        moment = datetime.datetime.now(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


class _Page:
    def __init__(self, report: Report):
        self.report = report
        self.diagnostics = sorted(report.diagnostics)
        paths: List[str] = list(dict.fromkeys(list(report.files) + [d.path for d in self.diagnostics]))
        texts: Dict[str, str] = getattr(report, "texts", None) or {}
        self.files = [_FileView(index, path, texts.get(path)) for index, path in enumerate(paths)]
        self.views_by_path = {view.path: view for view in self.files}
        self.categories = sorted({d.category for d in self.diagnostics})
        self.category_index = {name: index for index, name in enumerate(self.categories)}
        self.lines: Dict[int, List[str]] = {}
        self.front_matter: Dict[int, Optional[Tuple[int, int]]] = {}
        for finding, diagnostic in enumerate(self.diagnostics):
            view = self.views_by_path[diagnostic.path]
            if is_document_level(diagnostic):
                view.document_findings.append((finding, diagnostic))
            elif view.text is not None and 1 <= diagnostic.line <= len(self._lines(view)):
                view.line_findings.append((finding, diagnostic))
            else:
                view.unplaced.append((finding, diagnostic))

    def _lines(self, view: _FileView) -> List[str]:
        if view.index not in self.lines:
            self.lines[view.index] = split_lines(view.text or "")
        return self.lines[view.index]

    def classes(self, diagnostic: Diagnostic) -> str:
        return f"sev-{diagnostic.severity} cat-{self.category_index[diagnostic.category]}"

    # -- data for the script
    def data(self) -> dict:
        rules = {}
        findings = []
        for finding, diagnostic in enumerate(self.diagnostics):
            view = self.views_by_path[diagnostic.path]
            findings.append({
                "file": view.index, "line": diagnostic.line, "column": diagnostic.column,
                "end_line": diagnostic.end_line, "end_column": diagnostic.end_column,
                "code": diagnostic.code, "severity": str(diagnostic.severity),
                "category": self.category_index[diagnostic.category], "message": diagnostic.message,
                "matched": self._matched(view, diagnostic),
                "suppression": self._suppression(view, diagnostic),
                "document_level": is_document_level(diagnostic),
                "suggestions": list(diagnostic.suggestions),  # the rule's, fitted to this match
            })
            if diagnostic.code not in rules:
                rules[diagnostic.code] = self._rule_data(diagnostic)
        return {
            "version": 1,
            "severities": list(SEVERITIES),
            "categories": [{"name": name, "description": CATEGORIES.get(name, "")} for name in self.categories],
            "files": [{"path": view.path, "anchor": view.anchor} for view in self.files],
            "findings": findings,
            "rules": rules,
        }

    def _suppression(self, view: _FileView, diagnostic: Diagnostic) -> Optional[str]:
        if view.index not in self.front_matter:
            self.front_matter[view.index] = front_matter_lines(view.text) if view.text is not None else None
        lines = self.front_matter[view.index]
        return _suppression(view.path, diagnostic.code, lines is not None and lines[0] <= diagnostic.line <= lines[1])

    def _matched(self, view: _FileView, diagnostic: Diagnostic) -> str:
        if diagnostic.matched:
            return diagnostic.matched
        if view.text is None or is_document_level(diagnostic):
            return ""
        lines = self._lines(view)
        parts = [lines[line][piece.start:piece.end]
                 for line, piece in line_pieces(diagnostic, 0, "", lines)]
        return "\n".join(parts)

    def _rule_data(self, diagnostic: Diagnostic) -> dict:
        rule = self.report.rules.get(diagnostic.code) if self.report.rules is not None else None
        if rule is not None:
            references = [{"title": r.title, "url": safe_url(r.url)} for r in rule.references]
            return {"name": rule.name, "rationale": " ".join(rule.rationale.split()),
                    "description": " ".join(rule.description.split()),
                    "suggestions": [s.replace("{match}", "…") for s in rule.suggestions], "references": references}
        return {"name": diagnostic.name, "rationale": "", "description": "",
                "suggestions": list(diagnostic.suggestions),
                "references": [{"title": url, "url": safe_url(url)} for url in diagnostic.references]}

    # -- HTML
    def render(self) -> str:
        style = _asset("report.css") + self._category_css()
        script = _asset("report.js")
        policy = ("default-src 'none'; img-src data:; "
                  f"style-src {_csp_hash(style)}; script-src {_csp_hash(script)}; "
                  "base-uri 'none'; form-action 'none'")
        total = len(self.diagnostics)
        title = f"hypelint review report: {_plural(total, 'finding')} in {_plural(len(self.files), 'file')}"
        parts = [
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            '<meta name="referrer" content="no-referrer">\n',
            f'<meta name="generator" content="hypelint {escape(__version__)}">\n',
            '<link rel="icon" href="data:,">\n',
            f"<title>{escape(title)}</title>\n<style>{style}</style>\n</head>\n",
            '<body class="no-selection">\n',
            self._toolbar(),
            '<div class="layout">\n<main id="report">\n',
            self._summary(),
            *(self._file_section(view) for view in self.files if view.findings),
            self._clean_files(),
            "</main>\n",
            self._panel(),
            "</div>\n",
            '<div id="toast" class="toast" role="status" aria-live="polite"></div>\n',
            f'<script type="application/json" id="hypelint-data">{script_json(self.data())}</script>\n',
            f"<script>{script}</script>\n</body>\n</html>\n",
        ]
        return "".join(parts)

    def _category_css(self) -> str:
        rules = []
        for index in range(len(self.categories)):
            rules.append(f"body.hide-cat-{index} mark.cat-{index}{{background:transparent;border-color:transparent;"
                         f"pointer-events:none;cursor:text}}"
                         f"body.hide-cat-{index} .finding.cat-{index}{{display:none}}")
        return "\n/* category filters (generated) */\n" + "\n".join(rules) + "\n"

    def _severity_counts(self, diagnostics: Iterable[Diagnostic]) -> Dict[str, int]:
        counts = {name: 0 for name in SEVERITIES}
        for diagnostic in diagnostics:
            counts[str(diagnostic.severity)] += 1
        return counts

    def _toolbar(self) -> str:
        counts = self._severity_counts(self.diagnostics)
        buttons = "".join(
            f'<button type="button" class="toggle" data-severity="{name}" aria-pressed="false">'
            f'<span class="dot dot-{name}" aria-hidden="true"></span>{SEVERITY_LABELS[name]}'
            f' <span class="toggle-count">{counts[name]:,}</span></button>'
            for name in SEVERITIES)
        category_counts = {name: 0 for name in self.categories}
        for diagnostic in self.diagnostics:
            category_counts[diagnostic.category] += 1
        options = "".join(
            f'<label class="category-option"><input type="checkbox" data-category="{index}">'
            f'<span class="category-name">{escape(name)}</span>'
            f'<span class="category-count">{category_counts[name]:,}</span></label>'
            for index, name in enumerate(self.categories))
        menu = (f'<details class="category-menu" id="category-menu"><summary>Categories '
                f'<span id="category-summary">(all)</span></summary>'
                f'<div class="menu"><p class="menu-hint">Show only the checked categories '
                f'(none checked: all).</p>{options}</div></details>'
                if self.categories else "")
        return (
            '<header class="toolbar" id="top">\n'
            '<a class="brand" href="#summary"><span class="brand-mark" aria-hidden="true">hl</span>'
            'hypelint <span class="brand-sub">review report</span></a>\n'
            f'<div class="filters" role="group" aria-label="Filter findings">'
            f'<span class="filter-label">Filter</span>{buttons}{menu}'
            '<button type="button" class="clear-filters" id="clear-filters" hidden>Clear filters</button></div>\n'
            f'<div class="shown" id="shown" aria-live="polite">{_plural(len(self.diagnostics), "finding")}</div>\n'
            "</header>\n"
        )

    def _summary(self) -> str:
        counts = self._severity_counts(self.diagnostics)
        flagged = sum(1 for view in self.files if view.findings)
        document_level = sum(1 for d in self.diagnostics if is_document_level(d))
        cards = [
            ("files", f"{len(self.files):,}", "files checked", ""),
            ("flagged", f"{flagged:,}", "files with findings", "flagged"),
            ("sev-card-error", f"{counts['error']:,}", "errors", "error"),
            ("sev-card-warning", f"{counts['warning']:,}", "warnings", "warning"),
            ("sev-card-info", f"{counts['info']:,}", "info", "info"),
            ("document", f"{document_level:,}", "document-level", "document"),
        ]
        # data-card: the script recounts these for the findings the filters show
        card_html = "".join(f'<div class="card {kind}"{_data_card(card)}><div class="card-value">{value}</div>'
                            f'<div class="card-label">{label}</div></div>' for kind, value, label, card in cards)
        meta = (f"Generated {escape(_generated_at())} by hypelint {escape(__version__)} · "
                f"{_plural(len(self.diagnostics), 'finding')} in {_plural(flagged, 'file')} of "
                f"{_plural(len(self.files), 'file')} checked")
        parts = [
            '<section class="summary" id="summary" aria-labelledby="summary-title">\n',
            '<h1 id="summary-title">Review report</h1>\n',
            f'<p class="meta">{meta}</p>\n',
            f'<div class="cards">{card_html}</div>\n',
        ]
        if self.diagnostics:
            parts.append('<div class="by-category">\n<h2>Findings by category</h2>\n')
            parts.append(self._chart())
            parts.append(self._category_table())
            parts.append("</div>\n")
        else:
            parts.append('<p class="all-clear">No findings: nothing in this copy matched a rule.</p>\n')
        parts.append(self._errors())
        parts.append(self._files_table())
        parts.append("</section>\n")
        return "".join(parts)

    def _category_rows(self) -> List[Tuple[str, Dict[str, int]]]:
        table: Dict[str, Dict[str, int]] = {name: {s: 0 for s in SEVERITIES} for name in self.categories}
        for diagnostic in self.diagnostics:
            table[diagnostic.category][str(diagnostic.severity)] += 1
        return sorted(table.items(), key=lambda item: (-sum(item[1].values()), item[0]))

    def _chart(self) -> str:
        """A horizontal bar per category, stacked by severity, drawn as inline SVG."""
        rows = self._category_rows()
        # labels are 12px monospace (about 7.3px a character) and right-aligned against the bars
        label_width = max(120, int(7.4 * max(len(name) for name, _ in rows)) + 18)
        bar_width, row_height, top = 330, 26, 6
        width = label_width + bar_width + 50
        height = top * 2 + row_height * len(rows)
        largest = max(sum(counts.values()) for _, counts in rows)
        # data-bar-x / data-bar-width and each row's data-category: the script redraws the bars for
        # the findings the filters show (every severity has a rect, zero wide when it has none)
        out = [f'<figure class="chart"><svg class="chart-svg" viewBox="0 0 {width} {height}" width="{width}" '
               f'height="{height}" role="img" aria-labelledby="chart-title" data-bar-x="{label_width}" '
               f'data-bar-width="{bar_width}">'
               f'<title id="chart-title">Findings per category, by severity</title>']
        for row, (name, counts) in enumerate(rows):
            y = top + row * row_height
            out.append(f'<g class="chart-row" data-category="{self.category_index[name]}">')
            out.append(f'<text class="chart-label" x="{label_width - 10}" y="{y + 17}" text-anchor="end">'
                       f'{escape(name)}</text>')
            out.append(f'<rect class="chart-track" x="{label_width}" y="{y + 5}" width="{bar_width}" height="15" rx="3"/>')
            x = float(label_width)
            for severity in SEVERITIES:
                segment = bar_width * counts[severity] / largest
                out.append(f'<rect class="chart-bar bar-{severity}" data-severity="{severity}" x="{x:.1f}" '
                           f'y="{y + 5}" width="{segment:.1f}" height="15"><title>{escape(name)}: '
                           f'{counts[severity]} {severity}</title></rect>')
                x += segment
            out.append(f'<text class="chart-count" x="{x + 6:.1f}" y="{y + 17}">{sum(counts.values()):,}</text></g>')
        out.append("</svg>")
        legend = "".join(f'<span class="legend-item"><span class="dot dot-{name}"></span>{name}</span>'
                         for name in SEVERITIES)
        out.append(f'<figcaption class="legend">{legend}</figcaption></figure>\n')
        return "".join(out)

    def _category_table(self) -> str:
        rows = []
        for name, counts in self._category_rows():
            cells = "".join(f'<td class="num">{counts[s]:,}</td>' for s in SEVERITIES)
            rows.append(f'<tr><th scope="row"><code>{escape(name)}</code><span class="category-description">'
                        f'{escape(CATEGORIES.get(name, ""))}</span></th>{cells}'
                        f'<td class="num total">{sum(counts.values()):,}</td></tr>')
        return ('<details class="category-details"><summary>Findings by category and severity, as a table</summary>'
                '<table class="category-table"><thead><tr><th scope="col">Category</th>'
                '<th scope="col" class="num">Errors</th><th scope="col" class="num">Warnings</th>'
                '<th scope="col" class="num">Info</th><th scope="col" class="num">Total</th></tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></details>\n')

    def _files_table(self) -> str:
        rows = []
        for view in self.files:
            counts = view.counts()
            total = sum(counts.values())
            cells = "".join(f'<td class="num count-{s}{"" if counts[s] else " zero"}">{counts[s]:,}</td>'
                            for s in SEVERITIES)
            status = "" if total else ' class="clean-row"'
            rows.append(f'<tr data-file="{view.index}"{status}><td class="path">'
                        f'<a href="#{view.anchor}">{escape(view.path)}</a></td>{cells}'
                        f'<td class="num count-total">{total:,}</td></tr>')
        return ('<h2 id="files-title">Files</h2>\n<div class="table-wrap"><table class="files-table" '
                'aria-labelledby="files-title"><thead><tr><th scope="col">File</th>'
                '<th scope="col" class="num">Errors</th><th scope="col" class="num">Warnings</th>'
                '<th scope="col" class="num">Info</th><th scope="col" class="num">Total</th></tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></div>\n')

    def _errors(self) -> str:
        errors = list(getattr(self.report, "errors", []) or [])
        if not errors:
            return ""
        items = "".join(f"<li>{escape(str(error))}</li>" for error in errors)
        return (f'<div class="run-errors" role="alert"><h2>Not checked</h2><p>These files could not be '
                f'fully linted (HL007), so their copy was not reviewed and the run failed:</p>'
                f'<ul>{items}</ul></div>\n')

    def _badges(self, counts: Dict[str, int]) -> str:
        labels = {s: f"{counts[s]:,} info" if s == "info" else _plural(counts[s], s) for s in SEVERITIES}
        return "".join(f'<span class="badge badge-{s}">{labels[s]}</span>' for s in SEVERITIES if counts[s])

    def _severity_badge(self, diagnostic: Diagnostic) -> str:
        return f'<span class="badge badge-{diagnostic.severity}">{diagnostic.severity}</span>'

    def _copy_button(self, finding: int, view: _FileView, diagnostic: Diagnostic) -> str:
        if _suppression(view.path, diagnostic.code, False) is None:
            return ('<button type="button" class="copy" disabled title="This format has no comments: '
                    'suppress the finding in the configuration">Copy suppression comment</button>')
        return f'<button type="button" class="copy" data-copy="{finding}">Copy suppression comment</button>'

    def _file_section(self, view: _FileView) -> str:
        counts = view.counts()
        parts = [f'<section class="file" id="{view.anchor}" data-file="{view.index}" '
                 f'aria-label="{escape(view.path)}">\n',
                 f'<header class="file-header"><h2><a href="#{view.anchor}">{escape(view.path)}</a></h2>'
                 f'<span class="badges">{self._badges(counts)}</span>'
                 f'<a class="to-top" href="#summary">Summary ↑</a></header>\n']
        notices = view.document_findings + view.unplaced
        if notices:
            items = []
            for finding, diagnostic in notices:
                where = "whole file" if is_document_level(diagnostic) else f"line {diagnostic.line}"
                items.append(
                    f'<li class="finding notice {self.classes(diagnostic)}" id="f{finding}" data-f="{finding}">'
                    f'{self._severity_badge(diagnostic)}<button type="button" class="notice-main" data-f="{finding}">'
                    f'<code>{escape(diagnostic.code)}</code> <span class="rule-name">{escape(diagnostic.name)}</span>'
                    f'<span class="notice-message">{escape(diagnostic.message)}</span></button>'
                    f'<span class="where">{escape(where)}</span>{self._copy_button(finding, view, diagnostic)}'
                    f'<div class="print-detail">{self._print_detail(diagnostic)}</div></li>')
            parts.append('<div class="document-findings"><h3>About the whole file</h3>'
                         f'<ul>{"".join(items)}</ul></div>\n')
        if view.text is None:
            parts.append('<p class="no-copy">The copy of this file is not part of the report.</p>\n')
        else:
            parts.append(self._copy(view))
        if view.line_findings:
            parts.append(self._finding_table(view))
        parts.append("</section>\n")
        return "".join(parts)

    def _copy(self, view: _FileView) -> str:
        lines = self._lines(view)
        pieces_by_line: Dict[int, List[_Piece]] = {}
        for finding, diagnostic in view.line_findings:
            for line, piece in line_pieces(diagnostic, finding, self.classes(diagnostic), lines):
                pieces_by_line.setdefault(line, []).append(piece)
        masks = visible_masks(view.path, view.text)
        if masks is not None and len(masks) == len(lines):
            return self._visible_copy(view, lines, masks, pieces_by_line)
        # a final newline ends the last line rather than starting an empty one
        shown = len(lines) - 1 if len(lines) > 1 and lines[-1] == "" and not pieces_by_line.get(len(lines) - 1) else len(lines)
        body = "".join(f'<div class="l" data-n="{number + 1}">{render_line(lines[number], pieces_by_line.get(number, ()))}</div>'
                       for number in range(shown))
        return f'<div class="copy" role="region" aria-label="Copy of {escape(view.path)}">{body}</div>\n'

    def _visible_copy(self, view: _FileView, lines: List[str], masks: List[str],
                      pieces_by_line: Dict[int, List[_Piece]]) -> str:
        """An HTML page as its visible text, highlights kept, line numbers the source's; lines
        with nothing visible (the head, scripts, bare tags) are left out."""
        body = []
        for number, line in enumerate(lines):
            text, mapping = visible_line(line, masks[number])
            pieces = [_Piece(piece.finding, mapping[piece.start], mapping[piece.end], piece.classes, piece.first)
                      for piece in pieces_by_line.get(number, ())]
            if not text.strip() and not pieces:
                continue
            body.append(f'<div class="l" data-n="{number + 1}">{render_line(text, pieces)}</div>')
        return (f'<p class="copy-note">The page\'s visible text: tags, scripts and styles are hidden; line '
                f'numbers are the source file\'s.</p>\n<div class="copy visible-text" role="region" '
                f'aria-label="Visible text of {escape(view.path)}">{"".join(body)}</div>\n')

    def _finding_table(self, view: _FileView) -> str:
        rows = []
        for finding, diagnostic in view.line_findings:
            rows.append(
                f'<tr class="finding {self.classes(diagnostic)}" data-f="{finding}">'
                f'<td class="loc"><a href="#f{finding}">{diagnostic.line}:{diagnostic.column}</a></td>'
                f'<td>{self._severity_badge(diagnostic)}</td>'
                f'<td class="rule"><code>{escape(diagnostic.code)}</code> {escape(diagnostic.name)}</td>'
                f'<td class="message">{escape(diagnostic.message)}</td>'
                f'<td class="actions">{self._copy_button(finding, view, diagnostic)}</td></tr>')
            detail = self._print_detail(diagnostic)
            if detail:
                rows.append(f'<tr class="print-detail finding {self.classes(diagnostic)}"><td></td>'
                            f'<td colspan="4">{detail}</td></tr>')
        return (f'<details class="finding-list" open><summary>Findings in this file ({len(view.line_findings)})</summary>'
                '<table class="findings-table"><thead><tr><th scope="col">Line</th><th scope="col">Severity</th>'
                '<th scope="col">Rule</th><th scope="col">Message</th><th scope="col"><span class="visually-hidden">'
                f'Actions</span></th></tr></thead><tbody>{"".join(rows)}</tbody></table></details>\n')

    def _print_detail(self, diagnostic: Diagnostic) -> str:
        """What a reviewer's printout (or PDF) must keep for the audit trail, which the screen
        shows in the detail panel: why the wording is risky, what to write instead, the
        references. Hidden on screen (report.css)."""
        rule = self.report.rules.get(diagnostic.code) if self.report.rules is not None else None
        parts = []
        if rule is not None and rule.rationale:
            parts.append(f'<p><strong>Why it is risky:</strong> {escape(" ".join(rule.rationale.split()))}</p>')
        if diagnostic.suggestions:
            items = "".join(f"<li>{escape(text)}</li>" for text in diagnostic.suggestions)
            parts.append(f"<p><strong>What to write instead:</strong></p><ul>{items}</ul>")
        # titles only: the page holds no address outside its data block (the links are in the panel)
        references = [r.title for r in rule.references] if rule is not None else []
        if references:
            items = "".join(f"<li>{escape(title)}</li>" for title in references)
            parts.append(f"<p><strong>References:</strong></p><ul>{items}</ul>")
        return "".join(parts)

    def _clean_files(self) -> str:
        clean = [view for view in self.files if not view.findings]
        if not clean:
            return ""
        items = "".join(f'<li id="{view.anchor}">{escape(view.path)}</li>' for view in clean)
        return (f'<section class="clean-files" id="clean-files"><h2>Files without findings ({len(clean):,})</h2>'
                f'<ul>{items}</ul></section>\n')

    def _panel(self) -> str:
        return (
            '<aside class="panel" id="panel" aria-label="Finding details">\n'
            '<div class="panel-empty" id="panel-empty"><h2>Finding details</h2>'
            '<p>Select a highlighted passage, or a row in a file\'s findings table, to see the rule, '
            'why the wording is risky, the regulation it relates to and what to write instead.</p>'
            '<p class="keys"><kbd>j</kbd> / <kbd>k</kbd> next and previous finding · <kbd>Esc</kbd> clear</p></div>\n'
            '<div class="panel-body" id="panel-body" hidden></div>\n'
            '<div class="panel-nav" id="panel-nav" hidden><button type="button" data-step="-1">← Previous</button>'
            '<span id="panel-position"></span><button type="button" data-step="1">Next →</button></div>\n'
            "</aside>\n"
        )

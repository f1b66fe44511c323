"""Reporters turn diagnostics into output text. Each is `render(report: Report) -> str`.

Register new formats in FORMATS ("name": "module:function"); modules load lazily.
Reporters never print and never decide about terminals: the CLI sets `Report.color`.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from ..diagnostic import Diagnostic
from ..rules import RuleSet

FORMATS: Dict[str, str] = {
    "text": "text:render",
    "full": "full:render",
    "json": "json:render",
    "jsonl": "json:render_lines",
    "github": "github:render",
    "sarif": "sarif:render",
    "junit": "junit:render",
    "gitlab": "gitlab:render",
    "html": "html:render",
}


@dataclass
class Report:
    """Everything a reporter may need about a finished run."""

    diagnostics: List[Diagnostic]
    rules: Optional[RuleSet] = None
    files: List[str] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    # path -> text of files with findings (FileResult.text), for source lines and fingerprints
    texts: Dict[str, str] = field(default_factory=dict)
    color: bool = False

    def text_of(self, path: str) -> Optional[str]:
        """The text a diagnostic's offsets point into; read again from disk if the run did not
        keep it (None when it cannot be read)."""
        if path not in self.texts:
            from ..sources import read_file

            try:
                self.texts[path] = read_file(path)
            except Exception:  # noqa: BLE001 - a missing source line must not fail the report
                return None
        return self.texts[path]

    def fingerprint(self, diagnostic: Diagnostic) -> str:
        """The finding's content fingerprint (see hypelint.baseline)."""
        from ..baseline import fingerprint

        return fingerprint(diagnostic, self.text_of(diagnostic.path))


_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls and DEL: in a file name they could draw a fake finding line or retitle the
# terminal; escaped (tab too: the text formats separate fields with spaces and colons)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b"}


def escape_surrogates(text: str) -> str:
    """Lone surrogates (a file name that is not UTF-8 carries its bytes as U+DC80-U+DCFF) as
    `\\uDCxx` escapes: the text can always be written as UTF-8, and inside a JSON string the
    escape is valid JSON (Python's json.loads gives the same string back)."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def printable(text: str) -> str:
    """A path or message for a line-oriented output (text, github, stderr): control characters
    and lone surrogates escaped, so every finding stays one line and nothing reaches the terminal."""
    if text.isprintable() and (text.isascii() or not _SURROGATE.search(text)):
        return text
    text = _CONTROL.sub(lambda match: _NAMED.get(match.group(), f"\\x{ord(match.group()):02x}"), text)
    return escape_surrogates(text)


def reporter(name: str) -> Callable[[Report], str]:
    module_name, function = FORMATS[name].split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, function)

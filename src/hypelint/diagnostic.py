"""Severity and Diagnostic: what a rule finding looks like once the linter has stamped it."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Dict, Tuple


class Severity(enum.IntEnum):
    """Ordered so that `severity >= threshold` decides the exit code."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. Positions are 1-based; end is exclusive; columns count code points."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str = field(compare=False)
    category: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    suggestions: Tuple[str, ...] = field(default=(), compare=False)
    references: Tuple[str, ...] = field(default=(), compare=False)
    # Offsets into the document text and the matched text: for suppression, baselines and fixes.
    start: int = field(default=0, compare=False, repr=False)
    end: int = field(default=0, compare=False, repr=False)
    matched: str = field(default="", compare=False, repr=False)
    document_level: bool = field(default=False, compare=False, repr=False)

    def to_dict(self) -> Dict[str, Any]:
        """The JSON output's object: exactly these keys, in this order."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": str(self.severity),
            "message": self.message,
            "suggestions": list(self.suggestions),
            "references": list(self.references),
        }

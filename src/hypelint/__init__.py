"""hypelint: a linter for health-marketing copy.

Public API: :func:`lint_text`, :func:`lint_paths`, :class:`Linter`, :class:`Diagnostic`.
"""
from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Iterable, List, Optional

from .diagnostic import Diagnostic, Severity

if TYPE_CHECKING:  # pragma: no cover
    from .linter import Linter

__all__ = ["Diagnostic", "Severity", "Linter", "lint_text", "lint_paths", "__version__"]

_default_linter = None


def _default():
    global _default_linter
    if _default_linter is None:
        from .linter import Linter

        _default_linter = Linter()
    return _default_linter


def lint_text(text: str, *, path: Optional[str] = None, format: Optional[str] = None) -> List[Diagnostic]:
    """Lint one piece of copy with the default rules and return its diagnostics, sorted."""
    return _default().lint_text(text, path=path, format=format)


def lint_paths(paths: Iterable[str]) -> List[Diagnostic]:
    """Lint files and directories with the default rules; unreadable files raise nothing here
    (see :meth:`Linter.lint_paths` for per-file errors)."""
    return [d for result in _default().lint_paths(paths) for d in result.diagnostics]


def __getattr__(name):  # lazy: importing hypelint stays cheap
    if name == "Linter":
        from .linter import Linter

        return Linter
    raise AttributeError(name)

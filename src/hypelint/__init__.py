"""hypelint: a linter for health-marketing copy.

Public API (documented in docs/api.md): :class:`Linter` (built once from rules or a
configuration, then reused; thread-safe and picklable), :func:`lint_text` and :func:`lint_paths`
(module-level helpers using a default linter with the default rule packs, no config file),
:class:`Diagnostic` and :class:`Severity`; records in :mod:`hypelint.records`.
"""
from __future__ import annotations

__version__ = "0.1.0"

import threading
from typing import TYPE_CHECKING, Iterable, List, Optional

from .diagnostic import Diagnostic, Severity

if TYPE_CHECKING:  # pragma: no cover
    from .linter import Linter

__all__ = ["Diagnostic", "Severity", "Linter", "lint_text", "lint_paths", "__version__"]

_default_linter = None
_default_lock = threading.Lock()


def _default():
    """The shared default linter, built on first use (once, even when threads race to it)."""
    global _default_linter
    if _default_linter is None:
        with _default_lock:
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

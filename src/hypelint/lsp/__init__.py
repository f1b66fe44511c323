"""Editor integration: the hypelint language server (`hypelint lsp`, `hypelint-lsp`).

`server.py` is the pygls adapter; `positions.py` converts offsets to the client's position
encoding, `fixes.py` builds quick-fix edits and `settings.py` resolves per-folder settings. Only
`server.py` needs the optional `lsp` extra (pygls + lsprotocol); `start()` checks for it first.
"""
from __future__ import annotations

import logging
from typing import Optional

from ..errors import HypelintError

# hypelint is not on PyPI: name the packages the `lsp` extra adds, which install anywhere
INSTALL_HINT = "pip install 'pygls>=2.0,<3' 'lsprotocol>=2025.0.0' (the 'lsp' extra)"


class LanguageServerUnavailable(HypelintError):
    """The optional dependencies of the language server are not installed."""


def start(log_file: Optional[str] = None, log_level: str = "warning") -> None:
    """Serve the Language Server Protocol on stdin/stdout until the client says exit."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError as error:
        missing = getattr(error, "name", None) or "pygls"
        raise LanguageServerUnavailable(
            f"the language server needs the 'lsp' extra ({missing} is not installed): {INSTALL_HINT}") from None
    # stdout carries the protocol: logs go to stderr (shown in the editor's server log) or a file
    handler = logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(getattr(logging, log_level.upper(), logging.WARNING))

    from .server import create_server

    create_server().start_io()

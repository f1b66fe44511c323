"""A progress indicator for long runs, written to a terminal's stderr by the CLI.

Shown only when it helps and cannot hurt: the stream is a terminal, the run is not in CI (the
`CI` variable most CI services set), and there are enough files to make waiting noticeable.
Redraws are throttled so drawing never costs more than the linting it reports on.
"""
from __future__ import annotations

import os
import time
from typing import Mapping, Optional, TextIO

MIN_FILES = 50            # fewer files finish before a progress line would be worth reading
REDRAW_INTERVAL = 0.1     # seconds between redraws


def wanted(stream: TextIO, total: int, environ: Optional[Mapping[str, str]] = None) -> bool:
    environ = os.environ if environ is None else environ
    if total < MIN_FILES or environ.get("CI", "").lower() not in ("", "0", "false"):
        return False
    if environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """`with Progress(stream, total) as progress: progress.advance()`; erases itself at the end."""

    def __init__(self, stream: TextIO, total: int, clock=time.monotonic):
        self.stream = stream
        self.total = total
        self.done = 0
        self.clock = clock
        self._last_draw = float("-inf")
        self._drawn = False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = self.clock()
        if now - self._last_draw >= REDRAW_INTERVAL or self.done == self.total:
            self._last_draw = now
            self._draw()

    def _draw(self) -> None:
        width = 24
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r\x1b[2Khypelint [{bar}] {self.done}/{self.total} files")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._drawn = False

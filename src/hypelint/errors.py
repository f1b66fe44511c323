"""Errors that stop a run with exit code 2, each rendered as one line naming the file and place."""
from __future__ import annotations

from typing import Optional


class HypelintError(Exception):
    """A usage, configuration, rule or input error. `str()` is the one-line message."""

    def __init__(self, message: str, path: Optional[str] = None, line: Optional[int] = None,
                 column: Optional[int] = None):
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        super().__init__(self.format())

    def __reduce__(self):
        # keep path, line and column when a worker process sends the error back
        return (self.__class__, (self.message, self.path, self.line, self.column))

    def format(self) -> str:
        where = ""
        if self.path:
            where = str(self.path)
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return f"{where}{self.message}"


class RuleError(HypelintError):
    """A ruleset file is invalid (unknown key, bad regex, duplicate code...)."""


class ConfigError(HypelintError):
    """A configuration file or option is invalid."""


class SourceError(HypelintError):
    """A file could not be read or decoded."""


class InternalError(HypelintError):
    """An unexpected exception (a hypelint bug, or input it did not foresee) while linting one
    file or record: that file is reported as not linted and the run goes on."""


def not_linted(error: BaseException, path: Optional[str] = None) -> HypelintError:
    """The per-file error for an unexpected exception: one line, naming the file, never a traceback."""
    if isinstance(error, RecursionError):
        return SourceError("not linted: the input is nested too deeply to process", path)
    if isinstance(error, MemoryError):
        return SourceError("not linted: out of memory while processing this input", path)
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    return InternalError(f"not linted: internal error ({type(error).__name__}{': ' + detail if detail else ''}); "
                         f"please report it", path)

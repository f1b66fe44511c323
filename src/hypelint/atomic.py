"""Writing output files atomically: a reader (or a failed run) never sees half a report."""
from __future__ import annotations

import os
import tempfile

from .errors import HypelintError


def write_atomically(path: str, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it over `path`."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise HypelintError(f"cannot write output: folder {directory} does not exist", path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=".hypelint-", suffix=".tmp", dir=directory)
    except OSError as error:
        raise HypelintError(f"cannot write output: {error.strerror or error}", path) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if os.path.exists(path):  # keep the permissions a user gave the existing file
            try:
                os.chmod(temporary, os.stat(path).st_mode & 0o7777)
            except OSError:
                pass
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise HypelintError(f"cannot write output: {error.strerror or error}", path) from None
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise

"""Writing files atomically: a reader (or a failed run) never sees half a report, half a cache
entry or half a pattern-cache file."""
from __future__ import annotations

import contextlib
import itertools
import os
import signal
from typing import Optional

from .errors import HypelintError

_temporary_names = itertools.count()


def write_bytes_atomically(target, data: bytes, *, mode: Optional[int] = None, durable: bool = False,
                           prefix: str = ".tmp-") -> None:
    """Write `data` to a new file beside `target`, then move it into place in one step; raises
    OSError. `mode` sets the new file's permissions exactly (default 0o644 less the umask);
    `durable` flushes it to disk before the rename. (tempfile.mkstemp costs more than a cache
    entry; pid + counter is unique among running processes, and O_EXCL refuses a leftover of a
    dead one.)"""
    directory = os.path.dirname(os.path.abspath(target))
    with _signals_deferred():  # Ctrl-C between creating and renaming would leave the temporary file
        for _ in range(100):
            temporary = os.path.join(directory, f"{prefix}{os.getpid()}-{next(_temporary_names)}.tmp")
            try:
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                                     0o644)
                break
            except FileExistsError:
                continue
        else:  # pragma: no cover - a hundred leftovers with this process's id
            raise OSError(f"no free temporary name in {directory}")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            if mode is not None:
                try:
                    os.chmod(temporary, mode)
                except OSError:
                    pass
            os.replace(temporary, target)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise


_DEFERRED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def _signals_deferred():
    """Block SIGINT, SIGTERM and SIGHUP in this thread while a file is written and renamed: a
    signal arriving then is delivered right after, when the temporary file is gone."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_atomically(path: str, text: str) -> None:
    """Write a report or baseline: UTF-8 `text` replaces `path` in one step, keeping the
    permissions and the owner a user gave an existing file (new files get 0o666 less the
    umask). A read-only file is refused, not replaced; a file this process could not give its
    owner back (another user's, writable by our group) is rewritten in place instead."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise HypelintError(f"cannot write output: folder {directory} does not exist", path)
    check_writable(path)
    data = text.encode("utf-8", "surrogateescape")
    try:
        status = os.stat(path)
    except OSError:
        status = None
    if status is not None:
        mode = status.st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        if status is not None and hasattr(os, "geteuid") and (status.st_uid, status.st_gid) != (os.geteuid(), os.getegid()):
            if not _can_give_back(status):
                _rewrite_in_place(path, data)
                return
        write_bytes_atomically(path, data, mode=mode, durable=True, prefix=".hypelint-")
        if status is not None and hasattr(os, "chown") and (status.st_uid, status.st_gid) != _owner(path):
            try:
                os.chown(path, status.st_uid, status.st_gid)
            except OSError:
                pass
    except OSError as error:
        raise HypelintError(f"cannot write output: {error.strerror or error}", path) from None


def check_writable(path: str) -> None:
    """Raise HypelintError unless `path` can be written (an existing file writable, or a new one
    creatable in its folder): checked before linting, so a long run never ends in a write error."""
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise HypelintError("cannot write output: is a directory", path)
    if not os.path.isdir(directory):
        raise HypelintError(f"cannot write output: folder {directory} does not exist", path)
    if os.path.exists(path):
        # root may write anything: a file without any write permission still means "keep this"
        if not os.access(path, os.W_OK) or not os.stat(path).st_mode & 0o222:
            raise HypelintError("cannot write output: the file is read-only", path)
    if not os.access(directory, os.W_OK | os.X_OK):
        raise HypelintError(f"cannot write output: folder {directory} is not writable", path)


def _owner(path: str):
    status = os.stat(path)
    return status.st_uid, status.st_gid


def _can_give_back(status) -> bool:
    """Whether a new file can be given the old one's owner: root, or our own file with another
    of our groups."""
    if os.geteuid() == 0:
        return True
    return status.st_uid == os.geteuid() and (status.st_gid == os.getegid() or status.st_gid in os.getgroups())


def _rewrite_in_place(path: str, data: bytes) -> None:
    with open(path, "r+b") as handle:
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())

"""Linting many files: answer what the result cache can, lint the rest in worker processes.

The output never depends on how the work was split: results come back in the order of the
paths given, and every file is linted by the same `Linter.lint_file` whether in this process or
a worker. Workers rebuild the linter from the (picklable) Settings in an initializer; with the
"fork" start method they inherit the one already built here, so no rules are compiled twice.
Small jobs (one file, or little text) stay in this process, where starting workers would cost
more than it saves.
"""
from __future__ import annotations

import os
import sys
from typing import Callable, TYPE_CHECKING, List, Optional, Sequence, Tuple

from .linter import FileResult

if TYPE_CHECKING:  # pragma: no cover
    from .cache import ResultCache
# multiprocessing and the cache module are imported only when used: a one-file run needs neither

# Below this much text to lint, worker start-up costs more than it saves.
PARALLEL_MIN_BYTES = 256 * 1024

_worker_state: Optional[Tuple[object, Optional["ResultCache"]]] = None


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _start_method() -> str:
    import multiprocessing

    # fork reuses the parent's compiled rules; macOS and Windows use spawn (fork is unsafe or absent)
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def _read(path: str) -> Optional[bytes]:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None  # lint_file reports the error


def lint_one(linter, cache: Optional["ResultCache"], path: str, data: Optional[bytes] = None) -> FileResult:
    """Lint one file and store its diagnostics under the digest of the very bytes that were
    linted: the file is read once here (or `data`, read by the caller), so a save while it is
    linted can never file one content's result under another content's digest."""
    if data is None and cache is not None:
        data = _read(path)
    result = linter.lint_file(path, data=data)
    if cache is not None and data is not None and result.error is None and result.skipped is None:
        from .cache import file_digest

        cache.store(path, file_digest(data), result.diagnostics)
    return result


def detach_worker(owner: Optional[int] = None) -> None:
    """Run first in every worker process: standard input becomes /dev/null (a worker holding the
    pipe would keep a producer blocked after hypelint ended), and on Linux the worker is killed
    when its parent dies, whatever killed the parent (no process outlives the command). `owner`
    is the hypelint process when it is not the parent (a forkserver's workers): the worker
    watches it and exits when it is gone (the forkserver itself lives as long as its workers)."""
    if owner is not None and owner != os.getppid():
        _watch_owner(owner)
    try:
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
    except OSError:  # pragma: no cover - no /dev/null
        pass
    import signal

    # a forked worker inherits the parent's handlers: SIGTERM (the pool's terminate) must end it
    # quietly, and Ctrl-C is the parent's to handle (it terminates the pool)
    for name, action in (("SIGTERM", signal.SIG_DFL), ("SIGHUP", signal.SIG_DFL), ("SIGINT", signal.SIG_IGN)):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), action)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            parent = os.getppid()
            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
            if os.getppid() != parent:  # the parent died before the request took effect
                os._exit(1)
        except (OSError, AttributeError, ValueError):  # pragma: no cover - no prctl
            pass


def _watch_owner(owner: int) -> None:
    import threading

    def watch() -> None:
        import select

        try:
            descriptor = os.pidfd_open(owner)  # Linux 5.3+: readable when the process ends
        except (AttributeError, OSError):
            descriptor = None
        while True:
            if descriptor is not None:
                select.select([descriptor], [], [])
            else:
                import time

                time.sleep(1.0)
                try:
                    os.kill(owner, 0)
                    continue
                except PermissionError:
                    continue
                except OSError:
                    pass
            os._exit(1)  # the command is over: nobody will read this worker's results

    threading.Thread(target=watch, name="hypelint-owner-watch", daemon=True).start()


def _init_worker(settings, cache: Optional["ResultCache"]) -> None:
    global _worker_state
    detach_worker()
    _worker_state = (settings.linter(), cache)


def _work(task: Tuple[str, Optional[str]]) -> FileResult:
    linter, cache = _worker_state
    return lint_one(linter, cache, task[0])


class _Stop(BaseException):
    """SIGTERM (or SIGHUP) while workers run: unwinds to the pool's clean-up, then exits."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_stop(signum, frame):
    raise _Stop(signum)


def _cached(cache: Optional["ResultCache"], path: str):
    """(the file's bytes, the cached result for exactly those bytes); (None, None) without a
    cache or when the file cannot be read (linting reports that)."""
    if cache is None:
        return None, None
    data = _read(path)
    if data is None:
        return None, None
    from .cache import file_digest

    return data, cache.lookup(path, file_digest(data), data)


def lint_files(settings, paths: Sequence[str], *, jobs: Optional[int] = None,
               cache: Optional["ResultCache"] = None, start_method: Optional[str] = None,
               min_parallel_bytes: int = PARALLEL_MIN_BYTES,
               on_result: Optional[Callable[[], None]] = None) -> List[FileResult]:
    """Results for `paths`, in that order: from the cache when it has them, else linted in
    `jobs` processes (default: one per CPU). `on_result` is called once per file as it is done
    (for a progress indicator)."""
    done = on_result or (lambda: None)
    linter = settings.linter()
    results: List[Optional[FileResult]] = [None] * len(paths)
    if cache is not None:
        cache.prepare()
    sizes = []
    for path in paths:
        try:
            sizes.append(os.path.getsize(path))
        except OSError:
            sizes.append(0)
    workers = min(jobs or default_jobs(), len(paths))
    if workers <= 1 or sum(sizes) < min_parallel_bytes:
        # one read per file: the bytes looked up in the cache are the bytes linted and stored
        for index, path in enumerate(paths):
            data, cached = _cached(cache, path)
            if cached is not None:
                results[index] = FileResult(path, cached)
                done()
                continue
            results[index] = lint_one(linter, cache, path, data)
            done()
        return results  # type: ignore[return-value]

    pending: List[Tuple[int, str]] = []
    for index, path in enumerate(paths):
        _, cached = _cached(cache, path)
        if cached is not None:
            results[index] = FileResult(path, cached)
            done()
            continue
        pending.append((index, path))
    if len(pending) <= 1 or sum(sizes[index] for index, _ in pending) < min_parallel_bytes:
        for index, path in pending:
            results[index] = lint_one(linter, cache, path)
            done()
        return results  # type: ignore[return-value]

    import multiprocessing
    import signal
    import threading

    linter.compile_patterns()  # once here, not once per worker
    context = multiprocessing.get_context(start_method or _start_method())
    tasks = [(path, None) for _, path in pending]
    workers = min(workers, len(pending))
    chunksize = max(1, min(32, len(tasks) // (workers * 8)))
    # SIGTERM and SIGHUP unwind through the pool's clean-up (terminate) instead of ending this
    # process at once; SIGINT does so as KeyboardInterrupt. Workers also die with this process.
    handled = (signal.SIGTERM, getattr(signal, "SIGHUP", None))
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in handled:
            if signum is not None:
                previous[signum] = signal.signal(signum, _raise_stop)
    try:
        with context.Pool(workers, initializer=_init_worker, initargs=(settings, cache)) as pool:
            for (index, _), result in zip(pending, pool.imap(_work, tasks, chunksize)):
                results[index] = result
                done()
    except _Stop as stop:
        raise SystemExit(128 + stop.signum) from None
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return results  # type: ignore[return-value]

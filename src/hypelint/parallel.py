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


def _read_digest(path: str) -> Optional[Tuple[str, int]]:
    from .cache import file_digest

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None  # lint_file reports the error
    return file_digest(data), len(data)


def lint_one(linter, cache: Optional["ResultCache"], path: str, digest: Optional[str]) -> FileResult:
    """Lint one file; store its diagnostics when the file still has the content `digest`."""
    result = linter.lint_file(path)
    if cache is not None and digest is not None and result.error is None and result.skipped is None:
        after = _read_digest(path)  # the file may have been saved again while it was linted
        if after is not None and after[0] == digest:
            cache.store(path, digest, result.diagnostics)
    return result


def _init_worker(settings, cache: Optional["ResultCache"]) -> None:
    global _worker_state
    _worker_state = (settings.linter(), cache)


def _work(task: Tuple[str, Optional[str]]) -> FileResult:
    linter, cache = _worker_state
    return lint_one(linter, cache, *task)


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
    pending: List[Tuple[int, str, Optional[str]]] = []
    pending_bytes = 0
    if cache is not None:
        cache.prepare()
    for index, path in enumerate(paths):
        digest = None
        if cache is not None:
            read = _read_digest(path)
            if read is not None:
                digest, size = read
                cached = cache.lookup(path, digest)
                if cached is not None:
                    results[index] = FileResult(path, cached)
                    done()
                    continue
                pending_bytes += size
        else:
            try:
                pending_bytes += os.path.getsize(path)
            except OSError:
                pass
        pending.append((index, path, digest))

    workers = min(jobs or default_jobs(), len(pending))
    if workers <= 1 or pending_bytes < min_parallel_bytes:
        for index, path, digest in pending:
            results[index] = lint_one(linter, cache, path, digest)
            done()
    else:
        import multiprocessing

        linter.compile_patterns()  # once here, not once per worker
        context = multiprocessing.get_context(start_method or _start_method())
        tasks = [(path, digest) for _, path, digest in pending]
        chunksize = max(1, min(32, len(tasks) // (workers * 8)))
        with context.Pool(workers, initializer=_init_worker, initargs=(settings, cache)) as pool:
            for (index, _, _), result in zip(pending, pool.imap(_work, tasks, chunksize)):
                results[index] = result
                done()
    return results  # type: ignore[return-value]

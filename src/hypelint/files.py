"""Finding the files to lint: explicit files always, directories recursively by extension."""
from __future__ import annotations

import fnmatch
import os
from typing import Iterable, Iterator, List, Sequence

from .sources import is_walk_candidate

# Folders never worth linting: version control, dependencies, virtual environments, caches and
# build output of the usual tools.
SKIPPED_DIRECTORIES = frozenset({
    ".git", ".hg", ".svn", ".bzr", "node_modules", "bower_components", ".venv", "venv",
    "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".hypelint_cache", "site-packages", "build", "dist", "_site", ".next", ".nuxt",
    ".svelte-kit", ".astro", ".docusaurus", ".cache", ".parcel-cache", "vendor", "target",
    ".idea", ".vscode", ".eggs",
})


def is_excluded(path: str, patterns: Sequence[str]) -> bool:
    """True when the path, any of its parent folders, or its name matches an exclude glob."""
    if not patterns:
        return False
    normal = os.path.normpath(path).replace(os.sep, "/")
    parts = normal.split("/")
    candidates = {normal, parts[-1]}
    candidates.update("/".join(parts[:i]) for i in range(1, len(parts)))
    candidates.update(parts)
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        for candidate in candidates:
            if fnmatch.fnmatchcase(candidate, pattern):
                return True
    return False


def discover(paths: Iterable[str], exclude: Sequence[str] = ()) -> List[str]:
    """Files to lint, sorted and unique. Explicit files are kept whatever their extension."""
    found = []
    seen = set()
    for path in paths:
        for file in _walk(path, exclude):
            key = os.path.normpath(file)
            if key not in seen:
                seen.add(key)
                found.append(file)
    return sorted(found)


def _walk(path: str, exclude: Sequence[str]) -> Iterator[str]:
    if os.path.isdir(path):
        for root, directories, files in os.walk(path):
            directories[:] = sorted(
                d for d in directories
                if d not in SKIPPED_DIRECTORIES
                and not os.path.exists(os.path.join(root, d, "pyvenv.cfg"))
                and not is_excluded(os.path.join(root, d), exclude)
            )
            for name in sorted(files):
                file = os.path.join(root, name)
                if file.startswith("./"):
                    file = file[2:]
                if is_walk_candidate(file) and not is_excluded(file, exclude):
                    yield file
    elif not is_excluded(path, exclude):
        yield path

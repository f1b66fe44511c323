"""Finding the files to lint: explicit files always, directories recursively by extension.

Glob patterns (`exclude`, `include`, `per-file-ignores`) match the path as given, the path
relative to the configuration's folder, any parent folder, or the bare name, so `drafts`,
`*.txt`, `content/drafts/*` and `**/legal/*.md` all mean what a ruff or gitignore user expects.
"""
from __future__ import annotations

import fnmatch
import os
import stat
from typing import Iterable, Iterator, List, Optional, Sequence

from .sources import ALIASES, EXTENSIONS, PARSERS, is_known_extension, is_walk_candidate

# Folders never worth linting: version control, dependencies, virtual environments, caches and
# build output of the usual tools.
SKIPPED_DIRECTORIES = frozenset({
    ".git", ".hg", ".svn", ".bzr", "node_modules", "bower_components", ".venv", "venv",
    "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".hypelint_cache", "site-packages", "build", "dist", "_site", ".next", ".nuxt",
    ".svelte-kit", ".astro", ".docusaurus", ".cache", ".parcel-cache", "vendor", "target",
    ".idea", ".vscode", ".eggs",
})


def _candidates(path: str, base: Optional[str] = None) -> set:
    normal = os.path.normpath(path).replace(os.sep, "/")
    parts = normal.split("/")
    candidates = {normal, parts[-1]}
    candidates.update("/".join(parts[:i]) for i in range(1, len(parts)))
    candidates.update(parts)
    if base is not None:
        try:
            relative = os.path.relpath(os.path.abspath(path), os.path.abspath(base)).replace(os.sep, "/")
        except ValueError:  # another drive (Windows): not under the base
            relative = "../"
        if not relative.startswith("../"):
            pieces = relative.split("/")
            candidates.update("/".join(pieces[:i]) for i in range(1, len(pieces) + 1))
    return candidates


def path_matches(path: str, patterns: Sequence[str], base: Optional[str] = None) -> bool:
    """True when the path, any of its parent folders, or its name matches one of the globs."""
    if not patterns:
        return False
    candidates = _candidates(path, base)
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        # `**/x` also matches `x` at the top, as in gitignore
        variants = (pattern, pattern[3:]) if pattern.startswith("**/") else (pattern,)
        for variant in variants:
            for candidate in candidates:
                if fnmatch.fnmatchcase(candidate, variant):
                    return True
    return False


def is_excluded(path: str, patterns: Sequence[str], base: Optional[str] = None) -> bool:
    """True when the path, any of its parent folders, or its name matches an exclude glob."""
    return path_matches(path, patterns, base)


def is_hidden_or_skipped(path: str) -> bool:
    """True for paths inside (or named like) folders never walked, or hidden files and folders.

    Hidden entries (`.github/`, `.hypelint.yaml`, `.pre-commit-config.yaml`, the baseline file)
    hold tool configuration, never published copy.
    """
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive (Windows)
        relative = ".."
    parts = (os.path.basename(absolute),) if relative.startswith("..") else relative.split(os.sep)
    return any(part in SKIPPED_DIRECTORIES or (part.startswith(".") and part not in (".", ".."))
               for part in parts)


def is_included(path: str, include: Optional[Sequence[str]], base: Optional[str] = None) -> bool:
    """Whether a file met while walking a folder is linted: by default every known extension;
    `include` lists format names (`markdown`, `text`, ...) and/or globs (`*.md`, `content/**/*.njk`)."""
    if include is None:
        return is_known_extension(path)
    extension_format = EXTENSIONS.get(os.path.splitext(path)[1].lower())
    globs = []
    for entry in include:
        name = ALIASES.get(entry.lower(), entry.lower())
        if name in PARSERS:
            if extension_format == name:
                return True
        else:
            globs.append("*" + entry if entry.startswith(".") and "/" not in entry else entry)
    return path_matches(path, globs, base)


def discover(paths: Iterable[str], exclude: Sequence[str] = (), *, include: Optional[Sequence[str]] = None,
             base: Optional[str] = None, force_exclude: bool = False) -> List[str]:
    """Files to lint, sorted and unique. Explicit files are kept whatever their extension, unless
    an exclude glob matches them (or, with `force_exclude`, they are hidden or in a skipped folder,
    which is what a pre-commit hook wants: it passes every staged file by name)."""
    found = []
    seen = set()
    for path in paths:
        if force_exclude and not os.path.isdir(path) and is_hidden_or_skipped(path):
            continue
        for file in _walk(path, exclude, include, base):
            key = os.path.normpath(file)
            if key not in seen:
                seen.add(key)
                found.append(file)
    return sorted(found)


def _is_regular_file(path: str) -> bool:
    """A regular file (or a link to one): a FIFO, socket or device met in a folder is never
    opened (reading a FIFO named `*.md` blocked forever). Named on the command line, any file
    is read, so `hypelint check <(generate-copy)` works."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # a broken link or a race: let lint_file report it


def _walk(path: str, exclude: Sequence[str], include: Optional[Sequence[str]] = None,
          base: Optional[str] = None) -> Iterator[str]:
    if os.path.isdir(path):
        for root, directories, files in os.walk(path):
            directories[:] = sorted(
                d for d in directories
                if d not in SKIPPED_DIRECTORIES and not d.startswith(".")
                and not os.path.exists(os.path.join(root, d, "pyvenv.cfg"))
                and not is_excluded(os.path.join(root, d), exclude, base)
            )
            for name in sorted(files):
                if name.startswith("."):
                    continue
                file = os.path.join(root, name)
                if file.startswith("./"):
                    file = file[2:]
                if (is_included(file, include, base) and (include is not None or is_walk_candidate(file))
                        and not is_excluded(file, exclude, base) and _is_regular_file(file)):
                    yield file
    elif not is_excluded(path, exclude, base):
        yield path

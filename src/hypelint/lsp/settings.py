"""Settings for documents open in an editor: the CLI's config discovery per document folder,
editor overrides on top, one cached Settings per config file, and the last good Settings kept
when a config or ruleset turns out broken.

Pure Python (no pygls): the server asks `settings_for(folder)` and reports any returned error.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional, Set

from ..config import CONFIG_FILES, KEYS, ConfigResolver, Settings, load_settings
from ..errors import ConfigError, HypelintError

# options the server reads itself; every other key goes to the config loader, which validates it
SERVER_OPTIONS = {"config", "isolated", "debounce-ms"}
EDITOR_ORIGIN = "editor settings"


@dataclass
class Resolved:
    """Settings for one folder, and the error (if any) that forced a fallback."""

    settings: Settings
    error: Optional[HypelintError] = None


def editor_options(raw: Any) -> Dict[str, Any]:
    """The hypelint options in initializationOptions / didChangeConfiguration settings, which
    clients send either bare (`{"ignore": [...]}`) or under a `hypelint` section."""
    if isinstance(raw, dict) and isinstance(raw.get("hypelint"), dict):
        raw = raw["hypelint"]
    if not isinstance(raw, dict):
        return {}
    # camelCase spellings are what VS Code settings look like; the config file uses kebab-case
    options = {}
    for key, value in raw.items():
        spelled = "".join("-" + c.lower() if c.isupper() else c for c in str(key))
        options[spelled if spelled in KEYS or spelled in SERVER_OPTIONS else key] = value
    return options


class SettingsResolver:
    """Resolves and caches Settings; `invalidate()` after a config or ruleset file changes."""

    def __init__(self):
        self.options: Dict[str, Any] = {}
        self.base: Optional[Path] = None  # where relative paths in editor options are resolved
        self._config_for_folder: Dict[Path, Optional[Path]] = {}
        self._by_config: Dict[Optional[Path], Resolved] = {}
        self._last_good: Dict[Optional[Path], Settings] = {}
        self._stamps: Dict[Path, Optional[tuple]] = {}  # file -> (mtime, size) when first seen

    # -- options -------------------------------------------------------------------------------
    def set_options(self, raw: Any, base: Optional[Path] = None) -> None:
        self.options = editor_options(raw)
        if base is not None:
            self.base = base
        self._by_config.clear()

    @property
    def debounce_seconds(self) -> Optional[float]:
        value = self.options.get("debounce-ms")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 10_000:
            return value / 1000.0
        return None

    def _overrides(self) -> Dict[str, Any]:
        overrides = {key: value for key, value in self.options.items() if key not in SERVER_OPTIONS}
        extends = overrides.get("extends")
        if isinstance(extends, list) and self.base is not None:
            # a ruleset path in editor settings is relative to the workspace, like a config file's
            overrides["extends"] = [
                str(self.base / item) if isinstance(item, str) and ("/" in item or item.endswith((".yaml", ".yml")))
                and not os.path.isabs(item) else item
                for item in extends
            ]
        return overrides

    def _explicit_config(self) -> Optional[Path]:
        value = self.options.get("config")
        if not isinstance(value, str) or not value:
            return None
        path = Path(os.path.expanduser(value))
        if not path.is_absolute() and self.base is not None:
            path = self.base / path
        return path

    # -- resolution ----------------------------------------------------------------------------
    def config_path_for(self, folder: Path) -> Optional[Path]:
        """The config file that applies to documents in `folder` (cached discovery)."""
        if self.options.get("isolated") is True:
            return None
        explicit = self._explicit_config()
        if explicit is not None:
            return explicit
        if folder not in self._config_for_folder:
            try:  # the CLI's resolver, so the editor and `hypelint check` agree on every file
                self._config_for_folder[folder] = ConfigResolver(root=self.base).config_for(folder)
            except (OSError, HypelintError):
                self._config_for_folder[folder] = None
        return self._config_for_folder[folder]

    def settings_for(self, folder: Path) -> Resolved:
        """Settings for a document in `folder`; never raises. On a broken config or ruleset the
        result carries the error and the last good settings for that config (or the defaults)."""
        config = self.config_path_for(folder)
        cached = self._by_config.get(config)
        if cached is not None:
            return cached
        resolved = self._load(folder, config)
        self._by_config[config] = resolved
        return resolved

    def _load(self, folder: Path, config: Optional[Path]) -> Resolved:
        overrides = self._overrides()
        try:
            settings = load_settings(folder, config_path=config, isolated=self.options.get("isolated") is True,
                                     overrides=overrides)
            settings.linter()  # compile the rules now: a bad ruleset is a config error too
        except HypelintError as error:
            return Resolved(self._fallback(config, overrides), _editor_error(error))
        except Exception as error:  # never let a config kill the server
            return Resolved(self._fallback(config, overrides),
                            ConfigError(f"cannot load configuration: {type(error).__name__}: {error}",
                                        str(config) if config else None))
        self._last_good[config] = settings
        return Resolved(settings)

    def _fallback(self, config: Optional[Path], overrides: Dict[str, Any]) -> Settings:
        if config in self._last_good:
            return self._last_good[config]
        for attempt in (overrides, None):  # the defaults with the editor's options, else bare
            try:
                settings = load_settings(isolated=True, overrides=attempt)
                settings.linter()
                return settings
            except Exception:
                continue
        return Settings()  # pragma: no cover - only when the built-in rules themselves are broken

    def invalidate(self) -> None:
        """Forget discovery and loaded settings (the last good ones are kept for fallbacks)."""
        self._config_for_folder.clear()
        self._by_config.clear()
        self._stamps.clear()

    # -- noticing changes without the client's help ------------------------------------------------
    def _stamp_targets(self) -> Set[Path]:
        """The files whose change changes settings: the loaded config and ruleset files, and every
        place a nearer config file could appear for the folders seen so far."""
        targets = set(self.watched_files())
        for folder, config in list(self._config_for_folder.items()):
            stop = config.parent if config is not None else None
            for candidate in (folder, *folder.parents):
                targets.update(candidate / name for name in (*CONFIG_FILES, "pyproject.toml"))
                if candidate == stop or (stop is None and self.base is not None and candidate == self.base):
                    break
        return targets

    def changed_on_disk(self) -> bool:
        """Whether a config or ruleset file changed, appeared or vanished since it was first
        looked at: checked before each lint, so config edits reach the server even in clients
        without watched-files support (Neovim, Helix). A few stat calls."""
        changed = False
        for path in self._stamp_targets():
            try:
                info = os.stat(path)
                stamp: Optional[tuple] = (info.st_mtime_ns, info.st_size)
            except OSError:
                stamp = None
            if path not in self._stamps:
                self._stamps[path] = stamp
            elif self._stamps[path] != stamp:
                changed = True
        return changed

    # -- what to watch ---------------------------------------------------------------------------
    def watched_files(self) -> Set[Path]:
        """Config and local ruleset files the loaded settings depend on."""
        files: Set[Path] = set()
        for config, resolved in list(self._by_config.items()):
            if config is not None:
                files.add(Path(config).resolve())
            for pack in resolved.settings.extends or ():
                if "/" in pack or os.sep in pack or pack.endswith((".yaml", ".yml")):
                    path = Path(pack)
                    if not path.is_absolute():
                        path = resolved.settings.base_directory / path
                    files.add(path.resolve())
        return files

    def is_settings_file(self, path: Path) -> bool:
        """True for any file whose change may change settings: config files by name (a new one
        changes discovery) and the files the loaded settings were read from."""
        if path.name in CONFIG_FILES or path.name == "pyproject.toml":
            return True
        try:
            return path.resolve() in self.watched_files()
        except OSError:
            return False


def _editor_error(error: HypelintError) -> HypelintError:
    """Errors in editor options name them as such, not as "command line" (the loader's label)."""
    if error.path == "command line":
        return ConfigError(error.message, EDITOR_ORIGIN)
    return error


def describe(error: HypelintError) -> str:
    return f"hypelint: {error} (still linting with the last good settings)"


"""Configuration: discovery (`.hypelint.yaml`, `.hypelint.yml`, `[tool.hypelint]` in
`pyproject.toml`, nearest wins), validation, and the resolved Settings a run uses.

API used by the CLI, the LSP server and the Python API:
    discover_config(start) -> Optional[Path]
    load_settings(start=None, *, config_path=None, isolated=False, overrides=None) -> Settings
    Settings.linter() -> Linter (built once per Settings)
Every problem raises ConfigError naming the file and key (exit code 2 in the CLI).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from .diagnostic import Severity
from .errors import ConfigError

CONFIG_FILES = (".hypelint.yaml", ".hypelint.yml")

# key -> expected Python type(s); extended as features land
KEYS: Dict[str, tuple] = {
    "extends": (list,),
    "select": (list,),
    "ignore": (list,),
    "fail-on": (str,),
    "exclude": (list,),
    "severity": (dict,),
}


@dataclass
class Settings:
    """The resolved configuration. `origins` says where each value came from."""

    extends: Optional[List[str]] = None  # None: the default packs
    select: Optional[List[str]] = None
    ignore: List[str] = field(default_factory=list)
    fail_on: str = "warning"
    exclude: List[str] = field(default_factory=list)
    severity: Dict[str, str] = field(default_factory=dict)
    config_path: Optional[Path] = None
    origins: Dict[str, str] = field(default_factory=dict)
    _linter: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self):
        # picklable for worker processes (hypelint.parallel): they rebuild the linter themselves
        state = dict(self.__dict__)
        state["_linter"] = None
        return state

    @property
    def base_directory(self) -> Path:
        return self.config_path.parent if self.config_path else Path.cwd()

    def linter(self):
        """The Linter these settings describe, built (and its rules compiled) once."""
        if self._linter is None:
            from .linter import Linter
            from .rules import load_packs

            rules = load_packs(self.extends, base=str(self.base_directory))
            for option in ("select", "ignore"):
                unknown = rules.unknown_selectors(getattr(self, option) or [])
                if unknown:
                    raise ConfigError(f"{option}: unknown rule or category {unknown[0]!r} (see `hypelint rules`)",
                                      self.origins.get(option))
            overrides = {}
            for key, value in self.severity.items():
                try:
                    overrides[key] = Severity.parse(value)
                except ValueError as error:
                    raise ConfigError(f"severity.{key}: {error}", self.origins.get("severity")) from None
            self._linter = Linter(rules, select=self.select, ignore=self.ignore, severity_overrides=overrides)
        return self._linter


def _read_toml(path: Path) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.9/3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot read TOML: {error}", str(path)) from None


def _pyproject_section(path: Path) -> Optional[dict]:
    data = _read_toml(path)
    section = data.get("tool", {}).get("hypelint")
    return section if isinstance(section, dict) else None


def discover_config(start: Optional[Path] = None) -> Optional[Path]:
    """The nearest config file from `start` (a folder or file) upwards, or None."""
    directory = Path(start or Path.cwd()).resolve()
    if directory.is_file():
        directory = directory.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if _pyproject_section(pyproject) is not None:
                    return pyproject
            except ConfigError:
                continue
    return None


def read_config_file(path: Path) -> dict:
    """The raw mapping of a config file (the `[tool.hypelint]` table for pyproject.toml)."""
    if path.name == "pyproject.toml":
        return _pyproject_section(path) or {}
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read config: {error.strerror}", str(path)) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ConfigError(f"invalid YAML: {getattr(error, 'problem', error)}", str(path),
                          mark.line + 1 if mark else None) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError("a config file must be a mapping", str(path))
    return data


def _apply(settings: Settings, data: dict, origin: str) -> None:
    for key, value in data.items():
        if key not in KEYS:
            raise ConfigError(f"unknown key {key!r} (known: {', '.join(sorted(KEYS))})", origin)
        if not isinstance(value, KEYS[key]):
            kind = " or ".join(t.__name__ for t in KEYS[key])
            raise ConfigError(f"{key}: expected {kind}, got {type(value).__name__}", origin)
        attribute = key.replace("-", "_")
        if key == "fail-on" and value not in ("error", "warning", "info"):
            raise ConfigError(f"fail-on: expected error, warning or info, got {value!r}", origin)
        setattr(settings, attribute, value)
        settings.origins[attribute] = origin


def load_settings(start: Optional[Path] = None, *, config_path: Optional[Path] = None,
                  isolated: bool = False, overrides: Optional[dict] = None) -> Settings:
    """Defaults, then the discovered (or given) config file, then `overrides` (CLI flags)."""
    settings = Settings()
    if not isolated:
        path = Path(config_path) if config_path else discover_config(start)
        if path is not None:
            if not path.is_file():
                raise ConfigError("config file not found", str(path))
            settings.config_path = path.resolve()
            _apply(settings, read_config_file(path), str(path))
    if overrides:
        _apply(settings, {k: v for k, v in overrides.items() if v is not None}, "command line")
    return settings

"""Configuration: discovery (`.hypelint.yaml`, `.hypelint.yml`, `[tool.hypelint]` in
`pyproject.toml`, nearest wins), validation, and the resolved Settings a run uses.

API used by the CLI, the LSP server and the Python API:
    discover_config(start) -> Optional[Path]
    load_settings(start=None, *, config_path=None, isolated=False, overrides=None) -> Settings
    Settings.linter() -> Linter (built once per Settings)
    Settings.describe() -> [(key, value, origin)] for `hypelint config`
Every problem raises ConfigError naming the file, the line where it can be found, and the key
(exit code 2 in the CLI). Structure and types are checked while loading; rule names, which need
the rule packs, are checked when the linter is built.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from .diagnostic import Diagnostic, Severity
from .errors import ConfigError
from .limits import MAX_ALIAS_NODES, MAX_YAML_DEPTH, deep_flow_offset, expanded_size

CONFIG_FILES = (".hypelint.yaml", ".hypelint.yml")
SEVERITIES = ("error", "warning", "info")
DISCLOSURE_KEYS = ("satisfied",)


@dataclass
class ConfigSource:
    """Where a layer of settings came from: a config file (with the line of every key and list
    item, keyed by path tuples such as ("severity", "HL101") or ("select", 2)) or the command line."""

    label: str
    lines: Dict[Tuple, int] = field(default_factory=dict)
    is_file: bool = True

    def line(self, *path) -> Optional[int]:
        """The line of the most specific known part of `path`."""
        for length in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:length]))
            if line:
                return line
        return None

    def where(self, *path) -> str:
        line = self.line(*path)
        return f"{self.label}:{line}" if line else self.label

    def key_name(self, key: str) -> str:
        return key if self.is_file else f"--{key}"

    def error(self, message: str, *path) -> ConfigError:
        key = self.key_name(str(path[0])) if path else ""
        text = f"{key}: {message}" if key else message
        return ConfigError(text, self.label, self.line(*path))


COMMAND_LINE = "command line"


def _command_line() -> ConfigSource:
    return ConfigSource(COMMAND_LINE, is_file=False)


# -- value checks: each returns the normalised value or raises through source.error -------------
def _type_name(value) -> str:
    return {dict: "mapping", list: "list", str: "string", bool: "boolean", int: "integer",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def _string_list(value, source: ConfigSource, key: str, *, allow_string: bool = False) -> List[str]:
    if allow_string and isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise source.error(f"expected list, got {_type_name(value)}", key)
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise source.error(f"expected a list of non-empty strings, got {_type_name(item)} {item!r}",
                               key, index)
    return [item.strip() for item in value]


def _check_extends(value, source: ConfigSource, base: Path) -> List[str]:
    from .rules import builtin_pack_names
    from .rules.load import is_pack_path

    names = _string_list(value, source, "extends", allow_string=True)
    builtin = builtin_pack_names()
    for index, name in enumerate(names):
        if is_pack_path(name):
            path = Path(name) if os.path.isabs(name) else base / name
            if not path.is_file():
                raise source.error(f"ruleset file not found: {name} (looked for {path})", "extends", index)
            if path.suffix.lower() not in (".yaml", ".yml"):  # never read a .env or key file as rules
                raise source.error(f"ruleset files are YAML files (.yaml or .yml): {name}", "extends", index)
        elif name != "default" and name not in builtin:
            raise source.error(f"unknown pack {name!r} (built-in packs: {', '.join(builtin)}; 'default' "
                               f"for the default set; or a path to a ruleset file)", "extends", index)
    return names


def _check_fail_on(value, source: ConfigSource) -> str:
    if not isinstance(value, str):
        raise source.error(f"expected string, got {_type_name(value)}", "fail-on")
    if value.lower() not in SEVERITIES:
        raise source.error(f"expected error, warning or info, got {value!r}", "fail-on")
    return value.lower()


def _check_severity(value, source: ConfigSource) -> Dict[str, str]:
    if not isinstance(value, dict):
        raise source.error(f"expected mapping, got {_type_name(value)}", "severity")
    result = {}
    for key, level in value.items():
        if not isinstance(level, str) or level.lower() not in SEVERITIES:
            raise source.error(f"{key}: expected error, warning or info, got {level!r}", "severity", key)
        result[str(key)] = level.lower()
    return result


def _check_per_file_ignores(value, source: ConfigSource) -> Dict[str, List[str]]:
    if not isinstance(value, dict):
        raise source.error(f"expected mapping of glob to rule list, got {_type_name(value)}", "per-file-ignores")
    result = {}
    for glob, selectors in value.items():
        if not isinstance(selectors, list) or not all(isinstance(s, str) and s.strip() for s in selectors):
            raise source.error(f"{glob}: expected a list of rules, got {_type_name(selectors)}",
                               "per-file-ignores", glob)
        result[str(glob)] = [s.strip() for s in selectors]
    return result


def _check_include(value, source: ConfigSource) -> List[str]:
    from .sources import ALIASES, PARSERS

    entries = _string_list(value, source, "include")
    for index, entry in enumerate(entries):
        is_format = ALIASES.get(entry.lower(), entry.lower()) in PARSERS
        is_glob = any(character in entry for character in "*?[./")
        if not is_format and not is_glob:
            raise source.error(f"unknown file type {entry!r} (formats: {', '.join(sorted(PARSERS))}; "
                               f"or a glob such as '*.md')", "include", index)
    return entries


def _check_disclosures(value, source: ConfigSource) -> Dict[str, List[str]]:
    if not isinstance(value, dict):
        raise source.error(f"expected mapping, got {_type_name(value)}", "disclosures")
    result = {}
    for key, items in value.items():
        if key not in DISCLOSURE_KEYS:
            raise source.error(f"unknown key {key!r} (known: {', '.join(DISCLOSURE_KEYS)})", "disclosures", key)
        if not isinstance(items, list) or not all(isinstance(s, str) and s.strip() for s in items):
            raise source.error(f"{key}: expected a list of disclosure rules, got {_type_name(items)}",
                               "disclosures", key)
        result[key] = [s.strip() for s in items]
    return result


def _check_baseline(value, source: ConfigSource) -> str:
    if not isinstance(value, str) or not value.strip():
        raise source.error(f"expected a file path, got {_type_name(value)}", "baseline")
    return value.strip()


@dataclass(frozen=True)
class Option:
    """A config key and its one-line help."""

    key: str
    help: str


# Every key a config file may hold, in the order `hypelint config` prints them.
OPTIONS: Dict[str, Option] = {option.key: option for option in (
    Option("extends", "rule packs: built-in names (default, core, us, ...) or paths to ruleset files"),
    Option("select", "only these rules: codes, code prefixes, names or categories (default: all)"),
    Option("ignore", "skip these rules"),
    Option("severity", "severity overrides: {code, name or category: error|warning|info}"),
    Option("per-file-ignores", "{glob: [rules]}: skip rules in matching files"),
    Option("exclude", "globs of files and folders never linted"),
    Option("include", "file types linted when walking folders: format names or globs"),
    Option("fail-on", "lowest severity that makes the exit code 1"),
    Option("front-matter-fields", "front matter keys linted as copy (default: the sources' list)"),
    Option("languages", "languages linted (default [en]; \"*\" lints every file); others are skipped with a note"),
    Option("require-suppression-reason", "suppression comments must give a reason after --"),
    Option("disclosures", "{satisfied: [disclosure rules]}: disclosures made elsewhere (e.g. a linked page)"),
    Option("baseline", "baseline file of known findings, relative to the config file"),
)}
KEYS = tuple(OPTIONS)


@dataclass
class _RuleReference:
    """A rule selector met in some layer, checked once the rule packs are loaded."""

    selector: str
    kind: str            # "selector" or "disclosure"
    source: ConfigSource
    path: Tuple


@dataclass
class Settings:
    """The resolved configuration. `origins` says where each value came from."""

    extends: Optional[List[str]] = None  # None: the default packs
    select: Optional[List[str]] = None
    ignore: List[str] = field(default_factory=list)
    fail_on: str = "warning"
    exclude: List[str] = field(default_factory=list)
    include: Optional[List[str]] = None  # None: every format the sources know
    severity: Dict[str, str] = field(default_factory=dict)
    per_file_ignores: Dict[str, List[str]] = field(default_factory=dict)
    front_matter_fields: Optional[List[str]] = None  # None: the sources' default copy fields
    disclosures: Dict[str, List[str]] = field(default_factory=dict)
    baseline: Optional[str] = None
    languages: List[str] = field(default_factory=lambda: ["en"])
    require_suppression_reason: bool = False
    config_path: Optional[Path] = None
    origins: Dict[str, str] = field(default_factory=dict)
    _references: List[_RuleReference] = field(default_factory=list, repr=False, compare=False)
    _linter: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self):
        # picklable for worker processes (hypelint.parallel): they rebuild the linter themselves
        state = dict(self.__dict__)
        state["_linter"] = None
        state.pop("_named_files", None)
        return state

    @property
    def base_directory(self) -> Path:
        """Relative paths in the config (extends, per-file-ignores, exclude, baseline) start here."""
        return self.config_path.parent if self.config_path else Path.cwd()

    @property
    def baseline_path(self) -> Optional[Path]:
        if not self.baseline:
            return None
        path = Path(self.baseline)
        if self.origins.get("baseline") == COMMAND_LINE or path.is_absolute():
            return path
        return self.base_directory / path

    def linter(self):
        """The Linter these settings describe, built (and its rules compiled) once."""
        if self._linter is None:
            from .linter import Linter
            from .rules import default_pack_names, load_packs
            from .sources import SourceOptions

            packs = None
            if self.extends is not None:
                packs = []
                for name in self.extends:
                    packs.extend(default_pack_names() if name == "default" else [name])
            rules = load_packs(packs, base=str(self.base_directory))
            self._check_rule_references(rules)
            overrides = _severity_by_code(rules, self.severity)
            options = SourceOptions(tuple(self.front_matter_fields or ()), tuple(self.languages))
            linter = Linter(rules, select=self.select, ignore=self.ignore, severity_overrides=overrides,
                            source_options=options, require_suppression_reason=self.require_suppression_reason)
            waivers = FindingFilter.from_settings(self)
            if waivers is not None:
                linter.postfilters.append(waivers)
            linter.file_selection = {"exclude": tuple(self.exclude), "include": self.include,
                                     "base": str(self.base_directory)}
            self._linter = linter
        return self._linter

    def _check_rule_references(self, rules) -> None:
        from .engine import ENGINE_RULES
        from .rules import CATEGORIES

        def is_category(selector: str) -> bool:
            lowered = selector.lower()
            return any(name == lowered or name.startswith(lowered + ".") for name in CATEGORIES)

        for reference in self._references:
            selector, source, path = reference.selector, reference.source, reference.path
            matching = [rule for rule in rules if rule.matches_selector(selector)]
            if reference.kind == "selector" and not ENGINE_RULES.unknown_selectors([selector]):
                continue  # hypelint's own findings (HL001-HL006) can be selected and ignored too
            if reference.kind == "selector":
                if not matching and not is_category(selector):
                    raise source.error(f"unknown rule or category {selector!r} (see `hypelint rules`)", *path)
            elif not any(rule.scope == "document" for rule in matching):
                if is_category(selector) and selector.lower().startswith("disclosure"):
                    continue  # a disclosure category whose pack is not loaded
                if matching:
                    raise source.error(f"{selector!r} is not a disclosure rule ({matching[0].code} is "
                                       f"{matching[0].category}); only disclosure rules can be satisfied", *path)
                raise source.error(f"unknown disclosure rule {selector!r} (see `hypelint rules`)", *path)

    def named_files(self) -> List[Path]:
        """Files this configuration names (its config file, ruleset packs, lexicons, the
        baseline): hypelint's own data, quoting the very claims it flags, never copy to lint."""
        from .rules.load import is_pack_path

        cached = self.__dict__.get("_named_files")
        if cached is not None and cached[0] is self._linter:
            return cached[1]  # the language server asks before every lint
        named: List[Path] = []
        if self.config_path is not None:
            named.append(self.config_path)
        base = self.base_directory
        for name in [*(self.extends or ()), *(getattr(self, "lexicons", None) or ())]:
            if isinstance(name, str) and (is_pack_path(name) or name.endswith((".txt", ".yaml", ".yml"))):
                named.append(Path(name) if os.path.isabs(name) else base / name)
        if self.baseline_path is not None:
            named.append(self.baseline_path)
        if self._linter is not None:  # whatever the rules were read from (packs, lexicons)
            for rule in self._linter.all_rules:
                source = (rule.source or "").rsplit(":", 1)[0]
                if source:
                    named.append(Path(source))
        result = [Path(os.path.abspath(path)) for path in named]
        self.__dict__["_named_files"] = (self._linter, result)
        return result

    def describe(self) -> List[Tuple[str, Any, str]]:
        """(key, value, origin) for every option: the resolved configuration `hypelint config` prints."""
        rows = []
        for key in OPTIONS:
            attribute = key.replace("-", "_")
            rows.append((key, getattr(self, attribute), self.origins.get(attribute, "default")))
        return rows


def _severity_by_code(rules, levels: Dict[str, str]) -> Dict[str, Severity]:
    """Resolve `severity` keys to one level per rule code, the most specific key winning: an
    exact code or name, then the longest category or code prefix, then ALL."""
    resolved = {}
    for rule in rules:
        best: Optional[Tuple[int, str]] = None
        for key, level in levels.items():
            if not rule.matches_selector(key):
                continue
            exact = key.upper() == rule.code.upper() or key.lower() == rule.name
            rank = 1000 if exact else (0 if key.upper() == "ALL" else len(key))
            if best is None or rank > best[0]:
                best = (rank, level)
        if best is not None:
            resolved[rule.code] = Severity.parse(best[1])
    return resolved


class FindingFilter:
    """Drops the findings the configuration waives, after matching (the rules stay untouched):
    `per-file-ignores`, and document-level disclosure findings declared satisfied elsewhere.

    A class rather than a closure so a Linter holding it can be pickled (parallel runs).
    """

    def __init__(self, base: str, per_file_ignores: Dict[str, List[str]], satisfied: Sequence[str]):
        self.base = base
        self.per_file_ignores = [(glob, list(selectors)) for glob, selectors in per_file_ignores.items()]
        self.satisfied = list(satisfied)

    @classmethod
    def from_settings(cls, settings: Settings) -> Optional["FindingFilter"]:
        satisfied = settings.disclosures.get("satisfied", [])
        if not settings.per_file_ignores and not satisfied:
            return None
        return cls(str(settings.base_directory), settings.per_file_ignores, satisfied)

    def __call__(self, document, diagnostics: List[Diagnostic]) -> List[Diagnostic]:
        from .files import path_matches

        ignored = [selector for glob, selectors in self.per_file_ignores
                   if path_matches(document.path, [glob], self.base) for selector in selectors]
        if not ignored and not self.satisfied:
            return diagnostics
        return [d for d in diagnostics
                if not any(_selects(selector, d) for selector in ignored)
                and not (d.document_level and any(_selects(selector, d) for selector in self.satisfied))]


def _selects(selector: str, diagnostic: Diagnostic) -> bool:
    from .rules import Rule

    # A Diagnostic carries code, name and category: all that the selector test reads.
    return Rule.matches_selector(diagnostic, selector)  # type: ignore[arg-type]


# -- reading files ---------------------------------------------------------------------------
def _read_toml(path: Path) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.9/3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read TOML: {error.strerror or error}", str(path)) from None
    except ValueError as error:
        match = re.search(r"\(at line (\d+)", str(error))
        raise ConfigError(f"invalid TOML: {error}", str(path), int(match.group(1)) if match else None) from None


def _pyproject_section(path: Path) -> Optional[dict]:
    data = _read_toml(path)
    section = data.get("tool", {}).get("hypelint")
    return section if isinstance(section, dict) else None


_TOML_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_TOML_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.\-]+))\s*=""")


def _toml_key_lines(path: Path) -> Dict[Tuple, int]:
    """Best-effort lines of the keys under [tool.hypelint] (tomllib does not report positions)."""
    lines: Dict[Tuple, int] = {}
    table: Optional[Tuple] = None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return lines
    for number, line in enumerate(text.splitlines(), 1):
        header = _TOML_TABLE.match(line)
        if header:
            parts = [part.strip().strip("\"'") for part in header.group(1).split(".")]
            if parts[:2] == ["tool", "hypelint"]:
                table = tuple(parts[2:])
                if table:
                    lines.setdefault(table, number)
            else:
                table = None
            continue
        key = _TOML_KEY.match(line)
        if key and table is not None:
            name = next(group for group in key.groups() if group is not None)
            lines.setdefault(table + (name,), number)
    return lines


def _yaml_key_lines(node, path: Tuple = (), lines: Optional[Dict[Tuple, int]] = None,
                    label: str = "") -> Dict[Tuple, int]:
    """Line of every mapping key and sequence item, from the composed YAML node tree. Iterative,
    and each node is walked once: an alias repeats a node, and walking repeats as a tree is
    exponential (a 279-byte alias bomb took 15 s and a gigabyte)."""
    lines = {} if lines is None else lines
    visited = set()
    stack = [(node, path)]
    while stack:
        node, path = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        children = []
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(id(key_node))
                if key in seen:
                    raise ConfigError(f"duplicate key {key!r}", label, key_node.start_mark.line + 1)
                seen.add(key)
                lines[path + (key,)] = key_node.start_mark.line + 1
                children.append((value_node, path + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[path + (index,)] = item.start_mark.line + 1
                children.append((item, path + (index,)))
        stack.extend(reversed(children))
    return lines


def read_config_file(path: Path) -> dict:
    """The raw mapping of a config file (the `[tool.hypelint]` table for pyproject.toml)."""
    return _read_config(path)[0]


def _read_config(path: Path) -> Tuple[dict, ConfigSource]:
    label = str(path)
    if path.name == "pyproject.toml":
        return _pyproject_section(path) or {}, ConfigSource(label, _toml_key_lines(path))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read config: {error.strerror or error}", label) from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"cannot decode config as UTF-8: {error.reason}", label) from None
    deep = deep_flow_offset(text)
    if deep is not None:
        raise ConfigError(f"YAML nested deeper than {MAX_YAML_DEPTH} levels", label, text.count("\n", 0, deep) + 1)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError(f"invalid YAML: {problem}", label, mark.line + 1 if mark else None) from None
    except RecursionError:
        raise ConfigError("YAML nested too deeply", label) from None
    if expanded_size(data) > MAX_ALIAS_NODES:
        raise ConfigError(f"YAML aliases expand to more than {MAX_ALIAS_NODES:,} values (an alias bomb?)", label)
    if data is None:
        return {}, ConfigSource(label)
    if not isinstance(data, dict):
        raise ConfigError("a config file must be a mapping of keys (see docs/configuration.md)", label, 1)
    return data, ConfigSource(label, _yaml_key_lines(node, label=label))


def discover_config(start: Optional[Path] = None) -> Optional[Path]:
    """The nearest config file from `start` (a folder or file) upwards, or None.

    In one folder `.hypelint.yaml` beats `.hypelint.yml` beats `pyproject.toml` (only when it
    has a `[tool.hypelint]` table)."""
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
                # a broken pyproject.toml is our problem only if it meant to configure us
                if "tool.hypelint" in pyproject.read_text(encoding="utf-8", errors="replace"):
                    raise
                continue
    return None


# -- layering --------------------------------------------------------------------------------
def _set(settings: Settings, key: str, value, source: ConfigSource, merged: bool = False) -> None:
    attribute = key.replace("-", "_")
    setattr(settings, attribute, value)
    previous = settings.origins.get(attribute)
    where = source.where(key)
    settings.origins[attribute] = f"{previous} + {where}" if merged and previous else where


def _apply(settings: Settings, data: dict, source: ConfigSource, base: Path) -> None:
    for key in data:
        if key not in OPTIONS:
            raise ConfigError(f"unknown key {key!r} (known: {', '.join(KEYS)})", source.label, source.line(key))
    for key, value in data.items():
        if key == "extends":
            _set(settings, key, _check_extends(value, source, base), source)
        elif key in ("select", "ignore"):
            items = _string_list(value, source, key)
            for index, selector in enumerate(items):
                settings._references.append(_RuleReference(selector, "selector", source, (key, index)))
            _set(settings, key, items, source)
        elif key in ("exclude", "front-matter-fields", "languages"):
            _set(settings, key, _string_list(value, source, key), source)
        elif key == "require-suppression-reason":
            if not isinstance(value, bool):
                raise source.error(f"expected true or false, got {_type_name(value)}", key)
            _set(settings, key, value, source)
        elif key == "include":
            _set(settings, key, _check_include(value, source), source)
        elif key == "fail-on":
            _set(settings, key, _check_fail_on(value, source), source)
        elif key == "severity":
            levels = _check_severity(value, source)
            for selector in levels:
                settings._references.append(_RuleReference(selector, "selector", source, (key, selector)))
            _set(settings, key, levels, source)
        elif key == "per-file-ignores":
            ignores = _check_per_file_ignores(value, source)
            for glob, selectors in ignores.items():
                for index, selector in enumerate(selectors):
                    settings._references.append(_RuleReference(selector, "selector", source, (key, glob, index)))
            _set(settings, key, ignores, source)
        elif key == "disclosures":
            disclosures = _check_disclosures(value, source)
            for index, selector in enumerate(disclosures.get("satisfied", [])):
                settings._references.append(_RuleReference(selector, "disclosure", source,
                                                            (key, "satisfied", index)))
            _set(settings, key, disclosures, source)
        elif key == "baseline":
            _set(settings, key, _check_baseline(value, source), source)


# Command-line-only keys that add to a value instead of replacing it.
EXTENDING_OVERRIDES = {"extend-select": "select", "extend-ignore": "ignore", "extend-exclude": "exclude"}


def _apply_overrides(settings: Settings, overrides: dict, base: Path) -> None:
    """Command-line flags on top of the file, ruff-style: `select` restarts the selection (the
    file's `ignore` no longer applies), `ignore` alone adds to the file's, `extend-*` add."""
    source = _command_line()
    overrides = {key: value for key, value in overrides.items() if value is not None}
    if "select" in overrides and "ignore" not in overrides and settings.ignore:
        settings.ignore = []
        settings.origins.pop("ignore", None)
    if "ignore" in overrides and "select" not in overrides:
        overrides["extend-ignore"] = list(overrides.pop("ignore")) + list(overrides.get("extend-ignore", []))
    extending = {key: overrides.pop(key) for key in list(overrides) if key in EXTENDING_OVERRIDES}
    _apply(settings, overrides, source, base)
    for key, value in extending.items():
        target = EXTENDING_OVERRIDES[key]
        items = _string_list(value, source, key)
        if target != "exclude":
            for index, selector in enumerate(items):
                settings._references.append(_RuleReference(selector, "selector", source, (key, index)))
        current = getattr(settings, target)
        if target == "select" and current is None:
            continue  # every rule is already selected
        _set(settings, target, list(current or []) + [i for i in items if i not in (current or [])],
             source, merged=True)


def load_settings(start: Optional[Path] = None, *, config_path: Optional[Path] = None,
                  isolated: bool = False, overrides: Optional[dict] = None) -> Settings:
    """Defaults, then the discovered (or given) config file, then `overrides` (CLI flags, keyed
    like the config file, plus `extend-select`, `extend-ignore` and `extend-exclude`)."""
    settings = Settings()
    if not isolated:
        path = Path(config_path) if config_path else discover_config(start)
        if path is not None:
            if not path.is_file():
                raise ConfigError("config file not found", str(path))
            settings.config_path = path.resolve()
            data, source = _read_config(path)
            _apply(settings, data, source, settings.base_directory)
    if overrides:
        _apply_overrides(settings, dict(overrides), Path.cwd())
    return settings


# -- one configuration per file ----------------------------------------------------------------
class ConfigResolver:
    """The settings that apply to each file: those of the nearest config file up the tree from
    the file's folder, as ruff does (`site/.hypelint.yaml` governs `site/**`), or, when no
    folder above the file holds one, those found from `root` (the working directory for the
    CLI, the workspace folder for the language server). `config_path` (`--config`) and
    `isolated` give every file the same settings; `overrides` (command-line flags or editor
    options) apply on top of each file's.

    The one resolver behind `hypelint check` (and so pre-commit, which runs it on the staged
    files) and the language server, so a file gets the same settings everywhere. Discovery is
    cached per folder and settings per config file; `invalidate()` forgets both."""

    def __init__(self, *, config_path: Optional[Path] = None, isolated: bool = False,
                 overrides: Optional[dict] = None, root: Optional[Path] = None):
        self.config_path = Path(config_path) if config_path else None
        self.isolated = isolated
        self.overrides = dict(overrides or {})
        self.root = Path(root) if root is not None else None
        self._by_folder: Dict[Path, Optional[Path]] = {}
        self._by_config: Dict[Optional[Path], Settings] = {}

    def config_for(self, path) -> Optional[Path]:
        """The config file that applies to `path` (a file or folder), or None."""
        if self.isolated:
            return None
        if self.config_path is not None:
            return self.config_path
        folder = Path(os.path.abspath(path))
        if not folder.is_dir():
            folder = folder.parent
        if folder not in self._by_folder:
            found = discover_config(folder)
            if found is None:
                found = discover_config(self.root or Path.cwd())
            self._by_folder[folder] = found.resolve() if found is not None else None
        return self._by_folder[folder]

    def settings_for(self, path) -> Settings:
        """The settings for `path`; raises ConfigError for a broken config file."""
        return self.settings_for_config(self.config_for(path))

    def settings_for_config(self, config: Optional[Path]) -> Settings:
        if config not in self._by_config:
            self._by_config[config] = load_settings(
                self.root, config_path=config, isolated=self.isolated or config is None,
                overrides=self.overrides)
        return self._by_config[config]

    def loaded(self) -> List[Settings]:
        return list(self._by_config.values())

    def invalidate(self) -> None:
        self._by_folder.clear()
        self._by_config.clear()


# -- showing the resolved configuration ------------------------------------------------------
_DEFAULT_NOTES = {
    "extends": "the default packs",
    "select": "every rule",
    "include": "every format the sources know",
    "front-matter-fields": "the sources' copy fields",
    "baseline": "none",
}


def format_settings(settings: Settings, format: str = "text") -> str:
    """The resolved configuration, each value with its origin (`hypelint config`).

    Text output is valid YAML: values in flow style, origins as trailing comments."""
    import json

    linter = settings.linter()
    rows = settings.describe()
    rules = [{"code": rule.code, "name": rule.name, "severity": str(linter.severity_for(rule)),
              "pack": rule.pack} for rule in linter.rules]
    if format == "json":
        return json.dumps({
            "config_file": str(settings.config_path) if settings.config_path else None,
            "settings": {key: {"value": value, "origin": origin} for key, value, origin in rows},
            "rules": rules,
        }, indent=2) + "\n"
    lines = [f"# config file: {settings.config_path or 'none (defaults and command line only)'}"]
    shown = []
    for key, value, origin in rows:
        text = json.dumps(value, ensure_ascii=False)
        if value is None and key in _DEFAULT_NOTES:
            origin = f"{origin}: {_DEFAULT_NOTES[key]}"
        shown.append((f"{key}: {text}", origin))
    width = min(max(len(left) for left, _ in shown), 60)
    lines += [f"{left:<{width}}  # {origin}" for left, origin in shown]
    lines.append(f"# {len(linter.rules)} of {len(linter.all_rules)} loaded rules active "
                 f"(packs: {', '.join(dict.fromkeys(rule.pack for rule in linter.all_rules))})")
    lines.append("rules:")
    lines += [f"  {rule['code']}: {{name: {rule['name']}, severity: {rule['severity']}, pack: {rule['pack']}}}"
              for rule in rules]
    return "\n".join(lines) + "\n"

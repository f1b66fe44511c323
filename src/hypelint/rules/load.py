"""Load YAML rule packs into Rules, validating eagerly.

Every problem is a RuleError naming the ruleset file and line: unknown or missing keys, unknown
category or severity, a regex that does not compile, duplicate codes or names, bad examples.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import regex
from .. import regexcache
import yaml

from ..diagnostic import Severity
from ..errors import RuleError
from ..limits import MAX_ALIAS_NODES, MAX_EXPANDED_PATTERN, expanded_size
from .frames import parse_frame
from .lexicon import LexiconSet, builtin_lexicons, parse_lexicon
from .patterns import compile_source, phrase_to_regex, spaces_to_whitespace
from .spec import CATEGORIES, Example, Reference, Rule, RuleSet

RULE_KEYS = {
    "code": True, "name": True, "category": True, "severity": True, "message": True,
    "rationale": True, "references": True, "patterns": False, "frames": False, "examples": True,
    "exceptions": False, "suggestions": False, "scope": False, "requires": False,
    "description": False, "context": False, "triggered-by": False, "replacement": False,
}
CONTEXT_KEYS = {"negation", "attribution", "citation", "sentence-has", "document-has", "before", "after", "words"}
PACK_KEYS = {"pack", "description", "default", "rules", "vocabulary", "lexicons"}
_VOCABULARY_REFERENCE = regexcache.compile(r"\{@([a-z][a-z0-9-]*)\}")
_CODE = regexcache.compile(r"[A-Z]{2,5}\d{3,4}")
_NAME = regexcache.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_MARK = regexcache.compile(r"\[\[(.+?)\]\]", regex.DOTALL)


# libyaml's parser when PyYAML was built with it: about ten times faster than the pure-Python
# one, and reading the rule packs is most of the time a one-file `hypelint check` takes.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):
    """A SafeLoader whose mappings remember the line of each key."""


def _construct_mapping(loader, node, deep=False):
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {key.value: key.start_mark.line + 1 for key, _ in node.value if hasattr(key, "value")}
    return mapping


def _construct_sequence(loader, node, deep=False):
    items = _Sequence(loader.construct_sequence(node, deep=True))
    items.line = node.start_mark.line + 1
    items.item_lines = [child.start_mark.line + 1 for child in node.value]
    return items


class _Mapping(dict):
    line = 0
    key_lines: Dict[str, int] = {}


class _Sequence(list):
    line = 0
    item_lines: List[int] = []


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


@functools.lru_cache(maxsize=None)  # asked for a score of times a run; resolving walks the path
def builtin_directory() -> Path:
    """The bundled rulesets: inside the installed package, or the checkout's top-level folder."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "rulesets"
    if packaged.is_dir():
        return packaged
    checkout = here.parent.parent / "rulesets"
    if checkout.is_dir():
        return checkout
    raise RuleError("built-in rulesets not found (broken installation)", str(packaged))


def builtin_pack_names() -> List[str]:
    """Built-in packs; files starting with "_" (the shared vocabulary) are not packs."""
    return sorted(path.stem for path in builtin_directory().glob("*.yaml") if not path.stem.startswith("_"))


_builtin_vocabulary: Optional[Dict[str, str]] = None


def builtin_vocabulary() -> Dict[str, str]:
    """Named word lists (`{@serious-disease}` in a pattern) from rulesets/_vocabulary.yaml."""
    global _builtin_vocabulary
    if _builtin_vocabulary is None:
        path = builtin_directory() / "_vocabulary.yaml"
        _builtin_vocabulary = _read_vocabulary(_read_yaml(path), str(path), {}) if path.is_file() else {}
    return _builtin_vocabulary


def _read_vocabulary(data, file: str, known: Dict[str, str]) -> Dict[str, str]:
    """A mapping of name -> list of regex fragments, compiled to one alternation each."""
    vocabulary = dict(known)
    if data is None:
        return vocabulary
    if isinstance(data, dict) and "vocabulary" in data and set(data) <= PACK_KEYS:
        data = data["vocabulary"]
    if not isinstance(data, dict):
        raise RuleError("'vocabulary' must map names to lists of patterns", file, getattr(data, "line", None))
    for name, items in data.items():
        line = data.key_lines.get(name) if isinstance(data, _Mapping) else None
        if not isinstance(name, str) or not regex.fullmatch(r"[a-z][a-z0-9-]*", name):
            raise RuleError(f"vocabulary name {name!r} must be a lowercase slug", file, line)
        if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
            raise RuleError(f"vocabulary {name!r} must be a non-empty list of strings", file, line)
        fragments = [spaces_to_whitespace(_expand(i.strip(), vocabulary, file, line)) for i in items]
        if sum(map(len, fragments)) > MAX_EXPANDED_PATTERN:
            raise RuleError(f"vocabulary {name!r} expands to more than {MAX_EXPANDED_PATTERN:,} characters", file, line)
        # longest first so that alternation prefers "heart failure" over "heart"
        fragments.sort(key=len, reverse=True)
        combined = "(?:" + "|".join(fragments) + ")"
        try:
            regexcache.compile(combined)
        except regex.error as error:
            raise RuleError(f"invalid regex in vocabulary {name!r}: {error}", file, line) from None
        vocabulary[name] = combined
    return vocabulary


def _expand(source: str, vocabulary: Dict[str, str], file: str, line: Optional[int]) -> str:
    def replace(match):
        name = match.group(1)
        if name not in vocabulary:
            raise RuleError(f"unknown vocabulary {{@{name}}} (known: {', '.join(sorted(vocabulary)) or 'none'})",
                            file, line)
        return vocabulary[name]

    grown = sum(len(vocabulary.get(name, "")) for name in _VOCABULARY_REFERENCE.findall(source))
    if grown > MAX_EXPANDED_PATTERN:  # references of references grow exponentially: refuse early
        raise RuleError(f"vocabulary references expand this pattern to more than {MAX_EXPANDED_PATTERN:,} "
                        f"characters", file, line)
    return _VOCABULARY_REFERENCE.sub(replace, source)


def default_pack_names() -> List[str]:
    """Packs marked `default: true` (core + US + topic packs)."""
    names = []
    for name in builtin_pack_names():
        data = _read_yaml(builtin_directory() / f"{name}.yaml", keep=True)
        if isinstance(data, dict) and data.get("default", False):
            names.append(name)
    return names


def is_pack_path(name: str) -> bool:
    """Whether an `extends` entry is a path to a ruleset file rather than a built-in pack name."""
    return os.sep in name or "/" in name or name.endswith((".yaml", ".yml"))


def resolve_pack(name_or_path: str, base: Optional[str] = None) -> Path:
    """A built-in pack by name (`core`, `us`, ...) or a path to a team's own ruleset file."""
    if is_pack_path(name_or_path):
        path = Path(base or ".", name_or_path) if not os.path.isabs(name_or_path) else Path(name_or_path)
        if not path.is_file():
            raise RuleError(f"ruleset file not found: {name_or_path}", str(path))
        if path.suffix.lower() not in (".yaml", ".yml"):  # never parse (and quote) a .env or a key file
            raise RuleError("a ruleset file must be a YAML file (.yaml or .yml)", str(path))
        return path
    path = builtin_directory() / f"{name_or_path}.yaml"
    if not path.is_file():
        raise RuleError(f"unknown rule pack {name_or_path!r} (built-in packs: {', '.join(builtin_pack_names())})")
    return path


def load_packs(names: Optional[Sequence[str]] = None, base: Optional[str] = None) -> RuleSet:
    """Load packs (default packs when `names` is None) into one RuleSet; codes and names must be unique."""
    paths = [resolve_pack(name, base) for name in (default_pack_names() if names is None else names)]
    rules: List[Rule] = []
    seen: Dict[str, str] = {}
    loaded = set()
    for path in paths:
        if path.resolve() in loaded:
            continue
        loaded.add(path.resolve())
        for rule in load_ruleset_file(path):
            for key in (rule.code, rule.name):
                if key in seen:
                    file, line = rule.source.rsplit(":", 1)
                    raise RuleError(f"duplicate rule {'code' if key == rule.code else 'name'} {key!r} "
                                    f"(first defined at {seen[key]})", file, int(line))
                seen[key] = rule.source
            rules.append(rule)
    return RuleSet(rules)


# Pack files parsed by default_pack_names(), by (path, size, mtime), handed over once to the
# load_ruleset_file() that follows it so that each file is parsed once per load; a changed file
# (an edit seen by a long-running LSP server) has a new key.
_parsed_files: Dict[Tuple[str, int, int], Any] = {}


def _read_yaml(path: Path, keep: bool = False):
    try:
        stat = os.stat(path)
        key: Optional[Tuple[str, int, int]] = (os.path.abspath(path), stat.st_size, stat.st_mtime_ns)
    except OSError:
        key = None  # reported by open() below
    if key in _parsed_files:
        return _parsed_files[key] if keep else _parsed_files.pop(key)
    data = _parse_yaml(path)
    if keep and key is not None:
        if len(_parsed_files) > 64:
            _parsed_files.clear()
        _parsed_files[key] = data
    return data


def _parse_yaml(path: Path):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        key = _cache_key(path)
        cached = regexcache.lookup(key) if key is not None else None
        if cached is not None and cached[0] == text:
            try:
                return _decode(cached[1])
            except (TypeError, ValueError, IndexError):
                pass  # a damaged entry: parse the file
        data = yaml.load(text, Loader=_LineLoader)
        if expanded_size(data) > MAX_ALIAS_NODES:
            raise RuleError(f"YAML aliases expand to more than {MAX_ALIAS_NODES:,} values (an alias bomb?)", str(path))
        if key is not None:
            try:
                regexcache.remember(key, (text, _encode(data)))
            except TypeError:
                pass  # a value marshal cannot keep (a date, a set): parse this file every time
        return data
    except OSError as error:
        raise RuleError(f"cannot read ruleset: {error.strerror}", str(path)) from None
    except UnicodeDecodeError as error:
        raise RuleError(f"cannot decode ruleset as UTF-8: {error.reason}", str(path)) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise RuleError(f"invalid YAML: {problem}", str(path), mark.line + 1 if mark else None,
                        mark.column + 1 if mark else None) from None
    except RecursionError:
        raise RuleError("YAML nested too deeply", str(path)) from None


# -- parsed pack files in the pattern cache ------------------------------------------------------
# Parsing the default packs is a tenth of a one-page check. The tree (with the line of every key
# and item) is kept in the pattern cache (hypelint.regexcache) with the file's whole text, and
# used only for that exact text, by the same parser (this file, PyYAML's version).
def _cache_key(path: Path) -> Optional[tuple]:
    try:
        stat = os.stat(__file__)
        return ("ruleset", os.path.abspath(path), stat.st_size, stat.st_mtime_ns, yaml.__version__,
                _SafeLoader.__name__)
    except OSError:
        return None


def _encode(node):
    """The tree as plain data: a mapping becomes (0, line, key lines, [(key, value), ...]), a
    sequence (1, line, item lines, [item, ...]); scalars stay (YAML never makes a tuple)."""
    if isinstance(node, dict):
        return (0, getattr(node, "line", 0), dict(getattr(node, "key_lines", {})),
                [(key, _encode(value)) for key, value in node.items()])
    if isinstance(node, list):
        return (1, getattr(node, "line", 0), list(getattr(node, "item_lines", [])), [_encode(item) for item in node])
    if node is None or isinstance(node, (str, bool, int, float)):
        return node
    raise TypeError(f"cannot keep {type(node).__name__}")


def _decode(data):
    if not isinstance(data, tuple):
        return data
    kind, line, lines, items = data
    if kind == 0:
        mapping = _Mapping((key, _decode(value)) for key, value in items)
        mapping.line, mapping.key_lines = line, lines
        return mapping
    sequence = _Sequence(_decode(item) for item in items)
    sequence.line, sequence.item_lines = line, lines
    return sequence


def load_ruleset_file(path) -> List[Rule]:
    path = Path(path)
    data = _read_yaml(path)
    file = str(path)
    if not isinstance(data, dict) or "rules" not in data:  # not a pack: say so without quoting it
        raise RuleError("a ruleset must be a mapping with a 'rules' list", file, 1)
    for key in data:
        if key not in PACK_KEYS:
            raise RuleError(f"unknown key {key!r} in ruleset (expected: {', '.join(sorted(PACK_KEYS))})",
                            file, data.key_lines.get(key))
    rules_data = data.get("rules")
    if not isinstance(rules_data, list):
        raise RuleError("'rules' must be a list of rule mappings", file, data.key_lines.get("rules", data.line))
    pack = str(data.get("pack") or path.stem)
    vocabulary = builtin_vocabulary()
    if "vocabulary" in data:
        vocabulary = _read_vocabulary(data["vocabulary"], file, vocabulary)
    # the built-in packs are compiled and run by the test suite: compile them on first use
    lazy = path.resolve().parent == builtin_directory().resolve()
    lexicons = _pack_lexicons(data, file) if any(isinstance(item, dict) and "frames" in item for item in rules_data) \
        or "lexicons" in data else None
    rules = []
    for index, item in enumerate(rules_data):
        line = rules_data.item_lines[index] if isinstance(rules_data, _Sequence) else None
        rules.append(_build_rule(item, file, line, pack, vocabulary, lazy, lexicons))
    return rules


def _pack_lexicons(data, file: str) -> LexiconSet:
    """The built-in lexicons, extended by the pack's `lexicons:` (name -> entries or a lexicon
    mapping): a team pack adds its own words to a class (`condition`) or defines a new one."""
    lexicons = builtin_lexicons()
    extra = data.get("lexicons")
    if extra is None:
        return lexicons
    if not isinstance(extra, dict):
        raise RuleError("'lexicons' must map lexicon names to lists of entries", file, data.key_lines.get("lexicons"))
    additions = {}
    for name, value in extra.items():
        line = extra.key_lines.get(name) if isinstance(extra, _Mapping) else None
        body = value if isinstance(value, dict) else {"entries": value}
        if isinstance(body, dict) and "lexicon" not in body:
            body = {**body, "lexicon": name}
        if isinstance(body, dict) and "pos" not in body and name in lexicons:
            known = lexicons.lexicons[name].entries
            body["pos"] = known[0].pos if known else "phrase"
        additions[name] = parse_lexicon(body, file, str(name), line)
    return lexicons.extended(additions)


def _build_rule(data: Any, file: str, line: Optional[int], pack: str, vocabulary: Dict[str, str],
                lazy: bool = False, lexicons: Optional[LexiconSet] = None) -> Rule:
    if not isinstance(data, dict):
        raise RuleError("each rule must be a mapping", file, line)
    line = getattr(data, "line", line)
    label = f"rule {data.get('code', '?')}"

    def fail(message: str, key: Optional[str] = None):
        raise RuleError(f"{label}: {message}", file, data.key_lines.get(key, line) if key else line)
    fail.code = data.get("code", "?")  # named by errors _compile_patterns raises itself

    for key in data:
        if key not in RULE_KEYS:
            fail(f"unknown key {key!r} (expected one of: {', '.join(sorted(RULE_KEYS))})", key)
    for key, required in RULE_KEYS.items():
        if required and key not in data:
            fail(f"missing required key {key!r}")

    def text(key: str) -> str:
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            fail(f"{key!r} must be a non-empty string", key)
        return value.strip()

    code = text("code")
    if not _CODE.fullmatch(code):
        fail(f"code {code!r} must look like HL101 (letters then digits)", "code")
    name = text("name")
    if not _NAME.fullmatch(name):
        fail(f"name {name!r} must be a lowercase slug like 'cure-claim'", "name")
    category = text("category")
    if category not in CATEGORIES:
        fail(f"unknown category {category!r} (see `hypelint rules --categories`)", "category")
    try:
        severity = Severity.parse(text("severity"))
    except ValueError as error:
        fail(str(error), "severity")
    scope = data.get("scope", "span")
    if scope not in ("span", "document"):
        fail(f"scope must be 'span' or 'document', not {scope!r}", "scope")
    if (scope == "document") != category.startswith("disclosure."):
        fail("document-scope rules and disclosure.* categories go together", "scope")
    message = text("message")
    for placeholder in regex.findall(r"\{([^}]*)\}", message):
        if placeholder not in ("match", "parts") or (placeholder == "parts" and "frames" not in data):
            fail(f"unknown placeholder {{{placeholder}}} in message ({{match}}, and {{parts}} in frame rules)",
                 "message")

    references = data["references"]
    if not isinstance(references, list) or not references:
        fail("'references' must be a non-empty list of {title, url}", "references")
    refs = []
    for ref in references:
        if not isinstance(ref, dict) or set(ref) != {"title", "url"} or not all(isinstance(v, str) and v for v in ref.values()):
            fail("each reference needs exactly a 'title' and a 'url'", "references")
        if not ref["url"].startswith(("http://", "https://")):
            fail(f"reference url {ref['url']!r} must be http(s)", "references")
        refs.append(Reference(ref["title"], ref["url"]))

    origins: Dict[str, Tuple[str, str]] = {}  # compiled source -> (pattern as written, "file:line")

    def compile_list(value, key):
        return _compile_patterns(value, fail, key, vocabulary, file, data.key_lines.get(key.split(".")[0], line),
                                 lazy, origins)

    patterns = compile_list(data.get("patterns") or [], "patterns")
    frames = []
    if "frames" in data:
        if not isinstance(data["frames"], list) or not data["frames"]:
            fail("'frames' must be a non-empty list of frames (see `hypelint rule` of a frame rule)", "frames")
        if patterns:
            fail("a rule has 'patterns' or 'frames', not both", "frames")
        for source in data["frames"]:
            try:
                frames.append(parse_frame(source, lexicons or builtin_lexicons()))
            except ValueError as error:
                fail(f"frame {source!r}: {error}", "frames")
    triggered_by = data.get("triggered-by") or []
    if not isinstance(triggered_by, list) or not all(isinstance(t, str) and t for t in triggered_by):
        fail("'triggered-by' must be a list of rule selectors", "triggered-by")
    if triggered_by and scope != "document":
        fail("'triggered-by' is for document-scope rules", "triggered-by")
    if not patterns and not frames and not triggered_by:
        fail("'patterns' (or 'frames') must not be empty", "patterns")
    exceptions = compile_list(data.get("exceptions") or [], "exceptions")
    requires = compile_list(data.get("requires") or [], "requires")
    if scope == "document" and not requires:
        fail("a document-scope rule needs 'requires' (the statements that satisfy it)", "requires")
    context = data.get("context") or {}
    if not isinstance(context, dict):
        fail("'context' must be a mapping", "context")
    for key in context:
        if key not in CONTEXT_KEYS:
            fail(f"unknown context key {key!r} (expected one of: {', '.join(sorted(CONTEXT_KEYS))})", "context")
    for key in ("negation", "attribution", "citation"):
        if key in context and not isinstance(context[key], bool):
            fail(f"context.{key} must be true or false", "context")
    sentence_has = compile_list(context.get("sentence-has") or [], "context.sentence-has")
    document_has = compile_list(context.get("document-has") or [], "context.document-has")
    before = compile_list(context.get("before") or [], "context.before")
    after = compile_list(context.get("after") or [], "context.after")
    words = context.get("words", 12)
    if not isinstance(words, int) or isinstance(words, bool) or not 1 <= words <= 60:
        fail("context.words must be a whole number from 1 to 60", "context")
    suggestions = data.get("suggestions") or []
    if not isinstance(suggestions, list) or not all(isinstance(s, str) for s in suggestions):
        fail("'suggestions' must be a list of strings", "suggestions")

    replacement = data.get("replacement") or []
    if isinstance(replacement, str):
        replacement = [replacement]
    if not isinstance(replacement, list) or not all(isinstance(r, str) and r.strip() for r in replacement):
        fail("'replacement' must be a string or a list of strings (vetted rewrites of the match)", "replacement")
    if replacement and scope != "span":
        fail("'replacement' is for span rules (a document rule has no span to replace)", "replacement")

    examples = data["examples"]
    if not isinstance(examples, dict) or set(examples) - {"bad", "good"}:
        fail("'examples' must be a mapping with 'bad' and 'good' lists", "examples")
    bad = [_parse_example(e, fail, scope == "span") for e in _string_list(examples.get("bad"), fail, "examples")]
    good = [_parse_example(e, fail, False) for e in _string_list(examples.get("good"), fail, "examples")]
    for example in good:
        if example.spans:
            fail("good examples must not contain [[...]] markers", "examples")

    return Rule(
        code=code, name=name, category=category, severity=severity, message=message,
        rationale=text("rationale"), references=tuple(refs), patterns=tuple(patterns),
        exceptions=tuple(exceptions), suggestions=tuple(s.strip() for s in suggestions),
        replacement=tuple(r.strip() for r in replacement),
        bad_examples=tuple(bad), good_examples=tuple(good), scope=scope, requires=tuple(requires),
        pack=pack, source=f"{file}:{line}",
        description=(data.get("description") or "").strip() if isinstance(data.get("description"), str) else "",
        negation=context.get("negation", True), attribution=context.get("attribution", True),
        citation=context.get("citation", False), sentence_has=tuple(sentence_has),
        document_has=tuple(document_has), triggered_by=tuple(triggered_by),
        before=tuple(before), after=tuple(after), window_words=words,
        frames=tuple(frames), lexicons=(lexicons or builtin_lexicons()) if frames else None,
        options={"pattern_origins": origins, "example_lines": _example_lines(examples, line)},
    )


def _example_lines(examples, line: Optional[int]) -> Dict[str, List[int]]:
    """The line of each bad and good example (for `hypelint test` to name)."""
    lines = {}
    for kind in ("bad", "good"):
        items = examples.get(kind) or []
        found = getattr(items, "item_lines", None) or []
        lines[kind] = [found[index] if index < len(found) else (line or 0) for index in range(len(items))]
    return lines


def _string_list(value, fail, key) -> List[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        fail(f"'{key}' entries must be lists of strings", key)
    return value


def _parse_example(raw: str, fail, needs_marker: bool) -> Example:
    spans: List[Tuple[int, int]] = []
    out = []
    cursor = 0
    removed = 0
    for match in _MARK.finditer(raw):
        out.append(raw[cursor:match.start()])
        start = match.start() - removed
        spans.append((start, start + len(match.group(1))))
        out.append(match.group(1))
        removed += 4
        cursor = match.end()
    out.append(raw[cursor:])
    if needs_marker and not spans:
        fail(f"bad example has no [[...]] marking the expected span: {raw.strip()[:60]!r}", "examples")
    return Example("".join(out), tuple(spans))


def _written(item) -> str:
    """A pattern entry as the pack's author wrote it, for error messages (never our rewrite)."""
    if isinstance(item, dict) and isinstance(item.get("regex"), str):
        return item["regex"]
    if isinstance(item, dict) and isinstance(item.get("phrases"), list):
        return ", ".join(str(phrase) for phrase in item["phrases"])
    return str(item)


def _compile_patterns(value, fail, key, vocabulary=None, file="", line=None, lazy=False,
                      origins=None) -> List[regex.Pattern]:
    """`patterns`/`exceptions`/`requires`: a list of regex strings, `{regex: ...}` or `{phrases: [...]}`.

    Regexes may name a vocabulary list as `{@name}`. `origins` (when given) maps each compiled
    source to the entry as written and its "file:line", for errors about the pattern later."""
    if not isinstance(value, list):
        fail(f"'{key}' must be a list", key)
    compiled = []
    item_lines = getattr(value, "item_lines", None) or []
    for index, item in enumerate(value):
        item_line = item_lines[index] if index < len(item_lines) else line
        case_sensitive = False
        if isinstance(item, str):
            sources = [spaces_to_whitespace(item)]
        elif isinstance(item, dict):
            unknown = set(item) - {"regex", "phrases", "case_sensitive"}
            if unknown or ("regex" in item) == ("phrases" in item):
                fail(f"each entry of '{key}' is a regex string, {{regex: ...}} or {{phrases: [...]}}", key)
            case_sensitive = bool(item.get("case_sensitive", False))
            if "regex" in item:
                if not isinstance(item["regex"], str):
                    fail(f"'{key}' regex must be a string", key)
                sources = [spaces_to_whitespace(item["regex"])]
            else:
                phrases = item["phrases"]
                if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
                    fail(f"'{key}' phrases must be a non-empty list of strings", key)
                sources = ["|".join(phrase_to_regex(p) for p in phrases)]
        else:
            fail(f"each entry of '{key}' is a regex string, {{regex: ...}} or {{phrases: [...]}}", key)
        for source in sources:
            source = _expand(source, vocabulary or {}, file, item_line)
            try:
                compiled.append(compile_source(source, case_sensitive, lazy))
            except regex.error as error:
                raise RuleError(f"rule {getattr(fail, 'code', '?')}: invalid regex in '{key}': "
                                f"{_regex_problem(error)} in {_written(item)!r}", file, item_line) from None
            if origins is not None:
                origins.setdefault(compiled[-1].pattern, (_written(item), f"{file}:{item_line}"))
    return compiled


def _regex_problem(error: regex.error) -> str:
    """The regex module's message without the offset into our rewritten source (which would
    not match the author's pattern)."""
    return regex.sub(r" at position \d+$", "", str(error))

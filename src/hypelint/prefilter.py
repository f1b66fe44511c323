"""The prefilter: pick, with one pass over a document, the few rules that can match it.

Running every rule's regular expressions over every document makes the cost grow with the
number of rules. Instead each rule's patterns are analysed once for *required literals*: short
strings of which every match must contain at least one ("cure[sd]?|curing" needs "cure" or
"curing"; "FDA[- ]approved" needs "approved"). All rules' literals go into one keyword regex,
factored by shared prefix, which scans the document's mask once; only rules with a literal found
(and rules whose patterns have no usable literal) are run.

The filter is exact: it only skips a rule when none of the rule's patterns can match, so the
diagnostics are identical with and without it (tests/test_prefilter.py checks this). The
analysis reads each pattern with Python's own regular-expression parser; anything it does not
fully understand (syntax only the `regex` module has, unusual flags) makes the rule a candidate
for every document, never a skipped one. Keywords are matched case-insensitively even for
case-sensitive patterns, which can only add candidates.

Literals are lowercase ASCII, or symbols from CASELESS_RANGES (arrows, shapes, dingbats such as
"★", emoji, typographic punctuation), which case-insensitive matching maps only to themselves;
any other non-ASCII character ends a literal. Among such strings, the `regex` module's
case-insensitive matching agrees with `str.lower()`, which keeps the prefix reasoning below
sound (tests/test_prefilter.py checks both against the installed `regex`).
"""
from __future__ import annotations

import functools
import os
import re
import sys
import warnings
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

import regex
from . import regexcache

if sys.version_info >= (3, 11):  # pragma: no cover - version dependent import
    from re import _constants as sre
    from re import _parser as sre_parse
else:  # pragma: no cover
    import sre_constants as sre
    import sre_parse

# Literals shorter than this select too much text to be worth a keyword (and "a" or "in" would
# make every rule a candidate anyway): a pattern whose best literal is shorter has none.
MIN_LITERAL = 3
# Exact string sets (e.g. "stem[- ]cells?" = 4 strings) are expanded up to this many strings.
MAX_EXACT = 64
# Flags the analysis understands; anything else (VERSION1 set operations, FULLCASE folding,
# fuzzy matching, REVERSE, WORD boundaries, LOCALE) makes a pattern opaque.
_KNOWN_FLAGS = (regex.IGNORECASE | regex.MULTILINE | regex.DOTALL | regex.VERBOSE | regex.UNICODE
                | regex.ASCII | regex.VERSION0)
# Syntax that Python's parser would read differently from the `regex` module without an error:
# POSIX classes and nested sets ("[[:alpha:]]"), fuzzy constraints ("(?:cure){e<=1}").
_OPAQUE_SYNTAX = regexcache.compile(r"\[\[|\[:|\{(?!\d*(?:,\d*)?\})")
# Code point ranges whose every character has no case mapping or folding: under IGNORECASE each
# matches only itself, so it can be part of a literal.
CASELESS_RANGES = ((0x2010, 0x2027), (0x2030, 0x205E), (0x2190, 0x23FF), (0x25A0, 0x27BF), (0x2B00, 0x2BFF),
                   (0x1F300, 0x1FAFF))
_WORD_BOUNDARIES = {sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY}
REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT} | ({sre.POSSESSIVE_REPEAT} if hasattr(sre, "POSSESSIVE_REPEAT") else set())
_NUL_FREE_CATEGORIES = {sre.CATEGORY_DIGIT, sre.CATEGORY_SPACE, sre.CATEGORY_WORD, sre.CATEGORY_LINEBREAK}


@dataclass(frozen=True)
class PatternInfo:
    """What the prefilter knows about one compiled pattern.

    literals: every match contains at least one of these (lowercase, case-insensitively), or
        None when no useful set could be derived.
    segment_local: no match can contain a NUL character and nothing in the pattern looks past
        the NUL-delimited run of the mask it matches in (no anchors, no NUL-consuming
        lookarounds), so searching only the runs that contain a literal finds the same matches
        as searching the whole mask.
    also: a second such set, from another part of the pattern ("treat" ... "arthritis"), or
        None: a run of the mask can hold a match only if it holds a literal of each set.
    """

    literals: Optional[FrozenSet[str]]
    segment_local: bool
    also: Optional[FrozenSet[str]] = None


OPAQUE = PatternInfo(None, False)


class _Node:
    """Analysis of one parsed regex node.

    exact: the complete set of (lowercase) strings the node matches, when small and known.
    required: a set of literals every match of the node contains, when known and usable.
    nul: whether the node can consume a NUL character.
    local: whether the node contains only segment-local constructs (see PatternInfo).
    """

    __slots__ = ("exact", "required", "nul", "local")

    def __init__(self, exact=None, required=None, nul=False, local=True):
        self.exact: Optional[FrozenSet[str]] = exact
        self.required: Optional[FrozenSet[str]] = required
        self.nul = nul
        self.local = local


_EMPTY = frozenset({""})
_ANYTHING = _Node(nul=True, local=False)


def _usable(strings: Optional[Iterable[str]]) -> Optional[FrozenSet[str]]:
    if strings is None:
        return None
    strings = frozenset(strings)
    if strings and all(len(s) >= MIN_LITERAL for s in strings):
        return strings
    return None


def _best(options: Iterable[Optional[FrozenSet[str]]]) -> Optional[FrozenSet[str]]:
    """Of several literal sets that all hold (a concatenation), the most selective usable one:
    longest shortest literal first, then fewest literals."""
    usable = [o for o in (_usable(option) for option in options) if o]
    if not usable:
        return None
    return max(usable, key=lambda strings: (min(map(len, strings)), -len(strings)))


def _char_node(code: int) -> _Node:
    char = chr(code)
    if code < 128:
        return _Node(exact=frozenset({char.lower()}), nul=code == 0)
    if any(low <= code <= high for low, high in CASELESS_RANGES):
        return _Node(exact=frozenset({char}))
    return _Node()  # other non-ASCII: matched, but ends a literal


def _set_node(items) -> _Node:
    """A character class `[...]`: exact when it lists a few ASCII characters."""
    chars: Set[str] = set()
    exact = True
    nul = False
    negated = False
    for op, value in items:
        if op is sre.NEGATE:
            negated = True
            exact = False
        elif op is sre.LITERAL:
            if value == 0:
                nul = True
            if value < 128:
                chars.add(chr(value).lower())
            else:
                exact = False
        elif op is sre.RANGE:
            low, high = value
            nul = nul or low == 0
            exact = False
        elif op is sre.CATEGORY:
            nul = nul or value not in _NUL_FREE_CATEGORIES
            exact = False
        else:  # an item this analysis does not know: assume the worst
            return _Node(nul=True, local=False)
    if negated:
        # a negated class matches NUL unless it lists NUL (or a class containing it)
        nul = not nul
    if exact and 0 < len(chars) <= 8:
        return _Node(exact=frozenset(chars), nul=nul)
    return _Node(nul=nul)


def _sequence(items) -> _Node:
    """A concatenation: exact strings multiply; every part's requirement holds."""
    run: Set[str] = {""}
    options: List[Optional[FrozenSet[str]]] = []
    all_exact = True
    nul = False
    local = True
    for op, value in items:
        node = _node(op, value)
        nul = nul or node.nul
        local = local and node.local
        if node.exact is not None:
            if len(run) * len(node.exact) <= MAX_EXACT:
                run = {left + right for left in run for right in node.exact}
            else:
                options.append(frozenset(run))
                run = set(node.exact)
                all_exact = False
        else:
            all_exact = False
            options.append(frozenset(run))
            run = {""}
            options.append(node.required)
    options.append(frozenset(run))
    exact = frozenset(run) if all_exact else None
    return _Node(exact=exact, required=_best(options), nul=nul, local=local)


def _branch(alternatives) -> _Node:
    nodes = [_sequence(alternative) for alternative in alternatives]
    nul = any(n.nul for n in nodes)
    local = all(n.local for n in nodes)
    exact = None
    if all(n.exact is not None for n in nodes):
        union = frozenset().union(*(n.exact for n in nodes))
        if len(union) <= MAX_EXACT:
            exact = union
    requirements = [n.required or _usable(n.exact) for n in nodes]
    required = frozenset().union(*requirements) if all(requirements) else None
    return _Node(exact=exact, required=required, nul=nul, local=local)


def _repeat(low: int, high, items) -> _Node:
    inner = _sequence(items)
    if low == 0:
        exact = inner.exact | _EMPTY if (high == 1 and inner.exact is not None) else None
        return _Node(exact=exact, nul=inner.nul, local=inner.local)
    if low == high == 1:
        return inner
    exact = None
    if inner.exact is not None and low == high and len(inner.exact) ** low <= MAX_EXACT:
        strings: Set[str] = {""}
        for _ in range(low):
            strings = {left + right for left in strings for right in inner.exact}
        exact = frozenset(strings)
    return _Node(exact=exact, required=_best([inner.required, inner.exact]), nul=inner.nul, local=inner.local)


MAX_SETS = 3  # required sets kept per alternative when branches are combined


def _required_sets(items) -> List[FrozenSet[str]]:
    """Literal sets of which every match of the sequence `items` holds one each: the sequence's
    own (_sequence) and those of every part that each match goes through (groups, repeats of at
    least one, branches whose every alternative has some), most selective first."""
    found: List[FrozenSet[str]] = []
    own = _sequence(items)
    for strings in [own.required or _usable(own.exact)] + [s for op, value in items for s in _part_sets(op, value)]:
        if strings and strings not in found:
            found.append(strings)
    return sorted(found, key=lambda strings: (-min(map(len, strings)), len(strings)))


def _part_sets(op, value) -> List[FrozenSet[str]]:
    if op is sre.SUBPATTERN:
        return _required_sets(value[-1])
    if getattr(sre, "ATOMIC_GROUP", None) is op:
        return _required_sets(value)
    if op in REPEATS:
        return _required_sets(value[2]) if value[0] >= 1 else []
    if op is sre.BRANCH:
        # one set of each alternative, joined: every match holds a literal of the union
        per_alternative = [_required_sets(alternative) for alternative in value[1]]
        width = min(MAX_SETS, min(map(len, per_alternative)))
        joined = [_usable(frozenset().union(*(sets[index] for sets in per_alternative))) for index in range(width)]
        return [strings for strings in joined if strings]
    return []  # lookarounds look outside the match; other nodes have no set of their own here


def _node(op, value) -> _Node:
    if op is sre.LITERAL:
        return _char_node(value)
    if op is sre.NOT_LITERAL:
        return _Node(nul=value != 0)
    if op is sre.ANY:
        return _Node(nul=True)
    if op is sre.IN:
        return _set_node(value)
    if op is sre.BRANCH:
        return _branch(value[1])
    if op is sre.SUBPATTERN:
        return _sequence(value[-1])
    if getattr(sre, "ATOMIC_GROUP", None) is op:
        return _sequence(value)
    if op in REPEATS:
        low, high, items = value
        return _repeat(low, high, items)
    if op is sre.AT:
        # zero-width; only word boundaries see the same thing at a NUL as at the end of a run
        return _Node(exact=_EMPTY, local=value in _WORD_BOUNDARIES)
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        # zero-width: its literals are not required of the match (a negative one forbids them)
        inner = _sequence(value[1])
        return _Node(exact=_EMPTY, nul=inner.nul, local=inner.local and not inner.nul)
    # back-references, conditionals and anything newer: no literals, and not local
    return _ANYTHING


# -- the shipped analysis table ----------------------------------------------------------------
# Analysing the default packs' patterns takes ~0.1 s, more than linting one page. The results
# for the built-in packs ship in rulesets/_prefilter.json (regenerate with
# `python -m hypelint.prefilter`; tests/test_prefilter.py checks it is current), so a one-page
# run gets the prefilter for free; other patterns are analysed as before.
TABLE_NAME = "_prefilter.json"
_table: Optional[Dict[str, Tuple[Optional[FrozenSet[str]], bool, Optional[FrozenSet[str]]]]] = None


def _table_key(source: str, flags: int) -> str:
    import hashlib

    return hashlib.sha1(f"{flags}:{source}".encode("utf-8")).hexdigest()


def _shipped_table() -> Dict[str, Tuple[Optional[FrozenSet[str]], bool, Optional[FrozenSet[str]]]]:
    global _table
    if _table is None:
        import json

        from .rules.load import builtin_directory

        try:
            with open(builtin_directory() / TABLE_NAME, encoding="utf-8") as handle:
                entries = json.load(handle).get("entries", {})
            _table = {key: (None if literals is None else frozenset(literals), bool(local),
                            None if not rest or rest[0] is None else frozenset(rest[0]))
                      for key, (literals, local, *rest) in entries.items()}
        except (OSError, ValueError, TypeError, AttributeError):
            _table = {}  # a missing or damaged table only costs the analysis time
    return _table


def precomputed(pattern: "regex.Pattern") -> bool:
    """Whether the pattern's analysis ships in the table (so the prefilter is cheap to build)."""
    return _table_key(pattern.pattern, pattern.flags) in _shipped_table()


def write_table(patterns: Iterable["regex.Pattern"], path) -> int:
    """Write the analysis of `patterns` as a table; returns the number of entries."""
    import json

    entries = {}
    for pattern in patterns:
        info = _analyse_fresh(pattern.pattern, pattern.flags)
        literals = None if info.literals is None else sorted(info.literals)
        also = None if info.also is None else sorted(info.also)
        entries[_table_key(pattern.pattern, pattern.flags)] = [literals, info.segment_local, also]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"version": 2, "entries": dict(sorted(entries.items()))}, handle, indent=0)
        handle.write("\n")
    return len(entries)


@functools.lru_cache(maxsize=4096)
def _analyse_source(source: str, flags: int) -> PatternInfo:
    shipped = _shipped_table().get(_table_key(source, flags))
    if shipped is not None:
        return PatternInfo(*shipped)
    return _analyse_fresh(source, flags)


def parse_pattern(source: str, flags: int):
    """The pattern parsed by Python's own parser, or None when the analyses here cannot trust
    that parse: flags they do not know, or syntax the `regex` module reads differently."""
    if flags & ~_KNOWN_FLAGS or _OPAQUE_SYNTAX.search(source):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "possible nested set" and friends: do not guess
            return sre_parse.parse(source, flags & regex.VERBOSE)
    except Exception:  # any syntax only the `regex` module knows  # noqa: BLE001
        return None


def _analyse_fresh(source: str, flags: int) -> PatternInfo:
    parsed = parse_pattern(source, flags)
    if parsed is None:
        return OPAQUE
    node = _sequence(parsed)
    literals = node.required or _usable(node.exact)
    also = None
    if literals is not None:
        try:
            # a set that every one of `literals` already holds a literal of says nothing more
            also = next((strings for strings in _required_sets(list(parsed))
                         if not all(any(other in literal for other in strings) for literal in literals)), None)
        except RecursionError:  # a pathologically nested pattern: one set is enough
            also = None
    return PatternInfo(literals, node.local and not node.nul, also)


def analyse(pattern: "regex.Pattern") -> PatternInfo:
    """The required literals and locality of one compiled `regex` pattern."""
    return _analyse_source(pattern.pattern, pattern.flags)


@functools.lru_cache(maxsize=256)
def literal_gate(source: str, flags: int) -> Optional["re.Pattern"]:
    """A standard-library program that finds, in fold(text), one of the literals every match of
    the pattern holds: a range of the folded text where it finds none holds no match, and the
    pattern's own search there can be skipped. None when the pattern has no usable literals.
    The literals are kept in the pattern cache (the analysis of a long pattern takes longer
    than a page's check), keyed like the plan by this module's file, whose analysis made them."""
    try:
        stat = os.stat(__file__)
    except OSError:
        stat = None
    key = ("gate", stat and stat.st_size, stat and stat.st_mtime_ns, source, int(flags))
    trie = regexcache.lookup(key) if stat is not None else None
    if not isinstance(trie, str):
        literals = _analyse_source(source, flags).literals
        trie = "" if literals is None else trie_pattern(set(prefix_free_keys(literals).values()))
        if stat is not None:
            regexcache.remember(key, trie)
    return regexcache.compile_re(trie) if trie else None


def rule_literals(patterns: Sequence["regex.Pattern"]) -> Optional[FrozenSet[str]]:
    """Literals one of which every match of any of the patterns contains; None if some pattern
    has none (the rule must then always run)."""
    literals: Set[str] = set()
    for pattern in patterns:
        info = analyse(pattern)
        if info.literals is None:
            return None
        literals |= info.literals
    return frozenset(literals)


def prefix_free_keys(literals: Iterable[str]) -> Dict[str, str]:
    """Map each literal to the shortest literal that is a prefix of it.

    The keys form a prefix-free set, so at any position of the text at most one key matches, and
    a literal occurs at a position only if its key does: scanning for the keys alone, with
    overlapping matches, finds every literal's key wherever the literal occurs.
    """
    ordered = sorted(set(literals), key=lambda s: (len(s), s))
    keys: Set[str] = set()
    mapping: Dict[str, str] = {}
    for literal in ordered:
        key = next((literal[:size] for size in range(MIN_LITERAL, len(literal) + 1) if literal[:size] in keys), None)
        if key is None:
            keys.add(literal)
            key = literal
        mapping[literal] = key
    return mapping


def trie_pattern(keys: Iterable[str]) -> str:
    """One alternation of prefix-free keys, factored by shared prefix ("cur(?:e|ing)")."""
    trie: Dict[str, dict] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})

    def emit(node: Dict[str, dict]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items())]
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" if branches else ""

    return emit(trie)


# The only non-ASCII characters that the `regex` module matches case-insensitively with ASCII
# letters (tests/test_prefilter.py checks this against the installed `regex`). They are folded
# before lowercasing so that a lowercase scan sees every case-insensitive occurrence of a key;
# "\u0130".lower() is also the only lowercase mapping that changes a string's length.
ASCII_FOLDS = {"\u0130": "i", "\u017f": "s", "\u212a": "k"}


def fold(text: str) -> str:
    """Lowercase `text` so that a case-sensitive search for a lowercase ASCII key finds it
    wherever a case-insensitive `regex` search would; offsets are unchanged."""
    if not text.isascii():
        for char, ascii_char in ASCII_FOLDS.items():
            if char in text:
                text = text.replace(char, ascii_char)
    return text.lower()


PLAN_FORMAT = 3


def _plan_key(rules: Sequence) -> Optional[tuple]:
    """The pattern-cache key of the prefilter plan for these rules: everything the plan depends
    on (each rule's pattern sources and flags, whether it is triggered by other rules) and this
    module's file, whose analysis made it (a changed hypelint makes a new key)."""
    try:
        stat = os.stat(__file__)
    except OSError:
        return None
    return ("prefilter", stat.st_size, stat.st_mtime_ns,
            tuple((tuple((pattern.pattern, int(pattern.flags)) for pattern in rule.patterns),
                   bool(getattr(rule, "triggered_by", ()))) for rule in rules))


class Prefilter:
    """Built once per rule set; `candidates(mask)` returns the rules that can match a mask."""

    def __init__(self, rules: Iterable):
        self.rules = list(rules)
        plan_key = _plan_key(self.rules)
        plan = regexcache.lookup(plan_key) if plan_key is not None else None
        if plan is None or not self._restore(plan):
            self._build()
            if plan_key is not None:
                regexcache.remember(plan_key, self._plan())
        # The standard library's `re` scans lowercased text for a factored literal alternation
        # three to four times faster than `regex` does case-insensitively. The lookahead makes the
        # match zero-width, so a key starting inside another key's occurrence is found too.
        # (Its program is kept in the pattern cache: compiling it is most of a one-page check's
        # prefilter cost.)
        self.scanner = regexcache.compile_re(self.scanner_source) if self.keys else None
        self._also_programs: Dict[Tuple[str, int], "re.Pattern"] = {}

    @classmethod
    def cached(cls, rules: Iterable) -> bool:
        """Whether a plan for these rules is in the pattern cache (so building is cheap)."""
        plan_key = _plan_key(list(rules))
        return plan_key is not None and regexcache.lookup(plan_key) is not None

    def _build(self) -> None:
        self.always: List[int] = []            # rules without usable literals: always run
        key_rules: Dict[str, List[int]] = {}
        literal_sets = [rule_literals(rule.patterns) for rule in self.rules]
        # each segment-local pattern with literals is searched only in the runs holding its keys,
        # whether or not its rule as a whole can be skipped
        local_literals = {(pattern.pattern, pattern.flags): info.literals
                          for rule in self.rules for pattern in rule.patterns
                          for info in (analyse(pattern),) if info.literals is not None and info.segment_local}
        keys_of = prefix_free_keys([literal for literals in literal_sets if literals for literal in literals]
                                   + [literal for literals in local_literals.values() for literal in literals])
        self.pattern_keys: Dict[Tuple[str, int], FrozenSet[str]] = {
            signature: frozenset(keys_of[literal] for literal in literals)
            for signature, literals in local_literals.items()}
        # a second required set narrows those runs further (tested per run, not scanned for)
        self.pattern_also: Dict[Tuple[str, int], str] = {
            (pattern.pattern, pattern.flags): trie_pattern(set(prefix_free_keys(info.also).values()))
            for rule in self.rules for pattern in rule.patterns
            for info in (analyse(pattern),) if (pattern.pattern, pattern.flags) in local_literals and info.also}
        for index, (rule, literals) in enumerate(zip(self.rules, literal_sets)):
            # a document rule fired by other rules' findings (`triggered-by`) needs no own match
            if literals is None or not rule.patterns or getattr(rule, "triggered_by", ()):
                self.always.append(index)
                continue
            keys = frozenset(keys_of[literal] for literal in literals)
            for key in sorted(keys):
                key_rules.setdefault(key, []).append(index)
        self.key_rules = key_rules
        self.keys: Tuple[str, ...] = tuple(sorted(set(keys_of.values())))
        self.scanner_source = f"(?=({trie_pattern(self.keys)}))" if self.keys else ""
        # the literals of page-level patterns (`requires`, `document-has`), for Linter._found
        self.gate_literals: Dict[Tuple[str, int], Optional[FrozenSet[str]]] = {
            (pattern.pattern, int(pattern.flags)): analyse(pattern).literals
            for rule in self.rules for field in ("requires", "document_has")
            for pattern in getattr(rule, field, ())}

    def literals(self, pattern) -> Optional[FrozenSet[str]]:
        """analyse(pattern).literals, from the plan when the pattern is a page-level one."""
        key = (pattern.pattern, int(pattern.flags))
        if key in self.gate_literals:
            return self.gate_literals[key]
        return analyse(pattern).literals

    def _plan(self) -> tuple:
        """What _build() computed, as plain data for the pattern cache."""
        return (PLAN_FORMAT, list(self.always), {key: list(indices) for key, indices in self.key_rules.items()},
                list(self.keys), [(source, flags, sorted(keys)) for (source, flags), keys in self.pattern_keys.items()],
                [(source, flags, also) for (source, flags), also in self.pattern_also.items()],
                self.scanner_source,
                [(source, flags, None if literals is None else sorted(literals))
                 for (source, flags), literals in self.gate_literals.items()])

    def _restore(self, plan) -> bool:
        try:
            format_, always, key_rules, keys, pattern_keys, pattern_also, scanner_source, gate_literals = plan
            if format_ != PLAN_FORMAT:
                return False
            self.always = list(always)
            self.key_rules = {key: list(indices) for key, indices in key_rules.items()}
            self.keys = tuple(keys)
            self.pattern_keys = {(source, flags): frozenset(keys) for source, flags, keys in pattern_keys}
            self.pattern_also = {(source, flags): str(also) for source, flags, also in pattern_also}
            self.scanner_source = scanner_source
            self.gate_literals = {(source, flags): None if literals is None else frozenset(literals)
                                  for source, flags, literals in gate_literals}
            return True
        except (TypeError, ValueError, AttributeError):  # a damaged entry: build afresh
            return False

    @functools.cached_property
    def line_local(self) -> bool:
        """No key holds a newline or NUL, so no key occurrence crosses a point that follows one:
        the keys found in pieces of a mask cut there are the keys found in the whole mask."""
        return not any("\n" in key or "\x00" in key for key in self.keys)

    def found_keys(self, mask: str) -> Set[str]:
        """The keys that occur anywhere in the mask (case-insensitively)."""
        if self.scanner is None:
            return set()
        return set(self.scanner.findall(fold(mask)))

    def candidate_indices(self, mask: str, keys: Optional[Iterable[str]] = None) -> List[int]:
        selected = set(self.always)
        for key in self.found_keys(mask) if keys is None else keys:
            selected.update(self.key_rules.get(key, ()))
        return sorted(selected)

    def candidates(self, mask: str, positions: Optional[Dict[str, List[int]]] = None) -> List:
        """The rules, in their original order, whose patterns can match somewhere in the mask
        (`positions`, from key_positions(mask), saves scanning the mask again)."""
        keys = None if positions is None else positions.keys()
        return [self.rules[index] for index in self.candidate_indices(mask, keys)]

    def key_positions(self, mask: str, folded: Optional[str] = None) -> Dict[str, List[int]]:
        """Every offset where each key occurs in the mask (for segments()); `folded` is
        fold(mask) when the caller has it."""
        positions: Dict[str, List[int]] = {}
        if self.scanner is not None:
            for match in self.scanner.finditer(fold(mask) if folded is None else folded):
                positions.setdefault(match.group(1), []).append(match.start())
        return positions

    def segments(self, pattern, mask: str, positions: Dict[str, List[int]],
                 folded: Optional[str] = None) -> Optional[List[Tuple[int, int]]]:
        """The NUL-delimited runs of the mask that contain one of the pattern's keys (and one
        literal of its second required set, if it has one), in order; or None when the pattern
        is not segment-local or has no literals, and the whole mask must be searched. Searching
        only these runs finds exactly the matches a whole-mask search finds
        (tests/test_prefilter.py checks it), at a cost that follows the hits, not the text.
        `folded` is fold(mask) when the caller has it."""
        signature = (pattern.pattern, pattern.flags)
        keys = self.pattern_keys.get(signature)
        if keys is None:
            return None
        # the pattern's keys found in this mask (a set intersection: a pattern may have hundreds)
        offsets = sorted(offset for key in positions.keys() & keys for offset in positions[key])
        runs: List[Tuple[int, int]] = []
        for offset in offsets:
            if runs and offset < runs[-1][1]:
                continue
            start = mask.rfind("\x00", 0, offset) + 1
            end = mask.find("\x00", offset)
            runs.append((start, len(mask) if end < 0 else end))
        also = self.pattern_also.get(signature)
        if also is not None and runs:
            # a standard-library search of the folded run: a few microseconds against a `regex`
            # search of the pattern (the second set removes 30% of the searches on the corpus)
            program = self._also_programs.get(signature)
            if program is None:
                program = self._also_programs[signature] = regexcache.compile_re(also)
            folded = fold(mask) if folded is None else folded
            runs = [(start, end) for start, end in runs if program.search(folded, start, end)]
        return runs


def _main() -> None:  # pragma: no cover - a maintenance command
    """Regenerate rulesets/_prefilter.json from the built-in packs."""
    from .rules.load import builtin_directory, builtin_pack_names, load_packs

    from .linter import Linter

    from .context import GATED_PATTERNS

    rules = load_packs(builtin_pack_names())
    patterns = {(p.pattern, p.flags): p for rule in rules for name in Linter.PATTERN_FIELDS
                for p in getattr(rule, name)}
    patterns.update({(p.pattern, p.flags): p for p in GATED_PATTERNS})
    count = write_table(patterns.values(), builtin_directory() / TABLE_NAME)
    print(f"wrote {count} pattern analyses to {builtin_directory() / TABLE_NAME}")


if __name__ == "__main__":  # pragma: no cover
    _main()

"""Lexicons: word classes by meaning, as data (rulesets/lexicons/*.yaml).

A lexicon lists lemmas with a part of speech; every inflection is generated here, irregular forms
are listed in the entry (`forms:`), so no rule writes `(?:s|ed|ing)?` by hand. Conditions carry a
tier (`serious`, `disease`, `generic`, `symptom`) that frames filter on and that raises a finding's
severity. Matching is on tokens: a text is split into lowercase word tokens once, and every
lexicon entry that starts at a token is found by a hash lookup of that token (`Tagger`).

Entries are normalised the way text is tokenised: runs of letters and digits, lowercase, so that
"Alzheimer's" is ("alzheimer", "s") and "anti-viral" is ("anti", "viral"); a hyphenated entry also
matches written solid ("antiviral"), and an "anti" word also matches split ("anti viral"). An
entry written in capitals (an acronym: HIV, IBS) matches case-sensitively.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from ..errors import RuleError

TOKEN = re.compile(r"[^\W_]+")
POS = ("noun", "verb", "adjective", "name", "phrase")
TIERS = ("serious", "disease", "generic", "symptom")
LEXICON_KEYS = {"lexicon", "description", "source", "licence", "pos", "entries", "sections", "include", "exclude"}
ENTRY_KEYS = {"lemma", "pos", "tier", "forms"}


def tokens(text: str) -> Tuple[str, ...]:
    return tuple(TOKEN.findall(text.lower()))


# -- inflection -------------------------------------------------------------------------------
_VOWELS = set("aeiou")


def _doubles(word: str) -> bool:
    """Whether a short verb doubles its last consonant (stop -> stopped, not open -> opened)."""
    return (len(word) >= 3 and word[-1] not in _VOWELS | set("wxy") and word[-2] in _VOWELS
            and word[-3] not in _VOWELS and len(re.findall(r"[aeiou]+", word)) == 1)


def verb_forms(verb: str) -> List[str]:
    """The regular inflections of a verb: 3rd person, past, participle, gerund."""
    if verb.endswith(("s", "x", "z", "ch", "sh")):
        third = verb + "es"
    elif verb.endswith("y") and verb[-2:-1] not in _VOWELS:
        third = verb[:-1] + "ies"
    else:
        third = verb + "s"
    if verb.endswith("e"):
        past, gerund = verb + "d", (verb if verb.endswith(("ee", "ye", "oe")) else verb[:-1]) + "ing"
    elif verb.endswith("y") and verb[-2:-1] not in _VOWELS:
        past, gerund = verb[:-1] + "ied", verb + "ing"
    elif _doubles(verb):
        past, gerund = verb + verb[-1] + "ed", verb + verb[-1] + "ing"
    else:
        past, gerund = verb + "ed", verb + "ing"
    return [verb, third, past, gerund]


def noun_forms(noun: str) -> List[str]:
    """A noun and its regular plural."""
    if noun.endswith("s"):  # diabetes, herpes, arthritis, results: already plural or invariable
        return [noun]
    if noun.endswith(("x", "z", "ch", "sh")):
        return [noun, noun + "es"]
    if noun.endswith("y") and noun[-2:-1] not in _VOWELS:
        return [noun, noun[:-1] + "ies"]
    return [noun, noun + "s"]


def inflect(lemma: str, pos: str) -> List[str]:
    """Every regular form of a (possibly multi-word) lemma: a verb phrase inflects its first
    word ("get rid of" -> "gets rid of"), a noun phrase its last ("yeast infection" -> "yeast
    infections"); adjectives, names and phrases stand as written."""
    words = lemma.split(" ")
    if pos == "verb":
        return [" ".join([form] + words[1:]) for form in verb_forms(words[0])]
    if pos == "noun" and words[-1].isalpha() and words[-1].islower():
        return [" ".join(words[:-1] + [form]) for form in noun_forms(words[-1])]
    return [lemma]


# -- lexicons ---------------------------------------------------------------------------------
class Entry(NamedTuple):
    lemma: str
    pos: str
    tier: str = ""
    forms: Tuple[str, ...] = ()  # every surface form, generated and listed

    @property
    def case_sensitive(self) -> bool:
        """An acronym (every letter a capital: HIV, COVID-19) matches case-sensitively."""
        return self.lemma.isupper()


@dataclass
class Lexicon:
    name: str
    description: str = ""
    source: str = ""
    licence: str = ""
    path: str = ""
    entries: List[Entry] = field(default_factory=list)
    # derived word lists (`include:`): tier -> forms as tokenised text ("alzheimer s disease");
    # kept as sets, not entries, so that 20,000 names load as fast as the files read
    bulk: Dict[str, FrozenSet[str]] = field(default_factory=dict)

    def extended(self, entries: Iterable[Entry], path: str) -> "Lexicon":
        return Lexicon(self.name, self.description, self.source, self.licence, f"{self.path}, {path}",
                       [*self.entries, *entries], self.bulk)


def _entry(item, defaults: dict, fail) -> Entry:
    if isinstance(item, str):
        item = {"lemma": item}
    if not isinstance(item, dict) or not isinstance(item.get("lemma"), str) or not item["lemma"].strip():
        fail(f"each entry is a lemma or a mapping with 'lemma' (got {item!r})")
    unknown = set(item) - ENTRY_KEYS
    if unknown:
        fail(f"unknown entry key {sorted(unknown)[0]!r} (expected: {', '.join(sorted(ENTRY_KEYS))})")
    lemma = " ".join(item["lemma"].split())
    pos = item.get("pos", defaults.get("pos", "phrase"))
    if pos not in POS:
        fail(f"unknown part of speech {pos!r} for {lemma!r} (expected: {', '.join(POS)})")
    tier = item.get("tier", defaults.get("tier", ""))
    if tier and tier not in TIERS:
        fail(f"unknown tier {tier!r} for {lemma!r} (expected: {', '.join(TIERS)})")
    listed = item.get("forms") or []
    if not isinstance(listed, list) or not all(isinstance(f, str) and f.strip() for f in listed):
        fail(f"'forms' of {lemma!r} must be a list of strings")
    generated = [lemma] if lemma.isupper() else inflect(lemma, pos)  # acronyms do not inflect
    forms = tuple(dict.fromkeys([*generated, *(" ".join(f.split()) for f in listed)]))
    return Entry(lemma, pos, tier, forms)


def parse_lexicon(data, file: str, name: Optional[str] = None, line: Optional[int] = None,
                  directory: Optional[Path] = None) -> Lexicon:
    """A lexicon from parsed YAML: `entries` (and/or `sections`, each with its own `tier`/`pos`
    defaults and `entries`), an optional `include` of a derived TSV file (term, tier) and
    `exclude` (terms of the include to leave out)."""
    where = {"line": line}

    def fail(message: str):
        raise RuleError(f"lexicon {name or '?'}: {message}", file, where["line"])

    if not isinstance(data, dict):
        fail("must be a mapping with 'entries'")
    for key in data:
        if key not in LEXICON_KEYS:
            fail(f"unknown key {key!r} (expected: {', '.join(sorted(LEXICON_KEYS))})")
    name = str(data.get("lexicon") or name or "")
    if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
        fail("'lexicon' must be a lowercase slug naming the class (as in @name)")
    defaults = {"pos": data.get("pos", "phrase"), "tier": data.get("tier", "")}
    entries: List[Entry] = []
    sections = [{"entries": data.get("entries") or []}, *(data.get("sections") or [])]
    for section in sections:
        if not isinstance(section, dict) or not isinstance(section.get("entries"), list):
            fail("each section needs an 'entries' list")
        section_defaults = {**defaults, **{k: section[k] for k in ("pos", "tier") if k in section}}
        item_lines = getattr(section["entries"], "item_lines", [])
        for number, item in enumerate(section["entries"]):
            where["line"] = item_lines[number] if number < len(item_lines) else line
            entries.append(_entry(item, section_defaults, fail))
        where["line"] = line
    include = data.get("include") or {}
    if not isinstance(include, dict) or not all(tier in TIERS and isinstance(f, str) for tier, f in include.items()):
        fail("'include' maps tiers to derived word-list files")
    exclude = frozenset(" ".join(tokens(str(term))) for term in data.get("exclude") or [])
    bulk = {}
    for tier, include_file in include.items():
        path = Path(directory or Path(file).parent, include_file)
        try:
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().split("\n")
        except (OSError, UnicodeDecodeError) as error:
            fail(f"cannot read include {include_file!r}: {getattr(error, 'strerror', None) or error}")
        bulk[tier] = frozenset(lines) - exclude - {""} - {line for line in lines if line.startswith("#")}
    if not entries and not bulk:
        fail("has no entries")
    return Lexicon(name, str(data.get("description") or "").strip(), str(data.get("source") or "").strip(),
                   str(data.get("licence") or "").strip(), file, entries, bulk)


def load_builtin(name: str) -> Lexicon:
    """One shipped lexicon by name, without reading the others (context.py's word lists)."""
    from .load import _read_yaml, builtin_directory

    directory = builtin_directory() / "lexicons"
    path = directory / f"{name}.yaml"
    return parse_lexicon(_read_yaml(path), str(path), name, 1, directory)


def alternation(lexicon: Lexicon) -> str:
    """The lexicon's forms as a regex alternation, longest first (for context patterns that
    are regexes: a space matches any whitespace; acronyms keep their case)."""
    forms = sorted({form for entry in lexicon.entries for form in entry.forms}, key=lambda form: (-len(form), form))
    parts = []
    for form in forms:
        body = r"\s+".join(re.escape(word) for word in form.split())
        parts.append(f"(?-i:{body})" if form.isupper() else body)
    return "(?:" + "|".join(parts) + ")"


@functools.lru_cache(maxsize=None)
def builtin_lexicons() -> "LexiconSet":
    """The shipped lexicons (rulesets/lexicons/*.yaml), one per file."""
    from .load import builtin_directory

    names = sorted(path.stem for path in (builtin_directory() / "lexicons").glob("*.yaml"))
    return LexiconSet({lexicon.name: lexicon for lexicon in map(load_builtin, names)})


# -- matching ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hit:
    """A lexicon entry found at a token: its class, the token after it, and the entry."""

    name: str
    end: int
    entry: Entry


class LexiconSet:
    """Named lexicons and the index that finds their entries in a token list."""

    def __init__(self, lexicons: Dict[str, Lexicon]):
        self.lexicons = dict(lexicons)
        self._index: Optional["_Index"] = None

    def __contains__(self, name: str) -> bool:
        return name in self.lexicons

    def names(self) -> List[str]:
        return sorted(self.lexicons)

    def extended(self, additions: Dict[str, Lexicon]) -> "LexiconSet":
        merged = dict(self.lexicons)
        for name, lexicon in additions.items():
            merged[name] = merged[name].extended(lexicon.entries, lexicon.path) if name in merged else lexicon
        return LexiconSet(merged)

    def __getstate__(self):
        return {"lexicons": self.lexicons, "_index": None}

    @property
    def index(self) -> "_Index":
        """Built on first use: a trie of the curated entries' forms (token by token) and, for the
        derived word lists, their sets with each form's first token and first two tokens."""
        if self._index is None:
            self._index = _Index(self.lexicons)
        return self._index

    def tag(self, lower: Sequence[str], original: Sequence[str]) -> Dict[int, List[Hit]]:
        """Every entry found in a token list, by its first token's position."""
        return self.index.tag(lower, original)


_END = ""  # the trie key under which a node keeps the entries that end there


def _bulk_starts(bulk) -> Tuple[Dict[str, int], FrozenSet[str]]:
    """For the derived word lists: each form's first token -> the most tokens a form starting
    with it has, and the set of every form's first two tokens. Working this out for 24,000
    forms is about a third of a one-page check, so it is kept in the pattern cache
    (hypelint.regexcache) under each list's size and first and last form."""
    from .. import regexcache

    key = ("lexicon-starts", 1, tuple(sorted((name, tier, len(forms), min(forms, default=""), max(forms, default=""))
                                            for name, tier, forms in bulk)))
    cached = regexcache.lookup(key)
    if isinstance(cached, tuple) and len(cached) == 2:
        try:
            return dict(cached[0]), frozenset(cached[1])
        except (TypeError, ValueError):
            pass  # a damaged entry: work it out again
    longest: Dict[str, int] = {}
    pairs = set()
    for _, _, forms in bulk:
        for form in forms:
            first, _, rest = form.partition(" ")
            if rest:
                size = rest.count(" ") + 2
                pairs.add(first + " " + rest.partition(" ")[0])
            else:
                size = 1
            if longest.get(first, 0) < size:
                longest[first] = size
    regexcache.remember(key, (longest, list(pairs)))
    return longest, frozenset(pairs)


class _Index:
    def __init__(self, lexicons: Dict[str, Lexicon]):
        trie: dict = {}
        for name, lexicon in lexicons.items():
            for entry in lexicon.entries:
                sensitive = entry.case_sensitive
                for form in entry.forms:
                    for variant in _variants(form) if "-" in form or form[:4] in ("anti", "Anti") else (form,):
                        if not sensitive:
                            variant = variant.lower()
                        # most forms are plain words: no regex needed to split them
                        words = variant.split() if variant.replace(" ", "").isalnum() else TOKEN.findall(variant)
                        if not words:
                            continue
                        node = trie
                        for word in words:
                            node = node.setdefault(word, {})
                        ends = node.setdefault(_END, [])
                        if all(known != name for known, _ in ends):
                            ends.append((name, entry))
        self.trie = trie
        self.bulk = [(name, tier, forms) for name, lexicon in lexicons.items() for tier, forms in lexicon.bulk.items()]
        longest, pairs = _bulk_starts(self.bulk)
        self.bulk_longest = longest
        self.bulk_pairs = pairs
        self.starts = frozenset(key for key in trie if key.islower() or not key.isupper()) | frozenset(longest)

    def tag(self, lower: Sequence[str], original: Sequence[str]) -> Dict[int, List[Hit]]:
        trie, bulk, bulk_longest, pairs = self.trie, self.bulk, self.bulk_longest, self.bulk_pairs
        starts = self.starts
        found: Dict[int, List[Hit]] = {}
        count = len(lower)
        # the few tokens that start an entry, found by a set lookup each (most tokens start none)
        candidates = [position for position, token in enumerate(lower) if token in starts]
        if any(token in trie for token in original if not token.islower()):  # capitals: acronyms
            candidates = sorted(set(candidates).union(
                position for position, token in enumerate(original) if token in trie and token != lower[position]))
        for position in candidates:
            token = lower[position]
            hits: Optional[List[Hit]] = None
            node = trie.get(token)
            if node is not None:
                hits = self._walk(node, lower, position, count, False)
            if original[position] != token:  # capitals: acronyms (HIV, MS) match case-sensitively
                node = trie.get(original[position])
                if node is not None:
                    more = self._walk(node, original, position, count, True)
                    hits = (hits or []) + more if more else hits
            most = bulk_longest.get(token)
            if most is not None:
                sizes = [1]
                if most > 1 and position + 1 < count and token + " " + lower[position + 1] in pairs:
                    sizes = range(min(most, count - position), 0, -1)
                for size in sizes:
                    key = " ".join(lower[position:position + size]) if size > 1 else token
                    for name, tier, forms in bulk:
                        if key in forms:
                            hits = hits or []
                            hits.append(Hit(name, position + size, _bulk_entry(key, tier)))
            if hits:
                found[position] = hits
        return found

    @staticmethod
    def _walk(node: dict, tokens: Sequence[str], position: int, count: int, sensitive: bool) -> List[Hit]:
        hits: List[Hit] = []
        end = position + 1
        while True:
            for name, entry in node.get(_END, ()):
                if entry.case_sensitive == sensitive:
                    hits.append(Hit(name, end, entry))
            if end >= count:
                break
            node = node.get(tokens[end])
            if node is None:
                break
            end += 1
        hits.reverse()  # the longest entry first
        return hits


@functools.lru_cache(maxsize=4096)
def _bulk_entry(form: str, tier: str) -> Entry:
    return Entry(form, "noun", tier, (form,))


def _variants(form: str) -> List[str]:
    """A form as written, solid when hyphenated ("anti-viral" -> "antiviral"), and split after
    "anti" when solid ("antiviral" -> "anti viral")."""
    variants = [form]
    if "-" in form:
        variants.append(form.replace("-", ""))
    if form[:4].lower() == "anti" and len(form) > 7 and form[4].isalpha():
        variants.append(form[:4] + " " + form[4:])
    return variants

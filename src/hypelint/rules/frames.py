"""Frames: a rule kind whose pattern is a short sequence of slots over tokens.

A frame is written as one line of slots separated by spaces:

    @effect ~4 @condition                    effect verb, up to 4 words, a condition
    @condition[serious,disease] @product-noun
    <be> @minimiser                          any form of "be", then a minimiser
    has|have been <show>|<prove> to

- `@name` a lexicon class (rulesets/lexicons/NAME.yaml, or a pack's `lexicons:`); `@name[t1,t2]`
  only the entries of those tiers;
- `word` a literal word; `<lemma>` any form of a verb (`<be>`: am, is, are, was, were, be, been,
  being); `a|@name|<lemma>` any one of several;
- `?` after a slot makes it optional; `~N` lets up to N words stand before the next slot;
- `^` and `$` hold the frame to the start or end of its sentence (a heading or a name standing
  alone: `^ ~2 @drug-action $` is "Full Body Antibiotic").

Every slot stays inside one clause: a match never crosses `; ( ) [ ]`, a sentence end or a block.
A match covers its first to its last slot; the lexicon words it matched are its *parts*, which
messages name ("effect 'attacks' + condition 'herpes'") and whose tiers raise its severity.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from .lexicon import TIERS, Hit, LexiconSet, inflect

_IRREGULAR = {
    "be": ("be", "am", "is", "are", "was", "were", "been", "being", "s", "re", "m"),
    "have": ("have", "has", "had", "having", "ve"),
    "do": ("do", "does", "did", "done", "doing"),
    "make": ("make", "makes", "made", "making"),
    "show": ("show", "shows", "showed", "shown", "showing"),
    "see": ("see", "sees", "saw", "seen", "seeing"),
    "prove": ("prove", "proves", "proved", "proven", "proving"),
    "find": ("find", "finds", "found", "finding"),
    "go": ("go", "goes", "went", "gone", "going"),
    "get": ("get", "gets", "got", "gotten", "getting"),
    "take": ("take", "takes", "took", "taken", "taking"),
    "give": ("give", "gives", "gave", "given", "giving"),
    "feel": ("feel", "feels", "felt", "feeling"),
    "keep": ("keep", "keeps", "kept", "keeping"),
    "become": ("become", "becomes", "became", "becoming"),
}
_ALTERNATIVE = re.compile(r"^(?:@(?P<lexicon>[a-z][a-z0-9-]*)(?:\[(?P<tiers>[a-z,]+)\])?|<(?P<lemma>[a-z]+)>"
                          r"|(?P<word>[^\W_]+))$")


@dataclass(frozen=True)
class Slot:
    kind: str                       # "match", "gap", "start", "end"
    lexicons: Tuple[Tuple[str, FrozenSet[str]], ...] = ()  # (class, tiers or empty for all)
    words: FrozenSet[str] = frozenset()
    optional: bool = False
    gap: int = 0


@dataclass(frozen=True)
class Frame:
    source: str
    slots: Tuple[Slot, ...]

    @functools.cached_property
    def needed(self) -> Tuple[Slot, ...]:
        """The slots a text must hold one of for this frame to match (the required ones)."""
        return tuple(slot for slot in self.slots if slot.kind == "match" and not slot.optional)

    @functools.cached_property
    def required(self) -> Tuple[FrozenSet[str], ...]:
        """For each required slot made of lexicons only: the classes one of which a clause must
        hold for the frame to match in it."""
        return tuple(frozenset(name for name, _ in slot.lexicons) for slot in self.needed
                     if slot.lexicons and not slot.words)


def parse_frame(source: str, lexicons: LexiconSet) -> Frame:
    """A frame from its written form; ValueError says what is wrong."""
    if not isinstance(source, str) or not source.split():
        raise ValueError("a frame is a non-empty string of slots")
    slots: List[Slot] = []
    for token in source.split():
        if re.fullmatch(r"~\d{1,2}", token):
            slots.append(Slot("gap", gap=int(token[1:])))
            continue
        if token in ("^", "$"):
            slots.append(Slot("start" if token == "^" else "end"))
            continue
        optional = token.endswith("?") and len(token) > 1
        body = token[:-1] if optional else token
        classes: List[Tuple[str, FrozenSet[str]]] = []
        words: set = set()
        for alternative in body.replace("’", "'").split("|"):
            match = _ALTERNATIVE.match(alternative)
            if match is None:
                raise ValueError(f"cannot read slot {token!r}: each alternative is @lexicon, @lexicon[tiers], "
                                 f"<lemma> or one word of letters and digits (slots are ~N gaps, ^, $ or those)")
            if match.group("lexicon"):
                name = match.group("lexicon")
                if name not in lexicons:
                    raise ValueError(f"unknown lexicon @{name} (known: {', '.join(lexicons.names())})")
                tiers = frozenset((match.group("tiers") or "").split(",")) - {""}
                unknown = tiers - set(TIERS)
                if unknown:
                    raise ValueError(f"unknown tier {sorted(unknown)[0]!r} in {token!r} (tiers: {', '.join(TIERS)})")
                classes.append((name, tiers))
            elif match.group("lemma"):
                lemma = match.group("lemma")
                words.update(_IRREGULAR.get(lemma) or inflect(lemma, "verb"))
            else:
                words.add(match.group("word").lower())
        slots.append(Slot("match", tuple(classes), frozenset(words), optional))
    body_slots = [slot for slot in slots if slot.kind == "match"]
    if not any(not slot.optional for slot in body_slots):
        raise ValueError("a frame needs at least one slot that is not optional")
    if slots[0].kind == "gap" or slots[-1].kind == "gap":
        raise ValueError("a frame cannot start or end with a gap")
    lead = 1 if slots[0].kind == "start" else 0
    if lead and slots[1].kind == "gap":
        lead = 2
    if lead >= len(slots) or slots[lead].kind != "match" or slots[lead].optional:
        raise ValueError("a frame starts with a word or lexicon slot that is not optional (after `^ ~N`)")
    return Frame(source, tuple(slots))


# -- the text as tokens ------------------------------------------------------------------------
# a word, or a quoted word whose first letter an editor changed in brackets ("[U]sed for ...")
_TOKEN = re.compile(r"\[[^\W\d_]\][^\W_]+|[^\W_]+")
# what ends a clause between two tokens: strong punctuation, a sentence end, a block boundary
# (the brackets of "[U]sed" do not)
# (every branch starts with its own character, so the search skips from one candidate to the next)
_BREAK = re.compile(r"[;()!?\x00\n—–]|\.(?=\s)|\[(?![^\W\d_]\][^\W_])|\](?<!\[[^\W\d_]\])|(?<=\s)-(?=\s)")


class Tokens:
    """A mask's word tokens with their offsets, clause numbers and lexicon hits (built once per
    document and lexicon set, shared by every frame rule)."""

    def __init__(self, mask: str, lexicons: LexiconSet):
        self.raw: List[str] = _TOKEN.findall(mask)
        self.starts: List[int] = [match.start() for match in _TOKEN.finditer(mask)]
        self.original: List[str] = self.raw
        if "[" in mask:
            # "[U]sed" is "Used"
            self.original = [token if token[0] != "[" else token[1] + token[3:] for token in self.raw]
        # a token's clause: how many breaks stand before it (none inside a token: "[U]sed")
        breaks = [match.start() for match in _BREAK.finditer(mask)]
        self.clauses = clauses = [bisect.bisect_left(breaks, start) for start in self.starts]
        self.lower = [token.lower() for token in self.original]
        self.hits: Dict[int, List[Hit]] = lexicons.tag(self.lower, self.original)
        self.by_class: Dict[str, List[int]] = {}
        self.class_clauses: Dict[str, set] = {}  # lexicon class -> the clauses it is found in
        for position, hits in self.hits.items():
            clause = clauses[position]
            for hit in hits:
                positions = self.by_class.setdefault(hit.name, [])
                if not positions or positions[-1] != position:
                    positions.append(position)
                self.class_clauses.setdefault(hit.name, set()).add(clause)
        self._vocabulary: Optional[set] = None
        self._clause_cache: Dict[tuple, set] = {}
        self._by_word: Optional[Dict[str, List[int]]] = None

    def positions(self, slot: "Slot") -> List[int]:
        """The tokens where a slot may match (a superset: tiers are checked when matching)."""
        found: set = set()
        for name, _ in slot.lexicons:
            found.update(self.by_class.get(name, ()))
        if slot.words:
            if self._by_word is None:
                by_word: Dict[str, List[int]] = {}
                for position, token in enumerate(self.lower):
                    by_word.setdefault(token, []).append(position)
                self._by_word = by_word
            for word in slot.words:
                found.update(self._by_word.get(word, ()))
        return sorted(found)

    def clauses_with(self, required: Tuple[FrozenSet[str], ...]) -> Optional[set]:
        """The clauses that hold, for each set of classes, one of them (None: no requirement)."""
        if not required:
            return None
        cached = self._clause_cache.get(required)
        if cached is None:
            empty: set = set()
            cached = set.intersection(*(set().union(*(self.class_clauses.get(name, empty) for name in names))
                                        for names in required))
            self._clause_cache[required] = cached
        return cached

    def has_any(self, slot: "Slot") -> bool:
        if any(name in self.by_class for name, _ in slot.lexicons):
            return True
        if slot.words:
            if self._vocabulary is None:
                self._vocabulary = set(self.lower)
            return not self._vocabulary.isdisjoint(slot.words)
        return False


@dataclass(frozen=True)
class FrameMatch:
    start: int                       # offsets in the mask
    end: int
    parts: Tuple[Tuple[str, str, str], ...]  # (lexicon class, matched text, tier) per lexicon slot
    frame: str


def find_frames(frames: Sequence[Frame], tokens: Tokens, sentence_bounds, low: int = 0,
                high: Optional[int] = None) -> List[FrameMatch]:
    """Every match of the frames in the tokens (one per start token, the first frame that fits),
    optionally only those starting between offsets low and high. `sentence_bounds(offset)` gives
    the (start, end) of the sentence holding an offset, for `^` and `$`."""
    found: Dict[Tuple[int, int], FrameMatch] = {}
    for frame in frames:
        anchored = frame.slots[0].kind == "start"
        lead_gap = frame.slots[1].gap if anchored and frame.slots[1].kind == "gap" else 0
        first_index = (2 if lead_gap or frame.slots[1].kind == "gap" else 1) if anchored else 0
        clauses = tokens.clauses_with(frame.required)  # None: the frame needs no lexicon class
        if clauses is not None and not clauses:
            continue
        if not all(tokens.has_any(slot) for slot in frame.needed):
            continue
        for position in tokens.positions(frame.slots[first_index]):
            if clauses is not None and tokens.clauses[position] not in clauses:
                continue  # only the clauses that hold every class the frame needs
            start_offset = tokens.starts[position]
            if start_offset < low or (high is not None and start_offset >= high):
                continue
            if anchored and _words_before_in_sentence(tokens, position, sentence_bounds) > lead_gap:
                continue
            result = _match(frame.slots, first_index, position, tokens.clauses[position], tokens, sentence_bounds, [])
            if result is None:
                continue
            end_position, parts = result
            if anchored:  # a line that stands alone: the whole line from its first word
                start_offset = tokens.starts[position - _words_before_in_sentence(tokens, position, sentence_bounds)]
            last = end_position - 1
            span = (start_offset, tokens.starts[last] + len(tokens.raw[last]))
            if span not in found:
                found[span] = FrameMatch(span[0], span[1], tuple(parts), frame.source)
    return sorted(found.values(), key=lambda match: (match.start, match.end))


def _words_before_in_sentence(tokens: Tokens, position: int, sentence_bounds) -> int:
    sentence_start, _ = sentence_bounds(tokens.starts[position])
    return position - bisect.bisect_left(tokens.starts, sentence_start)


def _match(slots: Sequence[Slot], index: int, position: int, clause: int, tokens: Tokens,
           sentence_bounds, parts: list) -> Optional[Tuple[int, list]]:
    """Match slots[index:] from token `position`; returns (token after the match, parts)."""
    if index == len(slots):
        return position, parts
    slot = slots[index]
    count = len(tokens.lower)
    if slot.kind == "end":
        if position >= count or tokens.clauses[position] != clause:
            return position, parts
        _, sentence_end = sentence_bounds(tokens.starts[position - 1])
        return (position, parts) if tokens.starts[position] >= sentence_end else None
    if slot.kind == "gap":
        for skip in range(slot.gap + 1):
            at = position + skip
            if at > count or (skip and tokens.clauses[at - 1] != clause):
                break
            result = _match(slots, index + 1, at, clause, tokens, sentence_bounds, parts)
            if result is not None:
                return result
        return None
    options: List[Tuple[int, Optional[Tuple[str, str, str]]]] = []
    if position < count and tokens.clauses[position] == clause:
        if slot.words and tokens.lower[position] in slot.words:
            options.append((position + 1, None))
        if slot.lexicons:
            for hit in tokens.hits.get(position, ()):
                if not any(hit.name == name and (not tiers or hit.entry.tier in tiers) for name, tiers in slot.lexicons):
                    continue
                if tokens.clauses[hit.end - 1] != clause:
                    continue
                text = " ".join(tokens.original[position:hit.end])
                options.append((hit.end, (hit.name, text, hit.entry.tier)))
        options.sort(key=lambda option: -option[0])  # the longest entry first
    for end, part in options:
        result = _match(slots, index + 1, end, clause, tokens, sentence_bounds,
                        parts + [part] if part else parts)
        if result is not None:
            return result
    if slot.optional:
        return _match(slots, index + 1, position, clause, tokens, sentence_bounds, parts)
    return None


def describe_parts(parts: Sequence[Tuple[str, str, str]]) -> str:
    """The parts of a match for a message: "effect 'attacks' + condition 'herpes' (serious)"."""
    described = []
    for name, text, tier in parts:
        label = name.replace("-", " ")
        described.append(f"{label} '{text}'" + (" (a serious condition)" if tier == "serious" else ""))
    return " + ".join(described)

"""Context features every rule can use: one mechanism each, configured per rule from YAML.

- negation: a trigger inside a negated clause ("is not FDA-approved", "there is no cure for")
  is not a claim. Only words *before* the match count, so a trigger whose own wording is a
  negation ("no side effects", "without surgery") is still the claim. Hedges ("may help") are
  not negations, and presupposing forms ("not just about reversing hair loss") are not either.
- attribution: text that reports what a regulator says ("the FDA warns that ...") or warns the
  reader about a claim ("be wary of clinics that promise a cure") is not the author's claim.
- questions answered "no" ("Can it cure baldness? No.") and "Myth:" statements are not claims.
- citation proximity: evidence rules are satisfied by a citation in the same sentence or
  paragraph (link to a source, footnote, DOI, PMID/PMCID, author–year, a pointer to a
  references section); a journal name without a locator only lowers the severity.
- masks: recognised disclaimers ("not intended to diagnose, treat, cure, or prevent any
  disease") and organisation names ("American Cancer Society") never trigger claim rules.
- lead-in: a list item's context includes the sentence that introduces the list
  ("Conditions we treat include:"), for rules that need a co-occurring word in the sentence.

All checks read the document's prose mask (markup blanked, quotes normalised), except citation
detection, which reads the original text because links and footnotes live in markup.
"""
from __future__ import annotations

import bisect
import functools
from typing import Dict, List, Optional, Tuple

import regex
from . import regexcache

from .document import Document
from .rules.frames import Tokens
from .rules.lexicon import LexiconSet, alternation, builtin_lexicons, load_builtin
from .prefilter import fold, literal_gate

_I = regex.IGNORECASE
_LIST_INTRODUCER = regexcache.compile(r"\b(?:include|including|such as|following|below)\b", _I)
_POINTS_TO_SOURCES = regexcache.compile(r"\b(?:see|listed) (?:below|the references|our sources)\b", _I)

# -- negation ------------------------------------------------------------------------------
NEGATION_WINDOW_WORDS = 14
_NEGATOR = regexcache.compile(
    r"\b(?:not|no|never|none|nothing|nobody|neither|nor|without|cannot|hardly|barely"
    r"|lacks?|lacking|absence|unable|fails?|failed|far from|yet to|unproven|disproven|as if|as though"
    r"|\w+n't|\w+n’t)\b",
    _I,
)
# negator words that do not negate what follows: presupposition ("not just"), idioms
_NOT_NEGATION = regexcache.compile(
    r"\b(?:not (?:just|only|merely|simply|to mention|least)|no (?:wonder|doubt|matter|more|longer|less|fewer)"
    r"|no\.|never (?:before|been (?:easier|better|more))|nothing (?:short of|but|less than|compares)"
    r"|without (?:a )?doubt|if not|whether or not|can't (?:wait|believe|recommend)|couldn't be happier"
    r"|don't (?:wait|miss|let|settle|suffer|hesitate|delay|worry|live|put off)|fails? to disappoint"
    r"|never (?:fails?|disappoints?)"
    # a negated selling point ("no side effects and no downtime") does not negate what follows
    r"|(?:no|zero|without|free of|free from) (?:\w+ )?(?:side[- ]?effects?|down ?time|pain|risks?|needles|surgery|scarring"
    r"|scars|incisions|stitches|recovery time|chemicals|drugs|medications?|prescriptions?|anesthesia|anaesthesia|hassle))",
    _I,
)
_PARENTHETICAL = regexcache.compile(r"\([^()]*\)|\([^()]*$")
_ENUMERATION = regexcache.compile(
    r"(?:(?:such as|including|like|e\.g\.,?|for example,?|from) )?(?:(?:[^\s,;:]+ ){0,4}[^\s,;:]+, )+(?:(?:and|or) )?(?:[^\s,;:]+ ){0,3}$"
    r"|,? (?:such as|including|like|e\.g\.,?|for example,?) $"
    r"|(?:(?:such as|including|like|from) )?(?:[^\s,;:]+ ){0,3}[^\s,;:]+ (?:and|or|to) $", _I)
# An _ENUMERATION match always ends at the end of the text, so removing it keeps the text before
# the leftmost position where one of its branches matches. A branch that starts with a word
# (`[^\s,;:]+`) and matches at a position after a word character also matches one position
# earlier (the word absorbs that character); so the leftmost start is the text's start, a
# position after a space or one of ",;:", the start of an introducing word ("such as"), or the
# start of one of the second branch's fixed endings.
_ENUMERATION_INTROS = ("such as ", "including ", "like ", "e.g. ", "e.g., ", "for example ", "for example, ",
                       "from ")
_ENUMERATION_ENDINGS = (" such as ", " including ", " like ", " e.g. ", " e.g., ", " for example ",
                        " for example, ")


def _strip_enumeration(text: str) -> str:
    """_ENUMERATION.sub("", text) for a text of single-space-separated words, trying the
    pattern only where a match can start rather than at every position: the search backtracked
    through the first branch's nested repeats at every character (about 14 ms of a language-server
    edit on a page with 500 findings). Intros and endings are compared on fold(text), which finds
    every case-insensitive occurrence; tests/test_context.py compares the two on random text."""
    folded = fold(text)
    starts = {0}
    starts.update(index + 1 for index, char in enumerate(text) if char in " ,;:")
    for ending in _ENUMERATION_ENDINGS:
        if folded.endswith(ending):
            starts.add(len(text) - len(ending))
            starts.add(len(text) - len(ending) - 1)  # `,?` before it
    for intro in _ENUMERATION_INTROS:
        index = folded.find(intro)
        while index >= 0:
            starts.add(index)
            index = folded.find(intro, index + 1)
    for start in sorted(starts):
        if start < len(text) and _ENUMERATION.match(text, start):
            return text[:start]
    return text


# where a negated clause ends: strong punctuation and clause-starting conjunctions
_CLAUSE_BREAK = regexcache.compile(
    r"[;:!?\[\]—–]|\s-\s|\.\s"
    r"|,\s*(?:and |but |so |yet )?(?=(?:it|it's|we|we're|this|these|they|you|your|our|its|he|she|i|patients?|people|many|most|some|the|all)\b)"
    r"|\b(?:and|but|however|although|though|whereas|while|unlike|instead|except|because|since|so|which|who)\b"
    r"(?=\s+(?:it|we|this|these|they|you|your|our|its|he|she|i|patients?|people|many|most|some|the|all|can|will|may|might|could|is|are)\b)"
    r"|\b(?:but|however|although|though|whereas|unlike|instead|except)\b",
    _I,
)

# -- attribution and caution frames -----------------------------------------------------------
# the agencies whose reported speech is not the author's claim: rulesets/lexicons/agency.yaml
_AGENCY = rf"(?:the )?{alternation(load_builtin('agency'))}"
_ATTRIBUTION = regexcache.compile(
    rf"\b(?:{_AGENCY}(?:'s)? (?:\w+ ){{0,3}}?(?:warns?|warned|says?|said|states?|stated|cautions?|cautioned"
    r"|advises?|advised|notes?|noted|reminds?|reminded|explains?|explained|has (?:warned|said|cautioned|stated)"
    r"|ha(?:s|ve) not (?:approved|cleared|evaluated|authori[sz]ed)|does not (?:approve|consider)|considers?"
    r"|urges?|urged|found|determined|issued|sent|cited|alerts?|alerted)"
    rf"|according to {_AGENCY}|warning letters?|consumer (?:alert|update|warning)s?|enforcement action"
    r"|claim(?:s|ed)? (?:that|to|it|they|its|their)|claiming|alleg(?:e|es|ed|edly)|purport(?:s|ed|edly)?"
    r"|(?:marketed|promoted|advertised|touted|sold|represented|labell?ed|billed|described) as"
    r"|(?:some|many|these|such|other|fraudulent|fake|bogus|scam|unscrupulous|dishonest) (?:\w+ ){0,2}?(?:products?|companies"
    r"|sellers|clinics|marketers|ads|advertisers|promoters|scammers|websites|firms|businesses) (?:\w+ ){0,2}?(?:promise|claim"
    r"|say|offer|advertise|tout|market)s?"
    r"|suggests? (?:that )?(?:a|the|its|their|this|an?) (?:\w+ )?(?:product|treatment|item|supplement|device)"
    r"|the (?:U\.?S\.? )?(?:FDA|Food and Drug Administration|TGA|MHRA|EMA|Health Canada) (?:has |have )?(?:approved|cleared"
    r"|determined|concluded|found|reviewed|evaluated|authori[sz]ed))\b",
    _I,
)
_CAUTION = regexcache.compile(
    r"\b(?:beware(?: of)?|be (?:very |extra |especially )?(?:wary|skeptical|sceptical|cautious|careful|suspicious|aware) (?:of|about|if|when)"
    r"|(?:easy to|can) (?:make up|fake)|often (?:misleading|fake|false)|can be fake|not a substitute for (?:scientific )?(?:evidence|proof)"
    r"|watch out for|look out for|red flags?|warning signs?|signs? of (?:a )?(?:scam|fraud)|scam(?:s|mers)?"
    r"|fraud(?:ulent|sters?)?|bogus|deceptive|misleading|false (?:claims?|promises?|advertising|hope)"
    r"|unproven (?:claims?|treatments?|products?|therapies)|don't (?:be fooled|believe)|too good to be true"
    r"|with caution|(?:claims?|promises?|phrases?|words?|terms?|language|slogans?) (?:like|such as)"
    r"|(?:anyone|anybody|clinics?|companies|providers?|sellers?|websites?|ads?) (?:who|that) (?:promises?|claims?|offers?|guarantees?|advertises?)"
    r"|illegal(?:ly)? (?:marketed|sold|claims?)|unapproved (?:claims?|uses?)|myths?|misconceptions?"
    r"|skeptic(?:al|ism)|sceptic(?:al|ism)|so-called"
    # a claim qualified as unproven after it: "remedies that have not been tested"
    r"|(?:that|which) (?:aren't|are not|isn't|is not|haven't been|have not been|hasn't been|has not been|were never|was never)"
    r" (?:\w+ )?(?:proven|approved|tested|shown|backed))\b",
    _I,
)
# A legal definition lists the uses that make a product a drug (diagnosis, cure, mitigation,
# treatment and prevention): three or more such nouns in a row are a definition, not a claim.
_EFFECT_NOUNS = r"(?:diagnos(?:is|e|ing)|cur(?:e|es|ing)|mitigat(?:ion|e|ing)|treat(?:ment|s|ing)?|prevent(?:ion|s|ing)?)"
_LEGAL_DEFINITION = regexcache.compile(
    rf"\b{_EFFECT_NOUNS}(?:,? (?:and |or |and/or )?{_EFFECT_NOUNS}){{2,}}\b[^.!?\n]*", _I)
# A regulator's own document cites the law: sections of the Act, the U.S. Code, the CFR.
_LEGAL_CITATION = regexcache.compile(
    r"\b(?:\d+ U\.S\.C\.|(?:21|16|42) C\.?F\.?R\.?|FD&C Act|the Act\b|section \d+[A-Z]?\([a-z0-9]+\)"
    r"|B?CAP Code|rules? \d{1,2}\.\d{1,2}(?:\.\d{1,2})?\b)")
_WORD = regexcache.compile(r"\S+")
# the words a line may start with and still have no subject of its own ("- Can slow ...")
_NO_SUBJECT = regexcache.compile(r"\W*(?:(?:can|could|may|might|will|would|does|do|also|often|usually|most|more|very"
                                 r"|the|a|an|helps?|to|and|or|is|are)\W+)*", _I)
_PRONOUN_SUBJECT = regexcache.compile(r"\W*(?:they|it|these|both|each|such (?:drugs|medicines))\b", _I)
_ALTERNATIVE_MEDICINE = frozenset("""traditional chinese ayurvedic folk herbal natural alternative regenerative
    functional integrative holistic naturopathic homeopathic energy tibetan""".split())
_FIRST_PERSON = regexcache.compile(r"\b(?:our|ours|we|we're|we've|us|my|i|i'm|i've)\b", _I)
_MENTION = regexcache.compile(
    r"\b(?:says?|said|saying|claims?|claimed|claiming|promises?|promising|words?|terms?|phrases?|labels?(?:ed)?"
    r"|calls?|called|states?|stating|like|such as|uses?|using|describes?|described|advertises?|advertised"
    r"|means?|meaning|defin(?:e|es|ed|ition))\b", _I)
_EXAMPLE_INTRO = regexcache.compile(
    r"\b(?:such as|like|e\.g\.|for example|for instance|claims?|promises?|phrases?|words?|terms?|language|statements?"
    r"|slogans?|descriptions?|labels?|wording|lines?)\W*$", _I)
_GENRE = regexcache.compile(
    r"\b(?:scams?|scammers?|fraud|fraudulent|bogus|beware|be (?:very )?(?:wary|skeptical|suspicious|careful)|watch out"
    r"|red flags?|warning signs?|too good to be true|don't be fooled|rip-offs?|deceptive|misleading|false hope"
    r"|tip-offs?|illegally marketed|unproven)\b", _I)
_GENRE_MARKER = ("warning genre words", _GENRE.pattern)  # their entry in a reuse region's cache
_MYTH = regexcache.compile(r"^\W*(?:myth|misconception|false|fiction)\s*[:#-]", _I)
_ANSWER_NO = regexcache.compile(r"^\W*(?:A:\s*)?(?:no|nope|if not|not (?:yet|really|exactly|at all|necessarily|for)|unfortunately,? (?:no|not)"
                           r"|sadly,? (?:no|not)|there is no|there's no|no,)\b", _I)

# -- masks -----------------------------------------------------------------------------------
_DISCLAIMER = regexcache.compile(
    r"(?:(?:this|these) (?:statements?|claims?|products?) (?:has|have|is|are) not (?:been )?(?:evaluated|approved)"
    r" by the (?:U\.?S\.? )?(?:Food and Drug Administration|FDA)"
    r"|(?:this|these|the|our) (?:products?|treatments?|therap(?:y|ies)|services?|information|content|statements?|articles?|site|website|supplements?)"
    r" (?:is|are) not (?:intended|meant|designed) to (?:diagnose|treat|cure|prevent|replace|be used|be a substitute|provide)"
    r"|not intended to (?:diagnose|treat|cure|prevent|mitigate)(?:, | or | and )"
    r"|(?:individual )?(?:results|outcomes|experiences?) (?:may|can|will|might) (?:vary|differ)"
    r"|results (?:are |were )?not typical|(?:is|are) not (?:a )?substitute for|not (?:intended as|meant as|a substitute for)"
    r" (?:professional |personali[sz]ed )?(?:medical|health)|(?:always )?consult (?:with )?(?:your|a|an|their) (?:own )?(?:doctor|physician"
    r"|healthcare|health care|medical|qualified|licensed|GP|pharmacist)|talk to (?:your|a) (?:doctor|physician|healthcare provider)"
    r"|always read the label|for (?:general )?(?:informational|educational|information|education) purposes(?: only)?"
    r"|nothing (?:on|in) this (?:page|site|website|article|post|guide)|no claims? (?:is|are) (?:being )?made)"
    r"[^.!?\n]*",
    _I,
)
_ORGANISATION = regexcache.compile(
    r"\b(?:[A-Z][\w'&.-]*\s+){0,5}(?:Society|Association|Foundation|Institutes?|Alliance|Council|Federation|Coalition"
    r"|Agency|Research UK|Hospital|College|Academy|Journal|Clinic|Clinics|Center|Centre|Centers|Centres|Network|Program|Programme)"
    r"(?:\s+(?:of|for|and|&)\s+(?:(?:the|and|&)\s+)?(?:[A-Z][\w'&.-]*\s*)+)*"
)

# -- citations --------------------------------------------------------------------------------
# the context patterns searched behind a literal gate (Context._gated, may_match); their analyses
# ship in rulesets/_prefilter.json with the rules' (python -m hypelint.prefilter)
GATED_PATTERNS = (_GENRE, _DISCLAIMER, _ORGANISATION, _ATTRIBUTION, _CAUTION)
_CITATION = regexcache.compile(
    r"\b10\.\d{4,9}/[^\s\"'<>)\]]+|\bdoi:\s*\S+|\bPMID:?\s*\d+|\bPMC\s?\d{4,}|\[\^[^\]\s]+\]|\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]"
    r"|<sup>|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|(?<=\S)\s?\(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\)"
    r"|\b[A-Z][\w'’-]+(?: et al\.?| (?:and|&) [A-Z][\w'’-]+)?,? \(?(?:19|20)\d{2}[a-z]?\)"
    r"|\([A-Z][\w'’-]+(?: et al\.?| (?:and|&) [A-Z][\w'’-]+)?,? (?:19|20)\d{2}[a-z]?\)"
    r"|\b[A-Z][\w'’-]+ et al\.?(?:,? \(?(?:19|20)\d{2})?"
    r"|\b(?:see|listed in|cited in) (?:the )?(?:references|sources|citations|bibliography|footnotes)\b",
)
_LINK = regexcache.compile(r"\]\(\s*<?(https?://[^\s)>]+)|href=[\"']?(https?://[^\"'\s>]+)|(https?://[^\s)\]>\"']+)", _I)
_SOURCE_URL = regexcache.compile(
    r"doi\.org|pubmed|ncbi\.nlm\.nih\.gov|\bpmc\b|nih\.gov|\.gov\b|\.edu\b|scholar\.google|researchgate|arxiv|biorxiv"
    r"|medrxiv|cochrane|clinicaltrials|nature\.com|sciencedirect|springer|wiley|jamanetwork|nejm|thelancet|bmj\.com"
    r"|frontiersin|mdpi|plos|cell\.com|academic\.oup|tandfonline|karger|sagepub|who\.int|/articles?/|/journals?/|/study|/research",
    _I,
)
# a journal named without a locator: rulesets/lexicons/journal.yaml
_JOURNAL = regexcache.compile(rf"\b{alternation(load_builtin('journal'))}\b")
_REFERENCES_HEADING = regexcache.compile(r"^\W*(?:references|sources|bibliography|citations|works cited|footnotes|notes)\W*$", _I | regex.M)


def _memoised(method):
    """Cache a Context check by its arguments: rules that match at the same place share it."""
    name = method.__name__

    @functools.wraps(method)
    def cached(self, *args):
        cache = self._memo.setdefault(name, {})
        if args not in cache:
            cache[args] = method(self, *args)
        return cache[args]

    return cached


class Context:
    """Per-document context computed lazily and shared by all rules."""

    def __init__(self, document: Document):
        self.document = document
        self.mask = document.mask
        self._masked_by_range: Dict[Tuple[int, Optional[int]], List[Tuple[int, int]]] = {}
        self._memo: Dict[str, dict] = {}
        self._lead_ins: Dict[int, Tuple[int, int]] = {}
        self._has_references: Optional[bool] = None
        self._warning_genre: Optional[bool] = None
        self._regulatory: Optional[bool] = None
        self.key_positions: Optional[Dict[str, List[int]]] = None  # the linter's prefilter keyword hits
        self._folded: Optional[str] = None  # the mask as the prefilter compares literals
        self.pattern_spans: Dict[tuple, list] = {}  # the linter's pattern matches, by pattern source
        self._tokens: Dict[int, Tokens] = {}  # the mask's tokens and lexicon hits, per lexicon set

    def tokens(self, lexicons: LexiconSet) -> Tokens:
        """The mask as tokens tagged with a lexicon set (once per document and set): what frame
        rules match."""
        found = self._tokens.get(id(lexicons))
        if found is None:
            found = self._tokens[id(lexicons)] = Tokens(self.mask, lexicons)
        return found

    def folded(self) -> str:
        """The mask lowercased and folded as hypelint.prefilter compares literals (once)."""
        if self._folded is None:
            self._folded = fold(self.document.mask)
        return self._folded

    # -- masks ----------------------------------------------------------------------------
    def masked_spans(self, start: int = 0, end: Optional[int] = None) -> List[Tuple[int, int]]:
        """Disclaimer and organisation-name spans between two offsets (a sentence): claim rules
        never fire inside them. Computed per sentence, on demand: most sentences hold no match."""
        key = (start, end)
        spans = self._masked_by_range.get(key)
        if spans is None:
            stop = len(self.mask) if end is None else end
            spans = [m.span() for m in self._gated(_DISCLAIMER, start, stop)]
            spans += [m.span() for m in self._gated(_ORGANISATION, start, stop) if " " in m.group().strip()]
            spans += [m.span() for m in _LEGAL_DEFINITION.finditer(self.mask, start, stop)]
            self._masked_by_range[key] = spans
        return spans

    def may_match(self, pattern, start: int, end: int) -> bool:
        """False when mask[start:end] cannot hold a match of `pattern` (a context pattern or a
        rule's): the folded text there holds none of the literals every match needs."""
        gate = literal_gate(pattern.pattern, pattern.flags)
        return gate is None or gate.search(self.folded(), start, end) is not None

    def _gated(self, pattern, start: int, end: int):
        """pattern.finditer(mask, start, end), or nothing when may_match says it cannot match
        there (prefilter.literal_gate: a standard-library search, several times faster than the
        pattern's own)."""
        return pattern.finditer(self.mask, start, end) if self.may_match(pattern, start, end) else ()

    @_memoised
    def in_mask(self, start: int, end: int) -> bool:
        sentence_start, sentence_end = self.sentence(start)
        for low, high in self.masked_spans(sentence_start, max(sentence_end, end)):
            if low <= start and end <= high:
                return True
        return False

    # -- clause-level checks ------------------------------------------------------------
    def sentence(self, offset: int) -> Tuple[int, int]:
        return self.document.sentence_at(offset)

    @_memoised
    def negated(self, start: int) -> bool:
        """Is the text just before `start`, within its clause, a negation?"""
        sentence_start, _ = self.sentence(start)
        window = self.mask[sentence_start:start]
        if not _NEGATOR.search(window):
            return False  # most sentences hold no negator at all: skip the clause analysis
        breaks = list(_CLAUSE_BREAK.finditer(window))
        if breaks:
            window = window[breaks[-1].end():]
        # in "not approved for X, Y (Z), or W" the negation reaches every item of the enumeration
        stripped = _strip_enumeration(" ".join(_PARENTHETICAL.sub(" ", window).split()) + " ")
        for candidate in (window, stripped):
            words = " ".join(candidate.split()[-NEGATION_WINDOW_WORDS:])
            if _NEGATOR.search(_NOT_NEGATION.sub(" ", words)):
                return True
        return False

    @_memoised
    def attributed(self, start: int, end: int) -> bool:
        """Reported speech of a regulator before the match, a caution frame in the sentence, or a
        regulator's own document."""
        if self.regulatory_genre():
            return True
        sentence_start, sentence_end = self.sentence(start)
        if self.may_match(_ATTRIBUTION, sentence_start, start) and _ATTRIBUTION.search(
                self.mask[sentence_start:start]):
            return True
        sentence_stop = max(sentence_end, end)
        sentence = self.mask[sentence_start:sentence_stop]
        if (self.may_match(_CAUTION, sentence_start, sentence_stop) and _CAUTION.search(sentence)) \
                or _MYTH.search(sentence):
            return True
        return self.mentioned(start, end, sentence) or self.label_in_warning_page(start)

    def regulatory_genre(self) -> bool:
        """A regulator's own text (a warning letter, a guidance, a rule) cites the law it applies:
        three or more citations of the Act, the U.S. Code or the CFR. The claims it names are
        what it objects to, never its own."""
        if self._regulatory is None:
            found = 0
            for _ in _LEGAL_CITATION.finditer(self.document.text):
                found += 1
                if found >= 3:
                    break
            self._regulatory = found >= 3
        return self._regulatory

    @_memoised
    def third_party_subject(self, start: int) -> bool:
        """The sentence before the match has established medicine or a healthy habit as its
        subject ("drugs used to treat", "physical activity can lower the risk of"), or a pronoun
        for one named in the sentence before ("Two medicines are approved. They treat ..."), or a
        line without a subject of its own sits under a heading or lead-in that names an approved
        medicine ("## Minoxidil lotion" / "- Can slow hair loss"); and no first-person voice ("our",
        "we", "my"): the text describes medicine, it does not sell."""
        sentence_start, sentence_end = self.sentence(start)
        if _FIRST_PERSON.search(self.mask, sentence_start, sentence_end):
            return False
        if self._names_medicine(sentence_start, start, ("medical-agent",)):
            return True
        before = self.mask[sentence_start:start]
        if _PRONOUN_SUBJECT.match(before):
            previous = self.sentence(max(sentence_start - 2, 0))
            if previous[1] <= sentence_start and previous != (sentence_start, sentence_start) and \
                    not _FIRST_PERSON.search(self.mask, *previous) and \
                    self._names_medicine(*previous, ("medical-agent", "approved-drug")):
                return True
        if _NO_SUBJECT.fullmatch(before):
            # no subject of its own: the section's heading or the list's lead-in speaks for it
            for low, high in (self.lead_in(start) or (None, None), self.section_heading(start)):
                if high is not None and not _FIRST_PERSON.search(self.mask, low, high) and \
                        self._names_medicine(low, high, ("medical-agent", "approved-drug")):
                    return True
        return False

    def _names_medicine(self, start: int, end: int, classes) -> bool:
        """Whether mask[start:end] names established medicine (a lexicon class of `classes`);
        "traditional Chinese medicine" or "regenerative medicine" is not established medicine.
        Only that span is tokenised: an edited buffer need not tokenise the whole page again."""
        tokens = Tokens(self.mask[start:end], builtin_lexicons())
        for position, hits in tokens.hits.items():
            if any(hit.name in classes for hit in hits) and not (
                    position and tokens.lower[position - 1] in _ALTERNATIVE_MEDICINE):
                return True
        return False

    def section_heading(self, offset: int) -> Tuple[Optional[int], Optional[int]]:
        """The span of the nearest heading before the block at offset (None, None without one)."""
        document = self.document
        index = document.block_index_at(offset)
        while index > 0:
            index -= 1
            block = document.blocks[index]
            if block.kind == "heading":
                return block.start, block.end
        return None, None

    def mentioned(self, start: int, end: int, sentence: str) -> bool:
        """Use-mention: a trigger quoted as an example of wording rather than used as a claim.

        Either the quotes wrap the trigger itself ('says it "cures"') in a sentence about wording,
        or the trigger sits inside a quotation introduced as an example ('claims such as "It cured
        my diabetes"'). A testimonial in quotes with no such introduction stays a testimonial.
        """
        before = self.mask[max(0, start - 1):start]
        after = self.mask[end:end + 2].lstrip(",.;:!?")[:1]
        if before == '"' and after == '"':
            return bool(_MENTION.search(sentence))
        quote = self.enclosing_quote(start, end)
        if quote is None:
            return False
        sentence_start, _ = self.sentence(start)
        lead = self.mask[max(sentence_start, quote[0] - 60):quote[0]]
        if _EXAMPLE_INTRO.search(lead):
            return True
        return self.warning_genre()

    def enclosing_quote(self, start: int, end: int) -> Optional[Tuple[int, int]]:
        """The double-quoted span around a match, within its block."""
        block = self.document.block_at(start)
        if block is None:
            return None
        opening = self.mask.rfind('"', block.start, start)
        if opening < 0 or self.mask.count('"', block.start, opening) % 2:
            return None
        closing = self.mask.find('"', end, block.end)
        return (opening, closing + 1) if closing >= 0 else None

    def warning_genre(self) -> bool:
        """A consumer-protection page (the FDA's or FTC's own voice): many caution frames."""
        if self._warning_genre is None:
            def words(start: int, end: int):
                return {m.group().lower() for m in self._gated(_GENRE, start, end)}

            # an edited buffer: each region's frame words, kept between edits (no frame word
            # holds a newline or NUL, so none crosses a region boundary)
            found = self.document.union_of_regions(_GENRE_MARKER, words)
            if found is None:
                found = words(0, len(self.mask))
            self._warning_genre = len(found) >= 3
        return self._warning_genre

    def label_in_warning_page(self, start: int) -> bool:
        """A heading or short label line ("Miracle Cure!") on a consumer-protection page."""
        if not self.warning_genre():
            return False
        block = self.document.block_at(start)
        if block is None:
            return False
        if block.kind == "heading":
            return True
        sentence_start, sentence_end = self.sentence(start)
        return len(self.mask[sentence_start:sentence_end].split()) <= 6

    @_memoised
    def answered_no(self, start: int) -> bool:
        """The match sits in a question whose answer (the next sentence) begins with "No"."""
        sentences = self.document.sentences
        sentence = self.sentence(start)
        if sentence[1] <= sentence[0] or not self.mask[sentence[0]:sentence[1]].rstrip().endswith("?"):
            return False
        index = bisect.bisect_right([s for s, _ in sentences], sentence[0])
        if index < len(sentences):
            following = sentences[index]
            return bool(_ANSWER_NO.search(self.mask[following[0]:following[1]]))
        return False

    # -- co-occurrence --------------------------------------------------------------------
    def lead_in(self, offset: int) -> Optional[Tuple[int, int]]:
        """For a list item: the sentence introducing its list (ending in ':' or naming a list)."""
        document = self.document
        index = document.block_index_at(offset)
        if index < 0 or document.blocks[index].kind != "list_item":
            return None
        if index in self._lead_ins:
            return self._lead_ins[index]
        found = None
        back = index - 1
        while back >= 0 and document.blocks[back].kind == "list_item":
            back -= 1
        if back >= 0:
            block = document.blocks[back]
            last = [s for s in document.sentences if block.start <= s[0] < block.end]
            if last:
                text = self.mask[last[-1][0]:last[-1][1]]
                if text.rstrip().endswith(":") or _LIST_INTRODUCER.search(text):
                    found = last[-1]
        self._lead_ins[index] = found
        return found

    def span_before(self, start: int, words: int) -> Tuple[int, int]:
        """The last `words` words of the sentence before `start`."""
        sentence_start, _ = self.sentence(start)
        low = start
        for match in _WORD.finditer(self.mask[sentence_start:start][::-1]):
            words -= 1
            low = start - match.end()
            if words == 0:
                break
        return low, start

    def span_after(self, end: int, words: int) -> Tuple[int, int]:
        """The first `words` words of the sentence after `end`."""
        _, sentence_end = self.sentence(max(end - 1, 0))
        high = end
        for match in _WORD.finditer(self.mask, end, max(sentence_end, end)):
            words -= 1
            high = match.end()
            if words == 0:
                break
        return end, high

    def context_text_spans(self, start: int, end: int) -> List[Tuple[int, int]]:
        spans = [self.sentence(start)]
        lead = self.lead_in(start)
        if lead:
            spans.append(lead)
        return spans

    # -- citations ------------------------------------------------------------------------
    @_memoised
    def citation(self, start: int) -> Optional[str]:
        """'cited' when a citation is in the sentence or paragraph, 'weak' for a bare journal name."""
        document = self.document
        text = document.text
        sentence_start, sentence_end = self.sentence(start)
        block = document.block_at(start)
        block_start, block_end = (block.start, block.end) if block else (sentence_start, sentence_end)
        if block is not None and block.kind == "heading":
            # a heading's section starts with the next block: its citations count for the heading
            index = document.block_index_at(start)
            if index + 1 < len(document.blocks):
                block_end = document.blocks[index + 1].end
        # the original text, extended to the end of the line so a trailing footnote counts
        line_end = text.find("\n", block_end)
        paragraph = text[block_start:len(text) if line_end < 0 else line_end]
        sentence = text[sentence_start:min(len(text), sentence_end + 2)]
        if _CITATION.search(paragraph):
            return "cited"
        for match in _LINK.finditer(sentence):
            return "cited"
        for match in _LINK.finditer(paragraph):
            url = next(group for group in match.groups() if group)
            if _SOURCE_URL.search(url):
                return "cited"
        if _POINTS_TO_SOURCES.search(paragraph) and self.has_references():
            return "cited"
        if _JOURNAL.search(self.mask[sentence_start:sentence_end]):
            return "weak"
        return None

    def has_references(self) -> bool:
        if self._has_references is None:
            self._has_references = bool(_REFERENCES_HEADING.search(self.document.text))
        return self._has_references

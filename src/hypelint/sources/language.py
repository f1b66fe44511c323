"""The language policy: rules are English, so a file in another language is not linted.

A file's language comes from what it declares (front matter `lang`/`language`/`locale`, the
HTML `<html lang>`), else from its name (`fr.json`, `de-DE.yaml`, Hugo's `about.fr.md`), else,
for files with enough prose, from its script and most common words. A language outside the
`languages` option (default `en`; `*` lints everything) empties the document and leaves one
info note (HL005), so French "cure" (a course of care) is never a cure claim.
"""
from __future__ import annotations

import os
from collections import Counter
from typing import Dict, FrozenSet, List, Optional, Tuple

import regex
from .. import regexcache

from ..document import DocumentBuilder

# ISO 639-1 codes recognised in file names; words (not codes) elsewhere keep names like
# `it.md` or `no.txt` rare enough to be worth it.
_LANGUAGE_CODES = frozenset("""ar bg bn ca cs cy da de el en es et eu fa fi fr ga gl he hi hr hu id
    is it ja ko lt lv ms mt nb nl nn no pl pt ro ru sk sl sq sr sv sw ta th tl tr uk ur vi zh""".split())
_TAG = regexcache.compile(r"(?P<code>[A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*")

# Frequent function words, chosen to be distinctive between the languages.
_STOPWORDS: Dict[str, FrozenSet[str]] = {
    "en": frozenset("the and of to is are with for that this you your it was be on as by from have not or at will "
                    "can our we which an has been their they what when how who more about".split()),
    "fr": frozenset("le les des et est une dans pour qui pas sur du au aux vous nous ce cette avec sont plus "
                    "par il elle ou mais être votre vos leur ses ces très aussi comme".split()),
    "es": frozenset("el los las del y es una por para con su sus lo como más pero está son también muy al "
                    "usted nuestro nuestra hay ser sin sobre entre".split()),
    "de": frozenset("der die das und ist nicht ein eine mit für auf den dem sich von zu auch es wird sie wir "
                    "ihr ihre werden bei oder nach kann sind".split()),
    "it": frozenset("il di che è per una sono gli della delle con non si anche più come nel alla dei degli "
                    "questo questa essere molto".split()),
    "pt": frozenset("o os que é um uma para com não se na no da do das dos mais como ao pelo pela "
                    "você seu sua são também muito".split()),
    "nl": frozenset("het een en van is niet dat op met voor zijn ook aan er maar om bij als wordt worden "
                    "ze hun jouw onze deze dit".split()),
    "ru": frozenset("и в не на что с по для как это из от к за о его её их или но так же вы мы они "
                    "при уже может быть".split()),
}
# Letters of other scripts, and the language a script implies when there is no better evidence.
_SCRIPTS: List[Tuple[str, "regex.Pattern", str]] = [
    ("Cyrillic", regexcache.compile(r"\p{Cyrillic}"), "ru"),
    ("Greek", regexcache.compile(r"\p{Greek}"), "el"),
    ("Arabic", regexcache.compile(r"\p{Arabic}"), "ar"),
    ("Hebrew", regexcache.compile(r"\p{Hebrew}"), "he"),
    ("Hangul", regexcache.compile(r"\p{Hangul}"), "ko"),
    ("Kana", regexcache.compile(r"[\p{Hiragana}\p{Katakana}]"), "ja"),
    ("Han", regexcache.compile(r"\p{Han}"), "zh"),
    ("Devanagari", regexcache.compile(r"\p{Devanagari}"), "hi"),
    ("Thai", regexcache.compile(r"\p{Thai}"), "th"),
]
_WORD = regexcache.compile(r"\p{L}+")
_UKRAINIAN = regexcache.compile(r"[іїєґ]", regex.IGNORECASE)
_MIN_WORDS = 40          # below this, guessing from words is unreliable: assume English
_MIN_LETTERS = 20        # a script is evident from fewer
_MAX_WORDS = 4000


_NAMES = {"english": "en", "french": "fr", "français": "fr", "francais": "fr", "spanish": "es",
          "español": "es", "espanol": "es", "german": "de", "deutsch": "de", "italian": "it",
          "italiano": "it", "portuguese": "pt", "português": "pt", "dutch": "nl", "nederlands": "nl",
          "russian": "ru", "русский": "ru"}


def normalise_language(value: str) -> Optional[str]:
    """`en-US`, `EN_gb`, `fr`, `French` -> the primary subtag in lower case; None otherwise."""
    value = value.strip()
    if value.lower() in _NAMES:
        return _NAMES[value.lower()]
    match = _TAG.fullmatch(value)
    return match.group("code").lower() if match else None


def language_from_path(path: str, format: str = "") -> Optional[str]:
    """`fr.json`, `locales/de-DE.yaml` (locale files), Hugo's `about.fr.md` -> the code."""
    name = os.path.basename(path)
    stem, _ = os.path.splitext(name)
    candidates = [stem] if format in ("json", "yaml") else []
    inner, inner_extension = os.path.splitext(stem)
    if inner and inner_extension:
        candidates.append(inner_extension[1:])
    for candidate in candidates:
        match = _TAG.fullmatch(candidate)
        if match and match.group("code").lower() in _LANGUAGE_CODES and len(candidate) <= 10:
            return match.group("code").lower()
    return None


def guess_language(prose: str) -> Optional[Tuple[str, str]]:
    """(code, evidence) for prose that is clearly not English, else None."""
    bound = _MAX_WORDS * 16  # enough characters for _MAX_WORDS words, almost always
    words = _WORD.findall(prose, 0, bound)
    if len(words) <= _MAX_WORDS and len(prose) > bound:
        words = _WORD.findall(prose)
    words = words[:_MAX_WORDS]
    letters = "".join(words)
    if len(letters) >= _MIN_LETTERS and not letters.isascii():  # ASCII letters are Latin script
        for name, pattern, code in _SCRIPTS:
            if len(pattern.findall(letters)) > len(letters) // 2:
                if code == "ru" and _UKRAINIAN.search(letters):
                    code = "uk"
                return code, f"{name} script"
    if len(words) < _MIN_WORDS:
        return None
    counts = Counter(" ".join(words).lower().split())  # words hold letters only
    scores = {code: sum(counts[word] for word in stopwords if word in counts) / len(words)
              for code, stopwords in _STOPWORDS.items()}
    english = scores.pop("en")
    best = max(scores, key=scores.get)
    if scores[best] >= 0.12 and scores[best] > 2 * english:
        return best, "its most common words"
    return None


def apply_language_policy(builder: DocumentBuilder) -> None:
    """Empty the document, with an info note, when its language is not one that is linted."""
    allowed = tuple(getattr(builder.options, "languages", ("en",)) or ("en",))
    if "*" in allowed:
        return
    allowed_codes = {normalise_language(code) or code.lower() for code in allowed}
    code = normalise_language(builder.lang) if builder.lang else None
    offset, end = 0, None
    if code:
        source, offset = builder.meta.get("lang_source", ("its `lang`", 0))
        end = offset + len(builder.lang)
        evidence = f"declared by {source}"
    else:
        code = language_from_path(builder.path, builder.format)
        evidence = "from its file name"
        if code is None:
            guess = guess_language(_prose_text(builder))
            if guess:
                code, how = guess
                evidence = f"guessed from {how}"
    if code is None or code in allowed_codes:
        return
    builder.lang = builder.lang or code
    builder.clear_prose()
    builder.note(f"not linted: the language is {code!r} ({evidence}) and rules are English; "
                 f"add it to `languages` to lint it", offset, severity="info", code="HL005", end=end)


def _prose_text(builder: DocumentBuilder) -> str:
    text = builder.text
    return " ".join(text[start:end] for start, end in builder.prose_ranges()[:2000])

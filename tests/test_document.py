"""Sentence splitting of the mask (hypelint.document)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hypelint.document import _SENTENCE_END, _sentence_ends, split_sentences

_PIECES = [".", "!", "?", "…", "\"", "'", ")", "]", " ", "  ", "\t", "\n", "\n\n", " \n ", "\x00", "a", "It",
           "cures", "Dr", "e.g", "É", "é", "1", "—", "\u00a0", "\u2028"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join), st.integers(0, 40), st.integers(0, 40))
def test_sentence_ends_equal_the_declared_pattern(text, start, length):
    start = min(start, len(text))
    end = min(start + length, len(text))
    assert _sentence_ends(text, start, end) == [m.span() for m in _SENTENCE_END.finditer(text, start, end)]


def test_sentences_end_at_stops_but_not_after_abbreviations():
    text = "It cures acne. Dr. Smith agrees! Really? Yes… e.g. this.\n\nNew paragraph."
    sentences = [text[low:high] for low, high in split_sentences(text, 0, len(text))]
    # a lowercase word after a stop ("… e.g.") does not start a sentence
    assert sentences == ["It cures acne.", "Dr. Smith agrees!", "Really?", "Yes… e.g. this.", "New paragraph."]


def _painted_by_list(text, blocks, prose):
    """The mask as DocumentBuilder.build made it before: a list of every character."""
    from hypelint.document import _NORMALISE, OUTSIDE

    chars = [OUTSIDE] * len(text)
    for start, end in sorted(blocks):
        chars[start:end] = " " * (end - start)
    for start, end in prose:
        chars[start:end] = text[start:end].translate(_NORMALISE)
    return "".join(chars)


_spans = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)).map(sorted).map(tuple), max_size=8)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="ab \t\u2019\u201c\n\r\u00a0é", max_size=30), _spans, _spans)
def test_painted_mask_equals_painting_every_character(text, blocks, prose):
    from hypelint.document import _painted

    blocks = [(start, min(end, len(text))) for start, end in blocks if start <= len(text)]
    prose = [(start, min(end, len(text))) for start, end in prose if start <= len(text)]
    assert _painted(text, blocks, prose) == _painted_by_list(text, blocks, prose)

"""Sentence splitting of the mask (hypelint.document)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hypelint.document import _SENTENCE_END, _sentence_ends, split_sentences

_PIECES = [".", "!", "?", "…", "\"", "'", ")", "]", " ", "  ", "\t", "\n", "\n\n", " \n ", "\x00", "a", "It",
           "cures", "Dr", "e.g", "É", "é", "1", "—", "\u00a0", "\u2028"]


@settings(max_examples=3000, deadline=None)
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

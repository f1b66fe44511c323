"""CSV errors are per row (issue 19, item 8): one unterminated quote at row 11 used to turn
every row after it into one malformed record; reading now resumes at the next row."""
from __future__ import annotations

import io

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from hypelint import records
from hypelint.errors import SourceError
from hypelint.records import MalformedRecord, read_csv


def _rows(data: bytes):
    return list(read_csv(io.BytesIO(data)))


def _table(rows: int, bad_at: int) -> bytes:
    lines = ["sku,description"]
    for index in range(1, rows + 1):
        lines.append(f'S-{index},"Unclosed quote from here' if index == bad_at else f"S-{index},Plain copy {index}")
    return ("\n".join(lines) + "\n").encode()


def test_an_unterminated_quote_costs_one_row_at_the_end_of_input():
    found = _rows(_table(2000, bad_at=11))
    malformed = [(line, payload.message) for line, payload in found if isinstance(payload, MalformedRecord)]
    assert malformed == [(12, "invalid CSV: unterminated quoted field")]
    assert len(found) == 2000 and sum(isinstance(p, dict) for _, p in found) == 1999
    assert found[11] == (13, {"sku": "S-12", "description": "Plain copy 12"})


def test_an_unterminated_quote_is_given_up_after_max_lines(monkeypatch):
    monkeypatch.setattr(records, "MAX_CSV_ROW_LINES", 50)
    found = _rows(_table(500, bad_at=3))
    assert [line for line, payload in found if isinstance(payload, MalformedRecord)] == [4]
    assert sum(isinstance(p, dict) for _, p in found) == 499


def test_quoted_newlines_and_doubled_quotes_still_make_one_row():
    data = b'sku,description\nA,"line one\nline ""two""\nline three"\nB,plain\n'
    assert _rows(data) == [(2, {"sku": "A", "description": 'line one\nline "two"\nline three'}),
                           (5, {"sku": "B", "description": "plain"})]


def test_a_header_with_an_unterminated_quote_is_an_error():
    with pytest.raises(SourceError, match="invalid CSV header: unterminated quoted field"):
        _rows(b'sku,"description\nA,b\n')


@hypothesis_settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.text(alphabet='ab,"\n ', max_size=12), min_size=1, max_size=30))
def test_any_bytes_give_one_outcome_per_row_and_never_raise(cells):
    data = ("sku,description\n" + "\n".join(f"S-{i},{cell}" for i, cell in enumerate(cells))).encode()
    found = _rows(data)
    lines = [line for line, _ in found]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)
    assert all(isinstance(payload, (dict, MalformedRecord)) for _, payload in found)

"""Lint a pandas DataFrame of records, returning a DataFrame of findings.

This is the per-partition step of the Dask integration and of the PySpark `mapInPandas` recipe
(docs/batch.md): one frame in, one frame of findings out, one row per finding with the columns
FINDING_COLUMNS (the keys `hypelint check --records` writes).

Worker processes should not rebuild the linter for every partition: :class:`LinterHandle` wraps a
linter as pickled bytes plus a digest, and :meth:`LinterHandle.get` unpickles it once per process.
"""
from __future__ import annotations

import hashlib
import pickle
import threading
from typing import Any, Dict, List, Optional, Sequence, Union

import pandas

from ..records import FINDING_KEYS, MalformedRecord, RecordOptions, lint_record

FINDING_COLUMNS = FINDING_KEYS
_INTEGER_COLUMNS = ("line", "column", "end_line", "end_column", "start", "end")

# The findings' schema for Spark's mapInPandas, ids as strings (cast the id column first).
SPARK_SCHEMA = ("id string, field string, line int, column int, end_line int, end_column int, "
                "start int, end int, code string, name string, category string, severity string, "
                "message string, matched string, suggestions array<string>, references array<string>")

_linters: Dict[str, Any] = {}
_linters_lock = threading.Lock()


class LinterHandle:
    """A linter to send to worker processes: small to pickle, unpickled once per process."""

    def __init__(self, linter=None):
        if linter is None:
            from .. import _default

            linter = _default()
        self.payload = pickle.dumps(linter, protocol=pickle.HIGHEST_PROTOCOL)
        self.digest = hashlib.sha256(self.payload).hexdigest()

    def get(self):
        """This process's linter for the handle (the same object for every partition and thread)."""
        linter = _linters.get(self.digest)
        if linter is None:
            with _linters_lock:
                linter = _linters.get(self.digest)
                if linter is None:
                    linter = _linters[self.digest] = pickle.loads(self.payload)
        return linter

    @classmethod
    def of(cls, linter) -> "LinterHandle":
        return linter if isinstance(linter, cls) else cls(linter)


def empty_findings(id_dtype: Any = object) -> pandas.DataFrame:
    """A findings frame with no rows and the right dtypes (Dask's `meta`)."""
    return findings_frame([], id_dtype)


def findings_frame(rows: List[Dict[str, Any]], id_dtype: Any = object) -> pandas.DataFrame:
    """Finding dicts (see FINDING_COLUMNS) as a frame with fixed dtypes."""
    columns = {}
    for name in FINDING_COLUMNS:
        values = [row[name] for row in rows]
        if name == "id":
            dtype = id_dtype
        elif name in _INTEGER_COLUMNS:
            dtype = "int64"
        else:
            dtype = object  # strings and lists alike, the same on every pandas version
        columns[name] = pandas.Series(values, dtype=dtype)
    return pandas.DataFrame(columns)


def lint_frame(frame: pandas.DataFrame, text_columns: Union[str, Sequence[str]], *,
               id_column: Optional[str] = None, format: Optional[str] = None,
               format_column: Optional[str] = None, linter=None, errors: str = "raise") -> pandas.DataFrame:
    """Findings for every row of `frame`, in row order then field order then position.

    `id` is the `id_column` value, or the row's index label without one. `linter` is a Linter,
    a LinterHandle, or None for the default rules. A row that cannot be linted (a non-text
    value in a text column, no id, an unknown format) raises MalformedRecord naming its index
    label, or is skipped with `errors="skip"`.
    """
    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
    options = RecordOptions.create(text_columns, id_column, format_column, format)
    if isinstance(linter, LinterHandle):
        linter = linter.get()
    columns = [name for name in (*options.text_fields, id_column, format_column) if name]
    missing = [name for name in dict.fromkeys(columns) if name not in frame.columns]
    if missing:
        raise KeyError(f"no column {missing[0]!r} in the frame (columns: {', '.join(map(str, frame.columns))})")
    rows: List[Dict[str, Any]] = []
    selected = frame[list(dict.fromkeys(columns))]
    for label, values in zip(frame.index, selected.itertuples(index=False, name=None)):
        record = dict(zip(selected.columns, values))
        try:
            found = lint_record(record, options, linter)
        except MalformedRecord as error:
            if errors == "skip":
                continue
            raise MalformedRecord(f"row {label!r}: {error.message}") from None
        if id_column is None:
            label = label.item() if hasattr(label, "item") else label
            for row in found:
                row["id"] = label
        rows.extend(found)
    id_dtype = frame[id_column].dtype if id_column else frame.index.dtype
    return findings_frame(rows, id_dtype)

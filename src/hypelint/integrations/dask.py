"""Lint a Dask DataFrame or Bag of records partition by partition; get a Dask DataFrame of findings.

    import dask.dataframe as dd
    from hypelint import Linter
    from hypelint.integrations.dask import lint_dataframe

    listings = dd.read_parquet("listings/")
    findings = lint_dataframe(listings, "description", id_column="sku",
                              linter=Linter.from_config("hypelint.yaml"))
    findings.to_parquet("findings/")

The linter is built once on the client, travels to the workers as a small pickle (its compiled
rules, no file access needed there), and is unpickled once per worker process, then shared by
the worker's threads (a Linter is thread-safe). Rows are the ones `hypelint check --records`
writes (see hypelint.integrations.pandas.FINDING_COLUMNS), in partition order.
Needs `pip install 'hypelint[dask]'`.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

import dask
import dask.bag
import dask.dataframe
import pandas

from ..records import MalformedRecord, RecordOptions, lint_record
from .pandas import FINDING_COLUMNS, LinterHandle, empty_findings, findings_frame, lint_frame

__all__ = ["lint_dataframe", "lint_bag", "lint", "FINDING_COLUMNS"]


def lint_dataframe(frame: dask.dataframe.DataFrame, text_columns: Union[str, Sequence[str]], *,
                   id_column: Optional[str] = None, format: Optional[str] = None,
                   format_column: Optional[str] = None, linter=None,
                   errors: str = "raise") -> dask.dataframe.DataFrame:
    """A lazy Dask DataFrame of findings, one row per finding, for the text columns of `frame`.

    `id` is the `id_column` value, or the row's index label. See
    :func:`hypelint.integrations.pandas.lint_frame` for `format`, `format_column` and `errors`.
    """
    handle = LinterHandle.of(linter)
    RecordOptions.create(text_columns, id_column, format_column, format)  # fail early, on the client
    id_dtype = frame[id_column].dtype if id_column else frame.index.dtype
    return frame.map_partitions(
        lint_frame, text_columns, id_column=id_column, format=format, format_column=format_column,
        linter=handle, errors=errors, meta=empty_findings(id_dtype),
        enforce_metadata=False, align_dataframes=False,
    )


def _lint_record_partition(records: Iterable[Dict[str, Any]], options: RecordOptions,
                           handle: LinterHandle, errors: str) -> pandas.DataFrame:
    linter = handle.get()
    found: List[Dict[str, Any]] = []
    for record in records:
        try:
            found.extend(lint_record(record, options, linter))
        except MalformedRecord as error:
            if errors == "raise":
                identifier = record.get(options.id_field) if options.id_field and isinstance(record, dict) else None
                where = f"record {identifier!r}" if identifier is not None else f"record {record!r:.60}"
                raise MalformedRecord(f"{where}: {error.message}") from None
    return findings_frame(found)


def lint_bag(bag: dask.bag.Bag, text_fields: Union[str, Sequence[str]], *,
             id_field: Optional[str] = None, format: Optional[str] = None,
             format_field: Optional[str] = None, linter=None,
             errors: str = "raise") -> dask.dataframe.DataFrame:
    """A lazy Dask DataFrame of findings for a Bag of records (dicts, e.g. from
    `dask.bag.read_text("*.jsonl").map(json.loads)`). Without `id_field`, `id` is None."""
    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
    options = RecordOptions.create(text_fields, id_field, format_field, format)
    handle = LinterHandle.of(linter)
    frames = bag.map_partitions(_lint_record_partition, options, handle, errors).to_delayed()
    # Dask turns object columns of collections it creates into Arrow strings, which would turn
    # the suggestions and references lists into their repr; the setting is read here, when the
    # collection is built, not when it is computed.
    with dask.config.set({"dataframe.convert-string": False}):
        return dask.dataframe.from_delayed(frames, meta=empty_findings(object), verify_meta=False)


def lint(collection: Union[dask.dataframe.DataFrame, dask.bag.Bag], text_fields: Union[str, Sequence[str]],
         **options) -> dask.dataframe.DataFrame:
    """:func:`lint_dataframe` or :func:`lint_bag`, whichever fits `collection`; the keyword
    names of either are accepted (`id_field` or `id_column`, `format_field` or `format_column`)."""
    if isinstance(collection, dask.bag.Bag):
        renamed = {"id_column": "id_field", "format_column": "format_field"}
        return lint_bag(collection, text_fields, **{renamed.get(k, k): v for k, v in options.items()})
    renamed = {"id_field": "id_column", "format_field": "format_column"}
    return lint_dataframe(collection, text_fields, **{renamed.get(k, k): v for k, v in options.items()})

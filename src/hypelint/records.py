"""Record mode: lint the text fields of records (JSON Lines or CSV rows) instead of files.

Marketplaces and CMS exports hold listings as records: `{"sku": "A-1", "description": "..."}`.
Each record's text fields are linted as small documents; every finding carries the record's id,
the field, and positions inside that field's text. Input is read line by line, so `-` (standard
input) streams: a finding is written as soon as its record is linted.

Layers, from the inside out:
- :func:`lint_record` lints one record (a mapping) and returns finding dicts (the Python API,
  also used by the pandas, Dask and Spark integrations);
- :func:`lint_records` does that for an iterable of mappings;
- readers (:func:`read_jsonl`, :func:`read_csv`) turn a byte stream into numbered raw records,
  and :func:`process_raw_record` parses, validates and lints one of them;
- :func:`iter_outcomes` runs that in this process or in a pool of worker processes (`--jobs`),
  keeping input order;
- :func:`run_records_command` is `hypelint check --records`: it writes JSON Lines findings and
  malformed-record reports to the streams the CLI passes in.
"""
from __future__ import annotations

import concurrent.futures
import csv
import gzip
import json
import math
import multiprocessing
import os
import queue
import threading
import zlib
from dataclasses import dataclass, field
from typing import (IO, Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence,
                    Tuple, Union)

from .diagnostic import Diagnostic, Severity
from .errors import HypelintError, SourceError, not_linted
from .sources import normalise_format, parse

# The keys of one finding, in output order. `id` is the record's id (or None without an id
# field); `field` names the text field (`bullets[2]` for the third item of a list field);
# line/column are 1-based inside that field's text, start/end are 0-based code point offsets.
FINDING_KEYS = ("id", "field", "line", "column", "end_line", "end_column", "start", "end", "code",
                "name", "category", "severity", "message", "matched", "suggestions", "references")

RECORD_FORMATS = {"jsonl": "jsonl", "ndjson": "jsonl", "jsonlines": "jsonl", "csv": "csv", "tsv": "tsv"}
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl", ".csv": "csv", ".tsv": "tsv"}

# Records a worker process lints per task, and how many tasks may wait per worker: enough to
# keep workers busy while the main process reads and writes, few enough to keep memory flat.
BATCH_SIZE = 128
TASKS_IN_FLIGHT_PER_JOB = 3

_MISSING = object()


class MalformedRecord(HypelintError):
    """A record that cannot be linted (invalid JSON, not an object, no id, a non-text field...)."""


@dataclass(frozen=True)
class RecordOptions:
    """Which fields of a record hold its text, its id and (optionally) its format."""

    text_fields: Tuple[str, ...]
    id_field: Optional[str] = None
    format_field: Optional[str] = None
    format: str = "text"  # used when the record has no format field value

    @classmethod
    def create(cls, text_fields: Union[str, Sequence[str]], id_field: Optional[str] = None,
               format_field: Optional[str] = None, format: Optional[str] = None) -> "RecordOptions":
        """Validated options; `format` accepts the same names and aliases as `lint_text`."""
        fields = (text_fields,) if isinstance(text_fields, str) else tuple(text_fields)
        if not fields:
            raise HypelintError("at least one text field is needed")
        return cls(fields, id_field, format_field, normalise_format(format) if format else "text")


def field_value(record: Mapping[str, Any], name: str) -> Any:
    """`record[name]`; a dotted name (`details.description`) reaches into nested objects when no
    key has that exact name. Returns a private sentinel when absent."""
    if name in record:
        return record[name]
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _is_blank(value: Any) -> bool:
    # None, and NaN / pandas.NA / NaT from data frames, mean "no value"
    if value is None or value is _MISSING:
        return True
    if isinstance(value, float):
        return value != value  # NaN is the only value not equal to itself
    return type(value).__name__ in ("NAType", "NaTType")


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", bool: "a boolean", int: "a number", float: "a number"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return f"a {type(value).__name__}"


def record_id(record: Mapping[str, Any], options: RecordOptions) -> Any:
    """The record's id, validated: a non-empty string or a number. None without an id field."""
    if options.id_field is None:
        return None
    value = field_value(record, options.id_field)
    if _is_blank(value) or value == "":
        raise MalformedRecord(f"no id: field {options.id_field!r} is missing or empty")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return value
    if type(value).__module__ == "numpy" and hasattr(value, "item"):  # a data frame's number
        return value.item()
    raise MalformedRecord(f"id field {options.id_field!r} is {_kind(value)}, not a string or number")


def record_format(record: Mapping[str, Any], options: RecordOptions) -> str:
    if options.format_field is None:
        return options.format
    value = field_value(record, options.format_field)
    if _is_blank(value) or value == "":
        return options.format
    if not isinstance(value, str):
        raise MalformedRecord(f"format field {options.format_field!r} is {_kind(value)}, not a format name")
    try:
        return normalise_format(value)
    except SourceError as error:
        raise MalformedRecord(f"format field {options.format_field!r}: {error.message}") from None


def record_texts(record: Mapping[str, Any], options: RecordOptions) -> List[Tuple[str, str]]:
    """(field label, text) pairs to lint, in the order of `options.text_fields`. A list of strings
    (bullet points) gives one text per item, labelled `name[index]`. Absent and null fields give
    nothing; any other non-text value makes the record malformed."""
    texts = []
    for name in options.text_fields:
        value = field_value(record, name)
        if _is_blank(value):
            continue
        if isinstance(value, str):
            texts.append((name, value))
        elif isinstance(value, list) and all(isinstance(item, str) or item is None for item in value):
            texts.extend((f"{name}[{index}]", item) for index, item in enumerate(value) if item)
        else:
            raise MalformedRecord(f"text field {name!r} is {_kind(value)}, not text")
    return texts


def finding(record_id: Any, field_name: str, diagnostic: Diagnostic) -> Dict[str, Any]:
    """One finding as a dict with exactly FINDING_KEYS (the JSON Lines output's object)."""
    data = diagnostic.to_dict()
    return {
        "id": record_id, "field": field_name,
        "line": data["line"], "column": data["column"],
        "end_line": data["end_line"], "end_column": data["end_column"],
        "start": diagnostic.start, "end": diagnostic.end,
        "code": data["code"], "name": data["name"], "category": data["category"],
        "severity": data["severity"], "message": data["message"], "matched": diagnostic.matched,
        "suggestions": data["suggestions"], "references": data["references"],
    }


def lint_record_diagnostics(linter, record: Mapping[str, Any], options: RecordOptions
                            ) -> Tuple[Any, List[Tuple[str, Diagnostic]]]:
    """(record id, [(field label, diagnostic)]) for one record; raises MalformedRecord."""
    if not isinstance(record, Mapping):
        raise MalformedRecord(f"expected an object, got {_kind(record)}")
    identifier = record_id(record, options)
    format = record_format(record, options)
    found = []
    for label, text in record_texts(record, options):
        document = parse(text, label, format)
        found.extend((label, diagnostic) for diagnostic in linter.lint_document(document))
    return identifier, found


def lint_record(record: Mapping[str, Any], options: RecordOptions, linter=None) -> List[Dict[str, Any]]:
    """Lint one record's text fields; returns finding dicts (see FINDING_KEYS) in field order,
    then position order. Raises MalformedRecord when the record cannot be linted."""
    linter = linter if linter is not None else _default_linter()
    identifier, found = lint_record_diagnostics(linter, record, options)
    return [finding(identifier, label, diagnostic) for label, diagnostic in found]


def lint_records(records: Iterable[Mapping[str, Any]], text_fields: Union[str, Sequence[str]], *,
                 id_field: Optional[str] = None, format_field: Optional[str] = None,
                 format: Optional[str] = None, linter=None) -> Iterator[Dict[str, Any]]:
    """Lint many records lazily, yielding finding dicts in input order. A malformed record raises
    MalformedRecord whose `line` is its 1-based position in `records`."""
    options = RecordOptions.create(text_fields, id_field, format_field, format)
    linter = linter if linter is not None else _default_linter()
    for number, record in enumerate(records, 1):
        try:
            yield from lint_record(record, options, linter)
        except MalformedRecord as error:
            raise MalformedRecord(error.message, line=number) from None


def _default_linter():
    from . import _default

    return _default()


# -- reading record files ------------------------------------------------------------------------
# A raw record is (line number, payload): bytes of one JSON line, a dict (a parsed CSV row), or a
# MalformedRecord the reader already detected. Payloads are cheap to send to worker processes.
RawRecord = Tuple[int, Union[bytes, Dict[str, str], MalformedRecord]]

_BOM = b"\xef\xbb\xbf"


def records_format_for(path: str, explicit: Optional[str] = None) -> str:
    """`jsonl`, `csv` or `tsv`: the explicit choice, else the file extension (`.gz` looked through)."""
    if explicit:
        name = RECORD_FORMATS.get(explicit.lower())
        if name is None:
            raise HypelintError(f"unknown --records-format {explicit!r} (choose from: jsonl, csv, tsv)")
        return name
    if path == "-":
        return "jsonl"
    base = path[:-3] if path.lower().endswith(".gz") else path
    name = _EXTENSIONS.get(os.path.splitext(base)[1].lower())
    if name is None:
        raise HypelintError(f"cannot tell the record format of {path!r} from its extension; "
                            f"pass --records-format jsonl, csv or tsv")
    return name


def open_records(path: str, stdin: Optional[IO[bytes]] = None) -> IO[bytes]:
    """A binary stream of the records file (`-` is `stdin`); `.gz` files are decompressed."""
    if path == "-":
        if stdin is None:
            raise HypelintError("no standard input to read records from")
        return stdin
    try:
        if path.lower().endswith(".gz"):
            return gzip.open(path, "rb")
        return open(path, "rb")
    except OSError as error:
        raise SourceError(f"cannot read records: {error.strerror or error}", path) from None


def read_jsonl(stream: IO[bytes]) -> Iterator[RawRecord]:
    """One raw record per non-blank line; lines are read one at a time, so pipes stream."""
    for number, line in enumerate(stream, 1):
        if number == 1 and line.startswith(_BOM):
            line = line[len(_BOM):]
        if line.strip():
            yield number, line


# A quoted cell may span lines; one spanning more than this many is taken for a quote that was
# never closed: its row is reported and reading resumes on the line after the row's first.
MAX_CSV_ROW_LINES = 10_000


def read_csv(stream: IO[bytes], delimiter: str = ",", options: Optional[RecordOptions] = None
             ) -> Iterator[RawRecord]:
    """One raw record per row after the header row; a row may span lines (quoted newlines) and
    its number is the line it starts on. Rows with the wrong number of cells, bad quoting or
    invalid UTF-8 come out as MalformedRecord payloads, and reading resumes at the next row: a
    quote that is never closed (found at the end of the input, or after MAX_CSV_ROW_LINES lines)
    costs its own row, not every row after it. With `options`, a header lacking the id or
    format column, or every text column, is an error before any row is read."""
    # Descriptions can be long; the csv module's default cell limit (128 KiB) would reject them.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    header: Optional[List[str]] = None
    for start, row in _csv_rows(stream, delimiter):
        if isinstance(row, MalformedRecord):
            if header is None:
                raise SourceError(f"invalid CSV header: {row.message.replace('invalid CSV: ', '')}", line=start)
            yield start, row
            continue
        if header is None:
            if not row:
                continue
            header = row
            if options is not None:
                check_header(header, options, start)
            continue
        if not row:  # a blank line
            continue
        if len(row) != len(header):
            yield start, MalformedRecord(f"row has {len(row)} cells but the header has {len(header)}")
        else:
            yield start, dict(zip(header, row))


def _csv_lines(stream: IO[bytes]) -> Iterator[Tuple[int, str, Optional[str]]]:
    """(line number, decoded line, decoding problem or None) for each physical line."""
    for number, raw in enumerate(stream, 1):
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM):]
        try:
            yield number, raw.decode("utf-8"), None
        except UnicodeDecodeError as error:
            yield number, raw.decode("utf-8", "replace"), (
                f"cannot decode as UTF-8: invalid byte 0x{raw[error.start]:02x} at column {error.start + 1}")


def _csv_rows(stream: IO[bytes], delimiter: str) -> Iterator[Tuple[int, Union[List[str], MalformedRecord]]]:
    """(first line, cells or MalformedRecord) per row. A row ends at a line end outside quotes
    (an even number of `"` so far: doubled quotes inside a quoted cell keep the count even)."""
    lines = _csv_lines(stream)
    replay: List[Tuple[int, str, Optional[str]]] = []  # lines to read again after a runaway quote
    pending: List[Tuple[int, str, Optional[str]]] = []
    odd = False
    while True:
        if replay:
            item = replay.pop()
        else:
            item = next(lines, None)
        if item is None:
            if not pending:
                return
            # the end of the input inside quotes: the row's first line is the bad one
            yield pending[0][0], MalformedRecord("invalid CSV: unterminated quoted field")
            replay.extend(reversed(pending[1:]))
            pending, odd = [], False
            continue
        pending.append(item)
        if item[1].count('"') % 2:
            odd = not odd
        if odd and len(pending) <= MAX_CSV_ROW_LINES:
            continue
        if odd:  # a quote open for too many lines: report its row, read the rest again
            yield pending[0][0], MalformedRecord("invalid CSV: unterminated quoted field")
            replay.extend(reversed(pending[1:]))
            pending, odd = [], False
            continue
        row_lines, pending = pending, []
        start = row_lines[0][0]
        problem = next((bad for _, _, bad in row_lines if bad), None)
        if problem is not None:
            yield start, MalformedRecord(problem)
            continue
        try:
            rows = list(csv.reader([text for _, text, _ in row_lines], delimiter=delimiter, strict=True))
        except csv.Error as error:
            yield start, MalformedRecord(f"invalid CSV: {error}")
            continue
        if len(rows) > 1:  # a line end the quote count did not foresee (a stray "\r")
            yield start, MalformedRecord("invalid CSV: a line break where none was expected")
            continue
        yield start, rows[0] if rows else []


def check_header(header: Sequence[str], options: RecordOptions, line: int = 1) -> None:
    columns = ", ".join(header)
    for flag, name in (("--id-field", options.id_field), ("--format-field", options.format_field)):
        if name is not None and name not in header:
            raise SourceError(f"{flag} {name!r} is not a column of the header ({columns})", line=line)
    if not any(name in header for name in options.text_fields):
        names = ", ".join(repr(name) for name in options.text_fields)
        raise SourceError(f"no --text-field column ({names}) in the header ({columns})", line=line)


def read_records(stream: IO[bytes], records_format: str, options: Optional[RecordOptions] = None
                 ) -> Iterator[RawRecord]:
    if records_format == "jsonl":
        return read_jsonl(stream)
    return read_csv(stream, "\t" if records_format == "tsv" else ",", options)


# -- linting raw records -------------------------------------------------------------------------
@dataclass
class Outcome:
    """What one raw record produced: JSON Lines output, or the reason it was skipped."""

    line: int
    output: str = ""
    severities: Tuple[int, ...] = ()
    fields_found: Tuple[str, ...] = ()
    error: Optional[str] = None  # "malformed record skipped: why" or "record skipped: why"
    rule_errors: Tuple[Tuple[str, str], ...] = ()  # (rule code, message) of rules switched off here


def decode_json_record(payload: bytes) -> Any:
    try:
        return json.loads(payload.rstrip())  # without the line ending, errors point into the line
    except UnicodeDecodeError as error:
        raise MalformedRecord(f"cannot decode as UTF-8: invalid byte 0x{payload[error.start]:02x} "
                              f"at column {error.start + 1}") from None
    except json.JSONDecodeError as error:
        raise MalformedRecord(f"invalid JSON: {error.msg} at column {error.colno}") from None
    except RecursionError:
        raise MalformedRecord("JSON nested too deeply") from None


def process_raw_record(linter, options: RecordOptions, raw: RawRecord) -> Outcome:
    """Parse, validate and lint one raw record. Problems with the record (and a rule timing out
    on it) become the outcome's `error`; the run goes on with the next record."""
    line, payload = raw
    try:
        if isinstance(payload, MalformedRecord):
            raise payload
        record = decode_json_record(payload) if isinstance(payload, bytes) else payload
        before = len(linter.switched_off)
        identifier, found = lint_record_diagnostics(linter, record, options)
    except MalformedRecord as error:
        return Outcome(line, error=f"malformed record skipped: {error.message}")
    except HypelintError as error:  # e.g. a rule timing out on this record's text
        return Outcome(line, error=f"record skipped: {error.message}")
    except Exception as error:  # noqa: BLE001 - one bad record must not end the stream (issue 19)
        return Outcome(line, error=f"record skipped: {not_linted(error).message}")
    output = "".join(_json_line(finding(identifier, label, diagnostic)) for label, diagnostic in found)
    present = tuple(name for name in options.text_fields if not _is_blank(field_value(record, name)))
    switched = () if len(linter.switched_off) == before else tuple(
        (code, error.message) for code, error in list(linter.switched_off.items())[before:])
    return Outcome(line, output, tuple(int(d.severity) for _, d in found), present, rule_errors=switched)


def _json_line(data: Dict[str, Any]) -> str:
    """One JSON Lines object, valid whatever the id holds: a lone surrogate becomes a `\\uDCxx`
    escape (writing it raw stopped the stream), and a non-finite number id (`Infinity`, `NaN`,
    which JSON has no spelling for) its name as a string."""
    from .reporters import escape_surrogates

    identifier = data.get("id")
    if isinstance(identifier, float) and not math.isfinite(identifier):
        data = dict(data, id=str(identifier).replace("inf", "Infinity").replace("nan", "NaN"))
    return escape_surrogates(json.dumps(data, ensure_ascii=False, allow_nan=False)) + "\n"


# Worker processes keep the linter they were started with: built (unpickled) once per process.
_worker_linter = None
_worker_options: Optional[RecordOptions] = None


def _start_worker(linter, options: RecordOptions, owner: Optional[int] = None) -> None:
    from .parallel import detach_worker

    global _worker_linter, _worker_options
    detach_worker(owner)  # no stdin, and gone with the process that started it
    _worker_linter, _worker_options = linter, options


def _process_batch(batch: List[RawRecord]) -> List[Outcome]:
    return [process_raw_record(_worker_linter, _worker_options, raw) for raw in batch]


def default_jobs() -> int:
    """The CPU count this process may use (the `--jobs` default)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _process_context():
    # Not "fork": the main process runs reader and writer threads, and forking a threaded process
    # can deadlock. forkserver (POSIX) and spawn start clean interpreters.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


_END = object()


def iter_outcomes(raw_records: Iterable[RawRecord], linter, options: RecordOptions, jobs: int = 1,
                  streaming: bool = False) -> Iterator[Outcome]:
    """Outcomes in input order. `jobs` > 1 lints batches in worker processes; a run shorter than
    one batch never starts them. With `streaming` (a pipe), a batch is sent as soon as the input
    pauses, so output keeps up with slow producers."""
    if jobs <= 1:
        for raw in raw_records:
            yield process_raw_record(linter, options, raw)
        return
    yield from _ParallelRun(raw_records, linter, options, jobs, streaming).outcomes()


class _ParallelRun:
    """Reader thread → batches → process pool → outcomes in order, with bounded memory.

    The reader thread fills a bounded queue; the caller's thread cuts batches from it and submits
    them; finished batches are handed back in submission order through a second bounded queue,
    which also stops the reader from running ahead of the workers.
    """

    def __init__(self, raw_records, linter, options, jobs, streaming):
        self.raw_records = raw_records
        self.linter = linter
        self.options = options
        self.jobs = jobs
        self.streaming = streaming
        self.input: "queue.Queue[Any]" = queue.Queue(maxsize=BATCH_SIZE * jobs * TASKS_IN_FLIGHT_PER_JOB)
        self.reader_error: Optional[BaseException] = None
        self.stopped = threading.Event()

    def _put(self, target: "queue.Queue[Any]", item: Any) -> bool:
        """Put into a bounded queue, giving up when the run stops (the consumer went away)."""
        while not self.stopped.is_set():
            try:
                target.put(item, timeout=0.5)  # wakes up now and then to notice a stopped run
                return True
            except queue.Full:
                continue
        return False

    def _read(self) -> None:
        try:
            for raw in self.raw_records:
                if not self._put(self.input, raw):
                    return
        except BaseException as error:  # handed to the consumer, which re-raises it
            self.reader_error = error
        self._put(self.input, _END)

    def _next_batch(self) -> Tuple[List[RawRecord], bool]:
        """Up to BATCH_SIZE raw records and whether the input ended."""
        batch: List[RawRecord] = []
        item = self.input.get()
        while item is not _END:
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                return batch, False
            if self.streaming:
                try:
                    item = self.input.get_nowait()
                except queue.Empty:
                    return batch, False
            else:
                item = self.input.get()
        return batch, True

    def outcomes(self) -> Iterator[Outcome]:
        reader = threading.Thread(target=self._read, name="hypelint-records-reader", daemon=True)
        reader.start()
        executor = None
        finished = False
        try:
            batch, ended = self._next_batch()
            if ended:  # the whole input fits in one batch: not worth starting processes
                for raw in batch:
                    yield process_raw_record(self.linter, self.options, raw)
            else:
                executor = concurrent.futures.ProcessPoolExecutor(
                    max_workers=self.jobs, mp_context=_process_context(),
                    initializer=_start_worker, initargs=(self.linter, self.options, os.getpid()))
                yield from self._pipeline(executor, batch)
            if self.reader_error is not None:
                raise self.reader_error
            finished = True
        finally:
            self.stopped.set()
            if executor is not None:
                if not finished:  # a signal, a closed pipe or an error: stop the workers now
                    call_queue = getattr(executor, "_call_queue", None)
                    if call_queue is not None:  # its feeder may be stuck on a full pipe no one reads
                        call_queue.cancel_join_thread()
                    for process in list(getattr(executor, "_processes", {}).values()):
                        try:
                            process.terminate()
                        except (OSError, AttributeError):
                            pass
                executor.shutdown(wait=True, cancel_futures=True)

    def _pipeline(self, executor, first_batch) -> Iterator[Outcome]:
        # Submitted batches wait here in order; a bounded queue so the submitter blocks when
        # the workers fall behind, and a thread so results flow while it waits for input.
        ordered: "queue.Queue[Any]" = queue.Queue(maxsize=self.jobs * TASKS_IN_FLIGHT_PER_JOB)
        submit_error: List[BaseException] = []

        def submit() -> None:
            try:
                batch, ended = first_batch, False
                while True:
                    if batch and not self._put(ordered, executor.submit(_process_batch, batch)):
                        return
                    if ended:
                        break
                    batch, ended = self._next_batch()
            except BaseException as error:
                submit_error.append(error)
            self._put(ordered, _END)

        submitter = threading.Thread(target=submit, name="hypelint-records-submitter", daemon=True)
        submitter.start()
        while True:
            future = ordered.get()
            if future is _END:
                break
            try:
                outcomes = future.result()
            except concurrent.futures.BrokenExecutor:
                raise HypelintError("a worker process died; run again with --jobs 1 to see why") from None
            yield from outcomes
        if submit_error:
            raise submit_error[0]


# -- the `hypelint check --records` command -----------------------------------------------------
@dataclass
class RecordsSummary:
    """Counts for the summary line and the exit code."""

    records: int = 0
    linted: int = 0
    malformed: int = 0
    records_with_findings: int = 0
    severities: Dict[int, int] = field(default_factory=lambda: {int(s): 0 for s in Severity})
    fields_found: Dict[str, int] = field(default_factory=dict)
    switched_off: set = field(default_factory=set)  # rules that ran out of time (reported once)

    def add(self, outcome: Outcome) -> None:
        self.records += 1
        if outcome.error is not None:
            self.malformed += 1
            return
        self.linted += 1
        if outcome.severities:
            self.records_with_findings += 1
            for severity in outcome.severities:
                self.severities[severity] += 1
        for name in outcome.fields_found:
            self.fields_found[name] = self.fields_found.get(name, 0) + 1

    @property
    def findings(self) -> int:
        return sum(self.severities.values())


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(summary: RecordsSummary) -> str:
    checked = f"{summary.linted} checked" + (f", {summary.malformed} malformed" if summary.malformed else "")
    if not summary.findings:
        return f"No problems found in {_plural(summary.records, 'record')} ({checked})."
    counts = summary.severities
    parts = [_plural(counts[Severity.ERROR], "error"), _plural(counts[Severity.WARNING], "warning"),
             f"{counts[Severity.INFO]} info"]
    return (f"Found {_plural(summary.findings, 'problem')} ({', '.join(parts)}) in "
            f"{_plural(summary.records_with_findings, 'record')} ({checked}).")


def options_from_args(args) -> RecordOptions:
    """RecordOptions from the CLI flags, with usage errors for missing or conflicting ones."""
    if args.paths:
        raise HypelintError("--records cannot be combined with PATH arguments")
    for flag in ("exclude", "extend_exclude", "force_exclude", "stdin_filename", "baseline", "write_baseline",
                 "output_file", "statistics"):
        if getattr(args, flag, None):  # options about files and file reports: refused, not ignored
            raise HypelintError(f"--{flag.replace('_', '-')} applies to files, not to --records")
    if not args.text_field:
        raise HypelintError("--records needs --text-field NAME (the field holding the copy)")
    if args.format not in ("text", "jsonl"):
        raise HypelintError(f"--records writes JSON Lines; --format {args.format} applies to files only")
    if args.jobs is not None and args.jobs < 1:
        raise HypelintError("--jobs must be at least 1")
    try:
        return RecordOptions.create(args.text_field, args.id_field, args.format_field, args.record_format)
    except SourceError as error:
        raise HypelintError(f"--record-format: {error.message}") from None


_RECORD_FLAGS = ("text_field", "id_field", "format_field", "record_format", "records_format")


def requested(args) -> bool:
    """Whether the `check` arguments ask for record mode (--records or any record flag)."""
    return args.records is not None or any(getattr(args, flag, None) for flag in _RECORD_FLAGS)


def run_records_command(args, settings, stdin: IO[bytes], stdout: IO[str], stderr: IO[str]) -> int:
    """`hypelint check --records FILE`: JSON Lines findings on `stdout`, one per line, flushed as
    records finish; malformed records reported on `stderr` with their line and skipped.

    Exit code: 2 for usage or input errors and when records were read but none could be linted
    (all malformed) or none had any of the text fields; else 1 when a finding is at or above
    --fail-on; else 0.
    """
    if args.records is None:  # a record flag without --records means nothing: say so
        flag = next(flag for flag in _RECORD_FLAGS if getattr(args, flag, None))
        raise HypelintError(f"--{flag.replace('_', '-')} needs --records FILE")
    options = options_from_args(args)
    source = args.records
    records_format = records_format_for(source, args.records_format)
    linter = settings.linter()
    threshold = int(Severity.parse(settings.fail_on))
    jobs = args.jobs or default_jobs()
    summary = RecordsSummary()
    label = "-" if source == "-" else source
    stream = open_records(source, stdin)
    try:
        raw_records = read_records(stream, records_format, options)
        outcomes = iter_outcomes(raw_records, linter, options, jobs, streaming=source == "-")
        try:
            for outcome in outcomes:
                summary.add(outcome)
                for code, message in outcome.rule_errors:  # once a run, whichever worker saw it
                    if code not in summary.switched_off:
                        summary.switched_off.add(code)
                        stderr.write(f"hypelint: error: {label}:{outcome.line}: {message}\n")
                if outcome.error is not None:
                    stderr.write(f"{label}:{outcome.line}: {outcome.error}\n")
                elif outcome.output:
                    stdout.write(outcome.output)
                    stdout.flush()
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly
            _silence_stdout(stdout)
            return _exit_code(summary, threshold)
        except SourceError as error:  # the file itself broke (a CSV header, a gzip stream)
            if error.path is None:
                error = SourceError(error.message, label, error.line, error.column)
            raise error from None
        except (gzip.BadGzipFile, EOFError, zlib.error) as error:  # a corrupt or truncated .gz file
            raise SourceError(f"cannot read records: {error}", label) from None
    finally:
        if stream is not stdin:
            stream.close()
    if summary.records and not summary.linted:
        stderr.write(f"hypelint: error: {label}: no record could be linted ({summary.malformed} malformed)\n")
        return 2
    if summary.linted and not summary.fields_found:
        names = ", ".join(repr(name) for name in options.text_fields)
        stderr.write(f"hypelint: error: {label}: no record has the text field {names}; "
                     f"check --text-field\n")
        return 2
    for name in options.text_fields:
        if summary.linted and name not in summary.fields_found:
            stderr.write(f"hypelint: warning: {label}: no record has the text field {name!r}\n")
    if not args.quiet:
        stderr.write(summary_line(summary) + "\n")
    if summary.switched_off:  # a rule was switched off: the run is incomplete
        return 2
    return _exit_code(summary, threshold)


def _exit_code(summary: RecordsSummary, threshold: int) -> int:
    failing = any(count for severity, count in summary.severities.items() if severity >= threshold)
    return 1 if failing else 0


def _silence_stdout(stdout) -> None:
    # Python flushes stdout at exit and would report the broken pipe again; point it at devnull.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass

"""Record mode: `hypelint check --records` over JSON Lines, CSV and standard input, malformed
records, positions inside fields, --jobs, streaming; and the records Python API."""
from __future__ import annotations

import gzip
import json
import queue
import subprocess
import sys
import threading

import pytest

from conftest import ROOT, run_cli
from hypelint import Linter
from hypelint.records import (BATCH_SIZE, FINDING_KEYS, MalformedRecord, RecordOptions, lint_record,
                              lint_records)
from tiny_pack import write_tiny_config

LISTINGS = [
    {"sku": "A-1", "description": "Our balm zapfixes dry skin.", "kind": "text"},
    {"sku": "A-2", "description": "A plain moisturiser.\n\nPure glowmax, and it zapfixed my scalp."},
    {"sku": "A-3", "description": "Nothing risky here."},
    {"sku": 4, "description": "**Glowmax** in a jar.", "kind": "markdown"},
]


@pytest.fixture
def config(tmp_path):
    return write_tiny_config(tmp_path)


def jsonl(records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def findings(out: str):
    return [json.loads(line) for line in out.splitlines()]


def check_records(cli, config, path, *extra, stdin=b""):
    return cli("check", "--config", config, "--records", path, "--text-field", "description",
               "--id-field", "sku", *extra, stdin=stdin)


def test_jsonl_findings_carry_id_field_and_positions_inside_the_field(tmp_path, cli, config):
    source = tmp_path / "listings.jsonl"
    source.write_text(jsonl(LISTINGS), encoding="utf-8")
    result = check_records(cli, config, source, "--format-field", "kind")
    assert result.code == 1
    rows = findings(result.out)
    assert [(r["id"], r["field"], r["code"], r["line"], r["column"], r["end_line"], r["end_column"])
            for r in rows] == [
        ("A-1", "description", "TST101", 1, 10, 1, 18),
        ("A-2", "description", "TST201", 3, 6, 3, 13),
        ("A-2", "description", "TST101", 3, 22, 3, 30),
        (4, "description", "TST201", 1, 3, 1, 10),
    ]
    by_id = {r["sku"]: r["description"] for r in LISTINGS}
    for row in rows:
        assert list(row) == list(FINDING_KEYS)
        assert by_id[row["id"]][row["start"]:row["end"]] == row["matched"]
    assert rows[0]["severity"] == "error" and rows[0]["references"] == ["https://example.com/zapfix"]
    assert "Found 4 problems (2 errors, 2 warnings, 0 info) in 3 records (4 checked)." in result.err


def test_findings_match_linting_each_text_alone(tmp_path, cli, config):
    source = tmp_path / "listings.jsonl"
    source.write_text(jsonl(LISTINGS), encoding="utf-8")
    rows = findings(check_records(cli, config, source).out)
    linter = Linter.from_config(config)
    expected = []
    for record in LISTINGS:
        for diagnostic in linter.lint_text(record["description"], format="text"):
            expected.append({**diagnostic.to_dict(), "id": record["sku"]})
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected):
        for key in ("line", "column", "end_line", "end_column", "code", "name", "category", "severity",
                    "message", "suggestions", "references", "id"):
            assert row[key] == want[key]


def test_malformed_records_are_reported_with_line_numbers_and_skipped(tmp_path, cli, config):
    lines = [
        LISTINGS[0],
        "",                                      # blank lines are not records
        '{"sku": "B-1", "description": "zapfix", ',  # invalid JSON
        "[1, 2]",                                # not an object
        {"description": "zapfix, no id"},
        {"sku": "B-4", "description": 12},
        {"sku": ["B", 5], "description": "zapfix"},
        {"sku": "B-6", "description": "glowmax", "kind": "klingon"},
        LISTINGS[1],
    ]
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(jsonl(lines).encode() + b'{"sku": "B-7", "description": "\xff zapfix"}\n')
    result = check_records(cli, config, source, "--format-field", "kind")
    assert result.code == 1
    assert [r["id"] for r in findings(result.out)] == ["A-1", "A-2", "A-2"]
    errors = [line for line in result.err.splitlines() if "malformed record skipped" in line]
    assert errors == [
        f"{source}:3: malformed record skipped: invalid JSON: Expecting property name enclosed in double quotes at column 40",
        f"{source}:4: malformed record skipped: expected an object, got a list",
        f"{source}:5: malformed record skipped: no id: field 'sku' is missing or empty",
        f"{source}:6: malformed record skipped: text field 'description' is a number, not text",
        f"{source}:7: malformed record skipped: id field 'sku' is a list, not a string or number",
        f"{source}:8: malformed record skipped: format field 'kind': unknown format 'klingon' (known: html, json, markdown, mdx, text, yaml)",
        f"{source}:10: malformed record skipped: cannot decode as UTF-8: invalid byte 0xff at column 32",
    ]
    assert "(2 checked, 7 malformed)" in result.err


def test_only_malformed_records_exit_2_and_clean_records_exit_0(tmp_path, cli, config):
    broken = tmp_path / "broken.jsonl"
    broken.write_text("nope\n{\n", encoding="utf-8")
    result = check_records(cli, config, broken)
    assert result.code == 2
    assert f"hypelint: error: {broken}: no record could be linted (2 malformed)" in result.err
    clean = tmp_path / "clean.jsonl"
    clean.write_text(jsonl([LISTINGS[2], "oops"]), encoding="utf-8")
    result = check_records(cli, config, clean)
    assert (result.code, result.out) == (0, "")
    assert "No problems found in 2 records (1 checked, 1 malformed)." in result.err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert check_records(cli, config, empty).code == 0


def test_fail_on_and_select_apply(tmp_path, cli, config):
    source = tmp_path / "listings.jsonl"
    source.write_text(jsonl([LISTINGS[3]]), encoding="utf-8")  # one warning
    assert check_records(cli, config, source).code == 1
    assert check_records(cli, config, source, "--fail-on", "error").code == 0
    result = check_records(cli, config, source, "--select", "TST101")
    assert (result.code, result.out) == (0, "")


def test_csv_with_quoted_newlines_bad_rows_and_bad_bytes(tmp_path, cli, config):
    source = tmp_path / "listings.csv"
    source.write_bytes(
        b"\xef\xbb\xbfsku,description,kind\n"
        b"A-1,Our balm zapfixes dry skin.,text\n"
        b'A-2,"A plain moisturiser.\n\nPure glowmax, and it zapfixed my scalp.",\n'
        b"A-3,too,many,cells\n"
        b'A-4,"bad "quote,text\n'
        b"\n"
        b"A-5,\xff zapfix,text\n"
        b"A-6,**Glowmax** in a jar.,markdown\n"
    )
    result = check_records(cli, config, source, "--format-field", "kind")
    assert result.code == 1
    assert [(r["id"], r["code"], r["line"], r["column"]) for r in findings(result.out)] == [
        ("A-1", "TST101", 1, 10), ("A-2", "TST201", 3, 6), ("A-2", "TST101", 3, 22), ("A-6", "TST201", 1, 3),
    ]
    assert [line for line in result.err.splitlines() if "malformed record skipped" in line] == [
        f"{source}:6: malformed record skipped: row has 4 cells but the header has 3",
        f"{source}:7: malformed record skipped: invalid CSV: ',' expected after '\"'",
        f"{source}:9: malformed record skipped: cannot decode as UTF-8: invalid byte 0xff at column 5",
    ]


def test_csv_header_must_name_the_fields(tmp_path, cli, config):
    source = tmp_path / "listings.csv"
    source.write_text("sku,body\nA-1,zapfix\n", encoding="utf-8")
    result = check_records(cli, config, source)
    assert result.code == 2 and result.out == ""
    assert result.err.strip() == (f"hypelint: error: {source}:1: no --text-field column ('description') "
                                  "in the header (sku, body)")
    result = cli("check", "--config", config, "--records", source, "--text-field", "body", "--id-field", "id")
    assert result.code == 2
    assert "--id-field 'id' is not a column of the header (sku, body)" in result.err


def test_tsv_and_gzip_and_explicit_records_format(tmp_path, cli, config):
    tsv = tmp_path / "listings.tsv"
    tsv.write_text("sku\tdescription\nT-1\tIt zapfixes.\n", encoding="utf-8")
    assert [r["id"] for r in findings(check_records(cli, config, tsv).out)] == ["T-1"]
    packed = tmp_path / "listings.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as handle:
        handle.write(jsonl(LISTINGS))
    assert len(findings(check_records(cli, config, packed).out)) == 4
    truncated = tmp_path / "truncated.jsonl.gz"
    truncated.write_bytes(packed.read_bytes()[:40])
    result = check_records(cli, config, truncated)
    assert result.code == 2
    assert f"hypelint: error: {truncated}: cannot read records: Compressed file ended" in result.err
    odd = tmp_path / "listings.data"
    odd.write_text("sku,description\nD-1,zapfix\n", encoding="utf-8")
    result = check_records(cli, config, odd)
    assert result.code == 2 and "pass --records-format jsonl, csv or tsv" in result.err
    assert [r["id"] for r in findings(check_records(cli, config, odd, "--records-format", "csv").out)] == ["D-1"]


def test_stdin_jsonl_and_csv(cli, config):
    result = check_records(cli, config, "-", stdin=jsonl(LISTINGS + ["bad"]).encode())
    assert result.code == 1
    assert [r["id"] for r in findings(result.out)] == ["A-1", "A-2", "A-2", 4]
    assert "-:5: malformed record skipped: invalid JSON" in result.err
    result = check_records(cli, config, "-", "--records-format", "csv", stdin=b"sku,description\nC-1,zapfix\n")
    assert [r["id"] for r in findings(result.out)] == ["C-1"]


def test_several_text_fields_lists_and_nested_fields(tmp_path, cli, config):
    record = {"sku": "M-1", "title": "Glowmax cream", "details": {"body": "It zapfixes."},
              "bullets": ["Soft.", None, "Zapfix inside."]}
    source = tmp_path / "listings.jsonl"
    source.write_text(jsonl([record]), encoding="utf-8")
    result = cli("check", "--config", config, "--records", source, "--id-field", "sku",
                 "--text-field", "title", "--text-field", "details.body", "--text-field", "bullets",
                 "--text-field", "subtitle")
    assert [(r["field"], r["code"], r["matched"]) for r in findings(result.out)] == [
        ("title", "TST201", "Glowmax"), ("details.body", "TST101", "zapfixes"), ("bullets[2]", "TST101", "Zapfix"),
    ]
    assert "hypelint: warning: " in result.err and "no record has the text field 'subtitle'" in result.err


def test_record_format_applies_to_every_record(tmp_path, cli, config):
    source = tmp_path / "listings.jsonl"
    source.write_text(jsonl([{"sku": 1, "description": "`zapfix` is code; glowmax is not."}]), encoding="utf-8")
    as_text = findings(check_records(cli, config, source).out)
    as_markdown = findings(check_records(cli, config, source, "--record-format", "markdown").out)
    assert [r["code"] for r in as_text] == ["TST101", "TST201"]
    assert [r["code"] for r in as_markdown] == ["TST201"]


@pytest.mark.parametrize("arguments,message", [
    (["--records", "x.jsonl"], "--records needs --text-field NAME"),
    (["--text-field", "description"], "--text-field needs --records FILE"),
    (["--records", "x.jsonl", "--text-field", "d", "README.md"], "--records cannot be combined with PATH"),
    (["--records", "x.jsonl", "--text-field", "d", "--format", "json"], "--records writes JSON Lines"),
    (["--records", "x.jsonl", "--text-field", "d", "--record-format", "xml"], "--record-format: unknown format 'xml'"),
    (["--records", "x.jsonl", "--text-field", "d", "--records-format", "xml"], "unknown --records-format 'xml'"),
    (["--records", "x.jsonl", "--text-field", "d", "--jobs", "0"], "expected a positive number of jobs"),
    (["--records", "missing.jsonl", "--text-field", "d"], "missing.jsonl: cannot read records: No such file"),
    (["--records", "x.jsonl", "--text-field", "d", "--exclude", "*.md"], "--exclude applies to files, not to --records"),
    (["--records", "x.jsonl", "--text-field", "d", "--stdin-filename", "a.md"], "--stdin-filename applies to files"),
    (["--records", "x.jsonl", "--text-field", "d", "--force-exclude"], "--force-exclude applies to files"),
    (["--records", "x.jsonl", "--text-field", "d", "--baseline", "b.json"], "--baseline applies to files"),
    (["--records", "x.jsonl", "--text-field", "d", "-o", "out.txt"], "--output-file applies to files"),
])
def test_usage_and_input_errors_exit_2_with_one_line(tmp_path, cli, config, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.jsonl").write_text("", encoding="utf-8")
    result = cli("check", "--config", config, *arguments)
    assert result.code == 2 and result.out == ""
    [line] = result.err.splitlines()
    assert line.startswith("hypelint: error: ") and message in line


def test_a_misspelt_text_field_is_an_error_not_a_clean_run(tmp_path, cli, config):
    source = tmp_path / "listings.jsonl"
    source.write_text(jsonl(LISTINGS), encoding="utf-8")
    result = cli("check", "--config", config, "--records", source, "--text-field", "descripton")
    assert result.code == 2
    assert "no record has the text field 'descripton'; check --text-field" in result.err


def many_listings(count):
    words = ["Soft and simple.", "It zapfixes skin.", "Pure glowmax.", "Made with oats."]
    return [{"sku": f"S{i}", "description": " ".join(words[(i * k) % 4] for k in (1, 2, 3))}
            for i in range(count)]


def test_jobs_gives_the_single_process_output_in_order(tmp_path, config):
    records = many_listings(3 * BATCH_SIZE + 7)
    lines = [json.dumps(r) for r in records]
    lines.insert(200, "{not json")
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    arguments = ["check", "--config", config, "--records", source, "--text-field", "description", "--id-field", "sku"]
    single = run_cli(*arguments, "--jobs", "1")
    parallel = run_cli(*arguments, "--jobs", "2")
    from_stdin = run_cli(*arguments[:4], "-", *arguments[5:], "--jobs", "2", stdin=source.read_bytes())
    assert single.returncode == parallel.returncode == from_stdin.returncode == 1, parallel.stderr
    assert len(single.stdout.splitlines()) > 300
    assert parallel.stdout == single.stdout == from_stdin.stdout
    assert parallel.stderr == single.stderr
    assert f"{source}:201: malformed record skipped: invalid JSON" in single.stderr.decode()


def _read_lines_into(stream, lines: "queue.Queue[bytes]") -> None:
    for line in stream:
        lines.put(line)
    lines.put(b"")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_stdin_streams_a_finding_per_record_before_input_ends(config, jobs):
    process = subprocess.Popen(
        [sys.executable, "-m", "hypelint", "check", "--config", str(config), "--records", "-",
         "--text-field", "description", "--id-field", "sku", "--jobs", jobs],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    lines: "queue.Queue[bytes]" = queue.Queue()
    threading.Thread(target=_read_lines_into, args=(process.stdout, lines), daemon=True).start()
    try:
        for index in range(3):
            process.stdin.write((json.dumps({"sku": index, "description": "It zapfixes."}) + "\n").encode())
            process.stdin.flush()
            # the finding for this record arrives while stdin is still open
            assert json.loads(lines.get(timeout=60))["id"] == index
        process.stdin.close()
        assert lines.get(timeout=60) == b""
        assert process.wait(timeout=60) == 1
    finally:
        process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            stream.close()


def test_lint_records_api(config):
    linter = Linter.from_config(config)
    rows = list(lint_records(LISTINGS, "description", id_field="sku", format_field="kind", linter=linter))
    assert [(r["id"], r["code"]) for r in rows] == [("A-1", "TST101"), ("A-2", "TST201"), ("A-2", "TST101"),
                                                  (4, "TST201")]
    with pytest.raises(MalformedRecord) as info:
        list(lint_records([LISTINGS[0], {"description": "no id"}], "description", id_field="sku", linter=linter))
    assert info.value.line == 2 and "no id" in str(info.value)
    options = RecordOptions.create(["description"], format="md")
    assert options.format == "markdown"
    assert lint_record({"description": "fine"}, options, linter) == []


def test_worker_pool_runs_only_when_the_input_exceeds_one_batch(config, monkeypatch):
    import concurrent.futures

    from hypelint import records

    pools = []

    class CountingPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", CountingPool)
    linter = Linter.from_config(config)
    options = RecordOptions.create("description", "sku")

    def outcomes(count, jobs):
        raw = [(n, json.dumps(r).encode()) for n, r in enumerate(many_listings(count), 1)]
        return [(o.line, o.output, o.severities, o.error) for o in records.iter_outcomes(raw, linter, options, jobs)]

    assert outcomes(BATCH_SIZE - 1, 2) == outcomes(BATCH_SIZE - 1, 1)
    assert pools == []
    many = 4 * BATCH_SIZE + 1
    assert outcomes(many, 2) == outcomes(many, 1)
    assert len(pools) == 1


def test_a_rule_timing_out_on_one_record_skips_only_that_record(tmp_path, cli, config, monkeypatch):
    import hypelint.linter

    (tmp_path / "slow.yaml").write_text("""\
rules:
  - code: TST301
    name: slow-claim
    category: claim.puffery
    severity: warning
    message: 'slow {match}'
    rationale: Test rule.
    references: [{title: Test, url: 'https://example.com/slow'}]
    patterns: ['(?:a|aa)+b']
    examples: {bad: ['[[aab]]'], good: ['b']}
""", encoding="utf-8")
    config.write_text("extends: [tiny.yaml, slow.yaml]\n", encoding="utf-8")
    monkeypatch.setattr(hypelint.linter, "PATTERN_TIMEOUT", 0.05)
    source = tmp_path / "listings.jsonl"
    source.write_text(jsonl([{"sku": "T-1", "description": "a" * 40 + "!"}, LISTINGS[0]]), encoding="utf-8")
    result = check_records(cli, config, source, "--jobs", "1")
    # the slow rule is switched off for the rest of the run (issue 19); every record is linted
    assert [r["id"] for r in findings(result.out)] == ["A-1"]
    assert f"{source}:1: rule TST301 in " in result.err and "switched off for the rest of the run" in result.err
    assert "timed out" in result.err and result.code == 2

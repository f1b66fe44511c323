"""The Dask integration on a real distributed.LocalCluster (two worker processes): its findings are
the rows the single-process record mode writes, and each worker builds its linter once."""
from __future__ import annotations

import json

import dask.bag
import dask.dataframe
import pandas
import pytest
from distributed import Client, LocalCluster

from hypelint import Linter
from hypelint.integrations import pandas as pandas_integration
from hypelint.integrations.dask import lint, lint_bag, lint_dataframe
from hypelint.integrations.pandas import FINDING_COLUMNS, LinterHandle, lint_frame
from hypelint.records import MalformedRecord, lint_records
from tiny_pack import write_tiny_config

WORDS = ["Soft and simple.", "It zapfixes skin.", "Pure glowmax.", "Made with oats.", "**Glowmax** zapfix."]
LISTINGS = [{"sku": f"S{i:03}", "description": " ".join(WORDS[(i * k) % 5] for k in (1, 2, 3)),
             "title": "Glowmax set" if i % 7 == 0 else "Cream"} for i in range(120)]


@pytest.fixture(scope="module")
def client():
    # two worker processes: tasks really cross a process boundary, as on a cluster
    with LocalCluster(n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            yield client


@pytest.fixture(scope="module")
def linter(tmp_path_factory):
    return Linter.from_config(write_tiny_config(tmp_path_factory.mktemp("config")))


def expected_rows(linter, fields=("description",)):
    return list(lint_records(LISTINGS, list(fields), id_field="sku", linter=linter))


def test_dataframe_findings_equal_the_single_process_run(client, linter, cli, tmp_path):
    frame = dask.dataframe.from_pandas(pandas.DataFrame(LISTINGS), npartitions=5)
    findings = lint_dataframe(frame, "description", id_column="sku", linter=linter)
    assert list(findings.columns) == list(FINDING_COLUMNS)
    result = findings.compute()
    rows = result.to_dict("records")
    assert len(rows) > 100
    assert rows == expected_rows(linter)
    # and equal to what `hypelint check --records` writes for the same listings
    source = tmp_path / "listings.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in LISTINGS), encoding="utf-8")
    config = write_tiny_config(tmp_path)
    out = cli("check", "--config", config, "--records", source, "--text-field", "description", "--id-field", "sku").out
    assert rows == [json.loads(line) for line in out.splitlines()]


def test_each_worker_process_builds_the_linter_once(client, linter):
    frame = dask.dataframe.from_pandas(pandas.DataFrame(LISTINGS), npartitions=8)
    lint_dataframe(frame, ["title", "description"], id_column="sku", linter=linter).compute()
    digest = LinterHandle(linter).digest
    cached = client.run(lambda: list(pandas_integration._linters))
    assert len(cached) == 2
    assert all(keys == [digest] for keys in cached.values())


def test_bag_of_records_and_several_fields(client, linter):
    bag = dask.bag.from_sequence(LISTINGS, npartitions=4)
    rows = lint_bag(bag, ["title", "description"], id_field="sku", linter=linter).compute().to_dict("records")
    assert rows == expected_rows(linter, ("title", "description"))
    assert {row["field"] for row in rows} == {"title", "description"}
    assert lint(bag, "description", id_column="sku", linter=linter).compute().to_dict("records") == expected_rows(linter)


def test_without_id_column_the_index_label_identifies_the_row(client, linter):
    pandas_frame = pandas.DataFrame(LISTINGS, index=range(1000, 1000 + len(LISTINGS)))
    frame = dask.dataframe.from_pandas(pandas_frame, npartitions=3)
    rows = lint_dataframe(frame, "description", linter=linter).compute().to_dict("records")
    ids = {record["sku"]: label for label, record in zip(pandas_frame.index, LISTINGS)}
    assert [row["id"] for row in rows] == [ids[row["id"]] for row in expected_rows(linter)]


def test_malformed_rows_raise_or_are_skipped(linter):
    frame = pandas.DataFrame([{"sku": "A", "description": "It zapfixes."}, {"sku": "B", "description": 5}])
    with pytest.raises(MalformedRecord, match="row 1: text field 'description' is a number"):
        lint_frame(frame, "description", id_column="sku", linter=linter)
    assert list(lint_frame(frame, "description", id_column="sku", linter=linter, errors="skip")["id"]) == ["A"]
    with pytest.raises(KeyError, match="no column 'body'"):
        lint_frame(frame, "body", linter=linter)
    missing = pandas.DataFrame([{"sku": "A", "description": None}, {"sku": "B", "description": float("nan")}])
    assert lint_frame(missing, "description", id_column="sku", linter=linter).empty


def test_default_linter_and_format_column(client):
    frame = dask.dataframe.from_pandas(pandas.DataFrame([
        {"sku": 1, "description": "`cures` in code, and it cures baldness.", "kind": "markdown"},
        {"sku": 2, "description": "`cures` in code, and it cures baldness.", "kind": "text"},
    ]), npartitions=2)
    rows = lint_dataframe(frame, "description", id_column="sku", format_column="kind").compute()
    counts = rows[rows["code"] == "HL101"].groupby("id").size().to_dict()
    assert counts == {1: 1, 2: 2}


def test_the_example_script_runs(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    result = subprocess.run([sys.executable, str(ROOT / "examples" / "dask_records.py"), "--listings", "300",
                             "--workers", "1"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "cluster: 1 workers" in result.stdout
    assert " findings in " in result.stdout and "HL101" in result.stdout

"""The PySpark recipe in docs/batch.md, run as written on a local Spark session.

pyspark is large and needs Java, so it is not in the test extra: the test runs when both are
installed (`pip install pyspark`, a JDK on PATH) and is skipped with the reason otherwise.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys

import pytest

from conftest import ROOT
from hypelint import Linter
from hypelint.records import lint_records
from tiny_pack import write_tiny_config

MARKER = "<!-- spark-recipe"


def recipe_source() -> str:
    text = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
    after = text[text.index(MARKER):]
    return re.search(r"```python\n(.*?)```", after, re.DOTALL).group(1)


def test_the_recipe_is_in_the_docs():
    assert "mapInPandas" in recipe_source()


def spark_unavailable() -> str:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install pyspark to run the Spark recipe test)"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "Java is not installed (Spark needs a JDK on PATH or JAVA_HOME)"
    return ""


@pytest.mark.skipif(bool(spark_unavailable()), reason=spark_unavailable() or "")
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_spark_recipe_gives_the_single_process_findings(tmp_path, monkeypatch):
    from pyspark.sql import SparkSession

    # Spark's Python workers must run this interpreter (the one with hypelint installed)
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    monkeypatch.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
    linter = Linter.from_config(write_tiny_config(tmp_path))
    listings = [{"sku": f"S{i}", "title": "Glowmax kit" if i % 3 == 0 else "Kit",
                 "description": f"Item {i} zapfixes skin." if i % 2 else "Gentle and plain."} for i in range(40)]
    namespace: dict = {}
    exec(compile(recipe_source(), "docs/batch.md (spark recipe)", "exec"), namespace)

    spark = (SparkSession.builder.master("local[2]").appName("hypelint-recipe-test")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    try:
        frame = spark.createDataFrame(listings).repartition(3)
        findings = namespace["lint_spark"](frame, ["title", "description"], "sku", linter=linter)
        rows = sorted((row.asDict() for row in findings.collect()), key=lambda r: (r["id"], r["field"], r["start"]))
    finally:
        spark.stop()
    expected = sorted(lint_records(listings, ["title", "description"], id_field="sku", linter=linter),
                      key=lambda r: (r["id"], r["field"], r["start"]))
    assert len(expected) == 34
    assert rows == expected

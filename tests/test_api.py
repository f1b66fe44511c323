"""The Python API: Linter built from configuration, round trips to the CLI's JSON, pickling into
worker processes, sharing one linter between threads."""
from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import pickle
import threading

import pytest

import hypelint
from hypelint import Diagnostic, Linter, Severity
from hypelint.config import load_settings
from hypelint.errors import ConfigError
from hypelint.rules import load_packs
from tiny_pack import write_tiny_config

COPY = "# Scalp care\n\nOur serum *zapfixes* thinning hair.\n\n- Pure glowmax, fast.\n- Nothing else.\n"


def test_lint_text_dicts_equal_the_cli_json(tmp_path, cli):
    config = write_tiny_config(tmp_path)
    page = tmp_path / "page.md"
    page.write_text(COPY, encoding="utf-8")
    linter = Linter.from_config(config)
    diagnostics = linter.lint_text(COPY, path=str(page))
    assert [d.code for d in diagnostics] == ["TST101", "TST201"]
    assert all(isinstance(d, Diagnostic) for d in diagnostics)
    result = cli("check", "--config", config, "--format", "json", page)
    assert result.code == 1
    assert [d.to_dict() for d in diagnostics] == json.loads(result.out)


def test_default_rules_round_trip_and_module_helpers(tmp_path, cli):
    page = tmp_path / "page.md"
    page.write_text("Our serum cures baldness, guaranteed.\n", encoding="utf-8")
    from_cli = json.loads(cli("check", "--isolated", "--format", "json", page).out)
    assert from_cli, "the default rules flag this copy"
    text = page.read_text(encoding="utf-8")
    assert [d.to_dict() for d in hypelint.lint_text(text, path=str(page))] == from_cli
    assert [d.to_dict() for d in hypelint.lint_paths([str(page)])] == from_cli
    assert [d.to_dict() for d in Linter().lint_text(text, path=str(page), format="markdown")] == from_cli


def test_to_dict_is_json_serialisable_and_ordered(tmp_path):
    write_tiny_config(tmp_path)
    [diagnostic] = Linter(load_packs([str(tmp_path / "tiny.yaml")])).lint_text("It zapfixes.")
    data = diagnostic.to_dict()
    assert list(data) == ["path", "line", "column", "end_line", "end_column", "code", "name", "category",
                          "severity", "message", "suggestions", "references"]
    assert json.loads(json.dumps(data)) == data
    assert (data["line"], data["column"], data["end_column"], data["severity"]) == (1, 4, 12, "error")


def test_from_settings_and_overrides(tmp_path):
    config = write_tiny_config(tmp_path)
    settings = load_settings(config_path=config)
    linter = Linter.from_settings(settings)
    assert linter is settings.linter(), "Settings build their linter once"
    assert [r.code for r in linter.rules] == ["TST101", "TST201"]
    only_errors = Linter.from_config(config, ignore=["claim.puffery"])
    assert [r.code for r in only_errors.rules] == ["TST101"]
    discovered = Linter.from_config(start=tmp_path)
    assert [r.code for r in discovered.rules] == ["TST101", "TST201"]
    assert len(Linter.from_config(start=tmp_path, isolated=True).rules) > 2  # the default packs
    with pytest.raises(ConfigError, match="unknown rule or category 'nope'"):
        Linter.from_config(config, select=["nope"])


def test_constructor_signature_is_unchanged(tmp_path):
    write_tiny_config(tmp_path)
    rules = load_packs([str(tmp_path / "tiny.yaml")])
    linter = Linter(rules, select=["TST101", "TST201"], ignore=["TST201"],
                    severity_overrides={"TST101": Severity.WARNING})
    [diagnostic] = linter.lint_text("zapfix and glowmax")
    assert (diagnostic.code, diagnostic.severity) == ("TST101", Severity.WARNING)


def test_pickle_round_trip_keeps_rules_selection_and_severities(tmp_path):
    write_tiny_config(tmp_path)
    rules = load_packs([str(tmp_path / "tiny.yaml")])
    linter = Linter(rules, ignore=["TST201"], severity_overrides={"claim.cure": Severity.INFO})
    data = pickle.dumps(linter)
    (tmp_path / "tiny.yaml").unlink()  # the rules travel inside the pickle, not as a file path
    copy = pickle.loads(data)
    assert type(copy) is Linter
    assert [r.code for r in copy.rules] == ["TST101"]
    assert [r.code for r in copy.all_rules] == ["TST101", "TST201"]
    text = "It zapfixes skin. Pure glowmax."
    assert copy.lint_text(text) == linter.lint_text(text)
    assert [d.severity for d in copy.lint_text(text)] == [Severity.INFO]
    assert [d.to_dict() for d in copy.lint_text(text)] == [d.to_dict() for d in linter.lint_text(text)]


def _lint_in_worker(linter, text):
    return [d.to_dict() for d in linter.lint_text(text, format="markdown")]


def test_linter_works_in_a_spawned_worker_process(tmp_path):
    config = write_tiny_config(tmp_path)
    linter = Linter.from_config(config)
    texts = [COPY, "Nothing to see.", "glowmax " * 3]
    expected = [[d.to_dict() for d in linter.lint_text(t, format="markdown")] for t in texts]
    # spawn: a fresh interpreter that only has what the pickle carries
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert list(pool.map(_lint_in_worker, [linter] * len(texts), texts)) == expected


def test_one_linter_shared_by_threads_gives_the_serial_results(tmp_path, monkeypatch):
    import hypelint.sources.markdown as markdown_source

    # start from a parser that does not exist yet, so the threads also race to create it
    monkeypatch.setattr(markdown_source, "_parsers", {})
    linter = Linter.from_config(write_tiny_config(tmp_path))
    texts = [f"Item {i}: zapfix{'es' if i % 2 else ''} here.\n\n> Pure *glowmax* {i}.\n" + "filler " * (i % 7)
             for i in range(60)]
    threads = 8
    barrier = threading.Barrier(threads)

    def work(offset):
        barrier.wait()  # all threads start linting at once
        return [(i, linter.lint_text(texts[i], format="markdown")) for i in range(offset, len(texts), threads)]

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        results = dict(pair for chunk in pool.map(work, range(threads)) for pair in chunk)
    serial = {i: Linter.from_config(tmp_path / ".hypelint.yaml").lint_text(t, format="markdown")
              for i, t in enumerate(texts)}
    assert results == serial
    assert all(len(found) == 2 for found in serial.values())


def test_default_linter_is_built_once_under_concurrency(monkeypatch):
    monkeypatch.setattr(hypelint, "_default_linter", None)
    barrier = threading.Barrier(6)

    def get(_):
        barrier.wait()
        return hypelint._default()

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        linters = list(pool.map(get, range(6)))
    assert all(linter is linters[0] for linter in linters)


def test_pickled_linter_keeps_its_options(tmp_path):
    """A linter sent to a worker keeps its source options, suppression policy and filters."""
    import pickle

    from hypelint.config import load_settings

    (tmp_path / ".hypelint.yaml").write_text(
        "languages: ['*']\nrequire-suppression-reason: true\nper-file-ignores: {'skip/*': [claim]}\n",
        encoding="utf-8")
    linter = load_settings(tmp_path).linter()
    clone = pickle.loads(pickle.dumps(linter))
    assert clone.source_options == linter.source_options
    assert clone.require_suppression_reason is True
    assert len(clone.postfilters) == len(linter.postfilters) == 1
    text = "Our serum cures baldness.\n"
    assert [d.code for d in clone.lint_text(text, path="skip/a.md")] == \
           [d.code for d in linter.lint_text(text, path="skip/a.md")]


def test_lint_paths_walks_folders_with_the_configurations_include_and_exclude(tmp_path):
    """The Python API and `hypelint check` lint the same files of a configured folder."""
    from conftest import run_cli

    (tmp_path / ".hypelint.yaml").write_text("include: ['*.md']\nexclude: ['drafts/**']\n", encoding="utf-8")
    for name in ("page.md", "notes.txt", "drafts/wip.md", "blog/post.md"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("It cures baldness.\n", encoding="utf-8")
    linter = Linter.from_config(start=tmp_path)
    found = sorted(result.path for result in linter.lint_paths([str(tmp_path)]))
    assert found == sorted(str(tmp_path / name) for name in ("page.md", "blog/post.md"))
    assert [r.path for r in linter.lint_paths([str(tmp_path)], exclude=["blog/**"])] == [str(tmp_path / "page.md")]
    checked = run_cli("check", "--no-cache", "--format", "json", str(tmp_path), cwd=tmp_path)
    assert sorted({d["path"] for d in json.loads(checked.stdout)}) == found

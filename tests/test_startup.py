"""Start-up stays cheap: a check imports only what it needs, and the fast YAML path loads the
same rules as the pure-Python one."""
from __future__ import annotations

import json
import subprocess
import sys

import yaml

from hypelint.rules import builtin_pack_names, load
from hypelint.rules.load import load_packs

PROBE = """
import sys
from hypelint.cli import main
code = main(["check", "--quiet", "--no-cache", sys.argv[1]])
print(__import__("json").dumps(sorted(sys.modules)))
"""


def _modules_after_check(tmp_path, name, text):
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", PROBE, str(page)], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_one_file_check_imports_only_what_it_needs(tmp_path):
    modules = _modules_after_check(tmp_path, "page.txt", "Our serum cures baldness.\n")
    unwanted = {"pygls", "lsprotocol", "jsonschema", "multiprocessing", "markdown_it", "hypothesis",
                "pandas", "dask", "jinja2"}
    assert not unwanted & {module.split(".")[0] for module in modules}
    assert "hypelint.cache" not in modules  # --no-cache
    markdown = _modules_after_check(tmp_path, "page.md", "Our serum cures baldness.\n")
    assert "markdown_it" in markdown and "multiprocessing" not in markdown


def test_libyaml_and_pure_python_loaders_give_the_same_rules(monkeypatch):
    fast = load_packs(builtin_pack_names())

    class PureLoader(yaml.SafeLoader):
        pass

    PureLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, load._construct_mapping)
    PureLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, load._construct_sequence)
    monkeypatch.setattr(load, "_LineLoader", PureLoader)
    slow = load_packs(builtin_pack_names())
    assert [(r.code, r.source, r.patterns, r.bad_examples, r.message) for r in fast] == \
           [(r.code, r.source, r.patterns, r.bad_examples, r.message) for r in slow]

"""libyaml reads front matter and YAML copy files ~20x faster than PyYAML's pure-Python parser:
both must give exactly the same strings, offsets, comments and errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import needs_shared
import yaml
from hypothesis import given, settings, strategies as st

from hypelint.sources import structured
from hypelint.sources.frontmatter import find_front_matter

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

pytestmark = pytest.mark.skipif(structured._FAST_LOADER is None, reason="PyYAML built without libyaml")


def _both(text, start=0, end=None, monkeypatch=None):
    fast = structured.scan_yaml(text, start, end)
    monkeypatch.setattr(structured, "_FAST_LOADER", None)
    slow = structured.scan_yaml(text, start, end)
    monkeypatch.undo()
    return fast, slow


def _yaml_sources():
    """Every YAML file and Markdown front matter the project and the shared corpora hold."""
    folders = [ROOT / "examples", ROOT / "tests", ROOT / "rulesets", SHARED / "wild", SHARED / "corpus"]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".yaml", ".yml"):
                yield path, path.read_text(encoding="utf-8", errors="replace"), 0, None
            elif path.suffix in (".md", ".mdx", ".markdown"):
                text = path.read_text(encoding="utf-8", errors="replace")
                front = find_front_matter(text)
                if front is not None and front.kind == "yaml":
                    yield path, text, front.body_start, front.body_end


@needs_shared  # counts real pages of ../shared
def test_libyaml_and_pyyaml_agree_on_every_yaml_we_have(monkeypatch):
    count = 0
    for path, text, start, end in _yaml_sources():
        fast, slow = _both(text, start, end, monkeypatch)
        assert fast == slow, path
        count += 1
    assert count > 20


TRICKY = [
    "title: 'It''s a cure'\nbody: \"line\\none \\u00e9\"\n",
    "a: |\n  block # not a comment\n  ünïcödé 🙂 text\nb: >-\n  folded\n  text\n# comment\n",
    "? complex key\n: value\nlist:\n  - one\n  - [two, 'three', {four: five}]\n",
    "anchors: &a hello\nref: *a\ntagged: !!str 123\nnum: 12\nbool: yes\nnull: ~\n",
    "emoji: 🙂🙂 cures\nastral: \"𝔘𝔫𝔦𝔠𝔬𝔡𝔢\"\n",
    "bad: [unclosed\n",
    "key: 'unclosed quote\n",
    "a: b: c\n",
    "- item\nkey: value\n",
    "\ttab: indented\n",
    "dup: 1\ndup: 2\n",
    "---\nfirst: doc\n---\nsecond: doc\n",
    "x: \"\\xZZ\"\n",
    "",
    "just a string",
]


@pytest.mark.parametrize("text", TRICKY)
def test_libyaml_and_pyyaml_agree_on_tricky_yaml(text, monkeypatch):
    fast, slow = _both(text, monkeypatch=monkeypatch)
    assert fast == slow


_pieces = st.sampled_from(["key", "title", ":", ": ", " ", "  ", "\n", "- ", "'", '"', "|", ">", "#",
                           "[", "]", "{", "}", ",", "&a", "*a", "!!str ", "é", "🙂", "\t", "cures", "?"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_pieces, max_size=40).map("".join))
def test_libyaml_and_pyyaml_agree_on_generated_yaml(text):
    fast = structured.scan_yaml(text)
    saved = structured._FAST_LOADER
    structured._FAST_LOADER = None
    try:
        slow = structured.scan_yaml(text)
    finally:
        structured._FAST_LOADER = saved
    assert fast == slow

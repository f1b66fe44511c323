#!/usr/bin/env python3
"""The regex floor: read every file and run one combined `regex` alternation of the built-in
rules' literal trigger phrases. Nothing else: no parsing, no masks, no positions, no context.

    python benchmarks/floor.py --write-phrases phrases.json     # needs hypelint importable
    python benchmarks/floor.py --phrases phrases.json CORPUS    # the timed part: needs only regex
    python benchmarks/floor.py --phrases phrases.json --factored CORPUS

How the phrases are extracted (`--write-phrases`): every pattern of every rule hypelint runs by
default is read with Python's regular-expression parser and expanded into the finite set of
strings it matches, where literal characters stay, `\\s+` (what a space in a rule becomes)
becomes one space, optional parts and alternations give every combination, small character
classes give each character, and word boundaries and lookarounds give nothing. A pattern that
cannot be expanded into at most 500 strings (unbounded repeats of letters, `\\d+`, ...)
contributes its required literals instead, the keywords hypelint's prefilter uses
(`hypelint.prefilter.analyse`). In the combined pattern a space matches any whitespace, the
whole alternation is case-insensitive and word-bounded, and phrases are tried longest first.

`--factored` builds the same alternation factored by shared prefix ("cur(?:e|ing)"), the
fastest form for the `regex` module.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import List, Optional, Set

MAX_STRINGS = 500
EXTENSIONS = (".md", ".markdown", ".mdx", ".txt")


# -- phrase extraction (untimed; uses hypelint) --------------------------------------------------
def _expand(items, sre) -> Optional[Set[str]]:
    """All strings a parsed sequence matches, with whitespace runs as one space; None if
    infinite or too many."""
    strings = {""}
    for op, value in items:
        options = _expand_node(op, value, sre)
        if options is None:
            return None
        strings = {left + right for left in strings for right in options}
        if len(strings) > MAX_STRINGS:
            return None
    return strings


def _expand_node(op, value, sre) -> Optional[Set[str]]:
    if op is sre.LITERAL:
        return {chr(value)}
    if op is sre.IN:
        if any(item_op is sre.CATEGORY and item_value == sre.CATEGORY_SPACE for item_op, item_value in value):
            return {" "}
        if all(item_op is sre.LITERAL for item_op, _ in value) and len(value) <= 8:
            return {chr(item_value) for _, item_value in value}
        return None
    if op is sre.BRANCH:
        result: Set[str] = set()
        for alternative in value[1]:
            strings = _expand(alternative, sre)
            if strings is None:
                return None
            result |= strings
        return result
    if op is sre.SUBPATTERN:
        return _expand(value[-1], sre)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return {""}
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, items = value
        inner = _expand(items, sre)
        if inner == {" "}:
            return {" "}  # \s+: one space stands for any run of whitespace
        if inner is None or high > 1:
            return None
        return inner | {""} if low == 0 else inner
    return None


def rule_phrases() -> List[str]:
    from hypelint.prefilter import analyse, sre, sre_parse
    from hypelint.rules import load_packs

    phrases: Set[str] = set()
    for rule in load_packs():
        for pattern in rule.patterns:
            try:
                strings = _expand(sre_parse.parse(pattern.pattern), sre)
            except Exception:  # noqa: BLE001 - syntax only `regex` knows
                strings = None
            if strings is None:
                strings = set(analyse(pattern).literals or ())
            phrases |= {" ".join(s.split()) for s in strings if s.strip()}
    return sorted(phrases, key=lambda s: (-len(s), s))


# -- the timed part (needs only `regex`) ---------------------------------------------------------
def phrase_regex(phrase: str) -> str:
    import regex

    return r"\s+".join(regex.escape(word) for word in phrase.split(" "))


def factored(phrases: List[str]) -> str:
    """A prefix trie of the phrases as one regex; a phrase that is a prefix of another is tried
    after its longer continuations, as in the longest-first flat alternation."""
    import regex

    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node) -> str:
        branches = []
        for char in sorted((c for c in node if c), key=lambda c: c):
            piece = r"\s+" if char == " " else regex.escape(char)
            branches.append(piece + emit(node[char]))
        if "" in node:
            branches.append("")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(trie)


def files_under(root: str) -> List[str]:
    if os.path.isfile(root):
        return [root]
    found = []
    for folder, directories, names in os.walk(root):
        directories.sort()
        found.extend(os.path.join(folder, name) for name in sorted(names) if name.endswith(EXTENSIONS))
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="The regex floor for the hypelint benchmark.")
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--phrases", help="JSON list of phrases (from --write-phrases)")
    parser.add_argument("--write-phrases", metavar="FILE", help="extract the built-in rules' phrases into FILE")
    parser.add_argument("--factored", action="store_true", help="prefix-factored alternation instead of a flat one")
    args = parser.parse_args(argv)
    if args.write_phrases:
        phrases = rule_phrases()
        with open(args.write_phrases, "w", encoding="utf-8") as handle:
            json.dump(phrases, handle, indent=0)
        print(f"{len(phrases)} phrases written to {args.write_phrases}", file=sys.stderr)
        return 0
    import regex

    with open(args.phrases, encoding="utf-8") as handle:
        phrases = json.load(handle)
    body = factored(phrases) if args.factored else "|".join(phrase_regex(p) for p in phrases)
    pattern = regex.compile(rf"(?<!\w)(?:{body})(?!\w)", regex.IGNORECASE)
    matches = 0
    for root in args.paths:
        for path in files_under(root):
            with open(path, encoding="utf-8") as handle:
                matches += len(pattern.findall(handle.read()))
    print(f"{matches} matches")
    return 0


if __name__ == "__main__":
    sys.exit(main())

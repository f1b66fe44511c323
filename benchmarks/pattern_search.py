"""Search time of every default rule pattern, as declared and as compiled (hypelint.rules.leading).

Parses a sample of the benchmark corpus (every Nth page), joins the pages' prose masks with NUL
separators, and times `finditer` of each distinct pattern over the whole text twice: the
declared `(?<![\\w])(?:...)(?![\\w])` source and the program hypelint compiles for it. Fails if
any pattern finds different spans. Whole-text search, not what the linter does (it searches only
the blocks holding a pattern's keywords), so it isolates the regex engine's cost per character.

    python benchmarks/pattern_search.py [--corpus benchmarks/corpus/full] [--every 5] [--top 10]
"""
from __future__ import annotations

import argparse
import pathlib
import sys
import time

import regex

from hypelint.linter import Linter
from hypelint.rules import builtin_pack_names, load_packs
from hypelint.rules.leading import faster
from hypelint.sources import parse


def _timed(compiled, text):
    start = time.perf_counter()
    spans = [match.span() for match in compiled.finditer(text)]
    return time.perf_counter() - start, spans


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(pathlib.Path(__file__).parent / "corpus" / "full"))
    parser.add_argument("--every", type=int, default=5, help="take every Nth page (default 5)")
    parser.add_argument("--top", type=int, default=10, help="list the N slowest declared patterns")
    args = parser.parse_args()
    pages = sorted(pathlib.Path(args.corpus).rglob("*.md"))[args.every - 1::args.every]
    if not pages:
        print(f"no Markdown pages under {args.corpus} (run benchmarks/run.py once to generate the corpus)",
              file=sys.stderr)
        return 2
    text = "\x00".join(parse(page.read_text(encoding="utf-8"), str(page)).mask for page in pages)
    rules = load_packs(builtin_pack_names())
    patterns = sorted({(p.pattern, p.flags) for rule in rules for name in Linter.PATTERN_FIELDS
                       for p in getattr(rule, name)})
    rows = []
    for source, flags in patterns:
        program = faster(source, flags)
        declared, declared_spans = _timed(regex.compile(source, flags), text)
        compiled, compiled_spans = _timed(regex.compile(program, flags), text)
        if declared_spans != compiled_spans:
            print(f"DIFFERENT MATCHES: {source[:100]}", file=sys.stderr)
            return 1
        rows.append((declared, compiled, program != source, source))
    before = sum(row[0] for row in rows)
    after = sum(row[1] for row in rows)
    print(f"{len(pages)} pages, {len(text) / 1e6:.2f} M characters of mask; {len(rows)} patterns, "
          f"{sum(row[2] for row in rows)} rewritten; identical matches")
    print(f"whole-text search, all patterns: declared {before:.2f} s, compiled {after:.2f} s "
          f"({100 * (1 - after / before):.0f}% less; {1e9 * before / len(text) / len(rows):.0f} -> "
          f"{1e9 * after / len(text) / len(rows):.0f} ns per character per pattern)")
    for declared, compiled, _, source in sorted(rows, reverse=True)[:args.top]:
        print(f"  {declared:6.3f} s -> {compiled:6.3f} s  {source[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

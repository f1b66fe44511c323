#!/usr/bin/env python3
"""Side-by-side timings of the parsing and matching libraries hypelint could use.

Runs in the benchmark's own environment, with hypelint installed there too:

    benchmarks/.venv/bin/pip install -r benchmarks/requirements-alternatives.txt -e .
    benchmarks/.venv/bin/python benchmarks/alternatives.py [--corpus benchmarks/corpus/full]

Parsing: markdown-it-py (as hypelint configures it) against markdown-it-pyrs (Rust) and
pyromark (pulldown-cmark), and hypelint's whole Markdown source (parse + prose mask + blocks).
Matching: the built-in rules' literal phrases (see floor.py) as one alternation in `regex`,
flat and prefix-factored; the prefilter's keyword scan (stdlib `re` on lowercased text);
google-re2; hyperscan. Each is timed in this process over the same texts, CPU seconds, best of
--runs. A library that is not installed is reported as such.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import floor  # noqa: E402
import make_corpus  # noqa: E402


def best_of(runs, function, items):
    times = []
    for _ in range(runs):
        start = time.process_time()
        for item in items:
            function(item)
        times.append(time.process_time() - start)
    return min(times)


def report(label, seconds, megabytes, note=""):
    print(f"  {label:52} {seconds:7.3f}s  {megabytes / seconds if seconds else 0:7.1f} MiB/s  {note}", flush=True)


def parsing(texts, megabytes, runs):
    print("\n[parsing]")
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.disable("text_join", ignoreInvalid=True)
    report("markdown-it-py (tokens)", best_of(runs, md.parse, texts), megabytes)
    try:
        from hypelint.sources import parse

        report("hypelint Markdown source (tokens + mask + blocks)",
               best_of(runs, lambda text: parse(text, "page.md"), texts), megabytes)
    except ImportError:
        print("  hypelint not installed in this environment")
    try:
        import markdown_it_pyrs

        rust = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough"])
        report("markdown-it-pyrs (node tree with byte source maps)", best_of(runs, rust.tree, texts), megabytes)
    except ImportError:
        print("  markdown-it-pyrs not installed")
    try:
        import pyromark

        options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
        report("pyromark (events with byte ranges)",
               best_of(runs, lambda text: list(pyromark.events_with_range(text, options=options)), texts), megabytes)
        report("pyromark (events, no ranges)",
               best_of(runs, lambda text: list(pyromark.events(text, options=options)), texts), megabytes)
    except ImportError:
        print("  pyromark not installed")


def matching(texts, megabytes, runs, phrases):
    print(f"\n[matching: {len(phrases)} literal phrases of the built-in rules]")
    import re

    import regex

    flat = regex.compile(r"(?<!\w)(?:" + "|".join(floor.phrase_regex(p) for p in phrases) + r")(?!\w)", regex.I)
    factored = regex.compile(r"(?<!\w)(?:" + floor.factored(phrases) + r")(?!\w)", regex.I)
    counts = {}
    for label, pattern in (("regex, flat alternation", flat), ("regex, prefix-factored", factored)):
        report(label, best_of(runs, pattern.findall, texts), megabytes)
        counts[label] = sum(len(pattern.findall(t)) for t in texts)
    try:
        from hypelint.prefilter import Prefilter, fold
        from hypelint.rules import load_packs

        prefilter = Prefilter(load_packs())
        report(f"prefilter keyword scan ({len(prefilter.keys)} keys, re on lowercased text)",
               best_of(runs, lambda text: prefilter.scanner.findall(fold(text)), texts), megabytes)
        report("prefilter keyword scan with positions (finditer)",
               best_of(runs, prefilter.key_positions, texts), megabytes)
    except ImportError:
        print("  hypelint not installed in this environment")
    lowered = [t.lower() for t in texts]
    stdlib = re.compile(r"(?<!\w)(?:" + floor.factored(phrases) + r")(?!\w)")
    report("re, prefix-factored, on lowercased text", best_of(runs, stdlib.findall, lowered), megabytes)
    try:
        import re2

        options = re2.Options()
        options.case_sensitive = False
        options.max_mem = 64 << 20
        body = "|".join(floor.phrase_regex(p) for p in phrases)
        # RE2 has no lookarounds: \b approximates the word boundaries
        pattern = re2.compile(r"\b(?:" + body + r")\b", options)
        report("google-re2, flat alternation (\\b for word bounds)", best_of(runs, pattern.findall, texts), megabytes)
    except ImportError:
        print("  google-re2 not installed")
    try:
        import hyperscan

        database = hyperscan.Database()
        expressions = [floor.phrase_regex(p) for p in phrases]
        database.compile(expressions=[e.encode() for e in expressions], ids=list(range(len(expressions))),
                         elements=len(expressions), flags=[hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SOM_LEFTMOST]
                         * len(expressions))
        encoded = [t.encode("utf-8") for t in texts]

        def scan(data):
            found = []
            database.scan(data, match_event_handler=lambda i, s, e, f, c: found.append((s, e)) and None)
            return found

        report("hyperscan, literal database (byte offsets, no word bounds)", best_of(runs, scan, encoded), megabytes)
    except ImportError:
        print("  hyperscan not installed")
    except Exception as error:  # noqa: BLE001 - a platform without the library's CPU features
        print(f"  hyperscan failed: {error}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(HERE / "corpus" / "full"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not os.path.isdir(args.corpus):
        size_mb, files = make_corpus.PRESETS["full"]
        make_corpus.ensure(args.corpus, size_mb, files, seed=7)
    texts = [Path(p).read_text(encoding="utf-8") for p in floor.files_under(args.corpus)]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1024 / 1024
    print(f"{len(texts)} files, {megabytes:.2f} MiB; CPU seconds, best of {args.runs}")
    parsing(texts, megabytes, args.runs)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "phrases.json"
        subprocess.run([sys.executable, str(HERE / "floor.py"), "--write-phrases", str(path)], check=True)
        phrases = json.loads(path.read_text(encoding="utf-8"))
    matching(texts, megabytes, args.runs, phrases)
    return 0


if __name__ == "__main__":
    sys.exit(main())

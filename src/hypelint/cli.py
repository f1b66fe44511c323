"""The command line: argument parsing, file walking, exit codes. The only module that prints."""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
from typing import List, Optional, Sequence

from . import __version__
from .diagnostic import Severity
from .errors import HypelintError

EXIT_OK = 0        # nothing at or above the --fail-on threshold
EXIT_FINDINGS = 1  # findings at or above the threshold
EXIT_ERROR = 2     # usage, configuration, rule or input error


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 with one line, like argparse but explicit
        self.print_usage(sys.stderr)
        print(f"hypelint: error: {message}", file=sys.stderr)
        sys.exit(EXIT_ERROR)


def _comma_list(value: str) -> List[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _job_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number of jobs, got {value!r}")
    return count


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="hypelint", description="Lint health-marketing copy for claims regulators cite.")
    parser.add_argument("--version", action="version", version=f"hypelint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="lint files, directories or standard input")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .); - reads stdin")
    check.add_argument("--format", default="text", help="output format: text (default), json")
    check.add_argument("--select", type=_comma_list, action="extend", metavar="RULES",
                       help="only these rules: codes, names or category prefixes, comma separated")
    check.add_argument("--ignore", type=_comma_list, action="extend", default=[], metavar="RULES",
                       help="skip these rules: codes, names or category prefixes")
    check.add_argument("--fail-on", choices=["error", "warning", "info"],
                       help="lowest severity that makes the exit code 1 (default: warning)")
    check.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="skip files and folders matching GLOB (repeatable)")
    check.add_argument("--stdin-filename", metavar="PATH",
                       help="with -: the path to report and whose extension picks the format")
    check.add_argument("--quiet", "-q", action="store_true", help="no summary line on stderr")
    check.add_argument("--config", metavar="PATH", help="use this config file instead of discovering one")
    check.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    check.add_argument("--jobs", "-j", type=_job_count, metavar="N",
                       help="lint files in N processes (default: one per CPU; 1: no worker processes)")
    check.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the result cache (also: HYPELINT_NO_CACHE=1)")
    check.add_argument("--cache-dir", metavar="DIR",
                       help="result cache folder (default: .hypelint_cache beside the config file or in the "
                            "working directory; also: HYPELINT_CACHE_DIR)")

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=["text", "json"], default="text")
    rules.add_argument("--categories", action="store_true", help="list the category vocabulary instead")

    rule = commands.add_parser("rule", help="explain one rule")
    rule.add_argument("rule", metavar="CODE|NAME")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "rules":
            return run_rules(args)
        if args.command == "rule":
            return run_rule(args)
    except HypelintError as error:
        print(f"hypelint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    return EXIT_ERROR  # pragma: no cover


def _settings(args):
    """Config file settings with command-line flags on top."""
    from .config import load_settings

    overrides = {"select": args.select, "ignore": args.ignore or None, "fail-on": args.fail_on,
                 "exclude": args.exclude or None}
    return load_settings(config_path=args.config, isolated=args.isolated, overrides=overrides)


def run_check(args) -> int:
    from .reporters import FORMATS, Report, reporter
    from .linter import FileResult

    if args.format not in FORMATS:
        raise HypelintError(f"unknown --format {args.format!r} (choose from: {', '.join(FORMATS)})")
    settings = _settings(args)
    linter = settings.linter()
    paths = args.paths or ["."]
    results: List[FileResult] = []
    if "-" in paths:
        if len(paths) > 1:
            raise HypelintError("'-' (standard input) cannot be combined with other paths")
        results.append(_lint_stdin(linter, args.stdin_filename))
    else:
        from .files import discover
        from .parallel import lint_files

        for path in paths:
            if not os.path.exists(path):
                raise HypelintError(f"no such file or directory: {path}")
        cache = _result_cache(args, settings)
        results.extend(lint_files(settings, discover(paths, settings.exclude), jobs=args.jobs, cache=cache))
        if cache is not None and cache.warning and not args.quiet:
            print(f"hypelint: warning: {cache.warning}", file=sys.stderr)

    diagnostics = sorted(d for result in results for d in result.diagnostics)
    errors = [result for result in results if result.error]
    for result in results:
        if result.skipped:
            print(f"{result.path}: skipped: {result.skipped}", file=sys.stderr)
    for result in errors:
        print(f"hypelint: error: {result.error}", file=sys.stderr)
    report = Report(diagnostics, linter.rules, [r.path for r in results])
    sys.stdout.write(reporter(args.format)(report))
    sys.stdout.flush()

    threshold = Severity.parse(settings.fail_on)
    failing = [d for d in diagnostics if d.severity >= threshold]
    if not args.quiet:
        _summary(diagnostics, results)
    linted = [r for r in results if not r.error and not r.skipped]
    if errors and not linted:
        return EXIT_ERROR
    return EXIT_FINDINGS if failing else EXIT_OK


def _result_cache(args, settings):
    """The result cache for this run, or None with --no-cache / HYPELINT_NO_CACHE."""
    if args.no_cache or os.environ.get("HYPELINT_NO_CACHE", "").strip() not in ("", "0", "false"):
        return None
    from .cache import ResultCache

    return ResultCache.for_settings(settings, args.cache_dir)


def _lint_stdin(linter, stdin_filename):
    from .linter import FileResult
    from .sources import BinaryFileError, decode, parse

    path = stdin_filename or "-"
    try:
        text = decode(sys.stdin.buffer.read(), path)
        return FileResult(path, linter.lint_document(parse(text, path)))
    except BinaryFileError:
        return FileResult(path, skipped="binary input")
    except HypelintError as error:
        return FileResult(path, error=error)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summary(diagnostics, results) -> None:
    checked = sum(1 for r in results if not r.error and not r.skipped)
    if not diagnostics:
        print(f"No problems found in {_plural(checked, 'file')}.", file=sys.stderr)
        return
    counts = {severity: 0 for severity in Severity}
    for d in diagnostics:
        counts[d.severity] += 1
    parts = [_plural(counts[Severity.ERROR], "error"), _plural(counts[Severity.WARNING], "warning"),
             f"{counts[Severity.INFO]} info"]
    files = len({d.path for d in diagnostics})
    print(f"Found {_plural(len(diagnostics), 'problem')} ({', '.join(parts)}) in {_plural(files, 'file')} "
          f"({checked} checked).", file=sys.stderr)


def run_rules(args) -> int:
    import json

    from .rules import CATEGORIES, load_packs

    if args.categories:
        for name, description in CATEGORIES.items():
            print(f"{name:32} {description}")
        return EXIT_OK
    rules = load_packs()
    if args.format == "json":
        print(json.dumps([{
            "code": r.code, "name": r.name, "category": r.category, "severity": str(r.severity),
            "pack": r.pack, "references": [{"title": x.title, "url": x.url} for x in r.references],
        } for r in rules], indent=2))
        return EXIT_OK
    width = max(len(r.name) for r in rules)
    for r in rules:
        print(f"{r.code}  {r.name:{width}}  {r.category:28} {str(r.severity):8} {r.pack}")
        for reference in r.references:
            print(f"        {reference.title} <{reference.url}>")
    return EXIT_OK


def run_rule(args) -> int:
    from .rules import load_packs

    rules = load_packs()
    rule = rules.get(args.rule)
    if rule is None:
        raise HypelintError(f"unknown rule {args.rule!r} (see `hypelint rules`)")
    print(render_rule_doc(rule))
    return EXIT_OK


def render_rule_doc(rule) -> str:
    """Ruff-style rule documentation: what it flags, why, examples, what to write instead."""
    wrap = lambda text: textwrap.fill(" ".join(text.split()), 88)  # noqa: E731
    lines = [f"{rule.code} {rule.name}", "",
             f"Category: {rule.category}    Severity: {rule.severity}    Pack: {rule.pack}", ""]
    lines += ["## What it flags", wrap(rule.description or rule.message.replace("{match}", "…")), ""]
    lines += ["## Why it is risky", wrap(rule.rationale), ""]
    lines += ["References:"] + [f"  - {r.title}: {r.url}" for r in rule.references] + [""]
    lines += ["## Examples", "Flagged (the flagged words in [brackets]):"]
    for example in rule.bad_examples:
        text = example.text
        for start, end in reversed(example.spans):
            text = text[:start] + "[" + text[start:end] + "]" + text[end:]
        lines.append("  ✗ " + " ".join(text.split()))
    lines.append("Not flagged:")
    lines += ["  ✓ " + " ".join(example.text.split()) for example in rule.good_examples]
    if rule.suggestions:
        lines += ["", "## What to write instead"] + [f"  - {s}" for s in rule.suggestions]
    return "\n".join(lines)

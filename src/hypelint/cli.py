"""The command line: argument parsing, file walking, exit codes. The only module that prints."""
from __future__ import annotations

import argparse
import functools
import os
import signal
import sys
from typing import List, Optional, Sequence

from . import __version__
from .diagnostic import Severity
from .errors import HypelintError

EXIT_OK = 0        # nothing at or above the --fail-on threshold
EXIT_FINDINGS = 1  # findings at or above the threshold
EXIT_ERROR = 2     # usage, configuration, rule or input error
EXIT_INTERNAL = 3  # an internal error (a hypelint bug): reported in one line, please report it


@functools.lru_cache(maxsize=None)
def _terminal_width() -> int:
    """shutil.get_terminal_size().columns, looked up once and without importing shutil: argparse
    makes a help formatter for every argument it adds (to check its metavar), and each one asks
    for the width (importing shutil and its compression modules was ~3 ms of every run)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        super().__init__(prog, indent_increment, max_help_position, _terminal_width() - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message):  # usage errors: one line and exit 2 (argparse prints usage too)
        print(f"hypelint: error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        sys.exit(EXIT_ERROR)


def _comma_list(value: str) -> List[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


# the check options that only mean something in record mode (records.py imports more: loaded lazily)
_RECORD_FLAGS = ("records", "text_field", "id_field", "format_field", "record_format", "records_format")


def _record_mode(args) -> bool:
    return any(getattr(args, flag, None) is not None for flag in _RECORD_FLAGS)


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
    check.add_argument("--format", default="text",
                       help="output format: text (default), full, json, jsonl, github, sarif, junit, gitlab, html")
    check.add_argument("--select", type=_comma_list, action="extend", metavar="RULES",
                       help="only these rules: codes, names or category prefixes, comma separated "
                            "(replaces the configured selection)")
    check.add_argument("--ignore", type=_comma_list, action="extend", default=[], metavar="RULES",
                       help="skip these rules: codes, names or category prefixes (added to the configured ignore)")
    check.add_argument("--fail-on", choices=["error", "warning", "info"],
                       help="lowest severity that makes the exit code 1 (default: warning)")
    check.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="skip files and folders matching GLOB (repeatable)")
    check.add_argument("--stdin-filename", metavar="PATH",
                       help="with -: the path to report and whose extension picks the format")
    check.add_argument("--quiet", "-q", action="store_true", help="no summary line on stderr")
    check.add_argument("--extend-select", type=_comma_list, action="extend", metavar="RULES",
                       help="add these rules to the selection")
    check.add_argument("--extend-exclude", action="append", default=[], metavar="GLOB",
                       help="add to the configured exclude globs (repeatable)")
    check.add_argument("--force-exclude", action="store_true",
                       help="also skip hidden files and files in always-skipped folders when they are "
                            "named on the command line (for pre-commit, which names every staged file)")
    check.add_argument("--output-file", "-o", metavar="PATH", help="write the report to PATH (atomically)")
    check.add_argument("--statistics", action="store_true",
                       help="print how many findings each rule produced instead of the findings")
    check.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    check.add_argument("--write-baseline", metavar="FILE",
                       help="record every current finding in FILE (e.g. .hypelint-baseline.json) and exit 0")
    check.add_argument("--show-settings", action="store_true",
                       help="print the resolved configuration and where each value came from, then exit")
    check.add_argument("--require-suppression-reason", action="store_true",
                       help="report suppression directives without a `-- reason` (HL004)")
    check.add_argument("--jobs", "-j", type=_job_count, metavar="N",
                       help="lint files (or --records) in N processes (default: one per CPU; 1: no worker processes)")
    check.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the result cache (also: HYPELINT_NO_CACHE=1)")
    check.add_argument("--cache-dir", metavar="DIR",
                       help="result cache folder (default: .hypelint_cache beside the config file or in the "
                            "working directory; also: HYPELINT_CACHE_DIR)")
    records = check.add_argument_group("record mode (JSON Lines / CSV records instead of files; see docs/batch.md)")
    records.add_argument("--records", metavar="FILE", help="lint the records of FILE (.jsonl, .csv, .tsv, .gz); - reads stdin")
    records.add_argument("--text-field", action="append", metavar="NAME",
                         help="field holding the copy to lint (repeatable; dotted names reach nested objects)")
    records.add_argument("--id-field", metavar="NAME", help="field identifying the record in the findings")
    records.add_argument("--format-field", metavar="NAME", help="field naming each record's format (text, markdown, ...)")
    records.add_argument("--record-format", metavar="FORMAT", help="format of every record's text (default: text)")
    records.add_argument("--records-format", metavar="KIND", help="jsonl, csv or tsv (default: from the extension; - is jsonl)")
    _config_options(check)

    config = commands.add_parser("config", help="print the resolved configuration and where each value came from")
    config.add_argument("--format", choices=["text", "json"], default="text")
    _config_options(config)

    rules = commands.add_parser("rules", help="list every rule (built-in and the configured team packs)")
    rules.add_argument("--format", choices=["text", "json"], default="text")
    rules.add_argument("--categories", action="store_true", help="list the category vocabulary instead")
    _config_options(rules)

    rule = commands.add_parser("rule", help="explain one rule (built-in or from a configured team pack)")
    rule.add_argument("rule", metavar="CODE|NAME")
    _config_options(rule)

    test = commands.add_parser("test", help="run the rules' examples: bad ones flag exactly their [[spans]], "
                                            "good ones nothing (exit 1 on a failure)")
    test.add_argument("packs", nargs="*", metavar="PACK",
                      help="ruleset files or built-in pack names (default: the configured team packs, else "
                           "every configured pack)")
    _config_options(test)

    lexicon = commands.add_parser("lexicon", help="print a lexicon (a word class that frame rules use) for review")
    lexicon.add_argument("name", metavar="NAME", nargs="?", help="the lexicon (without it: list them)")
    lexicon.add_argument("--format", choices=["text", "json"], default="text")
    lexicon.add_argument("--derived", action="store_true",
                         help="also print the forms derived from a medical vocabulary (thousands)")

    lsp = commands.add_parser("lsp", help="run the language server on stdin/stdout (needs hypelint[lsp])")
    lsp.add_argument("--stdio", action="store_true", help="use stdin/stdout (the default; accepted for editors that pass it)")
    lsp.add_argument("--log-file", metavar="PATH", help="write the server log here instead of stderr")
    lsp.add_argument("--log-level", choices=["error", "warning", "info", "debug"], default="warning",
                     help="how much to log (default: warning)")
    return parser


def _config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help="use this config file instead of discovering one")
    parser.add_argument("--isolated", action="store_true", help="ignore all configuration files")


def main(argv: Optional[Sequence[str]] = None) -> int:
    if argv is None and hasattr(signal, "SIGPIPE"):
        # `hypelint check | head` ends quietly, like other command-line tools
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "config":
            return run_config(args)
        if args.command == "rules":
            return run_rules(args)
        if args.command == "rule":
            return run_rule(args)
        if args.command == "lexicon":
            return run_lexicon(args)
        if args.command == "test":
            return run_test(args)
        if args.command == "lsp":
            return run_lsp(args)
    except HypelintError as error:
        print(f"hypelint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # the reader went away (`| head`) while SIGPIPE was ignored
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - never a traceback for the user, never exit 1
        where = ""
        traceback = error.__traceback__
        while traceback is not None and traceback.tb_next is not None:
            traceback = traceback.tb_next
        if traceback is not None:
            where = f" at {os.path.basename(traceback.tb_frame.f_code.co_filename)}:{traceback.tb_lineno}"
        detail = str(error).splitlines()[0][:200] if str(error) else ""
        print(f"hypelint: internal error: {type(error).__name__}{': ' + detail if detail else ''}{where} "
              f"(please report it at the project's issue tracker; HYPELINT_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        if os.environ.get("HYPELINT_DEBUG"):
            import traceback as traceback_module

            traceback_module.print_exception(type(error), error, error.__traceback__)
        return EXIT_INTERNAL
    return EXIT_ERROR  # pragma: no cover


def _overrides(args) -> dict:
    if args.command != "check":
        return {}
    return {"select": args.select, "ignore": args.ignore or None, "extend-select": args.extend_select,
            "fail-on": args.fail_on, "exclude": args.exclude or None,
            "extend-exclude": args.extend_exclude or None,
            "require-suppression-reason": args.require_suppression_reason or None}


def _settings(args):
    """Config file settings (found from the working directory) with command-line flags on top."""
    from .config import load_settings

    return load_settings(config_path=args.config, isolated=args.isolated, overrides=_overrides(args))


def _resolver(args):
    """Settings per file: the nearest config file up from each file (config.ConfigResolver)."""
    from .config import ConfigResolver

    return ConfigResolver(config_path=args.config, isolated=args.isolated, overrides=_overrides(args))


def run_config(args) -> int:
    from .config import format_settings

    settings = _settings(args)
    settings.linter()  # validates rule names, packs and ruleset files
    sys.stdout.write(format_settings(settings, args.format))
    return EXIT_OK


def _use_color(args) -> bool:
    """Colour only for a terminal, never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return not args.output_file and sys.stdout.isatty()


def _files_to_lint(resolver, args, paths, own_files=()) -> List:
    """(file, its config file) for every file to lint, sorted. Each folder argument is walked
    with the settings that apply to it; each file found then answers to its own (nearest)
    config's `exclude` and `include`. Files any of these configurations names (packs, lexicons,
    baselines), the config files, and this run's own baseline and report are never copy."""
    from .files import discover, is_excluded, is_included
    from .sources import is_walk_candidate

    found = {}
    for path in paths:
        selection = resolver.settings_for(path).linter().file_selection
        for file in discover([path], force_exclude=args.force_exclude, **selection):
            found.setdefault(os.path.normpath(file), file)
    explicit = {os.path.normpath(path) for path in paths if not os.path.isdir(path)}
    chosen = []
    for key in sorted(found):
        file = found[key]
        config = resolver.config_for(file)
        selection = resolver.settings_for_config(config).linter().file_selection
        base = selection.get("base")
        if is_excluded(file, selection.get("exclude", ()), base):
            continue
        include = selection.get("include")
        if key not in explicit and not (is_included(file, include, base)
                                        and (include is not None or is_walk_candidate(file))):
            continue
        chosen.append((file, config))
    own = {os.path.abspath(path) for path in own_files if path}
    for settings in resolver.loaded():
        own.update(str(path) for path in settings.named_files())
    return [(file, config) for file, config in chosen if os.path.abspath(file) not in own]


def _lint_files(resolver, args, paths, own_files=()) -> List:
    from contextlib import nullcontext

    from .parallel import lint_files
    from .progress import Progress, wanted

    files = _files_to_lint(resolver, args, paths, own_files)
    groups = {}
    for file, config in files:
        groups.setdefault(config, []).append(file)
    by_path = {}
    show_progress = not args.quiet and wanted(sys.stderr, len(files))
    with (Progress(sys.stderr, len(files)) if show_progress else nullcontext()) as progress:
        for config, group in groups.items():
            settings = resolver.settings_for_config(config)
            cache = _result_cache(args, settings)
            for result in lint_files(settings, group, jobs=args.jobs, cache=cache,
                                     on_result=progress.advance if progress is not None else None):
                by_path[result.path] = result
            if cache is not None and cache.warning and not args.quiet:
                print(f"hypelint: warning: {cache.warning}", file=sys.stderr)
    return [by_path[file] for file, _ in files]


def run_check(args) -> int:
    from . import regexcache

    regexcache.seed_re()  # before the imports below bring in PyYAML and markdown-it-py
    from .linter import FileResult
    from .reporters import FORMATS, Report, reporter

    if _record_mode(args):  # --records: lint JSON Lines / CSV records (records.py)
        from . import records

        stdin = _private_stdin() if args.records == "-" else sys.stdin.buffer
        with _terminate_cleanly():
            return records.run_records_command(args, _settings(args), stdin, sys.stdout, sys.stderr)
    if args.format not in FORMATS:
        raise HypelintError(f"unknown --format {args.format!r} (choose from: {', '.join(FORMATS)})")
    if args.baseline and args.write_baseline:
        raise HypelintError("--baseline and --write-baseline cannot be combined "
                            "(--write-baseline records every current finding)")
    resolver = _resolver(args)
    settings = resolver.settings_for(os.getcwd())  # the working directory's: --show-settings, stdin
    if args.show_settings:
        from .config import format_settings

        settings.linter()
        sys.stdout.write(format_settings(settings, "text"))
        return EXIT_OK
    if args.output_file:
        _check_output_directory(args.output_file)
    if args.write_baseline:  # like the report: refused before linting, not after
        from .atomic import check_writable

        try:
            check_writable(args.write_baseline)
        except HypelintError as error:
            raise HypelintError(f"--write-baseline {args.write_baseline}: "
                                f"{error.message.replace('cannot write output: ', '')}") from None
    linter = settings.linter()
    baselines = _Baselines(args)
    if not args.write_baseline and settings.baseline_path:
        baselines.load(str(settings.baseline_path))  # before linting, so a bad baseline fails fast
    paths = args.paths or ["."]
    results: List[FileResult] = []
    settings_of = {}  # path -> the Settings it was linted with
    if "-" in paths:
        if len(paths) > 1:
            raise HypelintError("'-' (standard input) cannot be combined with other paths")
        if args.stdin_filename:  # the config that would apply to that file
            settings = resolver.settings_for(args.stdin_filename)
            linter = settings.linter()
        results.append(_lint_stdin(linter, args.stdin_filename))
        settings_of[results[-1].path] = settings
    else:
        for path in paths:
            if not os.path.exists(path):
                raise HypelintError(f"no such file or directory: {path}")
        own_files = [args.output_file, args.write_baseline, args.baseline]
        results.extend(_lint_files(resolver, args, paths, own_files))
        for result in results:
            settings_of[result.path] = resolver.settings_for(result.path)

    diagnostics = sorted(d for result in results for d in result.diagnostics)
    errors = [result for result in results if result.error]
    linted = [r for r in results if not r.error and not r.skipped]
    from .reporters import escape_surrogates, printable

    for result in results:
        if result.skipped:
            print(printable(f"{result.path}: skipped: {result.skipped}"), file=sys.stderr)
    for result in errors:
        print(printable(f"hypelint: error: {result.error}"), file=sys.stderr)
    switched_off = {}
    for result in results:  # each worker process switches a rule off on its own: report it once
        for error in result.rule_errors:
            switched_off.setdefault(getattr(error, "rule_code", None) or str(error), error)
    for error in switched_off.values():
        print(printable(f"hypelint: error: {error}"), file=sys.stderr)
    rules = _rules_of([settings, *resolver.loaded()])
    report = Report(diagnostics, rules, [r.path for r in linted], errors=[str(r.error) for r in errors],
                    texts=_report_texts(results) if args.format == "html" else
                    {r.path: r.text for r in results if r.text is not None}, color=_use_color(args))
    findings = [(d, report.text_of(d.path)) for d in diagnostics]

    if args.write_baseline:
        from .atomic import write_atomically
        from .baseline import Baseline

        target = args.write_baseline
        recorded = Baseline.from_findings(findings, os.path.dirname(os.path.abspath(target)))
        write_atomically(target, escape_surrogates(recorded.dumps()))
        print(f"Recorded {_plural(len(diagnostics), 'finding')} from {_plural(len(linted), 'file')} in {target}.",
              file=sys.stderr)
        if errors:
            print(f"hypelint: error: {_plural(len(errors), 'file')} not linted, so not recorded", file=sys.stderr)
        return EXIT_ERROR if errors else EXIT_OK

    comparisons = baselines.compare(findings, linted, settings_of)
    if comparisons is not None:
        report.diagnostics = diagnostics = sorted(d for _, comparison in comparisons for d in comparison.new)
    if errors:  # after the baseline: nothing hides a file that was not linted
        from .engine import not_linted_diagnostic

        report.diagnostics = diagnostics = sorted(
            diagnostics + [not_linted_diagnostic(result.path, result.error) for result in errors])
    if args.statistics:
        from .reporters import statistics

        output = (statistics.render_json if args.format in ("json", "jsonl") else statistics.render)(report)
    else:
        output = reporter(args.format)(report)
    output = escape_surrogates(output)  # a file name that is not UTF-8 must not stop the report
    if args.output_file:
        from .atomic import write_atomically

        write_atomically(args.output_file, output)
    else:
        sys.stdout.write(output)
        sys.stdout.flush()

    # each file's own fail-on (its nearest config's, or --fail-on)
    failing = [d for d in diagnostics if d.severity >= Severity.parse(settings_of.get(d.path, settings).fail_on)]
    if not args.quiet:
        _summary(diagnostics, results)
        for path, comparison in comparisons or ():
            if path is not None:
                _baseline_summary(path, comparison)
    if errors or switched_off:  # a file not fully linted, or a rule switched off, never passes the gate
        return EXIT_ERROR
    return EXIT_FINDINGS if failing else EXIT_OK


def _rules_of(settings_list):
    """The rules of every configuration this run used (for reporters' rule metadata)."""
    from .rules import RuleSet

    seen, rules = set(), []
    for settings in settings_list:
        for rule in settings.linter().rules:
            if rule.code not in seen:
                seen.add(rule.code)
                rules.append(rule)
    return RuleSet(rules)


class _Baselines:
    """The baseline each file answers to: `--baseline` for all, else its own config's `baseline`."""

    def __init__(self, args):
        self.explicit = None if args.write_baseline else args.baseline
        self.loaded = {}
        if self.explicit:
            self.load(self.explicit)

    def load(self, path: str):
        if path not in self.loaded:
            from .baseline import Baseline

            self.loaded[path] = Baseline.load(path)
        return self.loaded[path]

    def path_for(self, settings) -> Optional[str]:
        if self.explicit:
            return self.explicit
        return str(settings.baseline_path) if settings is not None and settings.baseline_path else None

    def compare(self, findings, linted, settings_of):
        """[(baseline path or None, Comparison)], or None when no file has a baseline."""
        from .baseline import Comparison

        paths = {path: self.path_for(settings) for path, settings in settings_of.items()}
        if not any(paths.values()):
            return None
        by_baseline = {}
        for diagnostic, text in findings:
            by_baseline.setdefault(paths.get(diagnostic.path), ([], []))[0].append((diagnostic, text))
        for result in linted:
            by_baseline.setdefault(paths.get(result.path), ([], []))[1].append(result.path)
        comparisons = []
        for path, (group, group_linted) in sorted(by_baseline.items(), key=lambda item: item[0] or ""):
            if path is None:
                comparisons.append((None, Comparison([d for d, _ in group], 0)))
            else:
                comparisons.append((path, self.load(path).compare(group, group_linted)))
        return comparisons


def _baseline_summary(path: str, comparison) -> None:
    if comparison.known:
        print(f"{_plural(comparison.known, 'known finding')} hidden by the baseline {path}.", file=sys.stderr)
    if comparison.stale:
        stale = sum(entry.count for entry in comparison.stale)
        print(f"{_plural(stale, 'baseline entry', 'baseline entries')} in {path} no longer "
              f"{'matches' if stale == 1 else 'match'} a finding "
              f"(fixed or reworded); drop them with --write-baseline:", file=sys.stderr)
        for entry in comparison.stale[:20]:
            times = f" (x{entry.count})" if entry.count > 1 else ""
            what = f' "{entry.matched}"' if entry.matched else ""
            print(f"  {entry.path}: {entry.code}{what}{times}", file=sys.stderr)
        if len(comparison.stale) > 20:
            print(f"  ... and {len(comparison.stale) - 20} more", file=sys.stderr)


def _result_cache(args, settings):
    """The result cache for this run, or None with --no-cache / HYPELINT_NO_CACHE."""
    if args.no_cache or os.environ.get("HYPELINT_NO_CACHE", "").strip() not in ("", "0", "false"):
        return None
    from .cache import ResultCache

    return ResultCache.for_settings(settings, args.cache_dir)


def _private_stdin():
    """Standard input on a descriptor of its own, with descriptor 0 pointed at /dev/null: worker
    processes (and the forkserver that starts them) never hold the producer's pipe, so the
    producer of `producer | hypelint check --records - | head -1` sees the pipe close."""
    try:
        if sys.stdin is None or sys.stdin.buffer.fileno() != 0:
            return sys.stdin.buffer  # replaced (embedding, tests): nothing a child could inherit
    except (AttributeError, ValueError, OSError):
        return sys.stdin.buffer
    try:
        private = os.dup(0)  # not inheritable (PEP 446): no child process gets it
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
    except OSError:
        return sys.stdin.buffer
    return os.fdopen(private, "rb")


def _raise_terminated(signum, frame):
    raise SystemExit(128 + signum)


def _terminate_cleanly():
    """SIGTERM and SIGHUP unwind (stopping worker processes on the way) instead of ending this
    process on the spot."""
    import contextlib
    import threading

    @contextlib.contextmanager
    def handlers():
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for name in ("SIGTERM", "SIGHUP"):
                if hasattr(signal, name):
                    previous[name] = signal.signal(getattr(signal, name), _raise_terminated)
        try:
            yield
        finally:
            for name, handler in previous.items():
                signal.signal(getattr(signal, name), handler)

    return handlers()


def _lint_stdin(linter, stdin_filename):
    from .linter import FileResult
    from .sources import BinaryFileError, decode, parse

    path = stdin_filename or "-"
    try:
        text = decode(sys.stdin.buffer.read(), path)
        return FileResult(path, linter.lint_document(parse(text, path, options=linter.source_options)), text=text)
    except BinaryFileError:
        return FileResult(path, skipped="binary input")
    except HypelintError as error:
        return FileResult(path, error=error)


# -- report output: --output-file and the copy shown by the html format ----------------------

def _check_output_directory(path: str) -> None:
    """Fail before linting, not after, when the report could not be written."""
    from .atomic import check_writable

    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise HypelintError(f"--output-file {path}: is a directory")
    if not os.path.isdir(directory):
        raise HypelintError(f"--output-file {path}: folder {directory} does not exist")
    try:
        check_writable(path)
    except HypelintError as error:
        raise HypelintError(f"--output-file {path}: {error.message.replace('cannot write output: ', '')}") from None


def _report_texts(results) -> dict:
    """path -> linted text; results that did not keep their text (e.g. from a cache) are re-read."""
    from .sources import read_file

    texts = {}
    for result in results:
        if result.error or result.skipped:
            continue
        if result.text is not None:
            texts[result.path] = result.text
        else:
            try:
                texts[result.path] = read_file(result.path)
            except HypelintError:
                pass  # the report then lists the findings without the copy
    return texts


def _plural(count: int, word: str, plural: Optional[str] = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _summary(diagnostics, results) -> None:
    from .engine import NOT_LINTED

    checked = sum(1 for r in results if not r.error and not r.skipped)
    not_linted = sum(1 for r in results if r.error)
    diagnostics = [d for d in diagnostics if d.code != NOT_LINTED]
    if not_linted:
        print(f"{_plural(not_linted, 'file')} not linted (HL007): the run fails (exit code 2).", file=sys.stderr)
    if not diagnostics:
        print(f"No problems found in {_plural(checked, 'file')}{' that could be linted' if not_linted else ''}.",
              file=sys.stderr)
        return
    counts = {severity: 0 for severity in Severity}
    for d in diagnostics:
        counts[d.severity] += 1
    parts = [_plural(counts[Severity.ERROR], "error"), _plural(counts[Severity.WARNING], "warning"),
             f"{counts[Severity.INFO]} info"]
    files = len({d.path for d in diagnostics})
    print(f"Found {_plural(len(diagnostics), 'problem')} ({', '.join(parts)}) in {_plural(files, 'file')} "
          f"({checked} checked).", file=sys.stderr)


def run_lsp(args) -> int:
    from .lsp import start

    start(log_file=args.log_file, log_level=args.log_level)
    return EXIT_OK


def run() -> None:
    """The `hypelint` command (the console script and `python -m hypelint`): main(), then exit."""
    _exit_now(main())


def _exit_now(code: int) -> None:
    """Run the exit handlers, flush the output, and end the process without the interpreter's
    teardown (freeing every object of a finished process: ~15 ms of a one-page check, a tenth
    of it; mypy's hard_exit does the same). A normal exit when another thread still runs (it
    must be waited for) or this Python has no `atexit._run_exitfuncs`."""
    import atexit
    import threading

    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_functions is None or threading.active_count() > 1:
        sys.exit(code)
    run_exit_functions()  # the pattern cache's save, multiprocessing's clean-up, logging's flush
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be written
            pass
    os._exit(code)


def lsp_main() -> int:
    """The `hypelint-lsp` console script: `hypelint lsp` with its own name."""
    return main(["lsp", *sys.argv[1:]])


def _team_rules(args) -> List:
    """The rules of the team packs (ruleset files) the configuration loads, in order."""
    from .rules.load import builtin_directory

    settings = _settings(args)
    builtin = os.path.realpath(builtin_directory())
    return [rule for rule in settings.linter().all_rules
            if os.path.dirname(os.path.realpath(rule.source.rsplit(":", 1)[0])) != builtin]


def run_rules(args) -> int:
    import json

    from .rules import CATEGORIES, load_packs

    if args.categories:
        for name, description in CATEGORIES.items():
            print(f"{name:32} {description}")
        return EXIT_OK
    from .engine import ENGINE_RULES
    from .rules import builtin_pack_names, default_pack_names

    defaults = set(default_pack_names())
    team = _team_rules(args)
    team_codes = {rule.code for rule in team}
    rules = sorted(list(load_packs(builtin_pack_names())) + list(ENGINE_RULES) + team, key=lambda r: r.code)

    def pack_of(r) -> str:
        if r.code in team_codes:
            return f"{r.pack} ({os.path.relpath(r.source.rsplit(':', 1)[0])})"
        return r.pack if r.pack in defaults or r in ENGINE_RULES.rules else f"{r.pack} (opt-in)"

    if args.format == "json":
        print(json.dumps([{
            "code": r.code, "name": r.name, "category": r.category, "severity": str(r.severity),
            "pack": r.pack, "default": r.pack in defaults or r in ENGINE_RULES.rules or r.code in team_codes,
            "references": [{"title": x.title, "url": x.url} for x in r.references],
            **({"source": r.source} if r.code in team_codes else {}),
        } for r in rules], indent=2))
        return EXIT_OK
    width = max(len(r.name) for r in rules)
    category_width = max(len(r.category) for r in rules)
    print(f"{'CODE':6} {'NAME':{width}}  {'CATEGORY':{category_width}}  {'SEVERITY':8} PACK")
    for r in rules:
        print(f"{r.code:6} {r.name:{width}}  {r.category:{category_width}}  {str(r.severity):8} {pack_of(r)}")
        for reference in r.references:
            print(f"{'':7}{reference.title} <{reference.url}>")
    return EXIT_OK


def run_rule(args) -> int:
    from .rules import load_packs

    from .engine import ENGINE_RULES
    from .rules import RuleSet, builtin_pack_names

    rule = (load_packs(builtin_pack_names()).get(args.rule) or ENGINE_RULES.get(args.rule)
            or RuleSet(_team_rules(args)).get(args.rule))
    if rule is None:
        raise HypelintError(f"unknown rule {args.rule!r} (see `hypelint rules`)")
    print(render_rule_doc(rule))
    return EXIT_OK


def run_lexicon(args) -> int:
    """`hypelint lexicon [NAME]`: the lexicons, or one lexicon's entries with their forms."""
    import json

    from .rules.lexicon import builtin_lexicons

    lexicons = builtin_lexicons()
    if not args.name:
        rows = [(name, len(lexicons.lexicons[name].entries) + sum(map(len, lexicons.lexicons[name].bulk.values())),
                 lexicons.lexicons[name].description) for name in lexicons.names()]
        if args.format == "json":
            print(json.dumps([{"name": n, "entries": c, "description": d} for n, c, d in rows], indent=2))
        else:
            for name, count, description in rows:
                print(f"{name:<18} {count:>6}  {' '.join(description.split())[:90]}")
        return EXIT_OK
    lexicon = lexicons.lexicons.get(args.name)
    if lexicon is None:
        raise HypelintError(f"unknown lexicon {args.name!r} (known: {', '.join(lexicons.names())})")
    entries = [{"lemma": e.lemma, "pos": e.pos, "tier": e.tier, "forms": list(e.forms)} for e in lexicon.entries]
    derived = {tier: sorted(forms) for tier, forms in lexicon.bulk.items()}
    if args.format == "json":
        data = {"name": lexicon.name, "description": lexicon.description, "source": lexicon.source,
                "licence": lexicon.licence, "entries": entries}
        if args.derived:
            data["derived"] = derived
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"{lexicon.name}: {' '.join(lexicon.description.split())}")
    print(f"source: {' '.join(lexicon.source.split())}")
    print(f"licence: {lexicon.licence}")
    print(f"file: {lexicon.path}")
    print("")
    for entry in entries:
        extra = [entry["pos"]] + ([f"tier {entry['tier']}"] if entry["tier"] else [])
        forms = [form for form in entry["forms"] if form != entry["lemma"]]
        print(f"  {entry['lemma']}  ({', '.join(extra)})" + (f"  -> {', '.join(forms)}" if forms else ""))
    for tier, forms in derived.items():
        print(f"\n  + {len(forms)} derived forms, tier {tier}" + (":" if args.derived else " (--derived prints them)"))
        if args.derived:
            print("\n".join(f"    {form}" for form in forms))
    return EXIT_OK


def run_test(args) -> int:
    """`hypelint test [PACK...]`: every example of the packs' rules (see packtest.py)."""
    from .packtest import run_examples, source_file
    from .rules import RuleSet
    from .rules.load import load_ruleset_file, resolve_pack

    settings = _settings(args)
    rules = list(settings.linter().all_rules)
    loaded = {os.path.realpath(source_file(rule)) for rule in rules}
    if args.packs:
        targets = [os.path.realpath(resolve_pack(name, os.getcwd())) for name in args.packs]
        for target in targets:
            if target not in loaded:  # a pack the configuration does not load: test it too
                rules.extend(load_ruleset_file(target))
                loaded.add(target)
    else:
        team = {os.path.realpath(source_file(rule)) for rule in _team_rules(args)}
        targets = sorted(team) or sorted(loaded)
    all_rules = RuleSet(rules)  # duplicate codes or names fail here, naming both places
    tested = [rule for rule in all_rules if os.path.realpath(source_file(rule)) in set(targets)]
    result = run_examples(all_rules, tested)
    for failure in result.failures:
        print(failure)
    names = ", ".join(os.path.relpath(target) for target in dict.fromkeys(targets))
    if result.failures:
        print(f"{_plural(len(result.failures), 'example')} of {result.examples} failed "
              f"({_plural(result.rules, 'rule')} in {names}).", file=sys.stderr)
        return EXIT_FINDINGS
    print(f"All {_plural(result.examples, 'example')} of {_plural(result.rules, 'rule')} passed ({names}).",
          file=sys.stderr)
    return EXIT_OK


def render_rule_doc(rule) -> str:
    """Ruff-style rule documentation: what it flags, why, examples, what to write instead."""
    import textwrap

    wrap = lambda text: textwrap.fill(" ".join(text.split()), 88)  # noqa: E731
    lines = [f"{rule.code} {rule.name}", "",
             f"Category: {rule.category}    Severity: {rule.severity}    Pack: {rule.pack}", ""]
    lines += ["## What it flags", wrap(rule.description or rule.message.replace("{match}", "…")), ""]
    if rule.rationale != rule.description:
        lines += ["## Why it is risky", wrap(rule.rationale), ""]
    if rule.references:
        lines += ["References:"] + [f"  - {r.title}: {r.url}" for r in rule.references] + [""]
    if rule.frames:
        lines += ["## Frames (slots over lexicons: `hypelint lexicon NAME` lists a lexicon)"]
        lines += [f"  {frame.source}" for frame in rule.frames] + [""]
    if rule.bad_examples or rule.good_examples:
        lines += ["## Examples", "Flagged (the flagged words in [brackets]):"]
        for example in rule.bad_examples:
            text = example.text
            for start, end in reversed(example.spans):
                text = text[:start] + "[" + text[start:end] + "]" + text[end:]
            lines.append("  ✗ " + " ".join(text.split()))
        lines.append("Not flagged:")
        lines += ["  ✓ " + " ".join(example.text.split()) for example in rule.good_examples]
    if rule.suggestions:
        lines += ["", "## What to write instead"] + [f"  - {s.replace('{match}', '…')}" for s in rule.suggestions]
    return "\n".join(lines)

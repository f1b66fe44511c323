"""The linter: rules in, diagnostics out. Pure: no printing, and no I/O beyond reading files.

Rules only find spans. The linter decides identity (code, name, category), severity and
position of every finding, so a rule cannot misreport them.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from .context import Context
from .diagnostic import Diagnostic, Severity
from .document import Document
from .errors import HypelintError, SourceError, not_linted
from .files import discover
from . import directives, engine
from .rules import Rule, RuleSet, load_packs
from .rules.frames import FrameMatch, Tokens, describe_parts, find_frames
from .sources import BinaryFileError, SourceOptions, decode, parse, read_file

# Seconds all patterns of one rule may spend on one document before the rule is reported as
# catastrophic (the `regex` module enforces it), plus TIMEOUT_PER_MILLION_CHARS for each million
# characters of the document: a long page is slow for every rule, and that is no rule's fault.
# A rule that runs out of time is switched off for the rest of the run (Linter.switched_off).
PATTERN_TIMEOUT = 2.0
TIMEOUT_PER_MILLION_CHARS = 2.0


# The longest run of hidden markup a match may span ("**", "> ", "](" but not a URL).
MAX_MARKUP_INSIDE_MATCH = 6


class RuleTimeout(HypelintError):
    """A rule's pattern took too long on a document: a catastrophic regex, reported not hung on."""

    rule_code: Optional[str] = None

    def __reduce__(self):  # the rule's code crosses from worker processes too
        return (_rebuild_timeout, (self.message, self.path, self.rule_code))


def _rebuild_timeout(message: str, path: Optional[str], rule_code: Optional[str]) -> RuleTimeout:
    error = RuleTimeout(message, path)
    error.rule_code = rule_code
    return error


def time_budget(document: Document) -> float:
    """Seconds one rule may spend on this document, in all its searches together."""
    return PATTERN_TIMEOUT + TIMEOUT_PER_MILLION_CHARS * len(document.mask) / 1_000_000


@dataclass
class FileResult:
    """What linting one file produced: diagnostics, or an error, or a skip note."""

    path: str
    diagnostics: List[Diagnostic] = field(default_factory=list)
    error: Optional[HypelintError] = None
    skipped: Optional[str] = None
    # Rules switched off while linting this file (they ran out of time): reported once a run.
    rule_errors: List[HypelintError] = field(default_factory=list)
    # The file's text, kept only when there are findings: reporters that quote the source line
    # and baseline fingerprints need it, clean files cost nothing.
    text: Optional[str] = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Match:
    """A span found by a rule, before the linter turns it into a Diagnostic."""

    start: int
    end: int
    demoted: bool = False  # weaker evidence context (e.g. a journal named without a locator)
    parts: Tuple[Tuple[str, str, str], ...] = ()  # a frame match's lexicon words: (class, text, tier)


class Linter:
    """Built once from rules (compiled once), then reused for any number of documents."""

    def __init__(self, rules: Optional[RuleSet] = None, *, packs: Optional[Sequence[str]] = None,
                 select: Optional[Sequence[str]] = None, ignore: Sequence[str] = (),
                 severity_overrides: Optional[dict] = None, source_options: Optional[SourceOptions] = None,
                 require_suppression_reason: bool = False):
        ruleset = rules if rules is not None else load_packs(packs)
        self.all_rules = ruleset
        self.rules = ruleset.select(select, ignore)
        self.engine_rules = engine.ENGINE_RULES.select(select, ignore)  # HL001-HL006 follow select/ignore too
        self.severity_overrides = dict(severity_overrides or {})
        # Called as f(document, diagnostics) -> diagnostics after matching, e.g. the config's
        # per-file-ignores and satisfied disclosures (config.FindingFilter).
        self.postfilters: List[Callable[[Document, List[Diagnostic]], List[Diagnostic]]] = []
        self.source_options = source_options
        self.require_suppression_reason = require_suppression_reason
        self._prefilter = None  # (rule set, Prefilter), built on first use: see candidate_rules()
        self._prefilter_cheap: Optional[bool] = None  # every pattern's analysis ships with hypelint
        self._linted_chars = 0  # characters seen before the prefilter was built
        self._triggering: Dict[str, List[Rule]] = {}  # document rule code -> the rules that fire it
        # how lint_paths walks folders: the configuration's include, exclude and base folder
        # (set by config.Settings.linter(); empty: every supported file, no excludes)
        self.file_selection: Dict[str, object] = {}
        # rule code -> the error that switched it off: a rule that ran out of its time budget on
        # one document is not run again by this linter (a catastrophic pattern would cost its
        # budget on every file or record of the run)
        self.switched_off: Dict[str, HypelintError] = {}
        self._budgets = threading.local()  # per thread: (document, {rule code: deadline})

    # -- public entry points -----------------------------------------------------------------
    def lint_text(self, text: str, *, path: Optional[str] = None, format: Optional[str] = None) -> List[Diagnostic]:
        document = parse(text, path or "<text>", format, self.source_options)
        return self.lint_document(document)

    def lint_file(self, path: str, format: Optional[str] = None, data: Optional[bytes] = None) -> FileResult:
        """Lint one file (or `data`, its bytes already read: the result cache hashes the same
        bytes). Any failure becomes the result's error; the caller's run goes on."""
        try:
            text = read_file(path) if data is None else decode(data, path)
            before = set(self.switched_off)
            diagnostics = self.lint_document(parse(text, path, format, self.source_options))
            timeouts = getattr(self._budgets, "timeouts", None)
            # a rule that timed out here leaves the file not fully linted (HL007), whatever else was found
            return FileResult(path, diagnostics, error=timeouts[0] if timeouts else None,
                              text=text if diagnostics else None,
                              rule_errors=[error for code, error in self.switched_off.items() if code not in before])
        except BinaryFileError:
            return FileResult(path, skipped="binary file")
        except HypelintError as error:
            return FileResult(path, error=error)
        except Exception as error:  # noqa: BLE001 - one bad file must not end the run (issue 19)
            return FileResult(path, error=not_linted(error, path))

    def lint_paths(self, paths: Iterable[str], exclude: Sequence[str] = ()) -> Iterator[FileResult]:
        """Lint files and folders, walked as `hypelint check` walks them: with the configuration's
        `include`, `exclude` and base folder when the linter was built from one, plus `exclude`."""
        selection = self.file_selection
        files = discover(paths, [*selection.get("exclude", ()), *exclude], include=selection.get("include"),
                         base=selection.get("base"))
        for path in files:
            yield self.lint_file(path)

    PATTERN_FIELDS = ("patterns", "exceptions", "requires", "sentence_has", "document_has", "before", "after")

    def compile_patterns(self) -> None:
        """Compile every selected rule's patterns now (built-in ones are compiled on first use),
        and keep them in the compiled-pattern cache: before forking workers, which then share
        them instead of each compiling its own."""
        from . import regexcache

        for rule in self.rules:
            for field_name in self.PATTERN_FIELDS:
                for pattern in getattr(rule, field_name):
                    compiled = getattr(pattern, "compiled", None)
                    if compiled is not None:
                        compiled()
        regexcache.save()

    # -- the pipeline ------------------------------------------------------------------------
    # Skip rules that cannot match (hypelint.prefilter); False runs every rule, same results.
    use_prefilter = True

    # Building the prefilter analyses every pattern (~0.15 s for the default packs): worth it for a
    # site, not for the one page a pre-commit run or an editor lints, so it starts after this much.
    PREFILTER_AFTER_CHARS = 200_000

    def candidate_rules(self, document: Document, context: Optional["Context"] = None) -> Sequence[Rule]:
        """The selected rules that can match this document, in order (see hypelint.prefilter).
        The keys' positions, found on the way, are kept in `context` for the pattern search."""
        if not self.use_prefilter:
            return self.rules.rules
        if self._prefilter is None:
            self._linted_chars += len(document.mask)
            if self._linted_chars < self.PREFILTER_AFTER_CHARS and not self._prefilter_is_cheap():
                return self.rules.rules  # the same findings, without the set-up cost
        if self._prefilter is None or self._prefilter[0] is not self.rules:
            from .prefilter import Prefilter

            self._prefilter = (self.rules, Prefilter(self.rules))
        prefilter = self._prefilter[1]
        if context is None:
            return prefilter.candidates(document.mask)
        if document.reuse is not None:
            keys = self._reused_keys(prefilter, document)
            if keys is not None:
                return [prefilter.rules[index] for index in prefilter.candidate_indices(document.mask, keys)]
        if context.key_positions is None:
            context.key_positions = prefilter.key_positions(document.mask, context.folded())
        return prefilter.candidates(document.mask, context.key_positions)

    @staticmethod
    def _reused_keys(prefilter, document: Document) -> Optional[Set[str]]:
        """The keys in an edited buffer's mask, as the union of its regions' keys, each kept in
        the region's cache between versions (scanning a whole 80 KB buffer took about 8 ms of
        every edit); None when a key could cross a region boundary (Document.line_regions)."""
        if not prefilter.line_local:
            return None
        mask = document.mask
        return document.union_of_regions(("prefilter keys", prefilter.scanner_source),
                                         lambda start, end: prefilter.found_keys(mask[start:end]))

    def _prefilter_is_cheap(self) -> bool:
        """The prefilter's plan for these rules is in the pattern cache, or every selected
        pattern's analysis ships with hypelint (the built-in packs)."""
        if self._prefilter_cheap is None:
            from .prefilter import Prefilter, precomputed

            self._prefilter_cheap = Prefilter.cached(self.rules) or all(
                precomputed(pattern) for rule in self.rules for pattern in rule.patterns)
        return self._prefilter_cheap

    def lint_document(self, document: Document) -> List[Diagnostic]:
        context = Context(document)
        self._budgets.timeouts = timeouts = []  # the rules that ran out of time on this document
        findings: Dict[str, List[Match]] = {}  # rule code -> matches, shared by document rules
        diagnostics: List[Diagnostic] = []
        framed: List[Diagnostic] = []  # frame rules' findings, added where no pattern rule reported
        for rule in self.candidate_rules(document, context):
            if self.switched_off and rule.code in self.switched_off:
                continue
            try:
                if rule.scope == "document":
                    diagnostic = self._check_document_rule(rule, document, context, findings)
                    if diagnostic:
                        diagnostics.append(diagnostic)
                else:
                    for match in self._matches(rule, document, context, findings):
                        (framed if rule.frames else diagnostics).append(
                            self._diagnostic(rule, document, match.start, match.end, demoted=match.demoted,
                                             parts=match.parts))
            except RuleTimeout as error:  # that rule is off from now on; the others still run
                timeouts.append(error)
                self._switch_off(error.rule_code or rule.code, error)
                findings.pop(error.rule_code or rule.code, None)
        if framed:
            diagnostics = _merge_framed(diagnostics, framed)
        diagnostics.extend(engine.note_diagnostics(self, document))
        diagnostics = directives.apply(self, document, diagnostics)
        for postfilter in self.postfilters:
            diagnostics = postfilter(document, diagnostics)
        if document.source_map is not None:  # matched in normalised text: report original places
            from .normalise import restore_positions

            diagnostics = restore_positions(document.source_map, diagnostics)
        return diagnostics

    def _switch_off(self, code: str, error: HypelintError) -> None:
        rule = self.all_rules.get(code) or self.rules.get(code)
        where = f" in {rule.source}" if rule is not None and rule.source else ""
        if code not in self.switched_off:
            switched = RuleTimeout(f"rule {code}{where} switched off for the rest of the run: {error.message}",
                                   error.path)
            switched.rule_code = code
            self.switched_off[code] = switched

    def _time_left(self, rule: Rule, document: Document) -> float:
        """What is left of the rule's time budget on this document (time_budget), shared by all
        its searches: a catastrophic pattern cannot take the budget once per sentence."""
        budgets = getattr(self._budgets, "current", None)
        if budgets is None or budgets[0] is not document:
            budgets = (document, {})
            self._budgets.current = budgets
        now = time.monotonic()
        deadline = budgets[1].get(rule.code)
        if deadline is None:
            deadline = budgets[1][rule.code] = now + time_budget(document)
        return max(deadline - now, 0.001)

    def _matches(self, rule: Rule, document: Document, context: "Context", findings) -> List[Match]:
        if rule.code not in findings:
            findings[rule.code] = self.find(rule, document, context)
        return findings[rule.code]

    def find(self, rule: Rule, document: Document, context: Optional["Context"] = None) -> List[Match]:
        """Spans where the rule's patterns (or frames) match prose and the context does not clear them."""
        parts: Dict[int, tuple] = {}
        if rule.frames:
            context = context or Context(document)
            spans = []
            for found in self._frame_matches(rule, document, context):
                if self._contiguous(document, found.start, found.end):  # not across a link's address
                    spans.append((found.start, found.end))
                    parts.setdefault(found.start, found.parts)
        else:
            spans = self._pattern_spans(rule, document, context)
        if not spans:
            return []
        if rule.document_has and not self._found(rule, rule.document_has, document, context):
            return []
        context = context or Context(document)
        merged: List[Tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        matches = []
        for start, end in merged:
            if self._excepted(rule, document, start, end, context) or context.in_mask(start, end):
                continue
            if rule.negation and context.negated(start):
                continue
            if rule.attribution and (context.attributed(start, end) or context.answered_no(start)):
                continue
            if rule.frames and rule.attribution and context.third_party_subject(start):
                continue  # "drugs used to treat leukemia": a description of medicine, not a claim
            if rule.sentence_has and not any(
                    self._search(rule, rule.sentence_has, document, low, high)
                    for low, high in context.context_text_spans(start, end)):
                continue
            if (rule.before or rule.after) and not self._near(rule, document, context, start, end):
                continue
            demoted = False
            if rule.citation:
                level = context.citation(start)
                if level == "cited":
                    continue
                demoted = level == "weak"
            matches.append(Match(start, end, demoted, parts.get(start, ())))
        return matches

    def _frame_matches(self, rule: Rule, document: Document, context: "Context") -> List[FrameMatch]:
        """The rule's frame matches. In an edited buffer (the language server) each region's
        tokens and matches are kept in the region's cache between versions: a frame never
        crosses a clause, so never a region boundary, and an edit re-tokenises only its region."""
        regions = document.line_regions()
        if regions is None:
            return find_frames(rule.frames, context.tokens(rule.lexicons), document.sentence_at)
        tokens_key = ("frame tokens", id(rule.lexicons))
        matches_key = ("frame matches", id(rule.lexicons), tuple(frame.source for frame in rule.frames))
        found: List[FrameMatch] = []
        for start, end, cache in regions:
            relative = cache.get(matches_key)
            if relative is None:
                tokens = cache.get(tokens_key)
                if tokens is None:
                    tokens = cache[tokens_key] = Tokens(document.mask[start:end], rule.lexicons)

                def bounds(offset: int, start: int = start) -> Tuple[int, int]:
                    low, high = document.sentence_at(offset + start)
                    return low - start, high - start

                relative = cache[matches_key] = find_frames(rule.frames, tokens, bounds)
            found.extend(FrameMatch(match.start + start, match.end + start, match.parts, match.frame)
                         for match in relative)
        return found

    def _pattern_spans(self, rule: Rule, document: Document, context: Optional["Context"]):
        """The rule's pattern matches: only in the blocks that hold one of its keywords when the
        prefilter can prove its patterns stay inside a block (the same matches, found faster).
        Rules with the same patterns (packs that share vocabulary) search once per document."""
        if context is None:
            return self._search(rule, rule.patterns, document)
        signature = tuple((pattern.pattern, pattern.flags) for pattern in rule.patterns)
        cache = context.pattern_spans
        if signature not in cache:
            if document.reuse is not None:
                cache[signature] = self._reused_spans(rule, document, signature)
            else:
                cache[signature] = self._pattern_spans_uncached(rule, document, context)
        return cache[signature]

    def _reused_spans(self, rule: Rule, document: Document, signature: tuple):
        """Matches region by region, reusing each unchanged region's matches from the previous
        version of an edited buffer (matches never cross a region: regions end at blank lines)."""
        spans = []
        for start, end, cache in document.reuse:
            relative = cache.get(signature)
            if relative is None:
                relative = [(low - start, high - start)
                            for low, high in self._search(rule, rule.patterns, document, start, end)]
                cache[signature] = relative
            if relative:  # most regions hold no match of most rules: no generator for them
                spans.extend([(low + start, high + start) for low, high in relative])
        return spans

    def _pattern_spans_uncached(self, rule: Rule, document: Document, context: "Context"):
        prefilter = self._prefilter[1] if self._prefilter is not None and self._prefilter[0] is self.rules else None
        if prefilter is None or not self.use_prefilter:
            return self._search(rule, rule.patterns, document)
        if context.key_positions is None:
            context.key_positions = prefilter.key_positions(document.mask, context.folded())
        spans = []
        for pattern in rule.patterns:  # each pattern only in the blocks that hold its own keys
            ranges = prefilter.segments(pattern, document.mask, context.key_positions, context.folded())
            if ranges is None:
                spans.extend(self._search(rule, (pattern,), document))
            else:
                for start, end in ranges:
                    spans.extend(self._search(rule, (pattern,), document, start, end))
        return spans

    def _near(self, rule: Rule, document: Document, context: "Context", start: int, end: int) -> bool:
        """A `before` pattern in the preceding words or the list lead-in, or an `after` pattern just after."""
        if rule.before:
            low, high = context.span_before(start, rule.window_words)
            if self._search(rule, rule.before, document, low, high):
                return True
            lead = context.lead_in(start)  # "Conditions we treat include:", but not "... we do not treat:"
            if lead and any(not context.negated(found) for found, _ in self._search(rule, rule.before, document, *lead)):
                return True
        if rule.after:
            low, high = context.span_after(end, rule.window_words)
            if self._search(rule, rule.after, document, low, high):
                return True
        return False

    def _search(self, rule: Rule, patterns, document: Document, start: int = 0, end: Optional[int] = None,
                first_only: bool = False):
        mask = document.mask
        end = len(mask) if end is None else end
        spans = []
        for pattern in patterns:
            compiled = getattr(pattern, "compiled", None)  # a rule pattern: its program, once
            program = pattern if compiled is None else compiled()
            timeout = self._time_left(rule, document)
            try:
                for match in program.finditer(mask, start, end, timeout=timeout):
                    low, high = match.span()
                    if high > low and self._contiguous(document, low, high):
                        spans.append((low, high))
                        if first_only:
                            return spans
            except TimeoutError:
                error = rule_timeout(rule, pattern, document.path, time_budget(document))
                error.rule_code = rule.code
                raise error from None
        return spans

    def _found(self, rule: Rule, patterns, document: Document, context: Optional["Context"]) -> bool:
        """Whether one of the patterns matches anywhere in the document. A pattern whose every
        match holds one of a few literals (hypelint.prefilter) is skipped when none occurs."""
        from .prefilter import analyse, fold

        # the literal test needs each pattern's analysis: shipped for the built-in packs, worked
        # out (and worth it) once the prefilter runs for team packs
        gate = self.use_prefilter and (self._prefilter is not None or self._prefilter_is_cheap())
        plan = self._prefilter[1] if self._prefilter is not None and self._prefilter[0] is self.rules else None
        folded = None
        for pattern in patterns:
            if gate:
                literals = plan.literals(pattern) if plan is not None else analyse(pattern).literals
                if literals is not None:
                    if folded is None:
                        folded = context.folded() if context is not None else fold(document.mask)
                    if not any(literal in folded for literal in literals):
                        continue
            if self._search(rule, (pattern,), document, first_only=True):
                return True
        return False

    @staticmethod
    def _contiguous(document: Document, start: int, end: int) -> bool:
        """A match stays inside one block and does not reach across a link destination or other
        long stretch of markup: short markup (`**`, `> `, list indentation) may sit between words."""
        mask = document.mask
        if "\x00" in mask[start:end]:
            return False
        text = document.text
        run = 0
        for offset in range(start, end):
            if mask[offset] == " " and not text[offset].isspace():
                run += 1
                if run > MAX_MARKUP_INSIDE_MATCH:
                    return False
            else:
                run = 0
        return True

    def _excepted(self, rule: Rule, document: Document, start: int, end: int,
                  context: Optional["Context"] = None) -> bool:
        if not rule.exceptions:
            return False
        sentence_start, sentence_end = document.sentence_at(start)
        sentence_end = max(sentence_end, end)
        # only the exceptions whose literals occur in the sentence (Context.may_match)
        patterns = rule.exceptions if context is None else [
            pattern for pattern in rule.exceptions if context.may_match(pattern, sentence_start, sentence_end)]
        for low, high in self._search(rule, patterns, document, sentence_start, sentence_end):
            if low < end and high > start:
                return True
        return False

    def _check_document_rule(self, rule: Rule, document: Document, context: "Context",
                             findings) -> Optional[Diagnostic]:
        triggers = self.find(rule, document, context) if rule.patterns else []
        if not triggers and rule.triggered_by:
            for other in self._triggering_rules(rule):
                triggers = self._matches(other, document, context, findings)
                if triggers:
                    break
        if not triggers:
            return None
        if self._found(rule, rule.requires, document, context):
            return None
        first = triggers[0]  # the finding points at the passage that calls for the disclosure
        return self._diagnostic(rule, document, first.start, first.end)

    def _triggering_rules(self, rule: Rule) -> List[Rule]:
        """The span rules a `triggered-by` document rule listens to (worked out once per rule)."""
        if rule.code not in self._triggering:
            self._triggering[rule.code] = [other for other in self.all_rules if other.scope == "span"
                                           and any(other.matches_selector(s) for s in rule.triggered_by)]
        return self._triggering[rule.code]

    def _diagnostic(self, rule: Rule, document: Document, start: int, end: int,
                    matched: Optional[str] = None, demoted: bool = False, parts: tuple = ()) -> Diagnostic:
        line, column = document.line_index.position(start)
        end_line, end_column = document.line_index.position(end)
        matched = document.text[start:end] if matched is None else matched
        severity = self.severity_for(rule)
        message = rule.format_message(matched, describe_parts(parts))
        if any(tier == "serious" for _, _, tier in parts) and severity == rule.severity < Severity.ERROR:
            # a claim about a serious disease (cancer, diabetes, HIV...) is an error whatever the rule's level
            severity = Severity.ERROR
        if demoted:
            severity = Severity(max(Severity.INFO, severity - 1))
            message += " A journal is named, but without a link, DOI or PMID the reader cannot find the study."
        return Diagnostic(
            path=document.path, line=line, column=column, end_line=end_line, end_column=end_column,
            code=rule.code, name=rule.name, category=rule.category,
            severity=severity, message=message,
            suggestions=_suggestions(rule, document, start, matched), references=rule.reference_urls,
            start=start, end=end, matched=matched, document_level=rule.scope == "document",
        )

    def severity_for(self, rule: Rule) -> Severity:
        for key in (rule.code, rule.name):
            if key in self.severity_overrides:
                return self.severity_overrides[key]
        # the most specific category prefix wins
        best = None
        for key, severity in self.severity_overrides.items():
            if rule.category == key or rule.category.startswith(key + "."):
                if best is None or len(key) > len(best[0]):
                    best = (key, severity)
        return best[1] if best else rule.severity

    # -- construction from configuration, and pickling -----------------------------------------
    # Kept at the end of the class so they stay apart from the matching internals above.
    @classmethod
    def from_settings(cls, settings) -> "Linter":
        """The linter a resolved :class:`hypelint.config.Settings` describes (built once per Settings)."""
        return settings.linter()

    @classmethod
    def from_config(cls, path=None, *, start=None, isolated: bool = False, **overrides) -> "Linter":
        """Load a config file (`path`, or the one discovered from `start`/the working directory,
        or none with `isolated=True`), apply keyword overrides such as `select=["claim"]` or
        `fail_on="error"` (underscores stand for the config file's hyphens), and build the linter."""
        from .config import load_settings

        settings = load_settings(start, config_path=path, isolated=isolated,
                                 overrides={key.replace("_", "-"): value for key, value in overrides.items()})
        return cls.from_settings(settings)

    def __reduce__(self):
        # Pickle the compiled rules and options, not derived state: the receiving process runs
        # the constructor again, so whatever the constructor precomputes is rebuilt there and
        # nothing process-local (caches, locks) crosses over. `regex` patterns pickle as their
        # source and recompile on load. The rules travel with the pickle, so worker processes
        # need no access to the config or ruleset files.
        return (_rebuild_linter, (type(self), self.all_rules, self.rules, self.severity_overrides,
                                  self.source_options, self.require_suppression_reason,
                                  list(self.postfilters), self.engine_rules))


def _merge_framed(diagnostics: List[Diagnostic], framed: List[Diagnostic]) -> List[Diagnostic]:
    """The frame rules' findings join the others except where a pattern rule of the same
    category already reported an overlapping span ("cures" of HL101 and "cures baldness" of a
    frame are one claim, reported once). Order is kept: the reporters sort by position."""
    taken: Dict[str, List[Tuple[int, int]]] = {}
    for diagnostic in diagnostics:
        if not diagnostic.document_level:
            taken.setdefault(diagnostic.category, []).append((diagnostic.start, diagnostic.end))
    kept = [d for d in framed
            if not any(start < d.end and d.start < end for start, end in taken.get(d.category, ()))]
    return diagnostics + kept


def _suggestions(rule: Rule, document: Document, start: int, matched: str) -> Tuple[str, ...]:
    """The rule's suggestions that fit this match (hypelint.suggestions)."""
    if not rule.suggestions:
        return ()
    from .suggestions import fitting_suggestions, needs_fitting

    if not needs_fitting(rule.suggestions):
        return rule.suggestions
    low, high = document.sentence_at(start)
    return fitting_suggestions(rule.suggestions, matched, document.text[low:high])


def rule_timeout(rule: Rule, pattern, path: str, seconds: float = PATTERN_TIMEOUT) -> RuleTimeout:
    """The error for a pattern that timed out on the file at `path`: it names the rule, the
    pack's file and line, and quotes the pattern as its author wrote it (not our rewrite)."""
    written, where = (rule.options or {}).get("pattern_origins", {}).get(
        getattr(pattern, "pattern", None), (None, rule.source))
    if written is None:
        written = getattr(pattern, "pattern", str(pattern))
    place = f" at {where}" if where else ""
    return RuleTimeout(f"rule {rule.code} ({rule.name}){place}: pattern {written[:80]!r} timed out after "
                       f"{seconds:.3g}s; the regex is catastrophic", path)


def _rebuild_linter(cls, all_rules: RuleSet, selected: RuleSet, severity_overrides: dict,
                    source_options=None, require_suppression_reason: bool = False, postfilters=(),
                    engine_rules=None) -> Linter:
    linter = cls(selected, severity_overrides=severity_overrides, source_options=source_options,
                 require_suppression_reason=require_suppression_reason)
    linter.all_rules = all_rules
    linter.postfilters = list(postfilters)
    if engine_rules is not None:
        linter.engine_rules = engine_rules
    return linter

"""The hypelint language server: diagnostics while you type, quick fixes and hover, over stdio.

Open buffers are linted in memory, exactly as the CLI lints files: `sources.parse(text, path,
format)` (format from the URI's extension) and `Linter.lint_document`, with the Settings the CLI
would use for the document's folder plus the editor's options. Linting runs on one worker thread
so the server keeps reading edits; a document is re-linted after a short debounce, at most one
lint per document runs at a time, and a result is published only if the buffer still has the
version (and the settings the generation) it was computed for, so stale results never reach
the editor.

Built on pygls; imported only when the `lsp` extra is installed (see `hypelint.lsp.run`).
"""
from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..diagnostic import Diagnostic, Severity
from ..errors import HypelintError
from ..files import is_excluded
from ..sources import ALIASES, EXTENSIONS, PARSERS, parse
from . import fixes
from .incremental import IncrementalMarkdown
from .positions import UTF16, PositionMapper, encoding_name
from .settings import SettingsResolver, describe, editor_options

logger = logging.getLogger("hypelint.lsp")

# Buffers longer than this many characters are not linted in the editor (a 10 MB buffer took 75 s
# and 800 MB to its first diagnostics): the server says so in one diagnostic and `hypelint check`
# lints the file. Documented in docs/editors.md.
MAX_DOCUMENT_CHARS = 1_000_000

# Seconds to wait after an edit before linting: long enough to merge the changes an editor sends
# in one burst (multi-cursor edits, paste + format), short enough to feel immediate. Edits that
# arrive while a lint runs are merged into one more lint of the newest text anyway.
DEFAULT_DEBOUNCE = 0.01
WATCHED_CONFIG_GLOBS = ("**/.hypelint.yaml", "**/.hypelint.yml", "**/pyproject.toml")
IGNORE_IN_CONFIG = "hypelint.ignoreInConfig"  # the config quick fix, run by the server (it writes the file)

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


class HypelintProtocol(LanguageServerProtocol):
    """pygls' protocol without its own copy of open documents: the server keeps the buffers
    itself, with the protocol's line endings ("\\n", "\\r\\n", "\\r") and one copy of the text."""

    def _user_handler(self, method: str, params):
        handler = self.fm.features.get(method)
        if handler is not None:
            yield handler, (params,), None

    def notify_json(self, method: str, params: Dict[str, Any]) -> None:
        """Send a notification whose params are already plain JSON (skips cattrs, which is the
        slow part of sending hundreds of diagnostics)."""
        self._send_data({"jsonrpc": self.VERSION, "method": method, "params": params})

    def structure_message(self, data):
        """pygls drops a message it cannot read (a position that is negative or past 2**31)
        without a word: a request then never gets its response and an edit is lost, leaving the
        server's copy of the buffer different from the editor's. A request gets an error
        response; a buffer whose edit was lost is no longer linted until it is opened again."""
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if isinstance(data, dict) and isinstance(data.get("method"), str):
                method = data["method"]
                if "id" in data:
                    self._send_data({"jsonrpc": self.VERSION, "id": data["id"], "error": {
                        "code": getattr(error, "code", -32602),
                        "message": f"hypelint: invalid {method} request: its parameters could not be read "
                                   f"(positions are 0 to 2**31-1)"}})
                elif method == types.TEXT_DOCUMENT_DID_CHANGE:
                    server = getattr(self, "_server", None)
                    uri = ((data.get("params") or {}).get("textDocument") or {}).get("uri")
                    if server is not None and isinstance(uri, str):
                        server.lost_edit(uri)
            raise

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_CLOSE, params)


@dataclass
class LintResults:
    """What one lint of one buffer version produced, kept for hover and code actions."""

    version: Optional[int]
    text: str
    format: str
    diagnostics: List[Diagnostic]
    linter: Any = None
    # document-level findings: index in `diagnostics` -> (start, end) of what triggered them
    triggers: Dict[int, Tuple[int, int]] = field(default_factory=dict)
    error: Optional[str] = None


@dataclass
class OpenDocument:
    """A buffer the editor has open: its current text and version, and the latest results."""

    uri: str
    text: str
    version: Optional[int]
    language_id: str = ""
    results: Optional[LintResults] = None
    _mapper: Optional[PositionMapper] = field(default=None, repr=False)
    _markdown: Optional[IncrementalMarkdown] = field(default=None, repr=False)

    @property
    def markdown(self) -> IncrementalMarkdown:
        """The chunk cache that makes re-parsing this buffer after an edit cheap."""
        if self._markdown is None:
            self._markdown = IncrementalMarkdown(self.path or self.uri)
        return self._markdown

    @property
    def path(self) -> Optional[str]:
        return to_fs_path(self.uri) if self.uri.startswith("file:") else None

    @property
    def format(self) -> str:
        """From the URI's extension; the language id only for buffers without a known one."""
        extension = os.path.splitext(self.path or self.uri)[1].lower()
        if extension in EXTENSIONS:
            return EXTENSIONS[extension]
        language = (self.language_id or "").lower()
        language = ALIASES.get(language, language)
        return language if language in PARSERS else "text"

    def mapper(self, encoding: str) -> PositionMapper:
        mapper = self._mapper
        if mapper is None or mapper.text is not self.text or mapper.encoding != encoding:
            mapper = self._mapper = PositionMapper(self.text, encoding)
        return mapper

    def apply(self, change, encoding: str) -> None:
        if isinstance(change, types.TextDocumentContentChangePartial):
            mapper = self.mapper(encoding)
            start = mapper.offset(change.range.start.line, change.range.start.character)
            end = mapper.offset(change.range.end.line, change.range.end.character)
            self.text = self.text[:start] + change.text + self.text[max(start, end):]
        else:
            self.text = change.text


def lint_buffer(linter, text: str, path: str, format: str, markdown: Optional[IncrementalMarkdown] = None
                ) -> Tuple[List[Diagnostic], Dict[int, Tuple[int, int]]]:
    """Lint a buffer (runs on the worker thread). Markdown is parsed incrementally when the
    buffer's chunk cache is given. Document-level findings also get the span that triggered
    them, shown as related information."""
    options = getattr(linter, "source_options", None)
    if markdown is not None and format == "markdown":
        document = markdown.parse(text, options)
    else:
        document = parse(text, path, format, options)
    diagnostics = linter.lint_document(document)
    triggers: Dict[int, Tuple[int, int]] = {}
    for index, diagnostic in enumerate(diagnostics):
        if diagnostic.document_level:
            rule = linter.rules.get(diagnostic.code)
            try:
                found = linter.find(rule, document) if rule is not None else []
            except Exception:  # related information is a nicety, never a reason to fail
                found = []
            if found:
                start, end = found[0].start, found[0].end
                source_map = document.source_map  # text normalised for matching: original places
                if source_map is not None:
                    start, end = source_map.start(start), source_map.end(end, start)
                triggers[index] = (start, end)
    return diagnostics, triggers


class LintWorker(Executor):
    """One daemon thread that runs lints in order. Unlike a ThreadPoolExecutor's thread it never
    holds the process open after `exit` (a queue of lints kept a stopped server alive for a
    minute), and a lint waiting in the queue can be cancelled (a closed or edited buffer)."""

    def __init__(self):
        self._queue: "queue.Queue" = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="hypelint-lint", daemon=True)
        self._thread.start()
        self._stopped = False

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        if self._stopped:
            future.cancel()
            future.set_running_or_notify_cancel()
            return future
        self._queue.put((future, fn, args, kwargs))
        return future

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            future, fn, args, kwargs = item
            if not future.set_running_or_notify_cancel():
                continue  # cancelled while it waited
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as error:  # handed to whoever waits for it
                future.set_exception(error)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = True) -> None:
        self._stopped = True
        while cancel_futures:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[0].cancel()
        self._queue.put(None)
        if wait:
            self._thread.join()


class HypelintLanguageServer(LanguageServer):
    def __init__(self):
        super().__init__("hypelint", __version__, protocol_cls=HypelintProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.documents: Dict[str, OpenDocument] = {}
        self.resolver = SettingsResolver()
        self.encoding = UTF16
        self.initialization_options: Dict[str, Any] = {}
        self._pending: Dict[str, asyncio.TimerHandle] = {}
        self._running: Set[str] = set()
        self._generation = 0  # bumped when settings reload: older results are stale
        self._shown_errors: Set[str] = set()
        self._lint_pool = LintWorker()
        self._futures: Dict[str, Future] = {}  # uri -> its lint, queued or running

    # -- workspace ------------------------------------------------------------------------------
    @property
    def debounce(self) -> float:
        configured = self.resolver.debounce_seconds
        return DEFAULT_DEBOUNCE if configured is None else configured

    def folders(self) -> List[Path]:
        found = []
        try:
            workspace = self.workspace
        except RuntimeError:
            return found
        for uri in list(workspace.folders) or ([workspace.root_uri] if workspace.root_uri else []):
            path = to_fs_path(uri) if uri and uri.startswith("file:") else None
            if path:
                found.append(Path(path))
        return found

    def folder_of(self, document: OpenDocument) -> Path:
        """Where config discovery starts for a document: its folder (or, for an unsaved buffer,
        the first workspace folder)."""
        if document.path:
            return Path(document.path).parent
        folders = self.folders()
        return folders[0] if folders else Path.cwd()

    def workspace_folder_of(self, path: Path) -> Optional[Path]:
        best = None
        for folder in self.folders():
            try:
                path.relative_to(folder)
            except ValueError:
                continue
            if best is None or len(str(folder)) > len(str(best)):
                best = folder
        return best

    def settings_for(self, document: OpenDocument):
        resolved = self.resolver.settings_for(self.folder_of(document))
        if resolved.error is not None:
            self.report_settings_error(resolved.error)
        return resolved.settings

    def set_editor_options(self, options: Any) -> None:
        """Settings pushed or pulled from the editor replace the initializationOptions (which
        are what the editor had at start-up); empty ones fall back to them."""
        chosen = editor_options(options) or self.initialization_options
        folders = self.folders()
        self.resolver.set_options(chosen, base=folders[0] if folders else None)

    def reload(self, reason: str) -> None:
        """Settings may have changed: forget them and re-lint every open buffer."""
        logger.info("reloading settings: %s", reason)
        self.log(f"hypelint: reloading settings ({reason})")
        self.resolver.invalidate()
        self._generation += 1
        self._shown_errors.clear()
        for uri in list(self.documents):
            self.schedule(uri, 0)

    # -- messages -------------------------------------------------------------------------------
    def log(self, message: str, kind=types.MessageType.Log) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def report_settings_error(self, error: HypelintError) -> None:
        """One window/showMessage per distinct problem (not one per keystroke)."""
        message = describe(error)
        self.log(message, types.MessageType.Error)
        if message not in self._shown_errors:
            self._shown_errors.add(message)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))

    # -- linting --------------------------------------------------------------------------------
    def schedule(self, uri: str, delay: Optional[float] = None) -> None:
        """Lint `uri` after `delay` seconds; a newer call replaces an older pending one.

        For an edit (`delay` None) the debounce applies to bursts: an edit to an idle buffer is
        linted at once, an edit that arrives while a lint of the buffer runs or waits restarts
        the wait, and the newest text is linted when the burst pauses."""
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if delay is None:
            delay = self.debounce if pending is not None or uri in self._running else 0
        if delay <= 0:
            self._start_lint(uri)
        else:
            self._pending[uri] = asyncio.get_running_loop().call_later(delay, self._start_lint, uri)

    def _start_lint(self, uri: str) -> None:
        self._pending.pop(uri, None)
        document = self.documents.get(uri)
        if document is None:
            return
        if uri in self._running:
            queued = self._futures.get(uri)
            if queued is None or not queued.cancel():
                return  # a running lint re-lints on completion if the buffer has moved on
            self._running.discard(uri)  # a queued lint of an older version: replaced below
        if self.resolver.changed_on_disk():
            self.reload("a config or ruleset file changed on disk")
            return  # reload() lints every open buffer again
        settings = self.settings_for(document)
        self.resolver.changed_on_disk()  # note the files these settings came from, as they are now
        path = document.path or document.uri
        if document.path and (settings.exclude and _excluded(Path(document.path), settings)
                              or _named_by_config(Path(document.path), settings)):
            document.results = LintResults(document.version, document.text, document.format, [])
            self.publish(document)
            return
        version, text, format, generation = document.version, document.text, document.format, self._generation
        linter = settings.linter()
        if len(text) > MAX_DOCUMENT_CHARS:
            document.results = LintResults(version, text, format, [], linter, error=_too_large(text))
            self.publish(document)
            return
        self._running.add(uri)
        future = self._lint_pool.submit(lint_buffer, linter, text, path, format, document.markdown)
        self._futures[uri] = future
        loop = asyncio.get_running_loop()
        future.add_done_callback(lambda done: loop.call_soon_threadsafe(
            self._finish_lint, uri, version, text, format, generation, linter, done))

    def cancel_lint(self, uri: str) -> None:
        """Forget the buffer's lint: cancelled if it still waits (a running one finishes unseen)."""
        future = self._futures.pop(uri, None)
        if future is not None:
            future.cancel()
        self._running.discard(uri)

    def lost_edit(self, uri: str) -> None:
        """An edit of `uri` could not be read: the server's copy differs from the editor's, so
        the buffer is no longer linted (stale diagnostics would point at the wrong words)."""
        if self.documents.pop(uri, None) is None:
            return
        self.cancel_lint(uri)
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        message = (f"hypelint: an edit of {uri} had invalid positions and was ignored; "
                   f"close and reopen the file to lint it again")
        self.log(message, types.MessageType.Error)
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))
        self.protocol.notify_json(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, {"uri": uri, "diagnostics": []})

    def _finish_lint(self, uri: str, version, text: str, format: str, generation: int, linter,
                     done: Future) -> None:
        if self._futures.get(uri) is not done:
            return  # cancelled or replaced: a newer lint (or none, the buffer closed) takes over
        del self._futures[uri]
        self._running.discard(uri)
        if done.cancelled():
            return
        document = self.documents.get(uri)
        if document is None:
            return  # closed meanwhile: its diagnostics were cleared on close
        current = document.version == version and document.text is text and generation == self._generation
        if not current:
            if uri not in self._pending:
                self._start_lint(uri)  # edits arrived while linting: lint the newest text now
            return
        try:
            diagnostics, triggers = done.result()
            results = LintResults(version, text, format, diagnostics, linter, triggers)
        except HypelintError as error:  # e.g. a catastrophic pattern timed out on this buffer
            results = LintResults(version, text, format, [], linter, error=str(error))
        except Exception as error:  # a bug: report it, keep serving
            logger.exception("linting %s failed", uri)
            results = LintResults(version, text, format, [], linter,
                                  error=f"internal error: {type(error).__name__}: {error}")
        document.results = results
        self.publish(document)

    async def current_results(self, document: OpenDocument) -> LintResults:
        """Results for the buffer as it is now (linting it if the latest run is outdated)."""
        results = document.results
        if results is not None and results.version == document.version and results.text is document.text:
            return results
        settings = self.settings_for(document)
        linter = settings.linter()
        version, text, format = document.version, document.text, document.format
        if len(text) > MAX_DOCUMENT_CHARS:
            return LintResults(version, text, format, [], linter, error=_too_large(text))
        loop = asyncio.get_running_loop()
        try:
            diagnostics, triggers = await loop.run_in_executor(
                self._lint_pool, lint_buffer, linter, text, document.path or document.uri, format, document.markdown)
        except HypelintError as error:
            return LintResults(version, text, format, [], linter, error=str(error))
        return LintResults(version, text, format, diagnostics, linter, triggers)

    # -- publishing -----------------------------------------------------------------------------
    def publish(self, document: OpenDocument) -> None:
        results = document.results
        mapper = document.mapper(self.encoding) if results.text is document.text else PositionMapper(
            results.text, self.encoding)
        related = self._client_supports("text_document.publish_diagnostics.related_information")
        diagnostics = [self.diagnostic_json(document.uri, index, results, mapper, related)
                       for index in range(len(results.diagnostics))]
        if results.error:
            diagnostics.append({"range": _range_json(mapper, 0, 0), "severity": int(types.DiagnosticSeverity.Error),
                                "source": "hypelint", "message": f"hypelint could not lint this file: {results.error}"})
        params = {"uri": document.uri, "diagnostics": diagnostics}
        if results.version is not None:
            params["version"] = results.version
        self.protocol.notify_json(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)

    def diagnostic_json(self, uri: str, index: int, results: LintResults, mapper: PositionMapper,
                        related: bool = True) -> Dict[str, Any]:
        """An LSP Diagnostic as JSON, built directly: a page can have hundreds of findings and
        building protocol objects first costs more than linting a paragraph."""
        diagnostic = results.diagnostics[index]
        data: Dict[str, Any] = {
            "range": _range_json(mapper, diagnostic.start, diagnostic.end),
            "severity": int(SEVERITIES[diagnostic.severity]),
            "code": diagnostic.code,
            "source": "hypelint",
            "message": diagnostic.message,
            "data": {"name": diagnostic.name, "category": diagnostic.category},
        }
        if diagnostic.references:
            data["codeDescription"] = {"href": diagnostic.references[0]}
        if related and index in results.triggers:
            start, end = results.triggers[index]
            trigger = " ".join(results.text[start:end].split())
            data["relatedInformation"] = [{"location": {"uri": uri, "range": _range_json(mapper, start, end)},
                                           "message": f'"{trigger}" is what calls for it'}]
        return data

    def to_lsp(self, uri: str, index: int, results: LintResults, mapper: PositionMapper) -> types.Diagnostic:
        """The same diagnostic as a protocol object (for code actions, which name it)."""
        related = self._client_supports("text_document.publish_diagnostics.related_information")
        return self.protocol._converter.structure(self.diagnostic_json(uri, index, results, mapper, related),
                                                  types.Diagnostic)

    def _client_supports(self, capability: str, default=False):
        try:
            return get_capability(self.client_capabilities, capability, default)
        except Exception:
            return default

    # -- hover ----------------------------------------------------------------------------------
    async def hover(self, params: types.HoverParams) -> Optional[types.Hover]:
        document = self.documents.get(params.text_document.uri)
        if document is None:
            return None
        results = await self.current_results(document)
        mapper = PositionMapper(results.text, self.encoding)
        offset = mapper.offset(params.position.line, params.position.character)
        found = [d for d in results.diagnostics if d.start <= offset < d.end or d.start == offset == d.end]
        if not found:
            return None
        markdown = "markdown" in [encoding_name(kind) for kind in
                                  self._client_supports("text_document.hover.content_format", None) or ["markdown"]]
        sections = [_hover_text(d, results.linter, markdown) for d in found]
        first = found[0]
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText,
                                         value="\n\n---\n\n".join(sections)),
            range=_range(mapper, first.start, first.end))

    # -- code actions ---------------------------------------------------------------------------
    async def code_actions(self, params: types.CodeActionParams) -> Optional[List[types.CodeAction]]:
        only = params.context.only
        if only and not any(_offers_quickfix(encoding_name(kind)) for kind in only):
            return None
        document = self.documents.get(params.text_document.uri)
        if document is None:
            return None
        results = await self.current_results(document)
        if results.version != document.version or results.text is not document.text:
            return None  # the buffer changed while we linted: the client will ask again
        mapper = PositionMapper(results.text, self.encoding)
        low = mapper.offset(params.range.start.line, params.range.start.character)
        high = mapper.offset(params.range.end.line, params.range.end.character)
        actions: List[types.CodeAction] = []
        for index, diagnostic in enumerate(results.diagnostics):
            if diagnostic.start <= high and diagnostic.end >= low:
                actions.extend(self._actions_for(document, results, index, mapper))
        return actions or None

    def _actions_for(self, document: OpenDocument, results: LintResults, index: int,
                     mapper: PositionMapper) -> List[types.CodeAction]:
        diagnostic = results.diagnostics[index]
        lsp_diagnostic = self.to_lsp(document.uri, index, results, mapper)
        actions = []
        rule = results.linter.all_rules.get(diagnostic.code) if results.linter is not None else None
        vetted = getattr(rule, "replacement", ()) or ()
        for number, replacement in enumerate(fixes.replacement_fixes(diagnostic, results.text, vetted)):
            actions.append(types.CodeAction(
                title=replacement.title, kind=types.CodeActionKind.QuickFix, diagnostics=[lsp_diagnostic],
                is_preferred=number == 0,
                edit=self._edit(document.uri, document.version, mapper, [replacement.edit])))
        comment = fixes.disable_next_line_edit(diagnostic, results.text, document.path, results.format)
        if comment is not None:
            actions.append(types.CodeAction(
                title=f"Disable {diagnostic.code} for this line", kind=types.CodeActionKind.QuickFix,
                diagnostics=[lsp_diagnostic], edit=self._edit(document.uri, document.version, mapper, [comment])))
        config_action = self._ignore_in_config_action(document, diagnostic, lsp_diagnostic)
        if config_action is not None:
            actions.append(config_action)
        return actions

    def _edit(self, uri: str, version: Optional[int], mapper: PositionMapper,
              edits: Sequence[fixes.TextEdit]) -> types.WorkspaceEdit:
        text_edits = [types.TextEdit(range=_range(mapper, edit.start, edit.end), new_text=edit.new_text)
                      for edit in edits]
        if self._client_supports("workspace.workspace_edit.document_changes"):
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                edits=text_edits)])
        return types.WorkspaceEdit(changes={uri: text_edits})

    def _ignore_in_config_action(self, document: OpenDocument, diagnostic: Diagnostic,
                                 lsp_diagnostic: types.Diagnostic) -> Optional[types.CodeAction]:
        """Add the rule to `ignore:` in the config that applies (the open buffer if the config is
        open), or create a `.hypelint.yaml` in the workspace folder when there is none."""
        if self.resolver.options.get("isolated") is True:
            return None
        config = self.resolver.config_path_for(self.folder_of(document))
        code, name = diagnostic.code, diagnostic.name
        title = f"Disable {code} ({name}) in the project config"
        if config is not None:
            uri = from_fs_path(str(config))
            open_config = self.documents.get(uri)
            if open_config is None:
                # the server writes the file itself (workspace/executeCommand): clients apply a
                # workspace edit to a buffer without saving it (Neovim, Helix), so an edit would
                # never reach the config on disk
                try:
                    text = Path(config).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    return None
                if _config_edit(config, text, code, name) is None:
                    return None
                return types.CodeAction(
                    title=f"Disable {code} ({name}) in {config.name}", kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp_diagnostic],
                    command=types.Command(title=f"Disable {code} in {config.name}", command=IGNORE_IN_CONFIG,
                                          arguments=[str(config), code, name]))
            text, version = open_config.text, open_config.version
            edit = _config_edit(config, text, code, name)
            if edit is None:
                return None
            return types.CodeAction(
                title=f"Disable {code} ({name}) in {config.name}", kind=types.CodeActionKind.QuickFix,
                diagnostics=[lsp_diagnostic],
                edit=self._edit(uri, version, PositionMapper(text, self.encoding), [edit]))
        # no config yet: create one where discovery will find it for this document (every client
        # runs commands; not every one can create files through a workspace edit)
        if not document.path:
            return None
        folder = self.workspace_folder_of(Path(document.path)) or Path(document.path).parent
        return types.CodeAction(
            title=f"{title} (create {fixes.CONFIG_NAME})", kind=types.CodeActionKind.QuickFix,
            diagnostics=[lsp_diagnostic],
            command=types.Command(title=f"Disable {code} in a new {fixes.CONFIG_NAME}", command=IGNORE_IN_CONFIG,
                                  arguments=[str(folder / fixes.CONFIG_NAME), code, name]))

    def ignore_in_config(self, config: Path, code: str, name: str) -> None:
        """The config quick fix: add the rule to `ignore:` in `config` (creating it when missing),
        written atomically, then lint every open buffer with the new settings."""
        from ..atomic import write_atomically

        if config.name not in (*fixes.CONFIG_NAMES, "pyproject.toml"):
            raise ValueError(f"not a hypelint config file: {config}")
        if config.exists():
            text = config.read_text(encoding="utf-8")
            edit = _config_edit(config, text, code, name)
            if edit is None:
                return  # already ignored
            new_text = fixes.apply_edits(text, [edit])
        else:
            new_text = fixes.new_config_text(code, name)
        write_atomically(str(config), new_text)
        self.reload(f"{code} disabled in {config.name}")

    # -- watching config files ------------------------------------------------------------------
    def register_watchers(self) -> None:
        if not self._client_supports("workspace.did_change_watched_files.dynamic_registration"):
            self.log("hypelint: the client cannot watch files; config changes apply when saved in the editor")
            return
        watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_CONFIG_GLOBS]
        registration = types.Registration(
            id="hypelint-config-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))
        self.client_register_capability(types.RegistrationParams(registrations=[registration]))

    def pull_configuration(self) -> None:
        """Ask the client for its `hypelint` settings (the pull model of VS Code, Zed...)."""
        if not self._client_supports("workspace.configuration"):
            return

        def received(result):
            if isinstance(result, list) and result and isinstance(result[0], dict) and result[0]:
                self.set_editor_options(result[0])
                self.reload("editor settings changed")

        params = types.ConfigurationParams(items=[types.ConfigurationItem(section="hypelint")])
        try:
            future = self.protocol.send_request(types.WORKSPACE_CONFIGURATION, params)
        except Exception:  # pragma: no cover - a client that cannot be asked
            return
        future.add_done_callback(lambda done: None if done.cancelled() or done.exception() else received(done.result()))

    def shutdown(self):
        for pending in self._pending.values():
            pending.cancel()
        self._pending.clear()
        self._lint_pool.shutdown(wait=False, cancel_futures=True)  # queued lints are dropped
        super().shutdown()


def _too_large(text: str) -> str:
    return (f"the buffer has {len(text):,} characters, more than the {MAX_DOCUMENT_CHARS:,} the editor "
            f"integration lints; run `hypelint check` on the file")


def _range_json(mapper: PositionMapper, start: int, end: int) -> Dict[str, Any]:
    start_line, start_character = mapper.position(start)
    end_line, end_character = mapper.position(end)
    return {"start": {"line": start_line, "character": start_character},
            "end": {"line": end_line, "character": end_character}}


def _range(mapper: PositionMapper, start: int, end: int) -> types.Range:
    start_line, start_character = mapper.position(start)
    end_line, end_character = mapper.position(end)
    return types.Range(start=types.Position(line=start_line, character=start_character),
                       end=types.Position(line=end_line, character=end_character))


def _offers_quickfix(requested_kind: str) -> bool:
    """Code action kinds are hierarchical: asking for "" or "quickfix" includes our quick fixes."""
    return requested_kind in ("", "quickfix") or "quickfix".startswith(requested_kind + ".")


def _config_edit(config: Path, text: str, code: str, name: str):
    if config.name == "pyproject.toml":
        return fixes.ignore_in_pyproject(text, code, name)
    return fixes.ignore_in_yaml(text, code, name)


def _named_by_config(path: Path, settings) -> bool:
    """A ruleset pack, lexicon, baseline or config file: hypelint's own data, never copy."""
    try:
        return Path(os.path.abspath(path)) in set(settings.named_files())
    except Exception:  # pragma: no cover - never let this stop linting
        return False


def _excluded(path: Path, settings) -> bool:
    try:
        relative = str(path.resolve().relative_to(settings.base_directory.resolve()))
    except ValueError:
        relative = str(path)
    return is_excluded(relative, settings.exclude)


def _hover_text(diagnostic: Diagnostic, linter, markdown: bool) -> str:
    rule = linter.all_rules.get(diagnostic.code) if linter is not None else None
    if not markdown:
        lines = [f"{diagnostic.code} {diagnostic.name} ({diagnostic.severity}, {diagnostic.category})",
                 diagnostic.message]
        if rule is not None:
            lines += ["", " ".join(rule.rationale.split())]
            lines += [f"- {r.title}: {r.url}" for r in rule.references]
        lines += [f"Instead: {s}" for s in diagnostic.suggestions]
        return "\n".join(lines)
    lines = [f"**{diagnostic.code} {diagnostic.name}** · {diagnostic.severity} · `{diagnostic.category}`", "",
             _escape(diagnostic.message)]
    if rule is not None and rule.rationale:
        lines += ["", "**Why it is risky:** " + _escape(" ".join(rule.rationale.split()))]
    if diagnostic.suggestions:
        lines += ["", "**What to write instead:**"] + [f"- {_escape(s)}" for s in diagnostic.suggestions]
    references = rule.references if rule is not None else ()
    if references:
        lines += ["", "**References:**"] + [f"- [{_escape(r.title)}]({r.url})" for r in references]
    elif diagnostic.references:
        lines += ["", "**References:**"] + [f"- <{url}>" for url in diagnostic.references]
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Markdown-escape rule text so `*`, `_` or `[` in a message do not turn into formatting."""
    for char in "\\`*_[]<>":
        text = text.replace(char, "\\" + char)
    return text


def create_server() -> HypelintLanguageServer:
    """A server with every feature registered (a new one per call, so tests can run several)."""
    server = HypelintLanguageServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: HypelintLanguageServer, params: types.InitializeParams):
        ls.encoding = encoding_name(ls.workspace.position_encoding or UTF16)
        ls.initialization_options = editor_options(params.initialization_options)
        ls.set_editor_options({})

    @server.feature(types.INITIALIZED)
    def initialized(ls: HypelintLanguageServer, params: types.InitializedParams):
        ls.register_watchers()
        ls.pull_configuration()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HypelintLanguageServer, params: types.DidOpenTextDocumentParams):
        item = params.text_document
        ls.documents[item.uri] = OpenDocument(item.uri, item.text, item.version, item.language_id)
        ls.schedule(item.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HypelintLanguageServer, params: types.DidChangeTextDocumentParams):
        document = ls.documents.get(params.text_document.uri)
        if document is None:
            return
        for change in params.content_changes:
            document.apply(change, ls.encoding)
        document.version = params.text_document.version
        ls.schedule(document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: HypelintLanguageServer, params: types.DidSaveTextDocumentParams):
        document = ls.documents.get(params.text_document.uri)
        if document is not None and params.text is not None and params.text != document.text:
            document.text = params.text
        path = to_fs_path(params.text_document.uri) if params.text_document.uri.startswith("file:") else None
        if path and ls.resolver.is_settings_file(Path(path)):
            ls.reload(f"{os.path.basename(path)} saved")
        elif document is not None:
            ls.schedule(document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HypelintLanguageServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        pending = ls._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        ls.cancel_lint(uri)  # a queued lint of a closed buffer would delay every other buffer
        if ls.documents.pop(uri, None) is not None:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: HypelintLanguageServer, params: types.DidChangeWatchedFilesParams):
        changed = []
        for event in params.changes:
            path = to_fs_path(event.uri) if event.uri.startswith("file:") else None
            if path and ls.resolver.is_settings_file(Path(path)):
                changed.append(os.path.basename(path))
        if changed:
            ls.reload(f"{', '.join(sorted(set(changed)))} changed")

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls: HypelintLanguageServer, params: types.DidChangeConfigurationParams):
        if isinstance(params.settings, dict) and params.settings:
            ls.set_editor_options(params.settings)
            ls.reload("editor settings changed")
        else:
            ls.pull_configuration()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_workspace_folders(ls: HypelintLanguageServer, params: types.DidChangeWorkspaceFoldersParams):
        ls.set_editor_options(ls.resolver.options)
        ls.reload("workspace folders changed")

    @server.command(IGNORE_IN_CONFIG)
    def ignore_in_config(ls: HypelintLanguageServer, path: str, code: str, name: str):
        ls.ignore_in_config(Path(path), code, name)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: HypelintLanguageServer, params: types.HoverParams):
        return await ls.hover(params)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    async def code_action(ls: HypelintLanguageServer, params: types.CodeActionParams):
        return await ls.code_actions(params)

    return server

"""End-to-end tests of `hypelint lsp`: a real LSP client (pytest-lsp) talks to the server over
stdio. Tests wait for the server's notifications (never sleep); every wait has a generous
timeout so a broken server fails the test instead of hanging it.

The rules come from a small ruleset written by each test (XX101, XX201), so changes to the
shipped rulesets cannot break these tests.
"""
from __future__ import annotations

import asyncio
import os
import sys
import textwrap
from pathlib import Path
from typing import Callable, List

import pytest

pytest_lsp = pytest.importorskip(
    "pytest_lsp", reason="the LSP end-to-end tests need pytest-lsp (Python 3.10+): pip install -e '.[test]'")

from lsprotocol import types  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402

pytestmark = pytest.mark.asyncio

TIMEOUT = 30.0  # seconds; only reached when the server is broken

RULES = textwrap.dedent("""\
    pack: lsp-test
    rules:
      - code: XX101
        name: miracle-cure
        category: claim.cure
        severity: error
        message: '"{match}" promises a cure.'
        rationale: Only an approved drug may claim to cure a disease.
        references:
          - title: Example cure regulation
            url: https://example.org/rules/cure
        patterns:
          - phrases: [cures]
        suggestions:
          - '"may ease" instead of "cures"'
          - Describe what the evidence shows.
        replacement: [may ease]
        examples:
          bad: ['It [[cures]] colds.']
          good: ['A curious thing.']
      - code: XX201
        name: no-risk
        category: claim.safety
        severity: warning
        message: '"{match}" minimises risk.'
        rationale: Every treatment has side effects.
        references:
          - title: Example safety guidance
            url: https://example.org/rules/risk
        patterns:
          - phrases: [no side effects]
        suggestions:
          - Replace with "few side effects" or "mild side effects".
        replacement: [few side effects, mild side effects]
        examples:
          bad: ['It has [[no side effects]].']
          good: ['Side effects are rare.']
    """)
CONFIG = "extends: [./rules.yaml]\n"


# -- the client ----------------------------------------------------------------------------------
def make_client() -> LanguageClient:
    """pytest-lsp's client, recording every publication and message in order (its default keeps
    only the latest diagnostics per document, which cannot show an outdated publication)."""
    client = LanguageClient(converter_factory=default_converter)
    register_lsp_features(client, {method: handler for method, handler in DEFAULT_CLIENT_FEATURES.items()
                                   if method not in (types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
                                                     types.WINDOW_SHOW_MESSAGE)})
    client.publications = []
    client.registrations = []
    client.arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(ls, params: types.PublishDiagnosticsParams):
        ls.diagnostics[params.uri] = params.diagnostics
        ls.publications.append(params)
        ls.arrived.set()

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def on_message(ls, params: types.ShowMessageParams):
        ls.messages.append(params)
        ls.arrived.set()

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(ls, params: types.RegistrationParams):
        ls.registrations.extend(params.registrations)

    return client


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "hypelint", "lsp"],
                                              client_factory=make_client))
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def _wait(client: LanguageClient, items: Callable[[], list], predicate, after: int, what: str):
    async def scan():
        index = after
        while True:
            found = items()
            while index < len(found):
                index += 1
                if predicate(found[index - 1]):
                    return found[index - 1]
            client.arrived.clear()
            await client.arrived.wait()
    try:
        return await asyncio.wait_for(scan(), TIMEOUT)
    except asyncio.TimeoutError:
        raise AssertionError(f"no {what} within {TIMEOUT:g}s; received: {items()[after:]}") from None


async def published(client: LanguageClient, uri: str, version="any", after: int = 0) -> types.PublishDiagnosticsParams:
    """The first publication for `uri` (with `version`) at or after position `after`."""
    return await _wait(client, lambda: client.publications,
                       lambda p: p.uri == uri and (version == "any" or p.version == version), after,
                       f"publishDiagnostics for {uri} version {version}")


async def shown_message(client: LanguageClient, after: int = 0) -> types.ShowMessageParams:
    return await _wait(client, lambda: client.messages, lambda m: True, after, "window/showMessage")


# -- helpers -------------------------------------------------------------------------------------
@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    (tmp_path / ".hypelint.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def uri_of(path: Path) -> str:
    return from_fs_path(str(path))


async def start(client: LanguageClient, *folders: Path, encodings=None, options=None) -> types.InitializeResult:
    capabilities = client_capabilities("visual-studio-code")
    if encodings is not None:
        capabilities.general = types.GeneralClientCapabilities(position_encodings=encodings)
    return await client.initialize_session(types.InitializeParams(
        capabilities=capabilities,
        root_uri=uri_of(folders[0]),
        workspace_folders=[types.WorkspaceFolder(uri=uri_of(f), name=f.name) for f in folders],
        initialization_options=options,
    ))


def open_document(client: LanguageClient, path: Path, text: str, version: int = 1, language: str = "markdown") -> str:
    uri = uri_of(path)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)))
    return uri


def change_document(client: LanguageClient, uri: str, version: int, text: str, range: types.Range = None) -> None:
    change = (types.TextDocumentContentChangeWholeDocument(text=text) if range is None
              else types.TextDocumentContentChangePartial(range=range, text=text))
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change]))


def config_changed(client: LanguageClient, path: Path, kind=types.FileChangeType.Changed) -> None:
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=uri_of(path), type=kind)]))


def utf16(text: str) -> int:
    """Length in UTF-16 code units, computed by Python's codec (independent of the server)."""
    return len(text.encode("utf-16-le")) // 2


def offset_of(text: str, position: types.Position) -> int:
    """Code point offset of a UTF-16 position in a text with "\\n" line endings."""
    lines = text.split("\n")
    line = lines[position.line]
    index = 0
    while index < len(line) and utf16(line[:index]) < position.character:
        index += 1
    return sum(len(previous) + 1 for previous in lines[:position.line]) + index


def apply(text: str, edits: List[types.TextEdit]) -> str:
    spans = sorted(((offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits),
                   reverse=True)
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


def codes(publication: types.PublishDiagnosticsParams) -> List[str]:
    return sorted(d.code for d in publication.diagnostics)


# -- diagnostics ---------------------------------------------------------------------------------
LINE = "Smile 😀 cafe\u0301 — it cures colds, with no side effects."


async def test_open_publishes_diagnostics_with_exact_utf16_ranges(client, project):
    result = await start(client, project)
    assert result.capabilities.position_encoding in (None, types.PositionEncodingKind.Utf16)
    text = f"# Care 🌿\n\n{LINE}\n"
    uri = open_document(client, project / "page.md", text)
    publication = await published(client, uri, version=1)
    cure, risk = sorted(publication.diagnostics, key=lambda d: d.range.start.character)
    # "Smile 😀 cafe\u0301 — it " is 19 code points; the emoji takes two UTF-16 units
    assert cure.range == types.Range(start=types.Position(line=2, character=20),
                                     end=types.Position(line=2, character=25))
    start_of_risk = utf16(LINE[:LINE.index("no side effects")])
    assert risk.range == types.Range(start=types.Position(line=2, character=start_of_risk),
                                     end=types.Position(line=2, character=start_of_risk + 15))
    assert (cure.code, cure.source, cure.severity) == ("XX101", "hypelint", types.DiagnosticSeverity.Error)
    assert cure.message == '"cures" promises a cure.'
    assert cure.code_description.href == "https://example.org/rules/cure"
    assert (risk.code, risk.severity) == ("XX201", types.DiagnosticSeverity.Warning)


@pytest.mark.parametrize("encoding, measure", [
    (types.PositionEncodingKind.Utf8, lambda text: len(text.encode("utf-8"))),
    (types.PositionEncodingKind.Utf32, len),
])
async def test_offered_position_encoding_is_used(client, project, encoding, measure):
    result = await start(client, project, encodings=[encoding, types.PositionEncodingKind.Utf16])
    assert result.capabilities.position_encoding == encoding
    uri = open_document(client, project / "page.md", LINE + "\n")
    publication = await published(client, uri, version=1)
    cure = next(d for d in publication.diagnostics if d.code == "XX101")
    prefix = LINE[:LINE.index("cures")]
    assert (cure.range.start.character, cure.range.end.character) == (measure(prefix), measure(prefix + "cures"))
    # an incremental edit in the same encoding lands where the client meant it: after "colds,"
    column = measure(LINE[:LINE.index(" with")])
    at = types.Position(line=0, character=column)
    change_document(client, uri, 2, " it cures flu,", types.Range(start=at, end=at))
    publication = await published(client, uri, version=2)
    second = max((d for d in publication.diagnostics if d.code == "XX101"), key=lambda d: d.range.start.character)
    assert second.range.start.character == measure(LINE[:LINE.index(" with")] + " it ")


async def test_edits_republish_only_that_document_and_only_its_latest_version(client, project):
    await start(client, project)
    other = open_document(client, project / "other.md", "It cures.\n")
    await published(client, other, version=1)
    intro = "Intro 😀 line."
    uri = open_document(client, project / "page.md", intro + "\n")
    assert codes(await published(client, uri, version=1)) == []
    mark = len(client.publications)
    text = intro
    for version in range(2, 7):  # five quick edits, each adding one claim at the end of line 0
        end = types.Position(line=0, character=utf16(text))
        change_document(client, uri, version, " It cures.", types.Range(start=end, end=end))
        text += " It cures."
    final = await published(client, uri, version=6, after=mark)
    assert len(final.diagnostics) == 5
    later = client.publications[mark:]
    assert all(p.uri == uri for p in later), "only the edited document is republished"
    versions = [p.version for p in later]
    assert versions == sorted(versions) and versions[-1] == 6
    for publication in later:  # whatever was published matches the text of the version it names
        assert len(publication.diagnostics) == publication.version - 1
    # a range replacement that removes the claims again
    change_document(client, uri, 7, "", types.Range(start=types.Position(line=0, character=utf16(intro)),
                                                   end=types.Position(line=0, character=utf16(text))))
    assert codes(await published(client, uri, version=7)) == []


async def test_save_relints_and_close_clears(client, project):
    await start(client, project)
    uri = open_document(client, project / "page.md", "It cures.\n")
    await published(client, uri, version=1)
    mark = len(client.publications)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert codes(await published(client, uri, after=mark)) == ["XX101"]
    mark = len(client.publications)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    cleared = await published(client, uri, after=mark)
    assert list(cleared.diagnostics) == []


# -- code actions and hover ----------------------------------------------------------------------
async def _actions(client, uri, diagnostic) -> List[types.CodeAction]:
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic])))


def _edits(action: types.CodeAction, uri: str) -> List[types.TextEdit]:
    return [edit for change in action.edit.document_changes
            if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri
            for edit in change.edits]


async def test_code_action_applies_a_suggestion(client, project):
    await start(client, project)
    text = "Smile 😀 — it cures colds and has no side effects.\n"
    uri = open_document(client, project / "page.md", text)
    publication = await published(client, uri, version=1)
    cure = next(d for d in publication.diagnostics if d.code == "XX101")
    actions = await _actions(client, uri, cure)
    titles = [a.title for a in actions]
    assert titles == ['Replace with "may ease"', "Disable XX101 for this line",
                      "Disable XX101 (miracle-cure) in .hypelint.yaml"]
    replace = actions[0]
    assert replace.kind == types.CodeActionKind.QuickFix and replace.is_preferred
    assert replace.diagnostics[0].code == "XX101"
    assert replace.edit.document_changes[0].text_document.version == 1
    fixed = apply(text, _edits(replace, uri))
    assert fixed == "Smile 😀 — it may ease colds and has no side effects.\n"
    change_document(client, uri, 2, fixed)
    risk, = (await published(client, uri, version=2)).diagnostics
    assert [a.title for a in await _actions(client, uri, risk)][:2] == [
        'Replace with "few side effects"', 'Replace with "mild side effects"']
    disable = (await _actions(client, uri, risk))[2]
    assert apply(fixed, _edits(disable, uri)) == "<!-- hypelint-disable-next-line XX201 -->\n" + fixed


async def _run(client: LanguageClient, action: types.CodeAction):
    """Run a code action's command the way editors do (workspace/executeCommand). lsprotocol's
    client side reads a CodeAction that has a `command` as a Command (its union hook only looks
    for the key), so both shapes are accepted here."""
    command = action.command
    if isinstance(command, str) and command.startswith("{"):  # the converter stringified the mapping
        import ast

        command = ast.literal_eval(command)
    if isinstance(command, dict):
        name, arguments = command["command"], command.get("arguments")
    elif isinstance(command, str):
        name, arguments = command, action.arguments
    else:
        name, arguments = command.command, command.arguments
    assert getattr(action, "edit", None) is None
    return await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=name, arguments=arguments))


async def test_code_action_ignores_the_rule_in_the_config_and_the_server_reloads(client, project):
    """The server writes the config itself: clients apply workspace edits to a buffer without
    saving it (Neovim), so the finding used to stay (issue 18, point 4)."""
    await start(client, project)
    uri = open_document(client, project / "page.md", "It cures and has no side effects.\n")
    cure = next(d for d in (await published(client, uri, version=1)).diagnostics if d.code == "XX101")
    action = next(a for a in await _actions(client, uri, cure) if a.title.endswith("in .hypelint.yaml"))
    config = project / ".hypelint.yaml"
    mark = len(client.publications)
    await _run(client, action)
    assert config.read_text(encoding="utf-8") == CONFIG + "ignore:\n  - XX101  # miracle-cure\n"
    assert codes(await published(client, uri, version=1, after=mark)) == ["XX201"]


async def test_code_action_edits_the_config_buffer_when_it_is_open(client, project):
    await start(client, project)
    config = project / ".hypelint.yaml"
    open_document(client, config, CONFIG, language="yaml")
    uri = open_document(client, project / "page.md", "It cures and has no side effects.\n")
    cure = next(d for d in (await published(client, uri, version=1)).diagnostics if d.code == "XX101")
    action = next(a for a in await _actions(client, uri, cure) if a.title.endswith("in .hypelint.yaml"))
    assert apply(CONFIG, _edits(action, uri_of(config))) == CONFIG + "ignore:\n  - XX101  # miracle-cure\n"


async def test_code_action_creates_a_config_when_there_is_none(client, tmp_path):
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    await start(client, tmp_path, options={"extends": ["./rules.yaml"]})
    uri = open_document(client, tmp_path / "docs" / "page.md", "It cures.\n")
    cure, = (await published(client, uri, version=1)).diagnostics
    action = next(a for a in await _actions(client, uri, cure) if "create .hypelint.yaml" in a.title)
    mark = len(client.publications)
    await _run(client, action)
    assert (tmp_path / ".hypelint.yaml").read_text(encoding="utf-8") == "ignore:\n  - XX101  # miracle-cure\n"
    assert codes(await published(client, uri, version=1, after=mark)) == []


async def test_config_edited_on_disk_is_noticed_without_watched_files(client, project):
    """Neovim and Helix send no workspace/didChangeWatchedFiles: the server compares the config
    files' modification times before each lint (issue 18, point 4)."""
    await start(client, project)
    uri = open_document(client, project / "page.md", "It cures and has no side effects.\n")
    assert codes(await published(client, uri, version=1)) == ["XX101", "XX201"]
    config = project / ".hypelint.yaml"
    config.write_text(CONFIG + "ignore: [XX201]\n", encoding="utf-8")
    os.utime(config, ns=(1, 1))  # a different modification time, however fast the test runs
    mark = len(client.publications)
    change_document(client, uri, 2, "It cures and has no side effects!\n")
    assert codes(await _wait(client, lambda: client.publications,
                             lambda p: p.uri == uri and "XX201" not in codes(p), mark, "reloaded settings")) == ["XX101"]


async def test_nested_config_applies_to_its_folder_only(client, project):
    """The server and `hypelint check` resolve the same config for each file (issue 18, point 3)."""
    (project / "site").mkdir()
    (project / "site" / ".hypelint.yaml").write_text(CONFIG.replace("./rules.yaml", "../rules.yaml")
                                                     + "ignore: [XX101]\n", encoding="utf-8")
    await start(client, project)
    top = open_document(client, project / "page.md", "It cures.\n")
    nested = open_document(client, project / "site" / "page.md", "It cures.\n")
    assert codes(await published(client, top, version=1)) == ["XX101"]
    assert codes(await published(client, nested, version=1)) == []


async def test_a_ruleset_pack_opened_in_the_editor_is_not_linted_as_copy(client, project):
    await start(client, project)
    uri = open_document(client, project / "rules.yaml", RULES, language="yaml")
    assert codes(await published(client, uri, version=1)) == []


async def test_hover_shows_rationale_and_references(client, project):
    await start(client, project)
    text = "Intro 😀. It cures colds.\n"
    uri = open_document(client, project / "page.md", text)
    await published(client, uri, version=1)
    inside = types.Position(line=0, character=utf16(text[:text.index("ures")]))
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=inside))
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "**XX101 miracle-cure**" in hover.contents.value
    assert "Only an approved drug may claim to cure a disease." in hover.contents.value
    assert "[Example cure regulation](https://example.org/rules/cure)" in hover.contents.value
    assert hover.range.start.character == utf16(text[:text.index("cures")])
    outside = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=1)))
    assert outside is None


# -- configuration -------------------------------------------------------------------------------
async def test_config_change_reloads_settings(client, project):
    await start(client, project)
    uri = open_document(client, project / "page.md", "It cures and has no side effects.\n")
    assert codes(await published(client, uri, version=1)) == ["XX101", "XX201"]
    watched = [r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    # registration options reach the client as plain JSON
    globs = {watcher["globPattern"] for r in watched for watcher in r.register_options["watchers"]}
    assert globs == {"**/.hypelint.yaml", "**/.hypelint.yml", "**/pyproject.toml"}
    (project / ".hypelint.yaml").write_text(CONFIG + "ignore: [no-risk]\n", encoding="utf-8")
    mark = len(client.publications)
    config_changed(client, project / ".hypelint.yaml")
    assert codes(await published(client, uri, version=1, after=mark)) == ["XX101"]


async def test_malformed_config_or_ruleset_shows_one_message_and_the_server_keeps_serving(client, project):
    await start(client, project)
    uri = open_document(client, project / "page.md", "It cures and has no side effects.\n")
    assert codes(await published(client, uri, version=1)) == ["XX101", "XX201"]
    config = project / ".hypelint.yaml"
    config.write_text(CONFIG + "ignore: [\n", encoding="utf-8")
    mark = len(client.publications)
    config_changed(client, config)
    message = await shown_message(client)
    assert message.type == types.MessageType.Error
    assert ".hypelint.yaml" in message.message and "invalid YAML" in message.message
    # still linting, with the last good settings
    assert codes(await published(client, uri, version=1, after=mark)) == ["XX101", "XX201"]
    change_document(client, uri, 2, "It cures.\n")
    assert codes(await published(client, uri, version=2)) == ["XX101"]
    assert len(client.messages) == 1, "the same problem is shown once, not on every edit"
    # a broken ruleset is reported too, naming the ruleset file
    config.write_text(CONFIG, encoding="utf-8")
    (project / "rules.yaml").write_text(RULES.replace("phrases: [cures]", "regex: 'cures('"), encoding="utf-8")
    mark = len(client.publications)
    config_changed(client, config)
    message = await shown_message(client, after=1)
    assert "rules.yaml" in message.message
    assert codes(await published(client, uri, version=2, after=mark)) == ["XX101"]
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=4)))
    assert "XX101" in hover.contents.value


async def test_editor_options_override_the_config(client, project):
    await start(client, project, options={"hypelint": {"ignore": ["XX201"]}})
    uri = open_document(client, project / "page.md", "It cures and has no side effects.\n")
    assert codes(await published(client, uri, version=1)) == ["XX101"]
    mark = len(client.publications)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"hypelint": {"select": ["XX201"]}}))
    assert codes(await published(client, uri, version=1, after=mark)) == ["XX201"]
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"hypelint": {"selec": ["XX201"]}}))
    message = await shown_message(client)
    assert message.message.startswith("hypelint: editor settings: unknown key 'selec'")


async def test_each_workspace_folder_uses_its_own_config(client, tmp_path):
    shop, blog = tmp_path / "shop", tmp_path / "blog"
    for folder in (shop, blog):
        folder.mkdir()
        (folder / "rules.yaml").write_text(RULES, encoding="utf-8")
    (shop / ".hypelint.yaml").write_text(CONFIG + "exclude: [drafts]\n", encoding="utf-8")
    (blog / ".hypelint.yaml").write_text(CONFIG + "ignore: [XX101]\n", encoding="utf-8")
    await start(client, shop, blog)
    text = "It cures and has no side effects.\n"
    in_shop = open_document(client, shop / "page.md", text)
    in_blog = open_document(client, blog / "post.md", text)
    draft = open_document(client, shop / "drafts" / "new.md", text)
    assert codes(await published(client, in_shop, version=1)) == ["XX101", "XX201"]
    assert codes(await published(client, in_blog, version=1)) == ["XX201"]
    assert codes(await published(client, draft, version=1)) == []

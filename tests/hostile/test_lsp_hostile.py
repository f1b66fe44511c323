"""The language server under hostile load (issue 19, item 10): requests with invalid positions
get an error response, an edit that cannot be read stops linting that buffer (with a message)
instead of silently desynchronising it, huge buffers are refused with a documented limit, lints
of closed or superseded buffers are cancelled, and queued lints never keep a stopped server
alive. The end-to-end tests speak raw JSON-RPC, so nothing on the client side cleans the input."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra")

from conftest import ROOT  # noqa: E402

TIMEOUT = 60.0  # only reached when the server is broken


class RawClient:
    def __init__(self, cwd):
        self.process = subprocess.Popen([sys.executable, "-m", "hypelint", "lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd,
                                        env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
        self.messages: "queue.Queue[dict]" = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.next_id = 0

    def _read(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line.strip() == b"":
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message):
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait_for(self, predicate, what):
        end = time.monotonic() + TIMEOUT
        while time.monotonic() < end:
            try:
                message = self.messages.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                break
            if predicate(message):
                return message
        raise AssertionError(f"no {what} within {TIMEOUT:g}s")

    def start(self, folder):
        ident = self.request("initialize", {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}})
        self.wait_for(lambda m: m.get("id") == ident, "initialize response")
        self.send({"method": "initialized", "params": {}})

    def open(self, uri, text, version=1):
        self.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": version, "text": text}}})

    def published(self, uri, version=None):
        return self.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                             and m["params"]["uri"] == uri
                             and (version is None or m["params"].get("version") == version),
                             f"diagnostics for {uri}")

    def stop(self):
        try:
            ident = self.request("shutdown", None)
            self.wait_for(lambda m: m.get("id") == ident, "shutdown response")
            self.send({"method": "exit"})
            self.process.wait(timeout=TIMEOUT)
        finally:
            self.process.kill()


@pytest.fixture
def server(tmp_path):
    client = RawClient(tmp_path)
    client.start(tmp_path)
    yield client
    client.stop()


def test_a_request_with_an_invalid_position_gets_an_error(server, tmp_path):
    uri = (tmp_path / "page.md").as_uri()
    server.open(uri, "Our serum cures baldness.\n")
    server.published(uri)
    for line, character in [(-1, 0), (0, -5), (2**31, 0), (0, 2**40)]:
        ident = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                      "position": {"line": line, "character": character}})
        response = server.wait_for(lambda m: m.get("id") == ident, "hover response")
        assert "error" in response and "invalid textDocument/hover request" in response["error"]["message"]
    # the server still serves
    ident = server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 11}})
    assert "result" in server.wait_for(lambda m: m.get("id") == ident, "a valid hover's response")


def test_an_unreadable_edit_stops_linting_that_buffer_and_says_so(server, tmp_path):
    uri = (tmp_path / "page.md").as_uri()
    server.open(uri, "Our serum cures baldness.\n")
    assert server.published(uri)["params"]["diagnostics"]
    server.send({"method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": -1, "character": 0}, "end": {"line": 0, "character": 3}},
                            "text": "x"}]}})
    message = server.wait_for(lambda m: m.get("method") == "window/showMessage"
                              and "invalid positions" in m["params"]["message"], "a message")
    assert uri in message["params"]["message"]
    cleared = server.published(uri)
    assert cleared["params"]["diagnostics"] == []


def test_a_huge_buffer_is_refused_with_the_documented_limit(server, tmp_path):
    from hypelint.lsp.server import MAX_DOCUMENT_CHARS

    uri = (tmp_path / "huge.md").as_uri()
    server.open(uri, "Our serum cures baldness.\n" * (MAX_DOCUMENT_CHARS // 26 + 10))
    diagnostics = server.published(uri)["params"]["diagnostics"]
    assert len(diagnostics) == 1
    assert f"more than the {MAX_DOCUMENT_CHARS:,} the editor integration lints" in diagnostics[0]["message"]


# -- in-process: cancelling queued lints ------------------------------------------------------------
def test_closing_or_editing_a_buffer_cancels_its_queued_lint(tmp_path, monkeypatch):
    import asyncio

    from hypelint.lsp import server as server_module
    from hypelint.lsp.server import OpenDocument, create_server

    linted = []
    gate = threading.Event()
    real = server_module.lint_buffer

    def recording(linter, text, path, format, markdown=None):
        gate.wait(TIMEOUT)
        linted.append(text)
        return real(linter, text, path, format, markdown)

    monkeypatch.setattr(server_module, "lint_buffer", recording)

    async def scenario():
        server = create_server()
        done = asyncio.Event()
        published = []

        def record(method, params):
            published.append(params)
            if params["uri"].endswith("c.md"):
                done.set()

        server.protocol.notify_json = record
        server.text_document_publish_diagnostics = lambda params: None
        uris = {}
        for name in ("a", "b", "c"):
            uri = uris[name] = (tmp_path / f"{name}.md").as_uri()
            server.documents[uri] = OpenDocument(uri, f"{name} cures baldness.\n", 1)
            server.schedule(uri, 0)  # a runs (held at the gate); b and c wait in the queue
        queued_b = server._futures[uris["b"]]
        server.cancel_lint(uris["b"])  # what didClose does
        server.documents.pop(uris["b"])
        document_c = server.documents[uris["c"]]
        document_c.text, document_c.version = "c is gentle.\n", 2  # superseded while queued
        server._start_lint(uris["c"])
        gate.set()
        await asyncio.wait_for(done.wait(), TIMEOUT)
        server._lint_pool.shutdown(wait=True)
        return queued_b, published

    queued_b, published = asyncio.run(scenario())
    assert queued_b.cancelled()
    assert linted == ["a cures baldness.\n", "c is gentle.\n"]  # b never, c only in its newest version
    assert [(p["uri"].rsplit("/", 1)[1], p.get("version")) for p in published] == [("a.md", 1), ("c.md", 2)]


def test_a_stopped_worker_drops_its_queue_and_never_holds_the_process():
    from hypelint.lsp.server import LintWorker

    worker = LintWorker()
    gate = threading.Event()
    first = worker.submit(gate.wait, TIMEOUT)
    end = time.monotonic() + TIMEOUT
    while not first.running() and time.monotonic() < end:  # the worker has picked it up
        time.sleep(0.01)
    queued = [worker.submit(lambda: None) for _ in range(30)]
    worker.shutdown(wait=False, cancel_futures=True)
    assert all(future.cancelled() for future in queued)
    assert worker._thread.daemon  # the interpreter exits without waiting for a running lint
    gate.set()
    assert first.result(TIMEOUT) is True
    assert worker.submit(lambda: None).cancelled()

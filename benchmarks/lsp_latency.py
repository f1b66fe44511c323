"""Editor latency of `hypelint lsp`: time from sending `textDocument/didChange` to receiving the
`textDocument/publishDiagnostics` for that version, on a generated 2,000-line Markdown page.

A minimal JSON-RPC client (plain asyncio and json, like an editor: no LSP library on the client
side, so its own decoding does not inflate the figure) starts the server over stdio, opens the
page, then makes N small edits one after another (each waits for its diagnostics) and reports
the median and spread. The time includes the server's debounce, parsing, linting with the
default rule packs, converting positions and the JSON-RPC round trip. Goal: median under 50 ms.

    .venv/bin/pip install -e '.[lsp]'
    .venv/bin/python benchmarks/lsp_latency.py [--lines 2000] [--edits 50] [--debounce-ms 10] [--claims sparse]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

PARAGRAPHS = [
    "Our clinic offers gentle, evidence-based care for thinning hair, with a consultation "
    "before every plan and honest advice about what each option can and cannot do.",
    "Many visitors ask about diet and sleep; we explain what the research says and link the "
    "studies we rely on, including their limits and sample sizes.",
    "The serum cures baldness in weeks and has no side effects, guaranteed. 🌿",
    "Appointments last about forty minutes. Bring a list of medicines you take, and tell us "
    "about allergies so the team can adjust the plan for you.",
]


SAFE_PARAGRAPH = "The serum supports healthy-looking hair for many people who use it daily. 🌿"


def generate(lines: int, claims: str = "dense") -> str:
    """A page of `lines` lines: headings, paragraphs, lists and tables; risky claims in every
    section ("dense", ~500 findings in 2,000 lines) or in every tenth ("sparse")."""
    out = []
    section = 0
    while len(out) < lines:
        section += 1
        risky = claims == "dense" or section % 10 == 0
        out += [f"## Section {section}: what to expect", ""]
        for index, paragraph in enumerate(PARAGRAPHS):
            if index == 2 and not risky:
                paragraph = SAFE_PARAGRAPH
            out += [paragraph, ""] if index % 2 == 0 else [f"- {paragraph}", f"- Item {section}.{index} ✓", ""]
        status = "FDA-approved clinic" if risky else "registered clinic"
        out += ["| Option | Notes |", "| --- | --- |", f"| Plan {section} | {status} |", ""]
    return "\n".join(out[:lines]) + "\n"


class Client:
    """Just enough of an LSP client: framed JSON-RPC over the server's stdin/stdout."""

    def __init__(self, process):
        self.process = process
        self.next_id = 0
        self.responses = {}
        self.published = {}  # version -> (arrival time, number of diagnostics)
        self.waiters = {}

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(self, method: str, params):
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.responses[self.next_id] = future
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return await asyncio.wait_for(future, 60)

    async def read(self) -> None:
        stream = self.process.stdout
        while True:
            length = 0
            while True:
                line = await stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(await stream.readexactly(length))
            arrived = time.perf_counter()
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                self.published[params.get("version")] = (arrived, len(params["diagnostics"]))
                waiter = self.waiters.pop(params.get("version"), None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(None)
            elif "id" in message and "method" in message:  # a request from the server
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "id" in message and message["id"] in self.responses:
                self.responses.pop(message["id"]).set_result(message.get("result"))

    async def diagnostics_for(self, version: int) -> None:
        if version not in self.published:
            self.waiters[version] = asyncio.get_running_loop().create_future()
            await asyncio.wait_for(self.waiters[version], 60)


async def run(lines: int, edits: int, debounce_ms: float, claims: str) -> int:
    folder = Path(tempfile.mkdtemp(prefix="hypelint-lsp-bench-"))
    page = folder / "page.md"
    text = generate(lines, claims)
    page.write_text(text, encoding="utf-8")
    uri = page.as_uri()

    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hypelint", "lsp", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    client = Client(process)
    reader = asyncio.ensure_future(client.read())
    await client.request("initialize", {"processId": None, "rootUri": folder.as_uri(), "capabilities": {},
                                        "initializationOptions": {"debounce-ms": debounce_ms}})
    client.notify("initialized", {})

    started = time.perf_counter()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                           "text": text}})
    await client.diagnostics_for(1)
    first = client.published[1][0] - started

    # each edit types (or deletes) a word in the middle of the page, alternately adding a claim
    target_line = lines // 2
    latencies = []
    for version in range(2, edits + 2):
        insert = version % 2 == 0
        start = {"line": target_line, "character": 0}
        end = start if insert else {"line": target_line, "character": 6}
        sent = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": start, "end": end}, "text": "cures " if insert else ""}]})
        await client.diagnostics_for(version)
        latencies.append(client.published[version][0] - sent)

    await client.request("shutdown", None)
    client.notify("exit", None)
    await process.wait()
    reader.cancel()

    latencies_ms = sorted(1000 * value for value in latencies)
    median = statistics.median(latencies_ms)
    p90 = latencies_ms[int(0.9 * (len(latencies_ms) - 1))]
    print(f"document: {lines} lines, {len(text)} characters, {client.published[1][1]} diagnostics")
    print(f"first diagnostics after didOpen: {1000 * first:.1f} ms (includes loading the rules)")
    print(f"didChange -> publishDiagnostics over {edits} edits (debounce {debounce_ms:g} ms): "
          f"median {median:.1f} ms, p90 {p90:.1f} ms, min {latencies_ms[0]:.1f} ms, max {latencies_ms[-1]:.1f} ms")
    print(f"goal: median < 50 ms: {'met' if median < 50 else 'NOT met'}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--debounce-ms", type=float, default=10)
    parser.add_argument("--claims", choices=["dense", "sparse"], default="dense",
                        help="risky claims in every section (default) or every tenth")
    args = parser.parse_args()
    return asyncio.run(run(args.lines, args.edits, args.debounce_ms, args.claims))


if __name__ == "__main__":
    sys.exit(main())

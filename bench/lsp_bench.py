"""Language-server benchmark: a real LSP session over stdio, driven from this (client) process.

    .venv/bin/python bench/lsp_bench.py [--corpus ../shared/corpus/d2l-zh] [--requests 1000] [--only targets]

``--only targets`` runs the issue-14 targets alone: keystroke to fresh diagnostics of a 200 KB chapter with all of
d2l-zh open (p50/p99), hover and completion p99 on a small document while a 10 MB document is being checked, RSS with
all of d2l-zh open and after closing the 10 MB document, spawn to first diagnostics.

Measures: cold start (process spawn) to the first diagnostics of a chapter; hover and completion latency (p50/p99)
with the full base and with a generated 10,000-term base; keystroke to fresh diagnostics on a ~200 KB chapter; RSS
of the server after opening all of d2l-zh. Latencies are client round trips (JSON-RPC framing included).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as T
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nnterm_ls.analysis import Engine  # noqa: E402
from nnterm_ls.lsp.positions import TextIndex  # noqa: E402


class Client:
    def __init__(self) -> None:
        self.client = LanguageClient("nnterm-bench", "1")
        self.published: dict[str, list[tuple[float, int | None, int]]] = {}
        self.event = asyncio.Event()

        @self.client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(params: T.PublishDiagnosticsParams):
            self.published.setdefault(params.uri, []).append((time.perf_counter(), params.version, len(params.diagnostics)))
            self.event.set()

        @self.client.feature(T.WORKSPACE_CONFIGURATION)
        def on_configuration(params):
            return [None for _ in params.items]

        @self.client.feature(T.CLIENT_REGISTER_CAPABILITY)
        def on_register(params):
            return None

        @self.client.feature(T.WINDOW_WORK_DONE_PROGRESS_CREATE)
        def on_progress_create(params):
            return None

        @self.client.feature(T.PROGRESS)
        def on_progress(params):
            return None

    async def start(self, root: Path, env: dict | None = None) -> float:
        t0 = time.perf_counter()
        # (without PYTHONDONTWRITEBYTECODE, which the development sessions' environment sets: a server that may not
        # write its bytecode compiles every module from source at every start, ~0.3 s that no installed server pays)
        full_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        await self.client.start_io(sys.executable, "-m", "nnterm_ls", env={**full_env, **(env or {})}, cwd=str(REPO))
        await self.client.initialize_async(
            T.InitializeParams(
                capabilities=T.ClientCapabilities(
                    workspace=T.WorkspaceClientCapabilities(configuration=True),
                    window=T.WindowClientCapabilities(work_done_progress=True),
                    text_document=T.TextDocumentClientCapabilities(publish_diagnostics=T.PublishDiagnosticsClientCapabilities(version_support=True)),
                ),
                root_uri=root.as_uri(),
                process_id=os.getpid(),
            )
        )
        self.client.initialized(T.InitializedParams())
        return t0

    @property
    def pid(self) -> int:
        return self.client._server.pid

    def open(self, uri: str, text: str) -> None:
        self.client.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(uri, "markdown", 1, text)))

    async def wait_published(self, uri: str, version: int | None = None, timeout: float = 120) -> float:
        deadline = time.perf_counter() + timeout
        while True:
            for t, v, _n in self.published.get(uri, []):
                if version is None or v == version:
                    return t
            if time.perf_counter() > deadline:
                raise TimeoutError(uri)
            self.event.clear()
            try:
                await asyncio.wait_for(self.event.wait(), max(0.01, deadline - time.perf_counter()))
            except asyncio.TimeoutError:
                pass

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self.client.shutdown_async(None), 10)
            self.client.exit(None)
        except Exception:
            pass
        await self.client.stop()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def generated_base(path: Path, n: int = 10_000) -> None:
    rng = random.Random(7)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    syll = ["ka", "lo", "mi", "ter", "von", "plex", "dra", "sen", "qui", "rho", "ban", "cel"]
    out = ["category: generated", "concepts:"]
    for i in range(n):
        en = " ".join("".join(rng.choice(syll) for _ in range(rng.randint(2, 3))) for _ in range(rng.randint(1, 3))) + f" {i}x"
        zh = "".join(rng.choice(han) for _ in range(rng.randint(3, 5))) + f"{i}号"
        out.append(f"  - id: gen-{i}\n    en: \"{en}\"\n    zh: \"{zh}\"")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


async def latencies(c: Client, uri: str, text: str, n: int) -> tuple[list[float], list[float]]:
    """Hover over term occurrences and completion after typed prefixes appended to the document."""
    engine = Engine()
    analysis = engine.analyze("x.md", text)
    idx = TextIndex(text)
    occ_positions = [idx.position((o.start + o.end) // 2) for o in analysis.occurrences] or [(0, 0)]
    hover_ms = []
    for i in range(n):
        line, col = occ_positions[i % len(occ_positions)]
        t = time.perf_counter()
        await c.client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(line, col)))
        hover_ms.append((time.perf_counter() - t) * 1000)
    # completion: prefixes on the last lines of the document
    lines = text.split("\n")
    first = len(lines) - 1 - len(PREFIXES)
    comp_ms = []
    for i in range(n):
        k = i % len(PREFIXES)
        line = first + k
        col = len(lines[line])
        t = time.perf_counter()
        await c.client.text_document_completion_async(T.CompletionParams(T.TextDocumentIdentifier(uri), T.Position(line, col)))
        comp_ms.append((time.perf_counter() - t) * 1000)
    return hover_ms, comp_ms


PREFIXES = ["我们使用激活", "jhhs", "batch norm", "Backprop", "activaton", "学习", "xuexilv", "卷积神", "drop", "convlution"]


def with_prefixes(text: str) -> str:
    return text.rstrip("\n") + "\n\n" + "\n".join(PREFIXES) + "\n"


def chapter_200k(files: list[Path]) -> str:
    big, size = [], 0
    for f in files:
        t = f.read_text(encoding="utf-8")
        big.append(t)
        size += len(t.encode("utf-8"))
        if size >= 200_000:
            break
    return "\n\n".join(big)


async def keystrokes(c: Client, uri: str, text: str, n: int, seed: int = 3) -> list[float]:
    """One-character edits at random lines; ms from sending each to the publish of that version."""
    idx = TextIndex(text)
    rng = random.Random(seed)
    out = []
    version = 1
    for _ in range(n):
        version += 1
        line = rng.randrange(len(idx.starts) - 1)
        t = time.perf_counter()
        c.client.text_document_did_change(
            T.DidChangeTextDocumentParams(
                T.VersionedTextDocumentIdentifier(version=version, uri=uri),
                [T.TextDocumentContentChangePartial(range=T.Range(T.Position(line, 0), T.Position(line, 0)), text="批")],
            )
        )
        t1 = await c.wait_published(uri, version)
        out.append((t1 - t) * 1000)
        await asyncio.sleep(0.02)  # a typist's pause: each keystroke measured on its own
    return out


async def targets(corpus: Path, tmp: Path, requests: int) -> list[tuple[str, str, str]]:
    files = sorted(corpus.rglob("*.md"))
    env = {"NNTERM_CACHE_DIR": str(tmp / "cache")}
    chapter = corpus / "chapter_convolutional-modern" / "batch-norm.md"
    rows = []
    # warm the term-base cache, then spawn -> first diagnostics of one chapter
    c = Client()
    await c.start(corpus, env)
    c.open(chapter.as_uri(), chapter.read_text(encoding="utf-8"))
    await c.wait_published(chapter.as_uri())
    await c.stop()
    spawn = []
    for _ in range(3):
        c = Client()
        t0 = await c.start(corpus, env)
        c.open(chapter.as_uri(), chapter.read_text(encoding="utf-8"))
        spawn.append((await c.wait_published(chapter.as_uri()) - t0) * 1000)
        await c.stop()
    rows.append(("spawn to first diagnostics of a chapter (warm cache, median of 3)", f"{statistics.median(spawn):.0f} ms", "≤ 0.8 s"))

    # all of d2l-zh open, plus the 200 KB chapter being typed in
    c = Client()
    await c.start(corpus, env)
    for f in files:
        c.open(f.as_uri(), f.read_text(encoding="utf-8"))
    for f in files:
        await c.wait_published(f.as_uri(), timeout=300)
    big_text = chapter_200k(files)
    big_uri = (corpus / "__bench_200k.md").as_uri()
    c.open(big_uri, big_text)
    await c.wait_published(big_uri)
    await asyncio.sleep(0.5)
    ks = await keystrokes(c, big_uri, big_text, 100)
    rows.append(
        (f"keystroke to fresh diagnostics, {len(big_text.encode()) // 1000} KB chapter, all of d2l-zh open ({len(files)} files, 100 edits)",
         f"p50 {statistics.median(ks):.1f} ms, p99 {pct(ks, 99):.1f} ms", "p50 ≤ 30 ms, p99 ≤ 60 ms")
    )
    rss_open = rss_mb(c.pid)
    rows.append((f"RSS with all of d2l-zh open and checked (+ the 200 KB chapter)", f"{rss_open:.0f} MB", "≤ 150 MB"))

    # a 10 MB document being checked (edited over and over) while hover and completion run on a small one
    small_uri = (corpus / "__bench_small.md").as_uri()
    small = with_prefixes("我们使用激活函数和批量归一化，学习率很重要。\n")
    c.open(small_uri, small)
    await c.wait_published(small_uri)
    huge = (big_text + "\n\n") * (10_000_000 // len(big_text.encode()) + 1)
    huge_uri = (corpus / "__bench_10mb.md").as_uri()
    c.open(huge_uri, huge)
    stop = asyncio.Event()

    async def churn():
        v = 1
        while not stop.is_set():
            v += 1
            c.client.text_document_did_change(
                T.DidChangeTextDocumentParams(
                    T.VersionedTextDocumentIdentifier(version=v, uri=huge_uri),
                    [T.TextDocumentContentChangePartial(range=T.Range(T.Position(0, 0), T.Position(0, 0)), text="批")],
                )
            )
            await asyncio.sleep(0.5)

    churner = asyncio.ensure_future(churn())
    await asyncio.sleep(0.3)
    hover_ms, comp_ms = [], []
    lines = small.split("\n")
    first = len(lines) - 1 - len(PREFIXES)
    for i in range(requests):
        t = time.perf_counter()
        await c.client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(small_uri), T.Position(0, 5 + i % 8)))
        hover_ms.append((time.perf_counter() - t) * 1000)
        line = first + i % len(PREFIXES)
        t = time.perf_counter()
        await c.client.text_document_completion_async(T.CompletionParams(T.TextDocumentIdentifier(small_uri), T.Position(line, len(lines[line]))))
        comp_ms.append((time.perf_counter() - t) * 1000)
    stop.set()
    await churner
    rows.append((f"hover on a small document while a {len(huge.encode()) // 1_000_000} MB document is checked ({requests} requests)",
                 f"p50 {statistics.median(hover_ms):.2f} ms, p99 {pct(hover_ms, 99):.2f} ms", "p99 ≤ 10 ms"))
    rows.append((f"completion on a small document meanwhile ({requests} requests)",
                 f"p50 {statistics.median(comp_ms):.2f} ms, p99 {pct(comp_ms, 99):.2f} ms", "p99 ≤ 10 ms"))
    await asyncio.sleep(1)
    rss_huge = rss_mb(c.pid)
    c.client.text_document_did_close(T.DidCloseTextDocumentParams(T.TextDocumentIdentifier(huge_uri)))
    # let the worker finish the check it may be running, then the next check drops the 10 MB document
    c.client.text_document_did_change(
        T.DidChangeTextDocumentParams(T.VersionedTextDocumentIdentifier(version=2, uri=small_uri), [T.TextDocumentContentChangeWholeDocument(text=small + "。")])
    )
    await c.wait_published(small_uri, 2, timeout=120)
    await asyncio.sleep(3)
    rss_after = rss_mb(c.pid)
    rows.append(("RSS with the 10 MB document open / after closing it", f"{rss_huge:.0f} MB / {rss_after:.0f} MB ({(rss_after / rss_open - 1) * 100:+.0f} % vs all of d2l-zh open)", "within 10 %"))
    await c.stop()
    return rows


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(REPO / ".." / "shared" / "corpus" / "d2l-zh"))
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--only", choices=["targets"], default=None)
    args = ap.parse_args()
    corpus = Path(args.corpus).resolve()
    if args.only == "targets":
        tmp = Path(tempfile.mkdtemp(prefix="nnterm-bench-"))
        rows = await targets(corpus, tmp, args.requests)
        print("| measurement | result | target |\n|---|---|---|")
        for k, v, t in rows:
            print(f"| {k} | {v} | {t} |")
        return
    files = sorted(corpus.rglob("*.md"))
    chapter = corpus / "chapter_convolutional-modern" / "batch-norm.md"
    results: list[tuple[str, str]] = []
    tmp = Path(tempfile.mkdtemp(prefix="nnterm-bench-"))
    warm_cache = tmp / "cache"

    # 1. cold start to first diagnostics (fresh term-base cache, then warm cache)
    for label, env in (("empty cache", {"NNTERM_CACHE_DIR": str(tmp / "cold")}), ("warm cache", {"NNTERM_CACHE_DIR": str(warm_cache)})):
        if label == "warm cache":  # fill the cache first
            c = Client()
            await c.start(corpus, env)
            c.open(chapter.as_uri(), chapter.read_text(encoding="utf-8"))
            await c.wait_published(chapter.as_uri())
            await c.stop()
        c = Client()
        t0 = await c.start(corpus, env)
        t_init = time.perf_counter()
        c.open(chapter.as_uri(), chapter.read_text(encoding="utf-8"))
        t1 = await c.wait_published(chapter.as_uri())
        results.append((f"spawn to first diagnostics of {chapter.name} ({label})", f"{(t1 - t0) * 1000:.0f} ms (initialize answered after {(t_init - t0) * 1000:.0f} ms)"))
        await c.stop()

    env = {"NNTERM_CACHE_DIR": str(warm_cache)}
    # 2. hover / completion latency, full base
    c = Client()
    await c.start(corpus, env)
    text = with_prefixes(chapter.read_text(encoding="utf-8"))
    uri = chapter.as_uri()
    c.open(uri, text)
    await c.wait_published(uri)
    hover_ms, comp_ms = await latencies(c, uri, text, args.requests)
    results.append((f"hover, built-in base ({args.requests} requests)", f"p50 {statistics.median(hover_ms):.2f} ms, p99 {pct(hover_ms, 99):.2f} ms"))
    results.append((f"completion, built-in base ({args.requests} requests)", f"p50 {statistics.median(comp_ms):.2f} ms, p99 {pct(comp_ms, 99):.2f} ms"))

    # 4. keystroke -> fresh diagnostics on a ~200 KB chapter
    big = []
    size = 0
    for f in files:
        t = f.read_text(encoding="utf-8")
        big.append(t)
        size += len(t.encode("utf-8"))
        if size >= 200_000:
            break
    big_text = "\n\n".join(big)
    big_uri = (corpus / "__bench_200k.md").as_uri()
    c.open(big_uri, big_text)
    await c.wait_published(big_uri)
    idx = TextIndex(big_text)
    version = 1
    keystroke_ms = []
    rng = random.Random(3)
    for i in range(30):
        version += 1
        line = rng.randrange(len(idx.starts) - 1)
        t = time.perf_counter()
        c.client.text_document_did_change(
            T.DidChangeTextDocumentParams(
                T.VersionedTextDocumentIdentifier(version=version, uri=big_uri),
                [T.TextDocumentContentChangePartial(range=T.Range(T.Position(line, 0), T.Position(line, 0)), text="批")],
            )
        )
        t1 = await c.wait_published(big_uri, version)
        keystroke_ms.append((t1 - t) * 1000)
    results.append(
        (f"keystroke to fresh diagnostics, {len(big_text.encode()) // 1000} KB document (30 edits)", f"p50 {statistics.median(keystroke_ms):.1f} ms, max {max(keystroke_ms):.1f} ms")
    )
    await c.stop()

    # 3. 10,000-term generated base
    gen_root = tmp / "gen"
    gen_root.mkdir()
    generated_base(gen_root / "big.yaml")
    (gen_root / ".nnterm.yaml").write_text("terms: [big.yaml]\n", encoding="utf-8")
    c = Client()
    await c.start(gen_root, env)
    guri = (gen_root / "batch-norm.md").as_uri()
    c.open(guri, text)
    await c.wait_published(guri, timeout=300)
    hover_ms, comp_ms = await latencies(c, guri, text, args.requests)
    results.append((f"hover, base + 10,000 generated terms ({args.requests} requests)", f"p50 {statistics.median(hover_ms):.2f} ms, p99 {pct(hover_ms, 99):.2f} ms"))
    results.append((f"completion, base + 10,000 generated terms ({args.requests} requests)", f"p50 {statistics.median(comp_ms):.2f} ms, p99 {pct(comp_ms, 99):.2f} ms"))
    await c.stop()

    # 5. RSS after opening all of d2l-zh
    c = Client()
    t0 = await c.start(corpus, env)
    for f in files:
        c.open(f.as_uri(), f.read_text(encoding="utf-8"))
    for f in files:
        await c.wait_published(f.as_uri(), timeout=300)
    t1 = time.perf_counter()
    results.append((f"RSS after opening all of d2l-zh ({len(files)} files) and checking them", f"{rss_mb(c.pid):.0f} MB (all diagnostics after {(t1 - t0):.2f} s)"))
    await c.stop()

    print("| measurement | result |\n|---|---|")
    for k, v in results:
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    asyncio.run(main())

"""A bounded, seeded fuzz of incremental editing (issue 14): a few hundred random edits with CJK, emoji, surrogate
pairs, lone \\r, \\r\\n and markup fragments on two documents, push and pull diagnostics interleaved; every range the
server sends is checked against the client-side text of the version it belongs to.

Positions are computed here, independently of the server's line index: lines split at \\r\\n, \\r and \\n, columns
counted in UTF-16 code units with Python's codec. A diagnostic's range must be exactly the span of a term occurrence
of that version's text (as the engine, run in this process, finds it)."""

from __future__ import annotations

import asyncio
import random
import re

from lsprotocol import types as T
from pygls.exceptions import JsonRpcContentModified, JsonRpcException

from lsp_helpers import capabilities, wait_until

SEED = 20261214
EDITS = 300
CHECKPOINT = 20  # edits between the points where the test waits for the current versions
BREAK = re.compile(r"\r\n|\r|\n")
FRAGMENTS = [
    "批归一化", "批量归一化", "学习率", "激活函数", "卷积神经网络", "Pytorch", "relu", "ReLU", "BN", "CNN",
    "😀", "𠀀", "👩‍💻", "🎉", "\r", "\r\n", "\n", "\n\n", "**", "`", "$", "$$", "<!-- ", " -->", "```\n", "\\textbf{", "}",
    "（", "）", "，", "。", " ", "深度学习", "率先", "通过学习", "x", "ab",
]
START = "# 第一章\r\n\r\n批归一化和批量归一化😀，学习率\r调整。\n激活函数（activation function）𠀀 Pytorch。\n"


def line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in BREAK.finditer(text))]


def u16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def position(text: str, starts: list[int], offset: int) -> tuple[int, int]:
    line = max(i for i, s in enumerate(starts) if s <= offset)
    return line, u16(text[starts[line] : offset])


def spans(text: str, engine) -> set[tuple[int, int, int, int]]:
    """Every term occurrence of the text as a UTF-16 range (line, char, line, char), computed client-side."""
    starts = line_starts(text)
    out = set()
    for o in engine.analyze("/fuzz.md", text, "markdown").occurrences:
        out.add((*position(text, starts, o.start), *position(text, starts, o.end)))
    return out


def safe_offsets(text: str) -> list[int]:
    """Code-point offsets a client can name: never between \\r and \\n (not a position in LSP)."""
    return [i for i in range(len(text) + 1) if not (0 < i < len(text) and text[i - 1] == "\r" and text[i] == "\n")]


def key(rng) -> tuple[int, int, int, int]:
    return rng.start.line, rng.start.character, rng.end.line, rng.end.character


async def test_random_incremental_edits_every_range_matches_its_version(start, tmp_path):
    from nnterm_ls.analysis import Engine

    engine = Engine()
    rnd = random.Random(SEED)
    s = await start(caps=capabilities(pull=True), init={"diagnostics": "push"})
    names = ["a.md", "b.md"]
    uris = [s.open(n, START) for n in names]
    texts: dict[str, dict[int, str]] = {u: {1: START} for u in uris}
    current = {u: START for u in uris}
    pulls: list[tuple[str, int, asyncio.Future]] = []

    for i in range(EDITS):
        uri = rnd.choice(uris)
        text = current[uri]
        starts = line_starts(text)
        offsets = safe_offsets(text)
        a = rnd.choice(offsets)
        if rnd.random() < 0.3 and len(text) > 20:  # a deletion or a replacement
            b = rnd.choice([o for o in offsets if a <= o <= a + 12] or [a])
        else:
            b = a
        new = "".join(rnd.choice(FRAGMENTS) for _ in range(rnd.randint(0, 3))) if b > a else "".join(rnd.choice(FRAGMENTS) for _ in range(rnd.randint(1, 3)))
        (l1, c1), (l2, c2) = position(text, starts, a), position(text, starts, b)
        text = text[:a] + new + text[b:]
        current[uri] = text
        v = s.edit(uri, T.Range(T.Position(l1, c1), T.Position(l2, c2)), new)
        texts[uri][v] = text
        if rnd.random() < 0.08:
            fut = asyncio.ensure_future(s.client.text_document_diagnostic_async(T.DocumentDiagnosticParams(text_document=T.TextDocumentIdentifier(uri))))
            pulls.append((uri, v, fut))
        if rnd.random() < 0.1:
            await asyncio.sleep(rnd.choice([0, 0.001, 0.01, 0.03]))
        if i % CHECKPOINT == CHECKPOINT - 1:
            # let the server catch up now and then: how many versions it publishes between edits depends on the
            # machine's speed, and the ranges of some versions must be there to check whatever that speed
            for u in uris:
                await s.diagnostics(u, version=s.versions[u], timeout=60)

    # the final versions are published
    for uri in uris:
        await s.diagnostics(uri, version=s.versions[uri], timeout=60)

    cache: dict[tuple[str, int], set] = {}

    def occurrence_spans(uri: str, v: int) -> set:
        if (uri, v) not in cache:
            cache[(uri, v)] = spans(texts[uri][v], engine)
        return cache[(uri, v)]

    checked = 0
    for p in s.published:
        if p.uri not in texts:
            continue
        assert p.version in texts[p.uri], p.version
        allowed = occurrence_spans(p.uri, p.version)
        for d in p.diagnostics:
            assert key(d.range) in allowed, (p.uri, p.version, d.range, d.code, texts[p.uri][p.version])
            checked += 1
    for uri, asked_at, fut in pulls:
        try:
            report = await fut
        except JsonRpcException as exc:
            assert exc.code == JsonRpcContentModified.CODE
            continue
        fits = [v for v in texts[uri] if v >= asked_at and all(key(d.range) in occurrence_spans(uri, v) for d in report.items)]
        assert fits, (uri, asked_at, [(d.range, d.code) for d in report.items])
        checked += len(report.items)
    assert checked > 100  # the fuzz did look at ranges
    # and the server's copy of each text is the client's: a final full check agrees with the client-side spans
    for uri in uris:
        final = await s.diagnostics(uri, version=s.versions[uri])
        assert {key(d.range) for d in final} <= occurrence_spans(uri, s.versions[uri])

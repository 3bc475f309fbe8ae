"""Sets holding a very large document are checked in a worker process (nnterm_ls/lsp/worker.py): the same
diagnostics as in-process, versions and cancellation kept, the worker stopped when no large document is left, no
orphan after `exit` or after the server dies, and a crashed worker replaced by in-process checks (logged).

The threshold is lowered for the tests (``NNTERM_LSP_WORKER_THRESHOLD``): a document of a few thousand characters
then counts as large, so the real worker runs on small texts."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

from lsprotocol import types as T

from lsp_helpers import capabilities, wait_until
from raw_client import RawServer
from test_reliability import FOUND, apply, big_chapter, raw, text_at  # noqa: F401  (raw: the fixture)

LOW = {"NNTERM_LSP_WORKER_THRESHOLD": "5000"}
OFF = {"NNTERM_LSP_WORKER_THRESHOLD": "off"}

# a set whose findings cross documents: the large chapter glosses and uses renderings the small one also uses
LARGE = "".join(
    f"## 第{i}节\n\n我们使用批量归一化（batch normalization）训练，学习速率（learning rate）要调。"
    f"批归一化和 Pytorch 很常用，CNN 也是。第{i}段的 dropout 和暂退法。\n\n"
    for i in range(120)
) + "我们提出门控扩展器（gated expander）。门控扩展器很有效。\n"  # a rendering the set teaches (Engine.lexicon)
SMALL = "学习率很重要，批量归一化也是。我们用 Pytorch 训练 CNN。门控扩展器\n"


def workers_of(pid: int) -> list[int]:
    """Live child processes of ``pid`` running the analysis worker (read from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if int(fields[1]) == pid and fields[0] != "Z" and b"nnterm_ls.lsp.worker" in cmdline:
            out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def server_pid(session) -> int:
    return session.client._server.pid


def shape(diags) -> list:
    return sorted((d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.code, d.message,
                   d.severity, tuple((r.location.uri, r.location.range.start.line, r.location.range.start.character, r.message)
                                     for r in d.related_information or ())) for d in diags)


async def _set_diagnostics(start, env):
    s = await start(env=env)
    small = s.open("small.md", SMALL)
    large = s.open("large.md", LARGE)
    big = await s.diagnostics(large)
    little = await s.diagnostics(small)
    hover = await s.hover(small, 0, 1)  # reads the set's counts (Engine.usage), which the check computed
    learned = await s.hover(small, 0, len(SMALL) - 2)  # a rendering the set learned (Engine.lexicon)
    assert learned is not None and "gated expander" in learned.contents.value
    assert not [m.message for m in s.client.log_messages if "worker" in m.message]  # no fallback: the worker checked
    return s, shape(big), shape(little), (hover.contents.value, learned.contents.value)


async def test_a_large_document_gets_the_same_diagnostics_in_the_worker_and_in_process(start):
    s, big_low, small_low, hover_low = await _set_diagnostics(start, LOW)
    assert workers_of(server_pid(s)), "the worker should be checking this set"
    s2, big_off, small_off, hover_off = await _set_diagnostics(start, OFF)
    assert not workers_of(server_pid(s2))
    assert len(big_low) > 100 and small_low
    assert big_low == big_off
    assert small_low == small_off
    assert hover_low == hover_off


async def test_worker_results_carry_the_version_they_were_computed_for(start):
    # every line of the chapter has findings whose text is known: each publish must fit the text of its version
    s = await start(env=LOW)
    text = big_chapter(400)
    uri = s.open("race.md", text)
    texts = {1: text}
    await s.diagnostics(uri)
    assert workers_of(server_pid(s))
    for _ in range(10):
        text = apply(text, 0, 0, "插")
        texts[s.edit(uri, T.Range(T.Position(0, 0), T.Position(0, 0)), "插")] = text
        await asyncio.sleep(0.01)
    await s.diagnostics(uri)
    checked = [p for p in s.published if p.uri == uri]
    assert checked[-1].version == s.versions[uri]
    for p in checked:
        assert p.diagnostics
        for d in p.diagnostics:
            if d.code != "too-many-findings":
                assert text_at(texts[p.version], d.range) in FOUND, (p.version, d.range)


async def test_a_pull_racing_an_edit_through_the_worker_is_never_wrong(start):
    s = await start(caps=capabilities(pull=True), env=LOW)
    text = big_chapter(400)
    uri = s.open("pull.md", text)
    texts = {1: text}
    await s.client.text_document_diagnostic_async(T.DocumentDiagnosticParams(text_document=T.TextDocumentIdentifier(uri)))
    assert workers_of(server_pid(s))
    for attempt in range(6):
        asked_at = s.versions[uri]
        fut = asyncio.ensure_future(
            s.client.text_document_diagnostic_async(T.DocumentDiagnosticParams(text_document=T.TextDocumentIdentifier(uri)))
        )
        await asyncio.sleep(0.005 * attempt)
        text = apply(text, 0, 0, "插")
        texts[s.edit(uri, T.Range(T.Position(0, 0), T.Position(0, 0)), "插")] = text
        try:
            report = await fut
        except Exception as exc:  # ContentModified: the document kept changing
            assert getattr(exc, "code", None) == -32801, exc
            continue
        fits = [v for v in texts if v >= asked_at and all(text_at(texts[v], d.range) in FOUND for d in report.items if d.code != "too-many-findings")]
        assert fits, attempt


async def test_the_worker_stops_once_no_large_document_is_open(start):
    s = await start(env=LOW)
    small = s.open("small.md", SMALL)
    large = s.open("large.md", LARGE)
    await s.diagnostics(large)
    pid = server_pid(s)
    (worker,) = workers_of(pid)
    s.close(large)
    s.change(small, SMALL + "卷积神经网络。\n")
    await s.diagnostics(small)
    await wait_until(lambda: not alive(worker), timeout=10, what="the worker to stop")
    # a large document again: a new worker, and the same findings as the first time
    large = s.open("large.md", LARGE)
    await s.diagnostics(large, predicate=bool)
    assert workers_of(pid) and workers_of(pid) != [worker]


async def test_a_killed_worker_is_replaced_by_in_process_checks_and_logged(start):
    s = await start(env=LOW)
    small = s.open("small.md", SMALL)
    large = s.open("large.md", LARGE)
    first = shape(await s.diagnostics(large))
    (worker,) = workers_of(server_pid(s))
    os.kill(worker, signal.SIGKILL)
    await wait_until(lambda: not alive(worker), timeout=10, what="the worker to die")
    s.change(large, LARGE)  # a new version with the same text: the same diagnostics, now computed in-process
    again = shape(await s.diagnostics(large))
    assert again == first
    assert shape(await s.diagnostics(small)) == shape(await s.diagnostics(small))
    assert not workers_of(server_pid(s))  # not restarted for this configuration
    await wait_until(lambda: any("worker" in m.message and m.type == T.MessageType.Error for m in s.client.log_messages),
                     timeout=10, what="a log message about the worker")
    # the server still answers
    assert "learning rate" in (await s.hover(small, 0, 1)).contents.value


async def test_a_hung_worker_is_stopped_after_the_timeout_and_the_set_checked_in_process(start):
    # a worker that answers nothing (stopped here with SIGSTOP; in life, an engine loop on some input) must not
    # leave the documents without diagnostics: after NNTERM_LSP_WORKER_TIMEOUT seconds it is killed, and logged
    # (the worker's start-up is allowed a minute whatever the timeout: a loaded machine does not fail it)
    s = await start(env={**LOW, "NNTERM_LSP_WORKER_TIMEOUT": "5"})
    large = s.open("large.md", LARGE)
    first = shape(await s.diagnostics(large))
    assert len(workers_of(server_pid(s))) == 1  # the first check ran in the worker
    (worker,) = workers_of(server_pid(s))
    os.kill(worker, signal.SIGSTOP)
    try:
        s.change(large, LARGE)  # a new version: its diagnostics come from the in-process check, after the timeout
        again = shape(await s.diagnostics(large, timeout=60))
        assert again == first
        await wait_until(lambda: not alive(worker), timeout=10, what="the hung worker to be killed")
        await wait_until(lambda: any("did not answer" in m.message for m in s.client.log_messages),
                         timeout=10, what="a log message about the hung worker")
    finally:
        if alive(worker):
            os.kill(worker, signal.SIGKILL)


def _raw_with_worker(raw) -> tuple[RawServer, int]:
    srv = raw(env=LOW)
    srv.initialize()
    uri = srv.open("large.md", LARGE)
    srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri, timeout=60)
    deadline = time.monotonic() + 10
    while not (workers := workers_of(srv.proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) == 1, workers
    return srv, workers[0]


def test_no_worker_is_left_after_exit(raw):
    srv, worker = _raw_with_worker(raw)
    srv.response(srv.request("shutdown"))
    srv.notify("exit")
    assert srv.wait_exit() == 0
    deadline = time.monotonic() + 10
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker)


def test_no_worker_is_left_after_the_server_dies(raw):
    srv, worker = _raw_with_worker(raw)
    srv.proc.kill()  # SIGKILL: nothing of the server runs; the worker sees its parent gone
    srv.proc.wait(10)
    deadline = time.monotonic() + 10
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker)

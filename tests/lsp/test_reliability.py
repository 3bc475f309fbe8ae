"""The server under faults and load (issue 14): results converted with the text they were computed from, an answer
to every request, heavy work off the event loop, the parent watchdog, exit status, and clean problem reports."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
from lsprotocol import types as T
from pygls.exceptions import JsonRpcContentModified, JsonRpcException, JsonRpcRequestCancelled

from lsp_helpers import capabilities, wait_until
from raw_client import RawServer

FOUND = {"批归一化", "批量归一化", "Pytorch", "学习率"}  # the only finding spans in the documents below


def line_text(text: str, line: int) -> str:
    import re

    return re.split(r"\r\n|\r|\n", text)[line]


def units_to_index(s: str, character: int) -> int:
    """A UTF-16 column -> code-point index in ``s`` (computed here from Python's codec, not the server's index)."""
    n = 0
    for i, ch in enumerate(s):
        if n >= character:
            return i
        n += 2 if ord(ch) > 0xFFFF else 1
    return len(s)


def text_at(text: str, rng) -> str:
    """The client-side text of a one-line LSP range (UTF-16)."""
    start, end = (rng["start"], rng["end"]) if isinstance(rng, dict) else (
        {"line": rng.start.line, "character": rng.start.character}, {"line": rng.end.line, "character": rng.end.character})
    assert start["line"] == end["line"], rng
    s = line_text(text, start["line"])
    return s[units_to_index(s, start["character"]) : units_to_index(s, end["character"])]


def big_chapter(lines: int = 1500) -> str:
    # every line has a finding on it (line 0 too: an insert at (0,0) shifts exactly those columns)
    return "".join(f"批归一化和批量归一化是一回事，Pytorch 很常用。第{i}行还有一些文字，学习率也要调。\n" for i in range(lines))


def apply(text: str, line: int, character: int, new: str) -> str:
    import re

    starts = [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]
    s = line_text(text, line)
    off = starts[line] + units_to_index(s, character)
    return text[:off] + new + text[off:]


# -- 1. results are converted with the snapshot they were computed from ------------------------------------------


async def test_pull_diagnostics_racing_an_edit_are_never_wrong(start):
    s = await start(caps=capabilities(pull=True))
    text = big_chapter()
    uri = s.open("race.md", text)
    texts = {1: text}
    await s.client.text_document_diagnostic_async(T.DocumentDiagnosticParams(text_document=T.TextDocumentIdentifier(uri)))
    for attempt in range(12):
        asked_at = s.versions[uri]
        fut = asyncio.ensure_future(
            s.client.text_document_diagnostic_async(T.DocumentDiagnosticParams(text_document=T.TextDocumentIdentifier(uri)))
        )
        await asyncio.sleep(0.005 * (attempt % 4))
        text = apply(text, 0, 0, "插")  # not a term: only the columns of line 0 move
        texts[s.edit(uri, T.Range(T.Position(0, 0), T.Position(0, 0)), "插")] = text
        try:
            report = await fut
        except JsonRpcException as exc:
            assert exc.code == JsonRpcContentModified.CODE, exc
            continue
        # a report carries no version: all its ranges must belong to one text, the one asked about or a later one
        assert report.items
        fits = [v for v in texts if v >= asked_at and all(text_at(texts[v], d.range) in FOUND for d in report.items)]
        assert fits, (attempt, [(d.range, d.code) for d in report.items if d.range.start.line == 0])


async def test_workspace_diagnostics_are_stamped_with_the_version_they_were_computed_for(start):
    s = await start(caps=capabilities(pull=True))
    text = big_chapter()
    uri = s.open("ws.md", text)
    texts = {1: text}
    for attempt in range(8):
        fut = asyncio.ensure_future(s.client.workspace_diagnostic_async(T.WorkspaceDiagnosticParams(previous_result_ids=[])))
        await asyncio.sleep(0.005 * (attempt % 4))
        text = apply(text, 0, 0, "插")
        v = s.edit(uri, T.Range(T.Position(0, 0), T.Position(0, 0)), "插")
        texts[v] = text
        report = await fut
        item = next(i for i in report.items if i.uri == uri)
        assert item.version in texts
        for d in item.items:
            assert text_at(texts[item.version], d.range) in FOUND, (attempt, item.version, d.range)


async def test_code_action_edits_carry_the_version_their_offsets_belong_to(start):
    # a pull client: no push check keeps the worker busy, so the code action's own check races the edit
    s = await start(caps=capabilities(document_changes=True, pull=True))
    text = big_chapter()
    uri = s.open("ca.md", text)
    texts = {1: text}
    for attempt in range(8):
        fut = asyncio.ensure_future(
            s.client.text_document_code_action_async(
                T.CodeActionParams(T.TextDocumentIdentifier(uri), T.Range(T.Position(0, 0), T.Position(0, 0)),
                                   T.CodeActionContext(diagnostics=[], only=["source.fixAll.nnterm"]))
            )
        )
        await asyncio.sleep(0.005 * (attempt % 4))
        text = apply(text, 0, 0, "插")
        v = s.edit(uri, T.Range(T.Position(0, 0), T.Position(0, 0)), "插")
        texts[v] = text
        try:
            actions = await fut
        except JsonRpcException as exc:
            assert exc.code == JsonRpcContentModified.CODE, exc
            continue
        (fix_all,) = actions
        (change,) = fix_all.edit.document_changes
        version = change.text_document.version
        assert version in texts
        for e in change.edits:
            assert text_at(texts[version], e.range) in FOUND, (attempt, version, e.range)


# -- 2. line breaks: \n, \r\n and a lone \r, also through incremental edits -----------------------------------------


async def test_lone_carriage_return_is_a_line_break_end_to_end(start):
    s = await start()
    text = "第一行\rPytorch 很流行。\r\n第三行\n"
    uri = s.open("cr.md", text)
    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "casing" for x in d))
    casing = next(d for d in diags if d.code == "casing")
    assert casing.range == T.Range(T.Position(1, 0), T.Position(1, 7))
    # an edit on the line after the lone \r, then one on the line after \r\n: the server's copy follows the client's
    v = s.edit(uri, T.Range(T.Position(1, 0), T.Position(1, 0)), "批归一化和批量归一化，")
    text = apply(text, 1, 0, "批归一化和批量归一化，")
    v = s.edit(uri, T.Range(T.Position(2, 3), T.Position(2, 3)), "，Tensorflow")
    text = apply(text, 2, 3, "，Tensorflow")
    diags = await s.diagnostics(uri, version=v, predicate=lambda d: len({x.code for x in d} & {"casing", "inconsistent"}) == 2)
    spans = {(d.range.start.line, text_at(text, d.range)) for d in diags if d.code in ("casing", "inconsistent")}
    assert spans >= {(1, "批归一化"), (1, "Pytorch"), (2, "Tensorflow")}


# -- 3. every request gets an answer ----------------------------------------------------------------------------------


@pytest.fixture
def raw(cache_dir, tmp_path):
    servers = []

    def _raw(env=None, root=None):
        srv = RawServer(cache_dir, root or tmp_path, env)
        servers.append(srv)
        return srv

    yield _raw
    for srv in servers:
        srv.close()


def _error(msg) -> dict:
    assert "error" in msg, msg
    return msg["error"]


def test_invalid_params_unknown_methods_and_parse_errors_are_answered(raw):
    srv = raw()
    srv.initialize()
    uri = srv.open("a.md", "学习率\n")
    td = {"uri": uri}
    bad = srv.request("textDocument/hover", {"textDocument": td, "position": {"line": -1, "character": -5}})
    assert _error(srv.response(bad))["code"] == -32602
    bad = srv.request("textDocument/hover", {"textDocument": td, "position": "here"})
    err = _error(srv.response(bad))
    assert err["code"] == -32602 and "position" in err["message"]
    unknown = srv.request("nnterm/noSuchMethod", {})
    assert _error(srv.response(unknown))["code"] == -32601
    srv.send_bytes(b'{"jsonrpc": "2.0", "id": 77, "method": "textDocument/hover", "params": {oops')
    assert _error(srv.response(77))["code"] == -32700
    srv.send_bytes(b"\xff\xfe not even text")
    assert _error(srv.response(None))["code"] == -32700
    # still serving
    ok = srv.request("textDocument/hover", {"textDocument": td, "position": {"line": 0, "character": 1}})
    assert "learning rate" in srv.response(ok)["result"]["contents"]["value"]


def test_internal_error_is_an_error_response_with_a_log_line(raw):
    srv = raw(env={"NNTERM_LSP_TEST_FAIL": "hover"})
    srv.initialize()
    uri = srv.open("a.md", "学习率\n")
    rid = srv.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}})
    err = _error(srv.response(rid))
    assert err["code"] == -32603 and "planted failure" in err["message"]
    assert "Traceback" not in str(err)
    srv.request("shutdown")
    srv.notify("exit")
    srv.wait_exit()
    log = "".join(srv.stderr)
    assert "planted failure" in log


def test_bad_execute_command_is_an_error_response_without_traceback(raw):
    srv = raw()
    srv.initialize()
    srv.open("a.md", "学习率\n")
    calls = [
        ("nnterm.noSuchCommand", []),
        ("nnterm.setPreferred", ["only-one-argument"]),
        ("nnterm.setPreferred", ["no-such-concept", "zh", "x"]),
        ("nnterm.setPreferred", [{"a": 1}, 2, None]),
        ("nnterm.addTerm", [""]),
    ]
    for command, args in calls:
        rid = srv.request("workspace/executeCommand", {"command": command, "arguments": args})
        err = _error(srv.response(rid))
        assert err["code"] == -32602, (command, args, err)
        assert "Traceback" not in str(err)
    srv.request("shutdown")
    srv.notify("exit")
    srv.wait_exit()
    assert "Traceback" not in "".join(srv.stderr)


# -- 4. nothing heavy on the event loop; a cap on diagnostics ----------------------------------------------------------


async def test_diagnostics_are_capped_per_document_with_a_summary(start):
    s = await start()
    uri = s.open("many.md", "Pytorch 很好。\n" * 1500)
    diags = await s.diagnostics(uri, predicate=lambda d: len(d) > 1)
    assert len(diags) == 1001
    assert all(d.code == "casing" for d in diags[:1000])
    summary = diags[-1]
    assert summary.code == "too-many-findings"
    # in the document's language: a Chinese document gets the Chinese summary
    assert "还有 500 条问题未显示" in summary.message and "nnterm check many.md" in summary.message
    assert summary.range.start.line == 1000


async def test_rename_runs_off_the_event_loop_and_is_cancellable(start):
    s = await start()
    small = s.open("small.md", "学习率\n")
    await s.diagnostics(small)
    big = s.open("big.md", "批量归一化很重要。\n" * 60000)
    params = T.RenameParams(T.TextDocumentIdentifier(big), T.Position(0, 1), "批标准化")
    rename = asyncio.ensure_future(s.client.text_document_rename_async(params))
    h = await s.hover(small, 0, 1)
    assert "learning rate" in h.contents.value
    assert not rename.done()  # the hover was answered while the rename was still being computed
    edit = await rename
    assert len(edit.changes[big]) == 60000
    # a new version, renamed and cancelled at once: the cancellation is answered, not the rename
    s.change(big, "批量归一化很重要。\n" * 60001)
    protocol = s.client.protocol
    fut = asyncio.ensure_future(protocol.send_request_async(T.TEXT_DOCUMENT_RENAME, params, msg_id="rename-to-cancel"))
    await wait_until(lambda: "rename-to-cancel" in protocol._request_futures and protocol.writer.transport.get_write_buffer_size() == 0,
                     timeout=5, what="the rename written to the server")
    protocol.notify(T.CANCEL_REQUEST, T.CancelParams(id="rename-to-cancel"))
    with pytest.raises(JsonRpcRequestCancelled):
        await asyncio.wait_for(fut, 30)
    assert "learning rate" in (await s.hover(small, 0, 1)).contents.value


# -- 5, 6. the parent-process watchdog, exit status ------------------------------------------------------------------


def test_exit_without_shutdown_exits_1_and_after_shutdown_0(raw):
    srv = raw()
    srv.initialize()
    srv.notify("exit")
    assert srv.wait_exit() == 1
    srv = raw()
    srv.initialize()
    srv.response(srv.request("shutdown"))
    srv.notify("exit")
    assert srv.wait_exit() == 0


def test_server_exits_when_the_client_process_dies(raw):
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        srv = raw()
        srv.initialize(process_id=parent.pid)
        srv.open("a.md", "学习率\n")
        parent.kill()
        parent.wait(10)
        assert srv.wait_exit(timeout=20) != 0  # stdin is still open: only the watchdog ends it
    finally:
        if parent.poll() is None:
            parent.kill()


# -- 7, 8. undecodable files, broken term files and configurations -------------------------------------------------


async def test_undecodable_workspace_file_is_reported_once(start, tmp_path):
    (tmp_path / "good.md").write_text("批量归一化很重要。\n", encoding="utf-8")
    (tmp_path / "bad.md").write_bytes("批归一化".encode("gb18030") + b"\xff\n")
    s = await start()
    uri = s.open("c.md", "学习率\n")
    await s.diagnostics(uri)
    await wait_until(lambda: [m for m in s.client.messages if "bad.md" in m.message], what="a message naming bad.md")
    # an edit, a reload: still reported once
    s.change(uri, "学习率。\n")
    (tmp_path / ".nnterm.yaml").write_text("rules: {}\n", encoding="utf-8")
    s.client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams([T.FileEvent((tmp_path / ".nnterm.yaml").as_uri(), T.FileChangeType.Created)]))
    await s.diagnostics(uri)
    await asyncio.sleep(0.3)
    shown = [m for m in s.client.messages if "bad.md" in m.message]
    assert len(shown) == 1 and shown[0].type == T.MessageType.Warning
    assert "UTF-8" in shown[0].message
    assert any("bad.md" in m.message for m in s.client.log_messages)


async def test_broken_term_file_messages_are_plain_words_with_ranges_inside_the_line(start, tmp_path):
    terms = tmp_path / "terms.yaml"
    terms.write_text("concepts:\n  - id: flux-gate\n    en: [a, b]\n    zh: 通量门\n", encoding="utf-8")
    (tmp_path / ".nnterm.yaml").write_text("terms: [terms.yaml]\n", encoding="utf-8")
    s = await start()
    p = await wait_until(lambda: (x := s.latest(terms.as_uri())) and x.diagnostics and x, what="term file problems")
    d = p.diagnostics[0]
    assert "LineList" not in d.message and "got a list" in d.message
    lines = terms.read_text(encoding="utf-8").split("\n")
    assert d.range.start.line == 2 and d.range.end.line == 2
    assert d.range.start.character == 4 and d.range.end.character == len(lines[2])


async def test_broken_config_reports_every_error_inside_its_line(start, tmp_path):
    config = tmp_path / ".nnterm.yaml"
    config.write_text("rules:\n  no-such-rule: error\n  casing: loud\n", encoding="utf-8")
    s = await start()
    p = await wait_until(lambda: (x := s.latest(config.as_uri())) and x.diagnostics and x, what="config problems")
    lines = config.read_text(encoding="utf-8").split("\n")
    for d in p.diagnostics:
        assert d.range.start.line == d.range.end.line
        assert d.range.end.character <= len(lines[d.range.start.line])
    assert {d.range.start.line for d in p.diagnostics} == {1, 2}  # every error, not only the first

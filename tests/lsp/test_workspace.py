"""Diagnostics over the open workspace: consistency across documents, rapid edits, pull diagnostics, progress and
cancellation."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types as T
from pygls.exceptions import JsonRpcRequestCancelled

from lsp_helpers import capabilities, wait_until


def codes(diags) -> list[str]:
    return sorted(d.code for d in diags)


async def test_cross_document_consistency(start):
    s = await start()
    a = s.open("ch1.md", "批量归一化很有用。批量归一化加快训练。\n")
    await s.diagnostics(a)
    assert "inconsistent" not in codes(await s.diagnostics(a))
    b = s.open("ch2.md", "批归一化也叫 BN。\n")
    # ch2 uses another rendering of a concept ch1 uses twice: reported in ch2, pointing at ch1
    diags = await s.diagnostics(b, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    inc = next(d for d in diags if d.code == "inconsistent")
    assert inc.message == "术语不一致：“批归一化”与“批量归一化”指同一概念。推荐：批量归一化 ｜ 本文档集现用：批量归一化（2 处）、批归一化（1 处）"
    assert [r.location.uri for r in inc.related_information] == [a, a]
    # ch1 did not change: its diagnostics are not published again
    n_a = sum(1 for p in s.published if p.uri == a)
    # closing ch1 changes ch2's findings (no other rendering left to be inconsistent with)
    s.close(a)
    await wait_until(lambda: s.latest(a) is not None and not s.latest(a).diagnostics, what="ch1 cleared")
    await wait_until(lambda: not any(d.code == "inconsistent" for d in s.latest(b).diagnostics), what="ch2 consistent")
    assert sum(1 for p in s.published if p.uri == a) == n_a + 1


async def test_publish_only_changed_documents(start):
    s = await start()
    a = s.open("a.md", "学习率很重要。\n")
    b = s.open("b.md", "卷积神经网络（convolutional neural network，CNN）。\n")
    await s.diagnostics(a)
    await s.diagnostics(b)
    before = [p.uri for p in s.published]
    v = s.change(a, "学习率很重要，学习率要调。\n")
    await s.diagnostics(a, version=v)
    # one more check ran; b's findings did not change, so b was not published again
    after = [p.uri for p in s.published][len(before):]
    assert a in after and b not in after


async def test_rapid_edits_only_final_version_survives(start):
    s = await start(init={"debounceMs": 20})
    uri = s.open("fast.md", "开始。\n")
    await s.diagnostics(uri)
    text = "开始。\n"
    for i in range(40):
        text += "批归一化" if i % 2 else "批量归一化"
        s.change(uri, text)
    final = s.versions[uri]
    text += "。\n"
    final = s.change(uri, text)
    diags = await s.diagnostics(uri, version=final)
    # the published versions never go backwards, and the last one is the final version
    versions = [p.version for p in s.published if p.uri == uri]
    assert versions == sorted(versions)
    assert versions[-1] == final
    # coalesced: far fewer checks than edits
    assert len(versions) < 20
    assert any(d.code == "inconsistent" for d in diags)
    # every range lies inside the final text
    line_len = len(text.splitlines()[1])
    assert all(d.range.end.line == 1 and d.range.end.character <= line_len for d in diags)


async def test_incremental_edits(start):
    s = await start()
    uri = s.open("inc.md", "第一行。\n批量归一化。\n")
    await s.diagnostics(uri)
    v = s.edit(uri, T.Range(T.Position(1, 5), T.Position(1, 6)), "，批归一化。")
    diags = await s.diagnostics(uri, version=v, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    inc = next(d for d in diags if d.code == "inconsistent")
    assert inc.range == T.Range(T.Position(1, 6), T.Position(1, 10))


async def test_pull_diagnostics(start):
    s = await start(caps=capabilities(pull=True))
    a = s.open("a.md", "批量归一化和批量归一化。\n")
    b = s.open("b.md", "批归一化。\n")
    report = await s.client.text_document_diagnostic_async(T.DocumentDiagnosticParams(text_document=T.TextDocumentIdentifier(b)))
    assert report.kind == "full"
    assert any(d.code == "inconsistent" for d in report.items)
    again = await s.client.text_document_diagnostic_async(
        T.DocumentDiagnosticParams(text_document=T.TextDocumentIdentifier(b), previous_result_id=report.result_id)
    )
    assert again.kind == "unchanged"
    ws = await s.client.workspace_diagnostic_async(T.WorkspaceDiagnosticParams(previous_result_ids=[]))
    assert {i.uri for i in ws.items} == {a, b}
    # a pull client gets no pushed diagnostics for documents
    assert not [p for p in s.published if p.uri in (a, b)]


async def test_progress_on_first_large_check(start):
    s = await start(init={"progressThreshold": 3}, wait_ready=False)
    uris = [s.open(f"ch{i}.md", f"第{i}章：学习率和批量归一化。\n") for i in range(5)]
    for uri in uris:
        await s.diagnostics(uri)
    reports = [r for token, rs in s.client.progress_reports.items() for r in rs]
    kinds = [r.kind for r in reports]
    assert kinds[0] == "begin" and kinds[-1] == "end"
    assert "report" in kinds


async def test_cancellation(start):
    s = await start(env={"NNTERM_LSP_TEST_LOAD_DELAY": "1.0"}, wait_ready=False)
    uri = s.open("c.md", "学习率\n")
    params = T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(0, 1))
    # send the request, wait until it is pending and has left the client's write buffer for the server's stdin (a
    # condition, not a sleep), then cancel it
    protocol = s.client.protocol
    fut = asyncio.ensure_future(protocol.send_request_async(T.TEXT_DOCUMENT_HOVER, params, msg_id="hover-to-cancel"))
    await wait_until(
        lambda: "hover-to-cancel" in protocol._request_futures and protocol.writer.transport.get_write_buffer_size() == 0,
        timeout=5, what="the hover request written to the server")
    assert not fut.done()  # the server is still loading the term base (delayed for this test)
    s.client.protocol.notify(T.CANCEL_REQUEST, T.CancelParams(id="hover-to-cancel"))
    with pytest.raises(JsonRpcRequestCancelled):
        await asyncio.wait_for(fut, 10)
    # the server keeps serving
    h = await s.hover(uri, 0, 1)
    assert "learning rate" in h.contents.value
    await s.diagnostics(uri)


async def test_non_prose_documents_are_ignored(start):
    s = await start()
    uri = s.open("notes.txt", "批归一化 批量归一化\n", language_id="plaintext")
    assert await s.hover(uri, 0, 1) is None


async def test_unopened_chapters_on_disk_are_checked_with_the_open_one(start, tmp_path):
    # a thesis folder: chapter 1 is on disk and never opened; chapter 2 is open in the editor
    (tmp_path / "ch1.md").write_text("批量归一化很有用。批量归一化加快训练。\n", encoding="utf-8")
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / "old.md").write_text("批归一化。批归一化。批归一化。\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("ignored/\n", encoding="utf-8")
    s = await start(root=tmp_path)
    b = s.open("ch2.md", "批归一化也叫 BN。\n")
    diags = await s.diagnostics(b, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    inc = next(d for d in diags if d.code == "inconsistent")
    # kept: the rendering chapter 1 uses twice (the ignored file does not count)
    assert inc.message == "术语不一致：“批归一化”与“批量归一化”指同一概念。推荐：批量归一化 ｜ 本文档集现用：批量归一化（2 处）、批归一化（1 处）"
    ch1 = (tmp_path / "ch1.md").as_uri()
    assert [r.location.uri for r in inc.related_information] == [ch1, ch1]

    # chapter 1 changes on disk (saved by another program): the server re-reads it when told
    (tmp_path / "ch1.md").write_text("批归一化很有用。\n", encoding="utf-8")
    s.client.workspace_did_change_watched_files(
        T.DidChangeWatchedFilesParams(changes=[T.FileEvent(uri=ch1, type=T.FileChangeType.Changed)])
    )
    await wait_until(
        lambda: s.latest(b) is not None and not any(d.code == "inconsistent" for d in s.latest(b).diagnostics),
        what="ch2 consistent with the new chapter 1",
    )


async def test_open_scope_ignores_files_on_disk(start, tmp_path):
    (tmp_path / "ch1.md").write_text("批量归一化很有用。批量归一化加快训练。\n", encoding="utf-8")
    s = await start(root=tmp_path, init={"workspaceScope": "open"})
    b = s.open("ch2.md", "批归一化也叫 BN。\n")
    diags = await s.diagnostics(b)
    assert "inconsistent" not in codes(diags)


async def test_a_folder_larger_than_a_thesis_falls_back_to_open_documents(start, tmp_path):
    (tmp_path / "ch1.md").write_text("批量归一化很有用。批量归一化加快训练。\n", encoding="utf-8")
    (tmp_path / "book.md").write_text("正文。\n" * 400_000, encoding="utf-8")  # 1.6 M characters of prose
    s = await start(root=tmp_path)
    b = s.open("ch2.md", "批归一化也叫 BN。\n")
    diags = await s.diagnostics(b)
    assert "inconsistent" not in codes(diags)


async def test_rename_reaches_chapters_on_disk(start, tmp_path):
    (tmp_path / "ch1.md").write_text("批归一化很有用。\n", encoding="utf-8")
    s = await start(root=tmp_path)
    b = s.open("ch2.md", "批归一化也叫 BN。\n")
    await s.diagnostics(b)
    edit = await s.client.text_document_rename_async(
        T.RenameParams(text_document=T.TextDocumentIdentifier(b), position=T.Position(0, 1), new_name="批量归一化")
    )
    ch1 = (tmp_path / "ch1.md").as_uri()
    assert set(edit.changes) == {b, ch1}
    assert [e.new_text for e in edit.changes[ch1]] == ["批量归一化"]
    assert edit.changes[ch1][0].range == T.Range(T.Position(0, 0), T.Position(0, 4))


# issue 13: the message says why the kept form is kept (the counts)
INCONSISTENT_BN = "术语不一致：“批归一化”与“批量归一化”指同一概念。推荐：批量归一化 ｜ 本文档集现用：批量归一化（2 处）、批归一化（1 处）"


async def test_exclude_setting_keeps_files_out_of_the_workspace_set(start, tmp_path):
    # README: the workspace's files on disk are checked with the open documents, honouring `exclude`
    (tmp_path / ".nnterm.yaml").write_text("exclude: [drafts/]\n", encoding="utf-8")
    (tmp_path / "ch1.md").write_text("批量归一化很有用。批量归一化加快训练。\n", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "old.md").write_text("批归一化。批归一化。批归一化。\n", encoding="utf-8")
    s = await start(root=tmp_path)
    b = s.open("ch2.md", "批归一化也叫 BN。\n")
    # with the drafts counted, 批归一化 would be the majority and ch2 would be consistent
    diags = await s.diagnostics(b, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    inc = next(d for d in diags if d.code == "inconsistent")
    assert (inc.range, inc.message) == (T.Range(T.Position(0, 0), T.Position(0, 4)), INCONSISTENT_BN)
    ch1 = (tmp_path / "ch1.md").as_uri()
    assert [(r.location.uri, r.location.range) for r in inc.related_information] == [
        (ch1, T.Range(T.Position(0, 0), T.Position(0, 5))), (ch1, T.Range(T.Position(0, 9), T.Position(0, 14)))]


MAIN_TEX = "\\documentclass{article}\n\\begin{document}\n批归一化是一种常用技巧。\n\\input{chapters/chap1}\n\\end{document}\n"
CHAP1_TEX = "\\section{方法}\n批量归一化很有用。批量归一化加快训练。\n"


async def test_a_chapter_is_checked_with_the_root_file_that_inputs_it(start, tmp_path):
    # the thesis is in the workspace folder; only the chapter is open: the root on disk counts
    (tmp_path / "chapters").mkdir()
    (tmp_path / "main.tex").write_text("\\documentclass{article}\n\\begin{document}\n批量归一化很有用。批量归一化加快训练。\n"
                                       "\\input{chapters/chap1}\n\\end{document}\n", encoding="utf-8")
    chap = "\\section{方法}\n批归一化也叫 BN。\n"
    (tmp_path / "chapters" / "chap1.tex").write_text(chap, encoding="utf-8")
    s = await start(root=tmp_path)
    uri = s.open("chapters/chap1.tex", chap)
    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    inc = next(d for d in diags if d.code == "inconsistent")
    assert (inc.range, inc.message) == (T.Range(T.Position(1, 0), T.Position(1, 4)), INCONSISTENT_BN)
    main = (tmp_path / "main.tex").as_uri()
    assert [(r.location.uri, r.location.range) for r in inc.related_information] == [
        (main, T.Range(T.Position(2, 0), T.Position(2, 5))), (main, T.Range(T.Position(2, 9), T.Position(2, 14)))]


@pytest.mark.parametrize("layout", ["open-scope", "chapter-outside-the-folder"])
async def test_input_is_followed_like_the_cli(start, tmp_path, layout):
    # `nnterm check main.tex` checks main.tex together with the chapters it \inputs (tests/engine/test_cli.py); the
    # server should do the same for an open root file whose chapter is neither open nor among the folder's files:
    # - open-scope: workspaceScope "open" (open documents only, plus what they \input);
    # - chapter-outside-the-folder: the workspace folder is thesis/, the chapter lives in ../shared-chapters/
    if layout == "open-scope":
        root, main_text, init = tmp_path, MAIN_TEX, {"workspaceScope": "open"}
        chap_path = tmp_path / "chapters" / "chap1.tex"
    else:
        root, init = tmp_path / "thesis", {}
        main_text = MAIN_TEX.replace("\\input{chapters/chap1}", "\\input{../shared-chapters/chap1}")
        chap_path = tmp_path / "shared-chapters" / "chap1.tex"
    root.mkdir(exist_ok=True)
    chap_path.parent.mkdir(parents=True)
    chap_path.write_text(CHAP1_TEX, encoding="utf-8")
    (root / "main.tex").write_text(main_text, encoding="utf-8")
    s = await start(root=root, init=init)
    uri = s.open("main.tex", main_text, write=True)
    diags = await s.diagnostics(uri, timeout=10)
    # the chapter uses 批量归一化 twice, so main.tex's 批归一化 is the rendering to replace
    inc = [d for d in diags if d.code == "inconsistent"]
    assert [(d.range, d.message) for d in inc] == [(T.Range(T.Position(2, 0), T.Position(2, 4)), INCONSISTENT_BN)]
    assert [(r.location.uri, r.location.range.start.line) for r in inc[0].related_information] == [
        (chap_path.as_uri(), 1), (chap_path.as_uri(), 1)]

"""Document highlights, inlay hints, rename across the workspace, go to definition."""

from __future__ import annotations

from lsprotocol import types as T

from lsp_helpers import wait_until

MD = "批量归一化（batch normalization，BN）很有用。批归一化也是 BN。\n卷积神经网络和 CNN 常用 ReLU。\n"


def pos(line, col):
    return T.Position(line, col)


async def test_document_highlights_every_rendering(start):
    s = await start()
    uri = s.open("h.md", MD)
    hs = await s.client.text_document_document_highlight_async(T.DocumentHighlightParams(T.TextDocumentIdentifier(uri), pos(0, 1)))
    starts = sorted((h.range.start.line, h.range.start.character) for h in hs)
    text = MD.splitlines()[0]
    expected = {(0, 0), (0, text.index("batch")), (0, text.index("BN")), (0, text.index("批归一化")), (0, text.rindex("BN"))}
    assert set(starts) == expected
    hs = await s.client.text_document_document_highlight_async(T.DocumentHighlightParams(T.TextDocumentIdentifier(uri), pos(1, 9)))
    assert {(h.range.start.line, h.range.start.character) for h in hs} == {(1, 0), (1, 8)}


async def test_inlay_hints_off_by_default_and_on_by_setting(start):
    s = await start()
    uri = s.open("i.md", "学习率和卷积神经网络。\n")
    params = T.InlayHintParams(T.TextDocumentIdentifier(uri), T.Range(pos(0, 0), pos(1, 0)))
    assert not await s.client.text_document_inlay_hint_async(params)
    s2 = await start(settings={"inlayHints": True})
    text = "学习率和卷积神经网络（CNN）。We tune the learning rate.\n"
    uri = s2.open("i.md", text)
    hints = await s2.client.text_document_inlay_hint_async(params)
    # the first mention only (learning rate again later gets none), full-width in a Chinese text; glossed terms none
    assert [(h.position.character, h.label) for h in hints] == [(3, "（learning rate）")]
    en = s2.open("en.md", "We tune the learning rate. A small learning rate is safer.\n")
    hints = await s2.client.text_document_inlay_hint_async(T.InlayHintParams(T.TextDocumentIdentifier(en), T.Range(pos(0, 0), pos(1, 0))))
    assert [(h.position.character, h.label, h.padding_left) for h in hints] == [(len("We tune the learning rate"), "(学习率)", True)]


async def test_rename_across_open_documents(start):
    s = await start()
    a = s.open("a.md", MD)
    b = s.open("b.md", "我们讨论批量归一化和批标准化。\n")
    prep = await s.client.text_document_prepare_rename_async(T.PrepareRenameParams(T.TextDocumentIdentifier(a), pos(0, 1)))
    assert prep.range == T.Range(pos(0, 0), pos(0, 5))
    edit = await s.client.text_document_rename_async(T.RenameParams(T.TextDocumentIdentifier(a), pos(0, 1), "批量规范化"))
    assert set(edit.changes) == {a, b}
    # every Chinese rendering of the concept, none of the English ones or the abbreviation
    assert len(edit.changes[a]) == 2 and all(e.new_text == "批量规范化" for e in edit.changes[a])
    assert len(edit.changes[b]) == 2
    # no rename on ordinary text
    assert await s.client.text_document_prepare_rename_async(T.PrepareRenameParams(T.TextDocumentIdentifier(a), pos(1, 13))) is None


async def test_definition_opens_the_read_only_entry(start):
    s = await start()
    uri = s.open("d.md", MD)
    loc = await s.client.text_document_definition_async(T.DefinitionParams(T.TextDocumentIdentifier(uri), pos(1, 2)))
    # one location, never the installed package's term file
    assert isinstance(loc, T.Location) and loc.uri == "nnterm-term:/zh/convolutional-neural-network.md"
    content = await s.client.protocol.send_request_async(T.WORKSPACE_TEXT_DOCUMENT_CONTENT, T.TextDocumentContentParams(uri=loc.uri))
    assert content.text.startswith("# 卷积神经网络\n") and "convolutional-neural-network" in content.text

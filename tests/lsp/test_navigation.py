"""Document highlights, inlay hints, rename across the workspace, go to definition."""

from __future__ import annotations

from pathlib import Path

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
    uri = s2.open("i.md", "学习率和卷积神经网络（CNN）。We tune the learning rate.\n")
    hints = await s2.client.text_document_inlay_hint_async(params)
    labels = {(h.position.character, h.label) for h in hints}
    assert (3, "(learning rate)") in labels
    text = "学习率和卷积神经网络（CNN）。We tune the learning rate.\n"
    assert (text.index("learning rate") + len("learning rate"), "(学习率)") in labels
    # glossed terms get no hint
    assert not any("convolutional" in h.label for h in hints)


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


async def test_definition_jumps_to_term_file(start):
    s = await start()
    uri = s.open("d.md", MD)
    locs = await s.client.text_document_definition_async(T.DefinitionParams(T.TextDocumentIdentifier(uri), pos(1, 2)))
    loc = locs[0]
    path = Path(loc.uri.removeprefix("file://"))
    assert path.suffix == ".yaml" and path.is_file()
    line = path.read_text(encoding="utf-8").splitlines()[loc.range.start.line]
    assert "id: convolutional-neural-network" in line

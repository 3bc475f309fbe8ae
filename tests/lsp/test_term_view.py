"""The terminology table (nnterm.termTable) and unifying a concept's renderings (nnterm.unifyTerm), through the real
server: what the VS Code "术语表" view shows and any other client can ask for."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types as T
from pygls.exceptions import JsonRpcException

from nnterm_ls.lsp.positions import TextIndex

# an astral character before the terms: UTF-16 columns differ from code points
A = (
    "# 第一章\n\n😀批量归一化很重要，批量归一化加快训练。有的书写作批归一化。\n\n```\n批归一化 = 1\n```\n\n"
    "## 参考文献\n\n1. 张三. 批归一化方法研究[J]. 计算机学报, 2020.\n"
)
B = "批归一化（batch normalization）也用于 Transformer。\n"


def utf16_range(text: str, needle: str, nth: int = 0) -> dict:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    idx = TextIndex(text)
    (l1, c1), (l2, c2) = idx.position(i), idx.position(i + len(needle))
    return {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}


async def command(s, name, *args):
    return await s.client.workspace_execute_command_async(T.ExecuteCommandParams(command=name, arguments=list(args)))


def concept(table, cid):
    found = [c for c in table["concepts"] if c["id"] == cid]
    assert len(found) == 1, [c["id"] for c in table["concepts"]]
    return found[0]


def rendering(c, text):
    found = [r for r in c["renderings"] if r["text"] == text]
    assert len(found) == 1, [r["text"] for r in c["renderings"]]
    return found[0]


async def test_term_table_lists_renderings_with_counts_per_file_and_utf16_ranges(start, tmp_path):
    (tmp_path / "b.md").write_text(B, encoding="utf-8")  # a chapter on disk, not open: part of the set
    s = await start()
    a = s.open("a.md", A, write=True)
    b = s.uri("b.md")
    assert "nnterm.termTable" in s.init_result.capabilities.execute_command_provider.commands
    table = await command(s, "nnterm.termTable")
    bn = concept(table, "batch-normalization")
    assert (bn["zh"], bn["en"]) == ("批量归一化", "batch normalization")
    assert bn["inconsistent"] == ["zh"]
    # Chinese first, the preferred rendering first; the 批归一化 of the code block and of the reference entry are
    # not prose and not counted
    assert [(r["text"], r["lang"], r["preferred"], r["count"]) for r in bn["renderings"]] == [
        ("批量归一化", "zh", True, 2),
        ("批归一化", "zh", False, 2),
        ("batch normalization", "en", True, 1),
    ]
    pref = rendering(bn, "批量归一化")
    assert pref["files"] == [{"uri": a, "count": 2, "ranges": [utf16_range(A, "批量归一化"), utf16_range(A, "批量归一化", 1)]}]
    other = rendering(bn, "批归一化")
    assert other["status"] == "admitted"
    assert sorted(other["files"], key=lambda f: f["uri"]) == sorted(
        [{"uri": a, "count": 1, "ranges": [utf16_range(A, "批归一化")]}, {"uri": b, "count": 1, "ranges": [utf16_range(B, "批归一化")]}],
        key=lambda f: f["uri"],
    )
    assert pref["files"][0]["ranges"][0]["start"]["character"] == 2  # after 😀, two UTF-16 code units
    # most used first
    counts = [c["count"] for c in table["concepts"]]
    assert counts == sorted(counts, reverse=True) and table["concepts"][0]["id"] == "batch-normalization"
    # an edit is seen at once
    s.change(a, A.replace("有的书写作批归一化。", ""))
    bn = concept(await command(s, "nnterm.termTable"), "batch-normalization")
    assert rendering(bn, "批归一化")["count"] == 1 and bn["inconsistent"] == ["zh"]


async def test_the_configured_preferred_rendering_is_marked(start, tmp_path):
    (tmp_path / ".nnterm.yaml").write_text("preferred:\n  batch-normalization:\n    zh: 批归一化\n", encoding="utf-8")
    s = await start()
    s.open("a.md", A, write=True)
    bn = concept(await command(s, "nnterm.termTable"), "batch-normalization")
    assert bn["zh"] == "批归一化"
    assert [(r["text"], r["preferred"]) for r in bn["renderings"] if r["lang"] == "zh"] == [("批归一化", True), ("批量归一化", False)]


async def test_unify_rewrites_the_other_renderings_through_apply_edit(start, tmp_path):
    (tmp_path / "b.md").write_text(B, encoding="utf-8")
    s = await start()
    a = s.open("a.md", A, write=True)
    b = s.uri("b.md")
    answer = await command(s, "nnterm.unifyTerm", "batch-normalization", "zh", "批量归一化")
    assert answer == {"applied": True, "edits": 2, "files": 2}
    [params] = s.client.applied_edits
    assert params.label == "统一为“批量归一化”"
    by_uri = {dc.text_document.uri: dc for dc in params.edit.document_changes}
    # the open document's edit carries its version; the file on disk none
    assert by_uri[a].text_document.version == 1 and by_uri[b].text_document.version is None
    assert [(e.range, e.new_text) for e in by_uri[a].edits] == [
        (T.Range(T.Position(**utf16_range(A, "批归一化")["start"]), T.Position(**utf16_range(A, "批归一化")["end"])), "批量归一化")
    ]
    assert [e.new_text for e in by_uri[b].edits] == ["批量归一化"]
    # nothing to do: no edit is sent
    s.change(a, A.replace("写作批归一化", "写作批量归一化"))
    (tmp_path / "b.md").write_text(B.replace("批归一化", "批量归一化"), encoding="utf-8")
    s.client.workspace_did_change_watched_files(
        T.DidChangeWatchedFilesParams(changes=[T.FileEvent(uri=b, type=T.FileChangeType.Changed)])
    )
    for _ in range(100):  # until the server has read the saved file
        answer = await command(s, "nnterm.unifyTerm", "batch-normalization", "zh", "批量归一化")
        if answer["edits"] == 0:
            break
        await asyncio.sleep(0.1)
    assert answer == {"applied": True, "edits": 0, "files": 0}
    assert len(s.client.applied_edits) == 1


async def test_unify_in_english_keeps_plural_and_capital_and_leaves_abbreviations(start):
    s = await start()
    text = "Batch norms help. We use batch normalization (BN) and batch norm.\n"
    s.open("en.md", text, write=True)
    bn = concept(await command(s, "nnterm.termTable"), "batch-normalization")
    assert [(r["text"], r["type"], r["count"]) for r in bn["renderings"]] == [
        ("batch normalization", "term", 1),
        ("batch norm", "term", 2),
        ("BN", "abbreviation", 1),
    ]
    assert bn["inconsistent"] == ["en"]
    answer = await command(s, "nnterm.unifyTerm", "batch-normalization", "en", "batch normalization")
    assert answer == {"applied": True, "edits": 2, "files": 1}
    [dc] = s.client.applied_edits[0].edit.document_changes
    assert [e.new_text for e in dc.edits] == ["Batch normalizations", "batch normalization"]
    assert s.client.applied_edits[0].label == "Unify to 'batch normalization'"


@pytest.mark.parametrize("args", [[], ["batch-normalization"], ["batch-normalization", "fr", "x"], [1, 2, 3]])
async def test_unify_with_bad_arguments_is_an_error(start, args):
    s = await start()
    s.open("a.md", A)
    with pytest.raises(JsonRpcException):
        await command(s, "nnterm.unifyTerm", *args)

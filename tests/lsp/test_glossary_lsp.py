"""LaTeX glossary keys over LSP (issue 12): hover, completion (defined keys and a new entry from the term base), go
to definition, find references, rename, and the "insert term table" command — the real server over stdio, on a
copy of the sample thesis in tests/data/gloss-thesis."""

from __future__ import annotations

import shutil
from pathlib import Path

from lsprotocol import types as T

from lsp_helpers import REPO, wait_until

THESIS = REPO / "tests" / "data" / "gloss-thesis"


def pos(line, col):
    return T.Position(line, col)


def thesis(tmp_path: Path) -> Path:
    root = tmp_path / "thesis"
    shutil.copytree(THESIS, root)
    return root


def at(text: str, needle: str, delta: int = 0) -> T.Position:
    """The position of ``needle`` (+ delta code units) in ``text``, computed here, not by the server."""
    i = text.index(needle) + delta
    line = text.count("\n", 0, i)
    col = i - (text.rfind("\n", 0, i) + 1)
    return pos(line, len(text[i - col : i].encode("utf-16-le")) // 2)


def lc(p: T.Position) -> tuple[int, int]:
    return p.line, p.character


async def open_thesis(start, tmp_path):
    root = thesis(tmp_path)
    s = await start(root=root)
    texts = {p: (root / p).read_text(encoding="utf-8") for p in ("main.tex", "glossary.tex", "chapters/ch1.tex", "chapters/ch2.tex")}
    uris = {p: s.open(p, t) for p, t in texts.items()}
    await s.diagnostics(uris["chapters/ch2.tex"])
    return s, root, texts, uris


async def test_hover_on_a_key_shows_the_entry_then_the_concept(start, tmp_path):
    s, _root, texts, uris = await open_thesis(start, tmp_path)
    ch1 = texts["chapters/ch1.tex"]
    h = await s.hover(uris["chapters/ch1.tex"], *lc(at(ch1, "\\gls{bn}", 6)))
    assert h is not None
    value = h.contents.value
    assert value.startswith("**批归一化** · glossary entry `bn`")
    assert "对每个小批量的激活做归一化的方法" in value
    assert "batch normalization" in value.split("---", 1)[1]  # the concept's hover below the entry
    # the hover's range is the macro, not the key inside it
    assert (h.range.start, h.range.end) == (at(ch1, "\\gls{bn}"), at(ch1, "\\gls{bn}", len("\\gls{bn}")))
    # through a wrapper (\term{lr} -> \textbf{\gls{lr}})
    h = await s.hover(uris["chapters/ch1.tex"], *lc(at(ch1, "\\term{lr}", 7)))
    assert h is not None and "学习率" in h.contents.value and "learning rate" in h.contents.value


async def test_completion_offers_keys_and_a_new_entry_from_the_term_base(start, tmp_path):
    s, _root, texts, uris = await open_thesis(start, tmp_path)
    ch2 = texts["chapters/ch2.tex"]
    new = ch2 + "\\gls{re"
    s.change(uris["chapters/ch2.tex"], new)
    line = new.count("\n")
    got = await s.complete(uris["chapters/ch2.tex"], line, len("\\gls{re"))
    labels = [i.label for i in got.items]
    assert labels[0] == "relu" and "修正线性单元" in got.items[0].detail
    # an unknown concept typed in the braces: an item that adds its entry to the thesis's glossary file
    new = ch2 + "\\ac{dropout"
    s.change(uris["chapters/ch2.tex"], new)
    got = await s.complete(uris["chapters/ch2.tex"], new.count("\n"), len("\\ac{dropout"))
    assert "dropout" in [i.label for i in got.items]  # the defined key
    new = ch2 + "\\ac{attention mechanism"
    s.change(uris["chapters/ch2.tex"], new)
    got = await s.complete(uris["chapters/ch2.tex"], new.count("\n"), len("\\ac{attention mechanism"))
    adders = [i for i in got.items if i.command is not None]
    assert adders, [i.label for i in got.items]
    item = adders[0]
    assert item.command.command == "nnterm.addGlossaryEntry"
    target_uri, line, character, entry = item.command.arguments
    assert target_uri == uris["glossary.tex"]
    assert entry.startswith("\\newglossaryentry{" + item.label + "}{name={注意力机制}")
    # running the command applies the edit through workspace/applyEdit
    before = len(s.client.applied_edits)
    result = await s.client.workspace_execute_command_async(T.ExecuteCommandParams(command=item.command.command, arguments=item.command.arguments))
    assert result["applied"] is True
    edit = s.client.applied_edits[before].edit
    (uri, edits), = edit.changes.items()
    assert uri == uris["glossary.tex"] and edits[0].new_text == entry
    assert edits[0].range.start.line == texts["glossary.tex"].count("\n")  # after the last definition
    # outside glossary braces: the ordinary term completion
    new = ch2 + "批量"
    s.change(uris["chapters/ch2.tex"], new)
    got = await s.complete(uris["chapters/ch2.tex"], new.count("\n"), 2)
    assert not any(i.command for i in got.items)


async def test_definition_references_and_rename_of_a_key(start, tmp_path):
    s, _root, texts, uris = await open_thesis(start, tmp_path)
    ch1, gl = texts["chapters/ch1.tex"], texts["glossary.tex"]
    doc = T.TextDocumentIdentifier(uris["chapters/ch1.tex"])
    locs = await s.client.text_document_definition_async(T.DefinitionParams(doc, at(ch1, "\\gls{bn}", 6)))
    assert [(l.uri, l.range.start, l.range.end) for l in locs] == [
        (uris["glossary.tex"], at(gl, "{bn}", 1), at(gl, "{bn}", 3))]
    refs = await s.client.text_document_references_async(
        T.ReferenceParams(text_document=doc, position=at(ch1, "\\gls{bn}", 6),
                          context=T.ReferenceContext(include_declaration=True)))
    got = sorted((Path(r.uri).name, r.range.start.line, r.range.start.character) for r in refs)
    ch2 = texts["chapters/ch2.tex"]
    want = sorted([("glossary.tex", at(gl, "{bn}", 1).line, at(gl, "{bn}", 1).character),
                   ("ch1.tex", at(ch1, "\\gls{bn}").line, at(ch1, "\\gls{bn}").character),
                   ("ch2.tex", at(ch2, "\\BN").line, at(ch2, "\\BN").character),
                   ("ch2.tex", at(ch2, "\\bnterm").line, at(ch2, "\\bnterm").character)])
    assert got == want
    prep = await s.client.text_document_prepare_rename_async(T.PrepareRenameParams(doc, at(ch1, "\\gls{bn}", 6)))
    assert prep.placeholder == "bn"
    edit = await s.client.text_document_rename_async(T.RenameParams(doc, at(ch1, "\\gls{bn}", 6), "batchnorm"))
    per_uri = {dc.text_document.uri: dc.edits for dc in edit.document_changes} if edit.document_changes else edit.changes
    changes = {Path(u).name: [(e.range.start.line, e.range.start.character, e.new_text) for e in es]
               for u, es in per_uri.items()}
    assert changes["ch1.tex"] == [(at(ch1, "\\gls{bn}", 5).line, at(ch1, "\\gls{bn}", 5).character, "batchnorm")]
    assert changes["glossary.tex"] == [(at(gl, "{bn}", 1).line, at(gl, "{bn}", 1).character, "batchnorm")]
    macros = (_root / "macros.tex").read_text(encoding="utf-8")
    # the wrappers that name the key in their definition (\BN -> \gls{bn}, \bnterm -> \term{bn})
    assert sorted(changes["macros.tex"]) == sorted(
        [(at(macros, "\\gls{bn}", 5).line, at(macros, "\\gls{bn}", 5).character, "batchnorm"),
         (at(macros, "\\term{bn}", 6).line, at(macros, "\\term{bn}", 6).character, "batchnorm")])


async def test_literal_rival_of_an_entry_name_offers_use_gls(start, tmp_path):
    s, _root, texts, uris = await open_thesis(start, tmp_path)
    ch2 = texts["chapters/ch2.tex"]
    diags = await s.diagnostics(uris["chapters/ch2.tex"])
    inc = [d for d in diags if d.code == "inconsistent"]
    assert [(d.range.start, d.range.end) for d in inc] == [(at(ch2, "批量归一化"), at(ch2, "批量归一化", 5))]
    actions = await s.actions(uris["chapters/ch2.tex"], inc[0].range, diagnostics=inc)
    use = [a for a in actions if a.title == "Use \\gls{bn}"]
    assert use and use[0].edit is not None
    (edits,) = [dc.edits for dc in use[0].edit.document_changes] if use[0].edit.document_changes else list(use[0].edit.changes.values())
    assert [e.new_text for e in edits] == ["\\gls{bn}"]


async def test_insert_term_table_command(start, tmp_path):
    s, _root, texts, uris = await open_thesis(start, tmp_path)
    before = len(s.client.applied_edits)
    result = await s.client.workspace_execute_command_async(T.ExecuteCommandParams(
        command="nnterm.insertTermTable", arguments=[uris["main.tex"], 6, 0, "latex", "denotation", "pinyin"]))
    text = result["text"]
    assert text.splitlines()[1] == "\\begin{denotation}[3cm]"
    assert "  \\item[CNN] 卷积神经网络（convolutional neural network） % chapters/ch1.tex:2" in text
    assert "\\item[批归一化] batch normalization" in text  # the entry's rendering, not the literal rival
    await wait_until(lambda: len(s.client.applied_edits) > before, what="the applied edit")
    (uri, edits), = s.client.applied_edits[before].edit.changes.items()
    assert uri == uris["main.tex"] and edits[0].new_text == text and edits[0].range.start == pos(6, 0)

"""Code actions and the commands behind them."""

from __future__ import annotations

import yaml
from lsprotocol import types as T

from lsp_helpers import wait_until
from nnterm_ls.lsp.positions import TextIndex

MD = "批量归一化很重要。批量归一化加快训练。批归一化也一样，批归一化。\n"
BN_AT = MD.index("批归一化")


def rng(l1, c1, l2=None, c2=None):
    return T.Range(T.Position(l1, c1), T.Position(l1 if l2 is None else l2, c1 if c2 is None else c2))


def apply(text: str, edit: T.WorkspaceEdit, uri: str) -> str:
    edits = list(edit.changes[uri]) if edit.changes else [e for dc in edit.document_changes for e in dc.edits]
    idx = TextIndex(text)
    spans = sorted(((idx.offset(e.range.start.line, e.range.start.character), idx.offset(e.range.end.line, e.range.end.character), e.new_text) for e in edits), reverse=True)
    for s, e, new in spans:
        text = text[:s] + new + text[e:]
    return text


async def test_quick_fix_fix_all_concept_and_source_fix_all(start):
    s = await start()
    uri = s.open("a.md", MD)
    diags = await s.diagnostics(uri, predicate=lambda d: sum(x.code == "inconsistent" for x in d) == 2)
    first = min((d for d in diags if d.code == "inconsistent"), key=lambda d: d.range.start.character)
    actions = await s.actions(uri, first.range, diagnostics=[first])
    titles = [a.title for a in actions]
    fix = next(a for a in actions if a.kind == T.CodeActionKind.QuickFix and "批量归一化" in a.title and "Fix all" not in a.title)
    assert fix.is_preferred
    assert fix.diagnostics and fix.diagnostics[0].code == "inconsistent"
    assert apply(MD, fix.edit, uri).count("批归一化") == 1
    fix_concept = next(a for a in actions if a.title.startswith("Fix all '批量归一化'"))
    assert apply(MD, fix_concept.edit, uri).count("批归一化") == 0
    assert any(t.startswith("Suppress 'inconsistent'") for t in titles)
    # source.fixAll.nnterm: only what is asked for
    only = await s.actions(uri, rng(0, 0), only=["source.fixAll.nnterm"])
    assert [a.kind for a in only] == ["source.fixAll.nnterm"]
    fixed = apply(MD, only[0].edit, uri)
    assert "批归一化" not in fixed
    # applying it clears the inconsistency
    v = s.change(uri, fixed)
    diags = await s.diagnostics(uri, version=v)
    assert not [d for d in diags if d.code == "inconsistent"]


async def test_suppress_on_this_line_markdown_and_latex(start):
    s = await start()
    uri = s.open("a.md", "# 标题\n\n" + MD)
    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    d = next(x for x in diags if x.code == "inconsistent")
    actions = await s.actions(uri, d.range, diagnostics=[d])
    sup = next(a for a in actions if a.title.startswith("Suppress"))
    new = apply(s.texts[uri], sup.edit, uri)
    assert "<!-- nnterm-disable-next-line inconsistent -->\n" + MD in new
    v = s.change(uri, new)
    assert not [x for x in await s.diagnostics(uri, version=v) if x.code == "inconsistent"]

    tex = "\\section{引言}\n" + MD
    t = s.open("main.tex", tex)
    diags = await s.diagnostics(t, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    d = next(x for x in diags if x.code == "inconsistent")
    sup = next(a for a in await s.actions(t, d.range, diagnostics=[d]) if a.title.startswith("Suppress"))
    new = apply(tex, sup.edit, t)
    assert "% nnterm-disable-next-line inconsistent\n" + MD in new
    v = s.change(t, new)
    assert not [x for x in await s.diagnostics(t, version=v) if x.code == "inconsistent"]


async def test_add_english_gloss(start):
    s = await start()
    text = "激活函数很重要。我们再谈激活函数。\n"
    uri = s.open("g.md", text)
    await s.diagnostics(uri)
    # the first mention: the missing-gloss quick fix; a later mention: the "add the gloss" action
    for col in (1, text.rindex("激活函数") + 1):
        actions = await s.actions(uri, rng(0, col))
        gloss = [a for a in actions if "（activation function）" in a.title]
        assert gloss, [a.title for a in actions]
        new = apply(text, gloss[0].edit, uri)
        assert "激活函数（activation function）" in new


async def test_use_this_rendering_as_preferred_writes_config(start, tmp_path):
    s = await start()
    uri = s.open("a.md", MD)
    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    d = next(x for x in diags if x.code == "inconsistent")
    actions = await s.actions(uri, d.range, diagnostics=[d])
    use = next(a for a in actions if a.command and a.command.command == "nnterm.setPreferred")
    assert "批归一化" in use.title
    before = len(s.published)
    await s.client.workspace_execute_command_async(T.ExecuteCommandParams(command=use.command.command, arguments=use.command.arguments))
    config = yaml.safe_load((tmp_path / ".nnterm.yaml").read_text(encoding="utf-8"))
    assert config["preferred"]["batch-normalization"] == {"zh": "批归一化"}
    # reloaded without a restart: now 批量归一化 is the rendering to replace
    def flagged():
        p = s.latest(uri)
        if s.published.index(p) < before:
            return None
        return [x for x in p.diagnostics if x.code in ("inconsistent", "non-preferred") and x.range.start.character == 0]

    await wait_until(flagged, what="批量归一化 flagged after the preference changed")
    # an existing config keeps its other content
    (tmp_path / ".nnterm.yaml").write_text("# mine\nrules:\n  missing-gloss: off\n", encoding="utf-8")
    await s.client.workspace_execute_command_async(T.ExecuteCommandParams(command="nnterm.setPreferred", arguments=["learning-rate", "en", "learning rate"]))
    text = (tmp_path / ".nnterm.yaml").read_text(encoding="utf-8")
    assert text.startswith("# mine\nrules:\n  missing-gloss: off\n")
    assert yaml.safe_load(text)["preferred"]["learning-rate"] == {"en": "learning rate"}


async def test_add_word_to_term_base(start, tmp_path):
    s = await start()
    text = "我们提出了量子注意力机制。\n"
    uri = s.open("new.md", text)
    await s.diagnostics(uri)
    col = text.index("量子注意力")
    actions = await s.actions(uri, rng(0, col, 0, col + 5))
    add = next(a for a in actions if a.command and a.command.command == "nnterm.addTerm")
    assert list(add.command.arguments) == ["量子注意力"]
    await s.client.workspace_execute_command_async(T.ExecuteCommandParams(command=add.command.command, arguments=add.command.arguments))
    terms = yaml.safe_load((tmp_path / ".nnterm" / "terms.yaml").read_text(encoding="utf-8"))
    assert any(c["zh"] == "量子注意力" for c in terms["concepts"])
    config = yaml.safe_load((tmp_path / ".nnterm.yaml").read_text(encoding="utf-8"))
    assert config["terms"] == [".nnterm/terms.yaml"]
    h = await s.hover(uri, 0, col + 1)
    assert h is not None and "量子注意力" in h.contents.value
    # an English word under the cursor (no selection)
    uri2 = s.open("en.md", "We use flurbification here.\n")
    actions = await s.actions(uri2, rng(0, 10))
    add = next(a for a in actions if a.command and a.command.command == "nnterm.addTerm")
    assert list(add.command.arguments) == ["flurbification"]

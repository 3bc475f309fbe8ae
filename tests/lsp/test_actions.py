"""Code actions and the commands behind them."""

from __future__ import annotations

import yaml
from lsprotocol import types as T

from lsp_helpers import wait_until
from nnterm_ls.lsp.positions import TextIndex

MD = "批量归一化很重要。批量归一化加快训练，批量归一化也稳定。批归一化也一样，批归一化。\n"
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
    fix = next(a for a in actions if a.title == "改为术语库推荐“批量归一化”")
    assert fix.kind == T.CodeActionKind.QuickFix and fix.is_preferred
    assert fix.diagnostics and fix.diagnostics[0].code == "inconsistent"
    # the quick fix replaces exactly the first 批归一化 (the diagnostic's range), nothing else
    assert list(fix.edit.changes[uri]) == [T.TextEdit(range=first.range, new_text="批量归一化")]
    assert first.range == rng(0, BN_AT, 0, BN_AT + 4)
    assert apply(MD, fix.edit, uri) == MD.replace("批归一化", "批量归一化", 1)
    fix_concept = next((a for a in actions if a.title == "本文档中“批量归一化”的 2 处改为“批量归一化”"), None)
    assert fix_concept is not None, titles
    # exactly what the title says: the two replacements, no gloss (the first mention's missing gloss is an
    # insertion its own quick fix offers; this action used to add it without saying so)
    assert apply(MD, fix_concept.edit, uri) == MD.replace("批归一化", "批量归一化")
    assert "在本行末尾加注释，忽略“inconsistent”" in titles
    # source.fixAll.nnterm: only what is asked for
    only = await s.actions(uri, rng(0, 0), only=["source.fixAll.nnterm"])
    assert [a.kind for a in only] == ["source.fixAll.nnterm"]
    fixed = apply(MD, only[0].edit, uri)
    assert fixed == MD.replace("批归一化", "批量归一化")
    # applying it clears the inconsistency
    v = s.change(uri, fixed)
    diags = await s.diagnostics(uri, version=v)
    assert not [d for d in diags if d.code == "inconsistent"]


async def test_a_tie_is_a_quick_fix_for_the_editor_but_not_part_of_fix_all(start):
    s = await start()
    tie = "批量归一化很重要。批量归一化加快训练。批归一化也一样，批归一化。\n"  # two and two: the set does not say
    uri = s.open("a.md", tie)
    diags = await s.diagnostics(uri, predicate=lambda d: sum(x.code == "inconsistent" for x in d) == 2)
    first = min((d for d in diags if d.code == "inconsistent"), key=lambda d: d.range.start.character)
    actions = await s.actions(uri, first.range, diagnostics=[first])
    fix = next(a for a in actions if a.kind == T.CodeActionKind.QuickFix and a.edit is not None
               and "批量归一化" in a.title and "2 处" not in a.title)
    assert not fix.is_preferred
    assert apply(tie, fix.edit, uri) == tie.replace("批归一化", "批量归一化", 1)
    only = await s.actions(uri, rng(0, 0), only=["source.fixAll.nnterm"])
    assert not only or apply(tie, only[0].edit, uri) == tie


async def test_suppress_on_this_line_markdown_and_latex(start):
    s = await start()
    uri = s.open("a.md", "# 标题\n\n" + MD)
    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    d = next(x for x in diags if x.code == "inconsistent")
    actions = await s.actions(uri, d.range, diagnostics=[d])
    sup = next(a for a in actions if "忽略“inconsistent”" in a.title)
    new = apply(s.texts[uri], sup.edit, uri)
    # at the end of the line: a comment line of its own would split the paragraph (CommonMark)
    assert new == "# 标题\n\n" + MD.rstrip("\n") + " <!-- nnterm-disable-line inconsistent -->\n"
    v = s.change(uri, new)
    assert not [x for x in await s.diagnostics(uri, version=v) if x.code == "inconsistent"]

    tex = "\\section{引言}\n" + MD
    t = s.open("main.tex", tex)
    diags = await s.diagnostics(t, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    d = next(x for x in diags if x.code == "inconsistent")
    sup = next(a for a in await s.actions(t, d.range, diagnostics=[d]) if "忽略“inconsistent”" in a.title)
    new = apply(tex, sup.edit, t)
    assert new == "\\section{引言}\n" + MD.rstrip("\n") + " % nnterm-disable-line inconsistent\n"
    v = s.change(t, new)
    assert not [x for x in await s.diagnostics(t, version=v) if x.code == "inconsistent"]


# mutant: the "add the English gloss" action at a later mention inserted the gloss after the *first* mention of the
# concept instead of after the occurrence under the cursor — caught by test_add_english_gloss (it used to check only
# that "激活函数（activation function）" appeared somewhere in the result, which the first mention also satisfies).
async def test_add_english_gloss(start):
    s = await start()
    text = "激活函数很重要。我们再谈激活函数。\n"
    uri = s.open("g.md", text)
    await s.diagnostics(uri)
    first, later = text.index("激活函数"), text.rindex("激活函数")
    # the first mention: the missing-gloss quick fix, inserting right after that mention
    actions = await s.actions(uri, rng(0, first + 1))
    gloss = [a for a in actions if "（activation function）" in a.title]
    assert [a.title for a in gloss] == ["加上（activation function）"]
    assert gloss[0].kind == T.CodeActionKind.QuickFix
    assert list(gloss[0].edit.changes[uri]) == [T.TextEdit(range=rng(0, first + 4), new_text="（activation function）")]
    # a later mention (the cursor on it): the "add the gloss" action inserts after *that* occurrence
    actions = await s.actions(uri, rng(0, later + 1))
    gloss = [a for a in actions if "（activation function）" in a.title]
    assert [a.title for a in gloss] == ["加上英文原文（activation function）"]
    assert list(gloss[0].edit.changes[uri]) == [T.TextEdit(range=rng(0, later + 4), new_text="（activation function）")]
    assert apply(text, gloss[0].edit, uri) == "激活函数很重要。我们再谈激活函数（activation function）。\n"


async def test_gloss_at_a_later_mention_on_another_line_with_an_abbreviation(start):
    s = await start()
    text = "批量归一化很重要。\n\n后来我们发现，批量归一化还能加快训练。\n"
    uri = s.open("g2.md", text)
    await s.diagnostics(uri)
    later = text.rindex("批量归一化") - (text.rindex("\n", 0, text.rindex("批量归一化")) + 1)
    actions = await s.actions(uri, rng(2, later + 2))
    gloss = [a for a in actions if a.title.startswith("加上英文原文")]
    assert [a.title for a in gloss] == ["加上英文原文（batch normalization，BN）"]
    assert list(gloss[0].edit.changes[uri]) == [T.TextEdit(range=rng(2, later + 5), new_text="（batch normalization，BN）")]


async def test_use_this_rendering_as_preferred_writes_config(start, tmp_path):
    s = await start()
    uri = s.open("a.md", MD)
    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    d = next(x for x in diags if x.code == "inconsistent")
    actions = await s.actions(uri, d.range, diagnostics=[d])
    use = next(a for a in actions if a.command and a.command.command == "nnterm.setPreferred")
    assert use.title == "在 .nnterm.yaml 中把“批归一化”设为推荐译法"
    assert list(use.command.arguments) == ["batch-normalization", "zh", "批归一化"]
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
    assert list(add.command.arguments) == ["量子注意力", None, uri]
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
    assert list(add.command.arguments) == ["flurbification", None, uri2]

"""Issue 15, the server side, over the real server process: one voice (hover = diagnostic), the document's
language, hover shape, completion order, edits through workspace/applyEdit, end-of-line suppression, workspace
actions, inlay hints, go to definition.

Expected texts are written from the issue's wording and the term base's facts, never copied from a run."""

from __future__ import annotations

import yaml
from lsprotocol import types as T

from lsp_helpers import capabilities, poll, wait_until
from nnterm_ls.lsp.positions import TextIndex

# a set that mostly writes 批量规范化 (d2l-zh 2023) where the term base recommends 批量归一化
SET_TEXT = "批量规范化很重要。批量规范化加快训练。批量规范化也稳定梯度。\n\n我们也用批量归一化。\n"
VERDICT = "推荐：批量归一化 ｜ 本文档集现用：批量规范化（3 处）、批量归一化（1 处）"


def rng(l1, c1, l2=None, c2=None):
    return T.Range(T.Position(l1, c1), T.Position(l1 if l2 is None else l2, c1 if c2 is None else c2))


def apply(text: str, edit: T.WorkspaceEdit, uri: str) -> str:
    edits = list(edit.changes[uri]) if edit.changes else [e for dc in edit.document_changes if getattr(dc, "edits", None) for e in dc.edits]
    idx = TextIndex(text)
    spans = sorted(((idx.offset(e.range.start.line, e.range.start.character), idx.offset(e.range.end.line, e.range.end.character), e.new_text) for e in edits), reverse=True)
    for s, e, new in spans:
        text = text[:s] + new + text[e:]
    return text


def at(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    """(line, character) of the nth ``word`` (characters are UTF-16 units; these texts are all BMP)."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(word, i + 1)
    line = text.count("\n", 0, i)
    return line, i - (text.rindex("\n", 0, i) + 1 if line else 0)


def save_applied(s, root) -> list[str]:
    """Do what an editor does with the server's workspace/applyEdit requests, then save: create the files, apply
    the text edits, write them to disk and tell the server (didChangeWatchedFiles). Returns the uris written."""
    from urllib.parse import unquote, urlparse

    written = []
    for params in s.client.applied_edits:
        for change in params.edit.document_changes or []:
            if isinstance(change, T.CreateFile):
                path = unquote(urlparse(change.uri).path)
                if not __import__("os").path.exists(path):
                    __import__("os").makedirs(__import__("os").path.dirname(path), exist_ok=True)
                    open(path, "w", encoding="utf-8").close()
                continue
            uri = change.text_document.uri
            path = unquote(urlparse(uri).path)
            old = open(path, encoding="utf-8").read()
            new = apply(old, T.WorkspaceEdit(document_changes=[change]), uri)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(new)
            written.append(uri)
    s.client.applied_edits.clear()
    s.client.workspace_did_change_watched_files(
        T.DidChangeWatchedFilesParams(changes=[T.FileEvent(uri=u, type=T.FileChangeType.Changed) for u in dict.fromkeys(written)])
    )
    return written


# ----------------------------------------------------------------------------------------------------------------
# 1. one voice


async def test_hover_and_diagnostic_say_the_same_thing_and_both_directions_are_offered(start):
    s = await start()
    uri = s.open("ch.md", SET_TEXT)
    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    inc = [d for d in diags if d.code == "inconsistent"]
    assert [(d.range.start.line, d.range.start.character) for d in inc] == [at(SET_TEXT, "批量归一化")]
    assert inc[0].message == f"术语不一致：“批量归一化”与“批量规范化”指同一概念。{VERDICT}"
    # the hover on either rendering carries the very same line
    for word in ("批量归一化", "批量规范化"):
        line, col = at(SET_TEXT, word)
        value = (await s.hover(uri, line, col + 1)).contents.value
        assert value.splitlines()[1] == VERDICT + "  ", value
        assert "本文档集主要使用" not in value and "preferred" not in value
    # quick fixes in both directions, each title saying exactly what it writes
    actions = await s.actions(uri, inc[0].range, diagnostics=inc)
    by_title = {a.title: a for a in actions if a.edit is not None}
    to_set = by_title["统一为本文档集用法“批量规范化”"]
    assert apply(SET_TEXT, to_set.edit, uri) == SET_TEXT.replace("批量归一化", "批量规范化")
    to_base = by_title["本文档中 3 处改为术语库推荐“批量归一化”"]
    assert apply(SET_TEXT, to_base.edit, uri) == SET_TEXT.replace("批量规范化", "批量归一化")
    # no action adds text its title does not mention (the first mention's gloss is its own action)
    for title, a in by_title.items():
        if "（" not in title and "加上" not in title and "注释" not in title:
            assert "batch normalization" not in apply(SET_TEXT, a.edit, uri), title


# Mutants planted once each (all caught by the test named): the hover reading no set usage (one voice); locale
# ignored (locale); context never favouring a sense (ambiguous); no boost for used terms (boost); no corpus
# frequency (right term first); a one-character prefix allowed inside a word (never replaces part); fuzzy only on
# the whole multi-word prefix and no minimum prefix while typing (fuzzy/stop words); no abbreviation item (ReLU
# first); commands writing files directly instead of applyEdit (set preferred); a second code not joining the
# line's comment (suppress); hints at every mention (inlay); the package's term file as definition (definition);
# the document's glosses not offered when adding a term (add term); fix-all-concept adding the gloss
# (test_actions.py).


# ----------------------------------------------------------------------------------------------------------------
# 2. the document's language, and the locale setting


async def test_interface_text_follows_the_document_and_the_locale_setting(start):
    s = await start()
    en_text = "Batch normalization is useful. Batch norm speeds training up. Batch norm again.\n"
    en = s.open("en.md", en_text)
    diags = await s.diagnostics(en, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    inc = next(d for d in diags if d.code == "inconsistent")
    assert inc.message.startswith("Inconsistent terminology:") and "this document set uses: batch norm (2×)" in inc.message
    titles = [a.title for a in await s.actions(en, inc.range, diagnostics=[inc])]
    assert "Use this document set's rendering 'batch norm'" in titles
    assert "Ignore 'inconsistent' on this line (comment at the line end)" in titles
    assert "Turn off the rule 'inconsistent' in .nnterm.yaml" in titles
    import re

    # no Chinese interface words: Chinese only inside a quoted term or a gloss in parentheses
    bare = [re.sub(r"'[^']*'|\([^)]*\)|（[^）]*）", "", t) for t in titles]
    assert not [t for t in bare if any("\u4e00" <= ch <= "\u9fff" for ch in t)], titles
    value = (await s.hover(en, 0, 2)).contents.value
    assert value.splitlines()[1].startswith("Recommended: batch normalization | this document set uses:")
    assert "Chinese forms: " in value and "其他译法" not in value
    # related information in the document's language
    zh = s.open("zh.md", SET_TEXT)
    d = next(x for x in await s.diagnostics(zh, predicate=lambda d: any(y.code == "inconsistent" for y in d)) if x.code == "inconsistent")
    assert d.related_information and all(r.message == "此处用“批量规范化”" for r in d.related_information)
    # completion details
    c = s.open("c.md", "我们使用激活\n")
    items = (await s.complete(c, 0, 6)).items
    assert next(i for i in items if i.label == "激活函数（activation function）").detail == "首次出现：附原文"


async def test_locale_setting_overrides_the_document_language(start):
    s = await start(init={"locale": "en"})
    uri = s.open("zh.md", SET_TEXT)
    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    inc = next(d for d in diags if d.code == "inconsistent")
    assert inc.message == ("Inconsistent terminology: '批量归一化' and '批量规范化' name the same concept. Recommended: 批量归一化 | "
                           "this document set uses: 批量规范化 (3×), 批量归一化 (1×)")
    line, col = at(SET_TEXT, "批量归一化")
    value = (await s.hover(uri, line, col + 1)).contents.value
    assert value.splitlines()[1] == "Recommended: 批量归一化 | this document set uses: 批量规范化 (3×), 批量归一化 (1×)  "
    assert "Other renderings: " in value
    titles = [a.title for a in await s.actions(uri, inc.range, diagnostics=[inc])]
    assert "Use this document set's rendering '批量规范化'" in titles
    # the setting changes live, back to the document's own language
    s.client.workspace_did_change_configuration(T.DidChangeConfigurationParams(settings={"nnterm": {"locale": "auto"}}))
    await poll(lambda: s.hover(uri, line, col + 1), lambda h: h.contents.value.splitlines()[1] == VERDICT + "  ", what="locale auto")


# ----------------------------------------------------------------------------------------------------------------
# 3. hover shape


def _lines(value: str) -> list[str]:
    return [l for l in value.splitlines() if l.strip()]


async def test_hover_is_short_and_in_the_texlab_shape(start):
    s = await start()
    text = "批量归一化能稳定训练。\n"
    uri = s.open("h.md", text)
    await s.diagnostics(uri)
    value = (await s.hover(uri, 0, 1)).contents.value
    lines = value.splitlines()
    assert lines[0] == "**批量归一化** · batch normalization · BN  "
    assert lines[1] == "推荐：批量归一化 ｜ 本文档集现用：批量归一化（1 处）  "
    # one definition sentence in the document's language, then a rule, then the details
    assert lines[2].endswith("。") and lines[2].count("。") == 1 and lines[2].startswith("训练时")
    assert lines[3:5] == ["", "---"]
    assert len(_lines(value)) <= 9, value
    assert "batch-normalization" not in value and "normalization\n" not in value  # no id, no category
    assert sum("`BatchNorm" in l for l in lines) == 1  # code names on one line at most


async def test_ambiguous_word_one_line_per_sense_favoured_first(start):
    s = await start()
    text = "把文本切分成标记，每个标记对应词表中的一个索引。\n\n模型的精度很高。\n"
    uri = s.open("amb.md", text)
    await s.diagnostics(uri)
    line, col = at(text, "标记")
    lines = (await s.hover(uri, line, col + 1)).contents.value.splitlines()
    assert lines[0] == "**标记** 有 2 个义项："
    # 词表 (vocabulary) beside it: the token sense first, marked
    assert lines[1].startswith("- **词元** · token：") and lines[1].endswith("◀ *此处*")
    assert lines[2].startswith("- **标签** · label：") and "◀" not in lines[2]
    assert len(lines) == 3
    # no signal in the context: the term base's order, nothing marked
    line, col = at(text, "精度")
    lines = (await s.hover(uri, line, col + 1)).contents.value.splitlines()
    assert len(lines) == 4 and not any("◀" in l for l in lines)
    # a gloss decides: that sense first, saying where
    text2 = "标记（label）是监督学习的目标。标记很重要。\n"
    uri2 = s.open("amb2.md", text2)
    await s.diagnostics(uri2)
    line, col = at(text2, "标记", 1)
    lines = (await s.hover(uri2, line, col + 1)).contents.value.splitlines()
    assert lines[1].startswith("- **标签** · label：") and lines[1].endswith("◀ *此处（amb2.md:1 的注释如此注明）*")


# ----------------------------------------------------------------------------------------------------------------
# 4. completion


async def _labels(s, uri, line, col, kind=T.CompletionTriggerKind.Invoked):
    r = await s.client.text_document_completion_async(
        T.CompletionParams(T.TextDocumentIdentifier(uri), T.Position(line, col), context=T.CompletionContext(trigger_kind=kind))
    )
    return sorted(r.items, key=lambda i: i.sort_text)


async def test_completion_puts_the_right_term_first(start):
    s = await start()
    text = "我们使用激活\n\n一个批量\n\nwe use trans\n\nthe relu\n\nan lstm\n"
    uri = s.open("c.md", text)
    items = await _labels(s, uri, 0, 6)
    assert items[0].label == "激活函数", [i.label for i in items[:6]]
    items = await _labels(s, uri, 2, 4)
    assert items[0].label.startswith("批量") and items[0].label != "批次", [i.label for i in items[:6]]
    assert "批量归一化（batch normalization，BN）" in [i.label for i in items]  # the full thesis gloss
    items = await _labels(s, uri, 4, 12)
    assert items[0].label == "Transformer", [i.label for i in items[:6]]
    items = await _labels(s, uri, 6, 8)
    assert items[0].label == "ReLU" and items[0].kind == T.CompletionItemKind.Constant, [i.label for i in items[:6]]
    items = await _labels(s, uri, 8, 7)
    assert items[0].label == "LSTM", [i.label for i in items[:6]]
    # every item for Chinese typing shares something with what was typed
    items = await _labels(s, uri, 0, 6)
    assert all(set(i.label) & set("激活") for i in items), [i.label for i in items]


async def test_completion_boosts_terms_the_set_uses(start):
    s = await start()
    s.open("other.md", "激活层放在卷积层之后。激活层没有参数。\n")
    uri = s.open("c.md", "我们使用激活\n")
    await s.diagnostics(uri)
    items = await poll(lambda: _labels(s, uri, 0, 6), lambda items: items and items[0].label == "激活层", what="激活层 first")
    assert items[0].label == "激活层"


async def test_completion_never_replaces_part_of_a_typed_word(start):
    s = await start()
    text = "本文的实验\n\n一次体验\n\n模型的验\n"
    uri = s.open("c.md", text)
    items = await _labels(s, uri, 0, 5)
    assert all(i.text_edit.range.start.character == 3 for i in items), [(i.label, i.text_edit.range) for i in items]
    # no term starts with 体验; 验证集 from its last character would give 体验证集
    assert await _labels(s, uri, 2, 4) == []
    # after a function word the character does start a word
    items = await _labels(s, uri, 4, 4)
    assert items and all(i.text_edit.range.start.character == 3 for i in items) and "验证集" in [i.label for i in items]


async def test_completion_fuzzy_after_other_words_stop_words_and_minimum_prefix(start):
    s = await start()
    text = "We use activaton\n\nwe\n\nthe\n\nac\n"
    uri = s.open("e.md", text)
    items = await _labels(s, uri, 0, 16)
    labels = [i.label for i in items]
    assert "activation function" in labels, labels
    item = next(i for i in items if i.label == "activation function")
    assert item.text_edit.range == rng(0, 7, 0, 16) and item.data["tier"] == "fuzzy"
    auto = T.CompletionTriggerKind.TriggerForIncompleteCompletions
    for line, col in ((2, 2), (4, 3)):
        assert await _labels(s, uri, line, col, auto) == []
        assert await _labels(s, uri, line, col) == []  # stop words are words, asked for or not
    assert await _labels(s, uri, 6, 2, auto) == []  # two letters while typing: too early
    assert await _labels(s, uri, 6, 2)  # asked for (Ctrl+Space): offered


async def test_completion_item_resolve_gives_the_definition(start):
    s = await start()
    uri = s.open("c.md", "我们使用激活\n")
    items = await _labels(s, uri, 0, 6)
    item = next(i for i in items if i.label == "激活函数")
    assert item.documentation is None
    caps = s.init_result.capabilities.completion_provider
    assert caps.resolve_provider
    resolved = await s.client.completion_item_resolve_async(item)
    doc = resolved.documentation.value
    assert doc.splitlines()[0].startswith("**激活函数** · activation function")
    assert "作用在神经元" in doc and "---" not in doc


# ----------------------------------------------------------------------------------------------------------------
# 6. edits a writer can see and undo


async def test_set_preferred_goes_through_apply_edit_and_shows_the_file(start, tmp_path):
    s = await start(caps=capabilities(editing=True))
    uri = s.open("a.md", SET_TEXT)
    await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    line, col = at(SET_TEXT, "批量规范化")
    use = next(a for a in await s.actions(uri, rng(line, col + 1)) if a.command and a.command.command == "nnterm.setPreferred")
    assert use.title == "在 .nnterm.yaml 中把“批量规范化”设为推荐译法"
    result = await s.client.workspace_execute_command_async(T.ExecuteCommandParams(command=use.command.command, arguments=use.command.arguments))
    config = tmp_path / ".nnterm.yaml"
    assert result["applied"] is True and not config.exists()  # nothing written behind the editor's back
    [applied] = s.client.applied_edits
    assert applied.label == use.title
    create, edit = applied.edit.document_changes
    assert isinstance(create, T.CreateFile) and create.uri == config.as_uri()
    assert edit.text_document.uri == config.as_uri() and len(edit.edits) == 1
    assert yaml.safe_load(edit.edits[0].new_text)["preferred"]["batch-normalization"] == {"zh": "批量规范化"}
    # then the file is shown, the written text selected
    [shown] = s.client.shown_documents
    assert shown.uri == config.as_uri() and shown.take_focus and shown.selection is not None
    # the writer saves: the preference takes effect
    before = len(s.published)
    save_applied(s, tmp_path)

    def flagged():
        p = s.latest(uri)
        if s.published.index(p) < before:
            return None
        return [x for x in p.diagnostics if x.code == "inconsistent" and "配置使用“批量规范化”。推荐：批量规范化 ｜" in x.message]

    assert await wait_until(flagged, what="the configured rendering decides")
    # a second change to the existing file: one text edit of what changed, the rest kept
    config.write_text("# mine\nrules:\n  missing-gloss: off\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    await s.client.workspace_execute_command_async(T.ExecuteCommandParams(command="nnterm.setPreferred", arguments=["learning-rate", "en", "learning rate"]))
    [applied] = s.client.applied_edits
    [edit] = applied.edit.document_changes
    assert len(edit.edits) == 1 and "# mine" not in edit.edits[0].new_text
    new = apply(config.read_text(encoding="utf-8"), applied.edit, config.as_uri())
    assert new.startswith("# mine\nrules:\n  missing-gloss: off\n")
    assert yaml.safe_load(new)["preferred"]["learning-rate"] == {"en": "learning rate"}


async def test_disable_rule_and_not_a_term_here_write_the_workspace_config(start, tmp_path):
    s = await start(caps=capabilities(editing=True))
    text = "常用的激活函数是 relu。激活函数（activation function）很多。\n"
    uri = s.open("a.md", text)
    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "casing" for x in d))
    casing = next(d for d in diags if d.code == "casing")
    actions = await s.actions(uri, casing.range, diagnostics=[casing])
    off = next(a for a in actions if a.command and a.command.command == "nnterm.disableRule")
    assert off.title == "在 .nnterm.yaml 中关闭规则“casing”" and list(off.command.arguments) == ["casing"]
    ignore = next(a for a in actions if a.command and a.command.command == "nnterm.ignoreWord")
    assert ignore.title == "“relu”在本项目中不是术语（加入 .nnterm.yaml 的 ignore）"
    await s.client.workspace_execute_command_async(T.ExecuteCommandParams(command=ignore.command.command, arguments=ignore.command.arguments))
    assert s.client.shown_documents[-1].uri == (tmp_path / ".nnterm.yaml").as_uri()
    save_applied(s, tmp_path)
    assert yaml.safe_load((tmp_path / ".nnterm.yaml").read_text(encoding="utf-8")) == {"ignore": ["relu"]}
    await s.diagnostics(uri, predicate=lambda d: not any(x.code == "casing" for x in d))  # relu is no term here now
    await s.client.workspace_execute_command_async(T.ExecuteCommandParams(command=off.command.command, arguments=off.command.arguments))
    save_applied(s, tmp_path)
    assert yaml.safe_load((tmp_path / ".nnterm.yaml").read_text(encoding="utf-8")) == {"ignore": ["relu"], "rules": {"casing": False}}


async def test_add_term_asks_for_the_english_and_makes_a_readable_id(start, tmp_path):
    s = await start(caps=capabilities(editing=True))
    text = "我们提出注意力汇合（attention merging）。注意力汇合很快。\n"
    uri = s.open("new.md", text)
    await s.diagnostics(uri)
    col = text.rindex("注意力汇合")
    actions = await s.actions(uri, rng(0, col, 0, col + 5))
    add = next(a for a in actions if a.command and a.command.command == "nnterm.addTerm")
    assert add.title == "把“注意力汇合”加入项目术语表（.nnterm/terms.yaml）"
    result = await s.client.workspace_execute_command_async(T.ExecuteCommandParams(command=add.command.command, arguments=add.command.arguments))
    # asked, with the document's own rendering as the answer to pick
    [asked] = s.client.message_requests
    assert asked.message == "“注意力汇合”的英文是什么？" and [a.title for a in asked.actions] == ["attention merging"]
    assert result["id"] == "attention-merging"
    save_applied(s, tmp_path)
    terms = yaml.safe_load((tmp_path / ".nnterm" / "terms.yaml").read_text(encoding="utf-8"))
    assert terms["concepts"] == [{"id": "attention-merging", "en": "attention merging", "zh": "注意力汇合"}]
    assert yaml.safe_load((tmp_path / ".nnterm.yaml").read_text(encoding="utf-8"))["terms"] == [".nnterm/terms.yaml"]
    shown = [d.uri for d in s.client.shown_documents]
    assert (tmp_path / ".nnterm" / "terms.yaml").as_uri() in shown
    h = await poll(lambda: s.hover(uri, 0, col + 1), lambda h: h is not None, what="the new term known")
    assert "attention merging" in h.contents.value
    # no answer (the writer closed the question): the entry says what to fill in, the id from the pinyin
    s.client.answer = lambda params: None
    text2 = "量子门很新。\n"
    uri2 = s.open("q.md", text2)
    await s.diagnostics(uri2)
    result = await s.client.workspace_execute_command_async(T.ExecuteCommandParams(command="nnterm.addTerm", arguments=["量子门", None, uri2]))
    assert result["id"] == "liangzimen"
    [applied] = [p for p in s.client.applied_edits if p.edit.document_changes[-1].text_document.uri.endswith("terms.yaml")]
    assert "TODO: add the English rendering" in applied.edit.document_changes[-1].edits[0].new_text


# ----------------------------------------------------------------------------------------------------------------
# 7. suppression that does not break Markdown


async def test_suppress_at_the_line_end_and_a_second_code_joins_the_comment(start):
    s = await start()
    text = "批量归一化很重要，批归一化也是，relu 常用。\n"
    uri = s.open("s.md", text)
    diags = await s.diagnostics(uri, predicate=lambda d: {"inconsistent", "casing"} <= {x.code for x in d})
    inc = next(d for d in diags if d.code == "inconsistent")
    sup = next(a for a in await s.actions(uri, inc.range, diagnostics=[inc]) if a.title == "在本行末尾加注释，忽略“inconsistent”")
    new = apply(text, sup.edit, uri)
    assert new == text.rstrip("\n") + " <!-- nnterm-disable-line inconsistent -->\n"
    v = s.change(uri, new)
    diags = await s.diagnostics(uri, version=v)
    assert not [d for d in diags if d.code == "inconsistent"]
    casing = next(d for d in diags if d.code == "casing")
    sup = next(a for a in await s.actions(uri, casing.range, diagnostics=[casing]) if "忽略“casing”" in a.title)
    new2 = apply(new, sup.edit, uri)
    assert new2 == text.rstrip("\n") + " <!-- nnterm-disable-line inconsistent casing -->\n"
    v = s.change(uri, new2)
    assert not [d for d in await s.diagnostics(uri, version=v) if d.code in ("casing", "inconsistent")]


# ----------------------------------------------------------------------------------------------------------------
# 9. inlay hints


async def test_inlay_hints_once_per_concept_full_width_with_tooltips(start):
    s = await start(init={"inlayHints": {"enabled": True}})
    text = "# 梯度\n\n梯度下降沿梯度方向走。梯度很小时，批量归一化（batch normalization）有用，批量归一化也快。\n"
    uri = s.open("i.md", text)
    hints = await s.client.text_document_inlay_hint_async(T.InlayHintParams(T.TextDocumentIdentifier(uri), rng(0, 0, 3, 0)))
    labels = [(h.position.line, h.position.character, h.label) for h in hints]
    line, col = at(text, "梯度", 2)  # the first mention in prose (the heading names it)
    assert (line, col + 2, "（gradient）") in labels, labels
    assert [l for l in labels if l[2] == "（gradient）"] == [(line, col + 2, "（gradient）")]
    assert not [l for l in labels if "batch normalization" in l[2]]  # glossed by the writer
    assert all(l[2].startswith("（") and l[2].endswith("）") for l in labels)
    assert all(h.tooltip is not None and h.tooltip.value for h in hints)


async def test_inlay_hint_setting_shapes(start):
    for init, on in (({"inlayHints": True}, True), ({"inlayHints": {"enabled": True}}, True), ({"inlayHints": {"enabled": False}}, False)):
        s = await start(init=init)
        uri = s.open("i.md", "梯度下降。\n")
        hints = await s.client.text_document_inlay_hint_async(T.InlayHintParams(T.TextDocumentIdentifier(uri), rng(0, 0, 1, 0)))
        assert bool(hints) is on, init


# ----------------------------------------------------------------------------------------------------------------
# 10. go to definition


async def test_definition_is_one_read_only_entry_or_the_users_own_file(start, tmp_path):
    terms = tmp_path / "my-terms.yaml"
    terms.write_text("concepts:\n  - id: flux-gate\n    en: flux gate\n    zh: 通量门\n", encoding="utf-8")
    (tmp_path / ".nnterm.yaml").write_text("terms: [my-terms.yaml]\n", encoding="utf-8")
    s = await start()
    caps = s.init_result.capabilities
    assert list(caps.workspace.text_document_content.schemes) == ["nnterm-term"]
    text = "批量归一化与通量门。\n"
    uri = s.open("d.md", text)
    loc = await s.client.text_document_definition_async(T.DefinitionParams(T.TextDocumentIdentifier(uri), T.Position(0, 1)))
    assert isinstance(loc, T.Location) and loc.uri == "nnterm-term:/zh/batch-normalization.md"
    content = await s.client.protocol.send_request_async(T.WORKSPACE_TEXT_DOCUMENT_CONTENT, T.TextDocumentContentParams(uri=loc.uri))
    body = content.text
    assert body.startswith("# 批量归一化\n") and "推荐：批量归一化" in body and "只读" in body and "batch-normalization" in body
    # the user's own concept: their file, at its entry
    loc = await s.client.text_document_definition_async(T.DefinitionParams(T.TextDocumentIdentifier(uri), T.Position(0, text.index("通量门") + 1)))
    assert loc.uri == terms.as_uri() and loc.range.start.line == 1
    assert "site-packages" not in loc.uri and "/data/terms/" not in loc.uri

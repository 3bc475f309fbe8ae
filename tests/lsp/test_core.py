"""Hover, diagnostics and completion against the real server process."""

from __future__ import annotations

from lsprotocol import types as T

MD = """# 第一章

我们使用激活函数（activation function）来引入非线性。
批归一化可以加快训练，批量归一化也很常用。
学习率需要调整。

```python
x = 批归一化  # code is not prose
```
"""


def hover_text(h) -> str:
    assert h is not None
    return h.contents.value


async def test_initialize_capabilities(start):
    s = await start(wait_ready=False)
    caps = s.init_result.capabilities
    assert caps.hover_provider
    assert caps.completion_provider is not None
    assert caps.code_action_provider is not None
    assert caps.rename_provider is not None
    assert caps.definition_provider
    assert caps.document_highlight_provider
    assert caps.inlay_hint_provider is not None
    assert caps.diagnostic_provider is not None and caps.diagnostic_provider.workspace_diagnostics
    assert caps.position_encoding == T.PositionEncodingKind.Utf16
    assert set(caps.execute_command_provider.commands) >= {"nnterm.setPreferred", "nnterm.addTerm"}


async def test_hover_variant_shows_status_and_preferred(start):
    s = await start()
    uri = s.open("ch1.md", MD)
    inc = [d for d in await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d)) if d.code == "inconsistent"]
    h = await s.hover(uri, 3, 1)  # 批归一化
    text = hover_text(h)
    assert text.splitlines()[0] == "**批量归一化** · batch normalization · BN  "
    # one voice (issue 15): the hover's second line is the diagnostic's verdict, word for word
    assert text.splitlines()[1] == "推荐：批量归一化 ｜ 本文档集现用：批量归一化（1 处）、批归一化（1 处）  "
    assert inc[0].message.endswith("。推荐：批量归一化 ｜ 本文档集现用：批量归一化（1 处）、批归一化（1 处）")
    assert h.range == T.Range(T.Position(3, 0), T.Position(3, 4))
    # English, any inflection
    uri2 = s.open("en.md", "We apply Activation Functions and the ReLU.\n")
    text = hover_text(await s.hover(uri2, 0, 12))
    assert "激活函数" in text and "activation function" in text
    text = hover_text(await s.hover(uri2, 0, 40))
    assert "ReLU" in text
    # nothing to say on ordinary text
    assert await s.hover(uri2, 0, 1) is None


async def test_hover_definition_related_and_ambiguous(start):
    s = await start()
    uri = s.open("a.md", "学习率很重要。数据标准化之后再训练。\n")
    text = hover_text(await s.hover(uri, 0, 1))
    assert "learning rate" in text and "相关术语：" in text
    # 标准化 is ambiguous in the built-in base: one line per sense
    text = hover_text(await s.hover(uri, 0, 10))
    lines = text.splitlines()
    assert lines[0] == "**标准化** 有 2 个义项：" and len(lines) == 3 and all(l.startswith("- **") for l in lines[1:])


async def test_hover_in_code_uses_the_word(start):
    s = await start()
    uri = s.open("c.md", "Use `nn.BatchNorm2d` here.\n")
    text = hover_text(await s.hover(uri, 0, 12))
    assert "批量归一化" in text


async def test_diagnostics_pushed_after_open(start):
    s = await start()
    uri = s.open("ch1.md", MD)
    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    codes = {d.code for d in diags}
    assert "inconsistent" in codes
    inc = [d for d in diags if d.code == "inconsistent"]
    # nothing reported inside the code block
    assert all(d.range.start.line < 6 for d in diags)
    assert all(d.source == "nnterm" for d in diags)
    # one use each: the tie goes to the base's preferred 批量归一化, so 批归一化 (line 3, column 0) is reported, and
    # the message says it was a tie (issue 13)
    assert [(d.range, d.message) for d in inc] == [
        (T.Range(T.Position(3, 0), T.Position(3, 4)),
         "术语不一致：“批归一化”与“批量归一化”指同一概念，二者用得一样多，保留“批量归一化”。推荐：批量归一化 ｜ 本文档集现用：批量归一化（1 处）、批归一化（1 处）")]


async def test_latex_diagnostics_and_math_ignored(start):
    s = await start()
    tex = "\\section{引言}\n批归一化和批量归一化不同吗？$\\text{批归一化}$\n% 批归一化 in a comment\n"
    uri = s.open("main.tex", tex)
    diags = await s.diagnostics(uri, predicate=lambda d: len(d) > 0)
    assert all(d.range.start.line == 1 for d in diags)
    assert all(d.range.end.character <= 15 for d in diags)


async def test_completion_chinese_prefix(start):
    s = await start()
    uri = s.open("c.md", "我们使用激活\n")
    result = await s.complete(uri, 0, 6)
    labels = [i.label for i in result.items]
    assert "激活函数" in labels
    item = next(i for i in result.items if i.label == "激活函数")
    assert item.detail == "activation function"
    assert item.text_edit.range == T.Range(T.Position(0, 4), T.Position(0, 6))
    assert item.text_edit.new_text == "激活函数"
    # first mention: the thesis convention with the English gloss
    assert "激活函数（activation function）" in labels


async def test_completion_english_any_case_and_fuzzy(start):
    s = await start()
    uri = s.open("c.md", "应用 batch norm\n\nBackprop\n\nactivaton\n\nconvlution\n")
    r = await s.complete(uri, 0, 13)
    labels = [i.label for i in r.items]
    assert "批量归一化" in labels and "batch normalization" in labels
    item = next(i for i in r.items if i.label == "批量归一化")
    assert item.text_edit.range == T.Range(T.Position(0, 3), T.Position(0, 13))
    r = await s.complete(uri, 2, 8)
    assert "反向传播" in [i.label for i in r.items]
    r = await s.complete(uri, 4, 9)
    labels = [i.label for i in r.items]
    assert "激活函数" in labels
    item = next(i for i in r.items if i.label == "激活函数")
    assert item.data["tier"] == "fuzzy"
    # typos of other lengths, then the first again: the keys' beginnings kept per length serve each length
    first = [(i.label, i.data["tier"]) for i in r.items]
    r = await s.complete(uri, 6, 10)
    assert "卷积" in [i.label for i in r.items]
    assert [(i.label, i.data["tier"]) for i in (await s.complete(uri, 4, 9)).items] == first


async def test_completion_pinyin_and_ranking(start):
    s = await start()
    uri = s.open("c.md", "jhhs\n\njihuohanshu\n\nxuexilv\n")
    for line, col in ((0, 4), (2, 11)):
        r = await s.complete(uri, line, col)
        assert r.items[0].label == "激活函数", [i.label for i in r.items[:5]]
        assert r.items[0].text_edit.range.start == T.Position(line, 0)
    r = await s.complete(uri, 4, 7)
    assert r.items[0].label == "学习率"
    # exact ahead of prefix ahead of fuzzy
    uri2 = s.open("d.md", "学习率\n")
    r = await s.complete(uri2, 0, 3)
    tiers = [i.data["tier"] for i in sorted(r.items, key=lambda i: i.sort_text)]
    assert tiers[0] == "exact"
    assert tiers == sorted(tiers, key=["exact", "prefix", "fuzzy"].index)
    assert len(r.items) <= 30


async def test_no_completion_in_code_math_or_commands(start):
    s = await start()
    uri = s.open("c.md", "`jhhs` 和 $jhhs$\n")
    assert not (await s.complete(uri, 0, 5)).items
    assert not (await s.complete(uri, 0, 14)).items
    tex = s.open("t.tex", "\\jhhs 和 $jhhs$ 文字 jhhs\n")
    assert not (await s.complete(tex, 0, 5)).items
    assert not (await s.complete(tex, 0, 13)).items
    assert (await s.complete(tex, 0, 22)).items


async def test_completion_style_setting(start):
    s = await start(settings={"completion": {"style": "zh-gloss"}})
    uri = s.open("c.md", "学习率很重要。jhhs\n")
    # wait until the client settings were pulled (the server asks after `initialized`)
    r = await s.complete(uri, 0, 11)
    assert r.items[0].label == "激活函数（activation function）"


# mutant: the server's severity table mapped "warning" to DiagnosticSeverity.Information and "info" to Warning —
# caught by test_diagnostic_severities_over_lsp (the suite only ever checked Error, from a configured rule).
SEVERITY_TEXT = "批量归一化很好。批量归一化常用。批归一化也行。\n"


def code_severity_range(diags):
    return sorted(((d.code, d.severity, d.range.start.character, d.range.end.character) for d in diags), key=lambda t: t[2])


async def test_diagnostic_severities_over_lsp(start):
    bn = SEVERITY_TEXT.index("批归一化")
    s = await start()
    uri = s.open("sev.md", SEVERITY_TEXT)
    diags = await s.diagnostics(uri, predicate=lambda d: len(d) == 2)
    # the defaults of data/rules.yaml: inconsistent is a warning, missing-gloss a hint (at the first mention)
    assert code_severity_range(diags) == [
        ("missing-gloss", T.DiagnosticSeverity.Hint, 0, 5),
        ("inconsistent", T.DiagnosticSeverity.Warning, bn, bn + 4),
    ]
    # configured severities travel the same table: info is Information, warning is Warning, error is Error
    s2 = await start(init={"rules": {"inconsistent": "info", "missing-gloss": "warning", "casing": "error"}})
    uri2 = s2.open("sev2.md", SEVERITY_TEXT + "我们使用 relu。\n")
    diags = await s2.diagnostics(uri2, predicate=lambda d: len(d) == 3)
    assert sorted((d.code, d.severity) for d in diags) == [
        ("casing", T.DiagnosticSeverity.Error),
        ("inconsistent", T.DiagnosticSeverity.Information),
        ("missing-gloss", T.DiagnosticSeverity.Warning),
    ]

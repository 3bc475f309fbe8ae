"""Issue 9 over LSP: hover shows a concept's designations on their own lines, and a rendering learned from a gloss
says where it was learned; the learned rival is a diagnostic."""

from __future__ import annotations


async def test_hover_shows_designations(start):
    s = await start()
    uri = s.open("a.md", "高斯分布很常见。\n")
    h = await s.hover(uri, 0, 1)
    value = h.contents.value
    lines = value.splitlines()
    assert lines[1].startswith("“高斯分布”是“正态分布”的标准同义词 ｜ 推荐：高斯分布")
    assert "又称：高斯分布 · Gaussian distribution；钟形曲线 · bell curve  " in lines
    await s.diagnostics(uri)
    # two names of one concept in one document: no inconsistency
    uri2 = s.open("b.md", "正态分布很常见，正态分布也是。高斯分布。\n")
    assert not [d for d in await s.diagnostics(uri2) if d.code == "inconsistent"]


async def test_learned_rendering_over_lsp(start):
    s = await start()
    a = s.open("ch2.md", "我们把学习速度（learning rate）设为 0.1，学习速度不宜过大。\n")
    b = s.open("ch5.md", "学习率很重要。学习率要调。学习率会衰减。\n")
    diags = await s.diagnostics(a, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    inc = [d for d in diags if d.code == "inconsistent"]
    col = "我们把学习速度（learning rate）设为 0.1，学习速度".index("学习速度", 4)
    assert [(d.range.start.character, d.range.end.character) for d in inc] == [(3, 7), (col, col + 4)]
    h = await s.hover(a, 0, col + 1)
    lines = h.contents.value.splitlines()
    # the hover says what the diagnostic says, and where the rendering was learned
    assert lines[1] == "推荐：学习率 ｜ 本文档集现用：学习率（3 处）、学习速度（2 处）  "
    assert "推荐：学习率 ｜ 本文档集现用：学习率（3 处）、学习速度（2 处）" in inc[0].message
    assert lines[2] == "“学习速度”：ch2.md:1 的注释注明它是 learning rate  "
    assert h.range.start.character == col and h.range.end.character == col + 4
    assert b  # the other chapter is what makes 学习速度 a rival


async def test_a_document_set_term_learned_from_glosses_is_offered_in_completion(start):
    # 知识化扩展器 is in no term base: the set glosses it twice, so it is a term of this set, offered while typing
    s = await start()
    a = s.open("ch1.md", "本章提出知识化扩展器（knowledgeable expander），知识化扩展器（knowledgeable expander）很有效。\n")
    b = s.open("ch2.md", "后文使用知识化\n")
    await s.diagnostics(a)
    await s.diagnostics(b)
    result = await s.complete(b, 0, len("后文使用知识化"))
    items = result.items if hasattr(result, "items") else result
    labels = [i.label for i in items]
    assert labels and labels[0] == "知识化扩展器", labels
    assert "ch1.md:1" in (items[0].detail or "")

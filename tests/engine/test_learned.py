"""Renderings learned from the document set's own glosses (issue 9)."""

from __future__ import annotations

import json

import pytest

from nnterm_ls.analysis import Engine


def check(docs, **kw):
    engine = Engine(**kw)
    analyses = [engine.analyze(p, t) for p, t in docs]
    result = engine.check(analyses)
    return engine, [(p, f.code, f.found, f.suggestion, f.learned_from) for p, _t in docs for f in result[p]
                    if f.code == "inconsistent"]


def test_an_unknown_rendering_glossed_with_a_known_name_is_a_rival():
    docs = [("ch2.md", "我们把学习速度（learning rate）设为 0.1，学习速度不宜过大。\n"),
            ("ch5.md", "学习率很重要。学习率要调。学习率会衰减。\n")]
    engine, found = check(docs)
    assert found == [("ch2.md", "inconsistent", "学习速度", "学习率", "ch2.md:1")] * 2
    assert engine.lexicon.renderings["学习速度"].form.concept_id == "learning-rate"


def test_two_unknown_renderings_of_one_unknown_name_are_rivals():
    docs = [("ch3.md", "本章提出知识化扩展器（knowledgeable expander），知识化扩展器效果好。知识化扩展器。\n"),
            ("ch4.md", "知识型扩展器（knowledgeable expander）也好。\n")]
    _engine, found = check(docs)
    assert found == [("ch4.md", "inconsistent", "知识型扩展器", "知识化扩展器", "ch4.md:1")]


@pytest.mark.parametrize("docs", [
    # the core 租户 with a different word of the sentence before it each time: not two renderings
    [("a.md", "集群支持多个租户（tenant）。多个租户共享资源。\n"), ("b.md", "资源被分配给租户（tenant）后即可使用。\n")],
    # a head that runs into the start of the other one (用户提供声明式 cut after 用): not a rendering
    [("a.md", "声明式编程（declarative style）很常见。声明式编程更简洁。\n"),
     ("b.md", "框架为用户提供声明式（declarative style）接口。\n")],
])
def test_heads_that_differ_only_by_the_sentence_around_them_are_not_rivals(docs):
    _engine, found = check(docs)
    assert found == []
    _engine, found = check(list(reversed(docs)))  # whichever the set glosses first
    assert found == []


def test_two_senses_glossed_with_one_english_word_are_not_rivals_in_either_order():
    # ai-system-zh: 循环单元（Cell） of a recurrent layer in chapter 4, 单元格（Cell） of a scheduler in chapter 7
    docs = [("ch4.md", "循环神经网络层的主要计算是循环单元（Cell）的计算。循环单元很常见。\n"),
            ("ch7.md", "调度器通过单元格（Cell）来分配资源。单元格分为多级。\n")]
    for order in (docs, list(reversed(docs))):
        _engine, found = check(order)
        assert found == []


def test_no_learn_turns_it_off():
    docs = [("ch2.md", "我们把学习速度（learning rate）设为 0.1，学习速度不宜过大。\n"), ("ch5.md", "学习率。学习率。学习率。\n")]
    _engine, found = check(docs, learn=False)
    assert found == []


@pytest.mark.parametrize("gloss", [
    "方法很多（Smith et al., 2019），方法很多。",  # a citation
    "在这一年（2019）里，在这一年。",  # a year
    "看这个公式（x+y），这个公式。",  # a formula
    "见这个网站（https://example.org），这个网站。",  # a URL
    "这是一句话（this is a whole sentence with many words in it），这是一句话。",  # a sentence
    "我们的好东西（learning rate）。好东西很好。",  # a phrase that shares nothing with the term's renderings
    "需要执行前向传播（forward propagation），需要执行前向传播。",  # a phrase ending in the known term
])
def test_glosses_that_are_not_terms_are_never_learned(gloss):
    engine = Engine()
    engine.check([engine.analyze("d.md", gloss + "\n")])
    assert list(engine.lexicon.renderings) == []


def test_learned_from_in_json(tmp_path, nnterm):
    (tmp_path / "a.md").write_text("我们把学习速度（learning rate）设为 0.1，学习速度不宜过大。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("学习率很重要。学习率要调。学习率会衰减。\n", encoding="utf-8")
    proc = nnterm("check", "--format", "json", "--select", "inconsistent", "a.md", "b.md", cwd=tmp_path)
    findings = json.loads(proc.stdout)
    assert [(f["found"], f["learned_from"]) for f in findings] == [("学习速度", "a.md:1")] * 2
    proc = nnterm("check", "--format", "json", "--select", "inconsistent", "--no-learn", "a.md", "b.md", cwd=tmp_path)
    assert json.loads(proc.stdout) == []


def test_a_head_whose_second_use_is_deleted_by_an_edit_is_learned_no_more():
    # the server's path: the edit's analysis made from the previous one (edits.reanalyze) and the set's head counts
    # updated from the edited run only; deleting the head's second use leaves it used once, at its gloss
    engine = Engine()
    first = "我们称之为扩展器网络（expander network）。\n\n扩展器网络的效果很好。\n\n其他内容。\n"
    other = engine.analyze("ch2.md", "第二章没有这个词。\n")
    doc = engine.analyze("ch1.md", first, resolve_uses=False)
    engine.check([doc, other])
    assert "扩展器网络" in engine.lexicon.renderings
    edited = first.replace("扩展器网络的效果很好。", "效果很好。")
    doc = engine.analyze_version("ch1.md", edited, None, doc)
    assert doc.edited_from is not None  # (the quick way: only the edited block matched again)
    engine.check([doc, other])
    assert "扩展器网络" not in engine.lexicon.renderings
    again = engine.analyze_version("ch1.md", first, None, doc)
    engine.check([again, other])
    assert "扩展器网络" in engine.lexicon.renderings


def test_a_head_that_ends_in_another_noun_than_the_glossed_name_is_not_learned():
    # dive-into-cv-pytorch: 前向计算得到输出结果（output layer）: a result is not a layer (the base's layer is 层)
    docs = [("ch2.md", "前向计算得到输出结果（output layer）。输出结果要打印出来。\n"),
            ("ch3.md", "输出层很重要。输出层接在最后。输出层。\n")]
    engine, found = check(docs)
    assert found == [] and "输出结果" not in engine.lexicon.renderings
    # a head that keeps the noun is learned: 输出末层 against 输出层
    docs = [("ch2.md", "最后接输出末层（output layer）。输出末层给出概率。\n"),
            ("ch3.md", "输出层很重要。输出层接在最后。输出层。\n")]
    engine, found = check(docs)
    assert engine.lexicon.renderings["输出末层"].form.concept_id == "output-layer"
    assert [f[2] for f in found] == ["输出末层", "输出末层"]


def test_a_head_that_ends_in_a_generic_noun_is_not_learned():
    # leedl-tutorial (round 23): 二项式指数形式(sigmoid) is the exponential form of a distribution, not a name of the
    # sigmoid function: no rendering of it (sigmoid函数, S形函数, 逻辑斯谛函数) ends in 形式
    docs = [("ch1.md", "二项式指数形式(sigmoid)的最大似然。指数形式很常见。\n"),
            ("ch2.md", "sigmoid函数把实数压到零和一之间。\n")]
    engine, found = check(docs)
    assert found == [] and "指数形式" not in engine.lexicon.renderings
    # a head that ends like them is learned: 逻辑压缩函数 against sigmoid函数
    docs = [("ch1.md", "用逻辑压缩函数(sigmoid)输出概率。逻辑压缩函数很常见。\n"),
            ("ch2.md", "sigmoid函数把实数压到零和一之间。\n")]
    engine, found = check(docs)
    assert engine.lexicon.renderings["逻辑压缩函数"].form.concept_id == "sigmoid"

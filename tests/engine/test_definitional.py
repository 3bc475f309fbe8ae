"""Sentences that introduce, list or contrast names are not inconsistencies (issue 10, section 1), and a short form
that leaves out a semantic infix is not a rival rendering (训练集 / 训练数据集)."""

from __future__ import annotations

import pytest

from nnterm_ls.analysis import Engine

REST = "后文写批量归一化，批量归一化，批量归一化。"


@pytest.fixture(scope="module")
def engine():
    return Engine()


def inconsistent(engine, text):
    return [f.found for f in engine.check_text("doc.md", text) if f.code == "inconsistent"]


@pytest.mark.parametrize("sentence", [
    "批量归一化又称批归一化。",
    "批量归一化也叫批归一化。",
    "批量归一化亦称批归一化。",
    "批量归一化或称批归一化。",
    "这种方法称为批量归一化（batch normalization）或称为批归一化。",
    "称为批量归一化而不是批归一化。",
    "批量归一化（或批归一化）是常用方法。",
    "人们写作批量归一化、批归一化或批标准化。",
    "批量归一化，也就是批归一化。",
    "“批量归一化”/“批归一化”两种写法。",
])
def test_definitional_sentences_are_not_reported(engine, sentence):
    assert inconsistent(engine, sentence + REST) == []


def test_the_same_forms_in_running_prose_are_reported(engine):
    assert inconsistent(engine, "我们使用批归一化。" + REST) == ["批归一化"]


@pytest.mark.parametrize("text", [
    "Backpropagation, also known as back-propagation, is old. We use backpropagation and backpropagation.",
    "Backpropagation (or back-propagation) is old. We use backpropagation and backpropagation.",
    "Backpropagation, a.k.a. back-propagation, is old. We use backpropagation and backpropagation.",
])
def test_english_definitional_uses(engine, text):
    assert inconsistent(engine, text) == []


def test_short_forms_are_synonyms_but_rivals_are_not(engine):
    assert inconsistent(engine, "训练集很大。训练数据集很大，训练数据集很好。") == []
    assert inconsistent(engine, "卷积网络很强。卷积神经网络很强，卷积神经网络。") == []
    # 批归一化 leaves out 量, which is not a semantic infix: a rival rendering
    assert inconsistent(engine, "批归一化很好。批量归一化很好，批量归一化也是。") == ["批归一化"]


def test_naming_the_abbreviation_does_not_excuse_a_rival_rendering(engine):
    # "也叫 BN" defines the abbreviation; 批归一化 is still a rival of the set's 批量归一化
    assert inconsistent(engine, "批归一化也叫 BN。" + REST) == ["批归一化"]


def deprecated(engine, text):
    return [f.found for f in engine.check_text("doc.md", text) if f.code == "deprecated"]


def test_another_name_mentioned_with_its_gloss_is_not_a_deprecated_rendering(engine):
    # dive-into-cv-pytorch: 称为转置卷积（Transposed Convolution），也称为反卷积（Deconvolution）: --fix rewrote the gloss
    text = "这种操作称为转置卷积（transposed convolution），也称为反卷积（deconvolution）。\n"
    assert deprecated(engine, text) == []
    # the name a thing is given is the writer's rendering, still an outdated one (the gloss goes with its head)
    assert deprecated(engine, "这种操作叫做反卷积（deconvolution）。\n") == ["反卷积"]
    # and in running prose both are reported
    assert deprecated(engine, "我们用反卷积放大特征图，deconvolution 也可以。\n") == ["反卷积", "deconvolution"]



def test_a_sentence_giving_the_full_name_contrasts_nothing(engine):
    # happy-llm: “BERT，全名为 Bidirectional Encoder Representations from Transformers”: the name spelled out
    text = "BERT，全名为 Bidirectional Encoder Representations from Transformers，是一个模型。BERT 很好。BERT 常用。\n"
    assert inconsistent(engine, text) == []
    text = "BERT 很好。BERT 常用。后来有人写 Bidirectional Encoder Representations from Transformers 来称呼它。\n"
    assert inconsistent(engine, text) == ["Bidirectional Encoder Representations from Transformers"]


def test_a_fix_writes_the_kept_rendering_in_the_writers_title_case():
    # happy-llm: the set writes Layer Norm ×6; the fix of its one Layer Normalization wrote “Layer norm”, a casing the
    # text never uses (a capital after the first word is the writer's, not a sentence's first letter)
    text = "模型用了 Layer Norm。Layer Norm 很常见。这里写 layer normalization。\n"
    found = [(f.found, f.suggestion) for f in Engine().check_text("doc.md", text) if f.code == "inconsistent"]
    assert found == [("layer normalization", "Layer Norm")]


def test_an_english_name_a_chinese_sentence_introduces_is_the_writers_word_there(engine):
    # leedl-tutorial (round 23): 这个L被叫做“Graph Laplacian”, then graph Laplacian in the prose
    rest = "\n\n我们用 graph Laplacian 计算。graph Laplacian 很常用。\n"
    assert inconsistent(engine, "这个L被叫做“Graph Laplacian”。" + rest) == []
    assert inconsistent(engine, "这个L就是 Graph Laplacian。" + rest) == ["Graph Laplacian"]
    # a miscased name is still miscased where it is introduced
    assert [f.found for f in engine.check_text("doc.md", "这种框架叫做 Pytorch。\n") if f.code == "casing"] == ["Pytorch"]

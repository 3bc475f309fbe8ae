"""Ambiguous forms read in the sense the document set gives them (issue 10, section 2)."""

from __future__ import annotations

import pytest

from nnterm_ls.analysis import Engine


@pytest.fixture(scope="module")
def engine():
    return Engine()


def inconsistent(engine, docs):
    analyses = [engine.analyze(p, t) for p, t in docs]
    result = engine.check(analyses)
    return [(p, f.found, f.message) for p, _t in docs for f in result[p] if f.code == "inconsistent"]


def test_an_ambiguous_form_stays_silent_without_a_deciding_context(engine):
    assert inconsistent(engine, [("a.md", "特征图很大，特征图也是。特征映射很好。\n")]) == []


def test_a_gloss_in_the_set_decides_the_sense_and_the_message_says_so(engine):
    # 特征映射 names the feature map and the feature mapping φ of kernel methods: ch2's gloss decides it for the set,
    # except where it is the verb phrase (把特征映射到标签: map the features to labels)
    docs = [("ch1.md", "特征图很大，特征图也是，特征图，特征图，特征图。\n"),
            ("ch2.md", "特征映射（feature map）很好。后来的特征映射也是。\n"),
            ("ch3.md", "不同尺度的特征映射很有用。模型把输入特征映射到标签。\n")]
    found = inconsistent(engine, docs)
    assert [(p, w) for p, w, _m in found] == [("ch2.md", "特征映射"), ("ch2.md", "特征映射"), ("ch3.md", "特征映射")]
    assert all("此处按“特征图”（feature map）理解：ch2.md:1" in m for _p, _w, m in found)


def test_a_gloss_of_a_form_ambiguous_with_an_everyday_word_decides_only_its_own_place(engine):
    # 汇聚 is d2l-zh's pooling and the everyday verb "to gather": its gloss says what it is there, nowhere else
    docs = [("ch1.md", "池化很好，池化也是，池化。\n"), ("ch2.md", "汇聚（pooling）很好。后来的汇聚也是。\n")]
    assert [(p, w) for p, w, _m in inconsistent(engine, docs)] == [("ch2.md", "汇聚")]


def test_glosses_that_disagree_decide_nothing(engine):
    docs = [("a.md", "偏差（bias）很重要。偏置很好，偏置也是。\n"), ("b.md", "偏差（statistical bias）也重要。\n")]
    assert [w for _p, w, _m in inconsistent(engine, docs) if w == "偏差"] == []


def test_a_form_of_several_concepts_glossed_once_is_read_so_everywhere(engine):
    # 标记 names token, label and mark; ch1 glosses it as token, so ch3's 标记 is a rival of the set's 词元
    docs = [("ch1.md", "文本被切分成标记（token）。\n"), ("ch2.md", "词元很重要。词元，词元。\n"), ("ch3.md", "每个标记都有编号。\n")]
    found = inconsistent(engine, docs)
    assert [(p, w) for p, w, _m in found] == [("ch1.md", "标记"), ("ch3.md", "标记")]


def test_a_mixed_form_with_an_abbreviation_is_a_short_form(engine):
    text = "双向长短期记忆网络很强。双向长短期记忆网络也常用。后面写作双向LSTM。\n"
    assert inconsistent(engine, [("a.md", text)]) == []


# -- cue words in the term base decide an occurrence of a form of several concepts ---------------------------------

TOKENS = "词元是基本单位，词元很多，词元也是。\n\n"


def test_cues_of_one_sense_in_the_sentence_decide_it_and_the_message_says_which(engine):
    found = inconsistent(engine, [("a.md", TOKENS + "模型把文本切分成标记，查词表后再映射到嵌入。\n")])
    assert [w for _p, w, _m in found] == ["标记"]
    assert "此处按“词元”（token）理解：同一句中有“词表、嵌入”" in found[0][2]


@pytest.mark.parametrize("sentence", [
    "锚框按类别标记的结果如下。\n",  # one cue (类别) beside the verb: labelled, not the label
    "序列中的实体标记写在括号里。\n",  # one cue (序列): an entity tag, not a token
])
def test_one_cue_alone_decides_nothing(engine, sentence):
    labels = "标签很重要，标签要准，标签可见。\n\n"
    assert [w for _p, w, _m in inconsistent(engine, [("a.md", TOKENS + labels + sentence)]) if w == "标记"] == []


def test_the_access_token_sense_is_not_a_rival_of_the_text_token(engine):
    # 令牌 is also an access token: with 登录 in its sentence it is read that way and not reported
    assert inconsistent(engine, [("a.md", TOKENS + "登录时输入你的令牌。\n")]) == []
    # cue words after it count as well as before it
    assert [w for _p, w, _m in inconsistent(engine, [("a.md", TOKENS + "这些令牌来自单词和字符。\n")])] == ["令牌"]
    # with a text cue it is the text token, a rival of 词元
    assert [w for _p, w, _m in inconsistent(engine, [("a.md", TOKENS + "每个单词都被切成令牌，再查词表。\n")])] == ["令牌"]


@pytest.mark.parametrize("sentence", [
    "每个单词都被标记为名词。\n",  # the ordinary verb: 被标记为
    "我们对单词进行标记。\n",
])
def test_a_cue_never_decides_the_everyday_verb(engine, sentence):
    assert [w for _p, w, _m in inconsistent(engine, [("a.md", TOKENS + sentence)]) if w == "标记"] == []


def test_cues_of_two_senses_decide_nothing(engine):
    from nnterm_ls.resolve.senses import decide

    doc = engine.analyze("a.md", "样本的类别、标注和单词、字符的标记。\n")
    one = engine.analyze("b.md", "单词和字符的标记。\n")
    _senses, local = decide([doc, one], engine.termbase)
    assert local[0] == {} and len(local[1]) == 1  # 类别 (label) and 单词 (token) both there: undecided


def test_a_cue_inside_an_unrelated_longer_term_speaks_for_nothing(engine):
    # thu-llm-thesis chap05.2: 标签 is a cue of the label, but here only a part of 标签词 (a prompt's label word); 分词
    # inside 分词器 still speaks of the token (the tokenizer is its related concept), so the sentence decides the token
    sentence = "由于许多标签词是词汇表外的，并且被分词器拆分为多个标记。\n"
    assert [w for _p, w, _m in inconsistent(engine, [("a.md", TOKENS + sentence)])] == ["标记"]
    # the label's own cue standing alone (标签) still makes the sentence undecided
    undecided = "由于许多标签是词汇表外的，并且被分词器拆分为多个标记。\n"
    assert [w for _p, w, _m in inconsistent(engine, [("a.md", TOKENS + undecided)])] == []


@pytest.mark.parametrize("sentence, reported", [
    ("为了扩充数据，训练时加入了大量的图像增强数据，如翻转和裁切。\n", True),  # d2l-zh's AlexNet: augmentation
    ("图像增强通过调整对比度和锐化来提高视觉质量。\n", False),  # image processing: enhancement
    ("训练前先做图像增强：调整对比度、锐化和去噪，再随机翻转。\n", False),  # cues of both senses: undecided
])
def test_cues_tell_image_augmentation_from_image_enhancement(engine, sentence, reported):
    docs = [("ch1.md", "图像增广很常用，图像增广也是，图像增广。\n"), ("ch2.md", sentence)]
    assert bool([w for _p, w, _m in inconsistent(engine, docs) if w == "图像增强"]) == reported

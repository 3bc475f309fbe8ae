"""Designations (issue 9): rival renderings of one name are inconsistent; two standard names of one concept are
synonyms (the `synonym` rule, off by default)."""

from __future__ import annotations

import pytest

from nnterm_ls.analysis import Engine
from nnterm_ls.termbase import load_termbase
from nnterm_ls.rules.findings import Applicability


@pytest.fixture(scope="module")
def engine():
    return Engine()


def codes(engine, text, path="doc.md"):
    return [(f.code, f.found) for f in engine.check_text(path, text) if f.code in ("inconsistent", "synonym")]


@pytest.mark.parametrize("text", [
    "正态分布很常见。高斯分布也很常见，高斯分布。",  # normal distribution / Gaussian distribution
    "偏置很重要。截距很重要，截距也是。",  # bias / intercept
    "训练集很大。训练数据集很大，训练数据集也是。",  # training set / training dataset
    "sigmoid函数很常见。逻辑斯谛函数也常见，逻辑斯谛函数。",  # sigmoid / logistic function
    # different English names that one concept had conflated (labelled false in the accuracy harness)
    "预训练数据很多。预训练语料很杂，预训练语料很大。",  # pretraining data / pretraining corpus
    "标签空间有限。输出空间很大，输出空间也是。",  # label space / output space
    "运行时环境已装好。运行时系统很复杂，运行时系统也是。",  # runtime environment / runtime system
    "按元素乘积很常见。按元素乘法很常见，按元素乘法也是。",  # element-wise product / multiplication
    "细粒度剪枝很细。非结构化剪枝很常见，非结构化剪枝也是。",  # fine-grained / unstructured pruning
    "调参很累。超参数调优很重要，超参数调优也难。",  # colloquial tuning / hyperparameter tuning
    "显存带宽有限。内存带宽很高，内存带宽也是。",  # GPU memory bandwidth / memory bandwidth
    "编码器-解码器架构很常见。编码器-解码器模型很多，编码器-解码器模型也是。",  # architecture / model
    "事实准确性很重要。事实性很难，事实性也是。",  # factual accuracy / factuality
    "显存不足时要减小批量。内存不足也常见，内存不足很烦。",  # GPU out of memory / out of memory
    # names of their own, split from the renderings after labelling the unseen easy-rl text (round 20)
    "The replay buffer holds transitions. The replay buffer is sampled, and the replay memory of DQN too.",
    "The state value function is V. The state value function is learned; the V function is its short name.",
    "REINFORCE is simple. REINFORCE has high variance; it is a Monte Carlo policy gradient method.",
    "回放缓冲区存放转移，回放缓冲区很大。经验池也是一种说法。",
    # 随机策略 is also a uniformly random policy, 回报函数 also the return objective J(θ): not reported alone
    "随机性策略输出分布，随机性策略可以探索。开始时智能体执行一个固定的随机策略。",
    "奖励函数给出奖励，奖励函数由环境决定。策略梯度最大化回报函数 J(θ)。",
    # names of their own, split after labelling the unseen happy-llm text (round 24)
    "文本摘要是一项任务，文本摘要很难。通过自动摘要技术，可以快速获取要点。",  # automatic summarization
    "基座模型只做过预训练，基座模型不会对话。各家都发布了基座大模型。",  # base LLM
    # dive-into-cv-pytorch (round 22): the discriminator and the discriminator network, each written often
    "判别器很重要，判别器也难训练，判别器。判别网络接收样本，判别网络输出概率。",
    # one rendering with a semantic infix left out (data/rules.yaml short_form_infixes)
    "损失值下降。损失函数值下降，损失函数值也下降。",
    "隐藏层单元很多。隐藏单元很多，隐藏单元也是。",
])
def test_synonyms_are_not_inconsistent(engine, text):
    assert codes(engine, text) == []


@pytest.mark.parametrize("text, found", [
    ("批归一化很好。批量归一化很好，批量归一化也是。", "批归一化"),  # rival renderings of batch normalization
    ("判别器很重要，判别器也难训练。鉴别器输出概率。", "鉴别器"),  # of discriminator
    ("We use back-propagation. Backpropagation is old, and backpropagation works.", "back-propagation"),
    # thu-llm-thesis: the setting is 少样本 three times, once 小样本; 少样本学习 stays its own term
    ("少样本设置中效果好，少样本实验也是，少样本学习更难。模型在零样本和小样本设置中均有潜力。", "小样本"),
])
def test_rivals_of_one_designation_are_inconsistent(engine, text, found):
    assert codes(engine, text) == [("inconsistent", found)]


def test_the_synonym_rule_reports_mixed_designations_when_enabled():
    engine = Engine(select=["synonym", "inconsistent"])
    found = engine.check_text("doc.md", "正态分布很常见。高斯分布也很常见，高斯分布。")
    assert [(f.code, f.found, f.suggestion, f.fix.safe) for f in found] == [
        ("synonym", "正态分布", "高斯分布", False)]
    assert found[0].severity == "info"


def test_rival_renderings_inside_a_synonym_designation():
    # training data set and training dataset spell one designation two ways
    engine = Engine()
    found = [(f.code, f.found) for f in engine.check_text(
        "doc.md", "The training dataset is big. The training dataset grows; the training data set too.")
        if f.code == "inconsistent"]
    assert found == [("inconsistent", "training data set")]


def test_designations_in_the_model():
    tb = load_termbase()
    c = tb.concepts["normal-distribution"]
    assert c.designations == ["", "Gaussian distribution", "bell curve"]
    assert c.designation_head("Gaussian distribution", "zh").text == "高斯分布"
    assert c.preferred("zh").text == "正态分布"
    (gauss,) = [f for f in tb.find_forms("高斯分布")]
    assert gauss.to_json() == {"text": "高斯分布", "lang": "zh", "status": "admitted", "type": "term",
                               "designation": "Gaussian distribution", "head": True}


def test_a_user_file_without_designations_is_one_designation(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text("concepts:\n  - id: frob\n    en: frobnicator\n    zh: 弗罗布器\n    variants: {zh: [弗器]}\n",
                 encoding="utf-8")
    tb = load_termbase([str(f)], builtin=False)
    assert tb.concepts["frob"].designations == [""]
    engine = Engine(termbase=tb)
    assert [f.found for f in engine.check_text("d.md", "弗器很好。弗罗布器很好，弗罗布器。") if f.code == "inconsistent"] == ["弗器"]


@pytest.mark.parametrize("text, found, kept", [
    ("We use pretraining. Pre-training helps, and pre-training works.", "pretraining", "pre-training"),
    ("Pre training is slow. Pretraining helps; pretraining works.", "Pre training", "pretraining"),
    ("Fine-tuning is cheap. Fine-tuning works; finetuning too.", "finetuning", "fine-tuning"),
    ("Fine tuning is cheap. Finetuning works; finetuning too.", "Fine tuning", "finetuning"),
    ("RCNN came first. R-CNN is famous; R-CNN works.", "RCNN", "R-CNN"),
])
def test_compound_spellings_match_without_being_listed_and_mixing_them_is_reported(engine, text, found, kept):
    got = [(f.code, f.found, f.suggestion) for f in engine.check_text("doc.md", text) if f.code == "inconsistent"]
    assert [(c, w) for c, w, _s in got] == [("inconsistent", found)]
    assert got[0][2].lower() == kept.lower()


def test_a_word_that_also_names_a_gan_network_is_not_a_rival(engine):
    # 生成模型 / 判别模型 also name the generator and the discriminator (生成模型G和判别模型D)
    text = "判别式模型和生成式模型是两类方法。生成模型G和判别模型D相互博弈，判别模型D再更新。"
    assert codes(engine, text) == []


def test_a_word_with_two_senses_is_not_a_rival(engine):
    # 模型库 is a model zoo and a model registry
    assert codes(engine, "模型库存放模型。模型动物园很有名，模型动物园也是。") == []


def test_a_word_shared_by_compound_terms_spelled_two_ways():
    # mini-batch SGD, mini-batch gradient descent and minibatch stochastic gradient descent are three phrases (the
    # last two one concept); the one word mini-batch is written two ways: reported at the minority spelling only
    engine = Engine()
    text = ("We train with mini-batch SGD and mini-batch gradient descent.\n\n"
            "Later we use minibatch stochastic gradient descent.\n")
    found = [f for f in engine.check_text("doc.md", text) if f.code == "inconsistent"]
    assert [(f.found, f.suggestion) for f in found] == [("minibatch", "mini-batch")]
    assert text[found[0].start:found[0].end] == "minibatch"
    assert "mini-batch ×2" in found[0].message


def test_the_books_word_inside_its_other_terms_decides_the_kept_form():
    # 规范化 and 归一化 once each as the bare term, but the text writes 规范化 in its other normalisation terms
    engine = Engine()
    text = "规范化很常用。批量规范化和层规范化都是，组规范化也是。后来也叫归一化。\n"
    found = [f for f in engine.check_text("doc.md", text) if f.code == "inconsistent"]
    assert [(f.found, f.suggestion) for f in found] == [("归一化", "规范化")]
    assert "一样多" not in found[0].message and "在其他术语中：规范化 ×3，归一化 ×0" in found[0].message


def test_a_tie_keeps_the_rendering_the_set_introduces_with_a_gloss():
    engine = Engine()
    text = "正则项很小。正则化项（regularization term）定义如下。正则项和正则化项。\n"
    found = [(f.found, f.suggestion) for f in engine.check_text("doc.md", text) if f.code == "inconsistent"]
    assert found and all(s == "正则化项" for _f, s in found)


def test_a_term_list_entry_its_text_never_uses_is_reported_at_the_entry():
    engine = Engine()
    denotation = ("\\begin{denotation}[3cm]\n  \\item[DPO] 直接偏好微调（Direct Preference Optimization）\n"
                  "  \\item[MoE] 混合专家模型（Mixture-of-Experts）\n\\end{denotation}\n")
    chapter = "我们用直接偏好优化训练，直接偏好优化很稳定。混合专家把层拆开。\n"
    docs = [engine.analyze("denotation.tex", denotation), engine.analyze("chap01.tex", chapter)]
    result = engine.check(docs)
    found = [(f.path, f.found, f.suggestion, f.fix.safe) for p in result for f in result[p] if f.code == "inconsistent"]
    # the list is what an editor changes (by hand); 混合专家模型 only elaborates 混合专家
    assert found == [("denotation.tex", "直接偏好微调", "直接偏好优化", False)]


def suggestions(engine, text):
    return [(f.found, f.suggestion) for f in engine.check_text("doc.md", text) if f.code == "inconsistent"]


@pytest.mark.parametrize("text, expected", [
    # easy-rl, chapter 2: the set's majority writes a checked name with its words capitalised; the rival written
    # in the base's own spelling is rewritten to the majority (before: “X”与“X”, a fix that wrote the text it flagged)
    ("当 MDP 满足 Bellman Optimality Equation 时。又见 Bellman Optimality Equation 和 Bellman Optimality Equation。\n\n"
     "满足 Bellman optimality equation 时最佳。", [("Bellman optimality equation", "Bellman Optimality Equation")]),
    # a capital after a hyphen, the majority again (ai-system-zh writes V-Trace once beside V-trace)
    ("V-Trace 修正了偏差。V-Trace 很常用，V-Trace 也稳定。V-trace 也是。", [("V-trace", "V-Trace")]),
    # the other way round: the base's spelling is the majority, the rival is rewritten to it
    ("V-trace 修正了偏差。V-trace 很常用，V-trace 也稳定。V-Trace 也是。", [("V-Trace", "V-trace")]),
])
def test_a_rival_in_another_casing_is_rewritten_to_the_majority_casing(engine, text, expected):
    found = suggestions(engine, text)
    assert found == expected
    assert all(f != s for f, s in found)


@pytest.mark.parametrize("text, expected", [
    # the rival adds 算法 to its own short form; the base knows 反向传播算法: the fix keeps the word (ai-system-zh 11.2)
    ("反向传播很重要。反向传播需要链式法则，反向传播很快。后向传播算法也行。", [("后向传播算法", "反向传播算法")]),
    # easy-rl's 蒙特卡洛方法 against the set's 蒙特卡罗 (learned from its gloss): rewritten to 蒙特卡罗方法, not cut
    ("蒙特卡罗（Monte Carlo）采样很常用。蒙特卡罗很简单，蒙特卡罗也快。蒙特卡洛方法也行。", [("蒙特卡洛方法", "蒙特卡罗方法")]),
    # the kept rendering begins with the rival's own head (生成 + 网络 against 生成器): the kept rendering itself, not
    # the longer 生成器网络 (dive-into-cv-pytorch, round 22: the set's rarest form)
    ("生成器很重要。生成器生成样本，生成器也会学习。生成网络（generator）也行，生成网络很好。\n\n"
     "生成器很重要，生成器很好。生成网络又出现。", [("生成网络", "生成器")] * 3),
    # no longer form of the kept rendering in the base: the kept rendering itself
    ("批量归一化很好。批量归一化也好，批量归一化不错。批归一化层也行。", [("批归一化", "批量归一化")]),
])
def test_the_fix_keeps_the_words_the_rival_adds_to_its_short_form(engine, text, expected):
    assert suggestions(engine, text) == expected


def test_a_rival_that_writes_the_english_name_is_rewritten_only_by_hand(engine):
    # easy-rl writes Q-learning 49 times; its three Q-learning算法 against the Chinese count's Q学习 were fixed by
    # --fix into a rendering the book does not use: offered in the editor, never applied
    text = "Q学习很经典。Q学习是离策略的，Q学习收敛。Q-learning算法也一样。"
    found = [f for f in engine.check_text("doc.md", text) if f.code == "inconsistent"]
    assert [(f.found, f.suggestion, f.fix.applicability) for f in found] == [
        ("Q-learning算法", "Q学习", Applicability.UNSAFE)]
    # a Chinese rival without an English name is fixed as before
    text = "批量归一化很好。批量归一化也好，批量归一化不错。批归一化也行。"
    found = [f for f in engine.check_text("doc.md", text) if f.code == "inconsistent"]
    assert [(f.found, f.fix.applicability) for f in found] == [("批归一化", Applicability.SAFE)]


def test_a_names_own_spelling_holds_against_its_letters_run_together(engine):
    # unlock-hf (round 26): HuggingFace ×4 against the owners' Hugging Face ×3: the squeezed spelling is the one to change
    text = "HuggingFace 很流行。HuggingFace 有模型库。HuggingFace 有数据集。HuggingFace 有课程。\n\n" \
           "Hugging Face 提供了工具。Hugging Face 也有社区。Hugging Face 很大。\n"
    assert set(suggestions(engine, text)) == {("HuggingFace", "Hugging Face")}
    # written three times as often, the squeezed spelling is the set's settled choice
    many = "HuggingFace 很流行。" * 10 + "\n\nHugging Face 提供了工具。Hugging Face 也有社区。\n"
    assert set(suggestions(engine, many)) == {("Hugging Face", "HuggingFace")}
    # a lowercase term's two spellings go by the counts: allreduce ×3 against the base's all-reduce ×2
    terms = "We call allreduce. Then allreduce again, and allreduce once more. The all-reduce step; all-reduce ends.\n"
    assert set(suggestions(engine, terms)) == {("all-reduce", "allreduce")}

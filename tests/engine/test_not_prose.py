"""Not prose, or not ours to change (issue 10, section 3): paths, identifiers, reference lists, cited titles, glossed
originals. Each case has a sibling in running prose that is still reported, so the test fails if the rule dies."""

from __future__ import annotations

import pytest

from nnterm_ls.analysis import Engine
from nnterm_ls.rules.findings import Applicability


@pytest.fixture(scope="module")
def engine():
    return Engine()


def found(engine, text, path="doc.md", code=None):
    return [(f.code, f.found) for f in engine.check_text(path, text)
            if f.severity in ("warning", "error") and (code is None or f.code == code)]


@pytest.mark.parametrize("snippet", [
    "安装 tensorflow-gpu 即可。",
    "参见 [cuda-convnet](https://example.org/cuda-convnet) 的实现。",
    "运行 tools/pytorch/train.py 脚本。",
    "调用 pytorch_lightning 模块。",
    "导入 torch.nn.functional 模块。",
    '把字符串 "adadelta" 传给训练器。',
    "调用 load('huggingface/{user}/{model}') 加载。",  # a path whose next part is a placeholder
    "从 transformers import 模型类时出错。",  # a module in a Python import written in prose
    "参见 [gpt2](https://huggingface.co/gpt2) 页面。",  # link text that is its own address's last part
    "出现了以Cuda-convnet，Theano 为代表的工具。",  # a project's name with its first letter raised
    "运行 pytorch 目录下的示例程序。",  # ai-system-zh 9.2's lab: a folder named after the tool
    # thorough-pytorch (round 21, fitted): a method written without its object, an image whose alternative text is
    # one word (the figure's file name)
    "把数据放到GPU上，这里以.cuda()为例。",
    "![amp](./figures/float16.jpg)\n\n半精度训练的示意图。",
    # the title of a linked page, quoted as its link text (an issue on GitHub)
    "具体链接：[how to use imgaug with pytorch](https://github.com/example/imgaug/issues/406)",
])
def test_code_like_tokens_are_not_miscased_names(engine, snippet):
    assert found(engine, snippet, code="casing") == []


@pytest.mark.parametrize("snippet, word", [
    ("我们用 pytorch 训练模型。", "pytorch"),
    ("我们定义Resnet-18模型。", "Resnet"),
    ("这是 Tensorflow/PyTorch 的对比。", "Tensorflow"),
    ("调用 cuda 之后再计算。", "cuda"),  # the name alone in prose, no call
    ("![用 pytorch 训练](./figures/a.png)", "pytorch"),  # alternative text that is a sentence is prose
    ("程序在 cuda(显卡) 上运行。", "cuda"),  # a parenthesis after the name, but no object before it
    ("代码见 [code with pytorch](https://github.com/example/repo)。", "pytorch"),  # a short label of the writer's
    ("参见 [how to use imgaug with pytorch](./local.md)。", "pytorch"),  # a page of the book's own
])
def test_names_in_prose_are_still_checked(engine, snippet, word):
    assert found(engine, snippet, code="casing") == [("casing", word)]


@pytest.mark.parametrize("snippet", [
    "当前的模型如Pytorch-2\\cite{touvron2023llama}所使用的数据。",  # thu-llm-thesis: LLama-2\cite{…}
    "我们用 Pytorch\\footnote{见官网} 训练。",
])
def test_a_latex_command_after_a_name_does_not_make_it_code(engine, snippet):
    assert found(engine, snippet, path="doc.tex", code="casing") == [("casing", "Pytorch")]


def test_reference_list_entries_are_not_prose(engine):
    text = ("本文使用批量归一化，批量归一化很有效。\n\n"
            "[1] Ioffe, S., & Szegedy, C. (2015). Batch normalization: accelerating deep network training. ICML.\n"
            "[2] Simonyan, K. (2014). Very deep convolutional networks for large-scale image recognition. arXiv.\n")
    assert found(engine, text) == []
    assert found(engine, text + "\n我们也写批归一化。\n") == [("inconsistent", "批归一化")]


def test_a_references_section_is_not_prose(engine):
    text = "# 正文\n\n我们用 PyTorch。\n\n## 参考文献\n\n- Paszke et al. pytorch: an imperative style library\n\n# 附录\n\n用 pytorch。\n"
    assert found(engine, text, code="casing") == [("casing", "pytorch")]  # only the appendix's


@pytest.mark.parametrize("heading", ["本节参考", "参考链接", "6.5.5 扩展资料", "延伸阅读：", "Further reading"])
def test_a_chapters_sources_and_further_reading_are_not_prose(engine, heading):
    # thorough-pytorch (round 21): 【1】[pytorch 中pkl和pth的区别？](…) under 本节参考, a linked article's title
    text = (f"# 正文\n\n我们用 PyTorch。\n\n## {heading}\n\n【1】[pytorch 中pkl和pth的区别？](https://example.org/q/1)\n"
            "\n# 附录\n\n用 pytorch。\n")
    assert found(engine, text, code="casing") == [("casing", "pytorch")]  # only the appendix's


@pytest.mark.parametrize("heading", ["参考实现", "扩展", "资料"])
def test_other_headings_do_not_open_a_reference_list(engine, heading):
    text = f"# 正文\n\n## {heading}\n\n我们用 pytorch 写一个实现。\n"
    assert found(engine, text, code="casing") == [("casing", "pytorch")]


def test_thebibliography_is_not_prose(engine):
    text = ("我们用 PyTorch。\n\\begin{thebibliography}{9}\n\\bibitem{p} A. Paszke. pytorch library. 2019.\n"
            "\\end{thebibliography}\n")
    assert found(engine, text, path="t.tex", code="casing") == []


def test_cited_titles_are_not_prose(engine):
    assert found(engine, "这一点见《批归一化方法研究》一书。批量归一化很好，批量归一化也是。") == []


def test_an_english_original_glossing_an_unknown_chinese_head_is_never_rewritten(engine):
    # *数据实例*（data instance）: data instance renders the writer's head, not a rival of "sample"
    text = "样本也叫*数据实例*（data instance）。A sample is one record; every sample has features."
    assert [f for f in found(engine, text) if f[1] == "data instance"] == []


def test_word_boundaries_of_ordinary_words(engine):
    text = "深度神经网络很强。我们加深网络，深度神经网络也更强。较大模型更慢。大语言模型很大，大语言模型也是。"
    assert found(engine, text, code="inconsistent") == []


def test_abbreviation_glossed_after_a_chinese_expansion_is_defined(engine):
    assert found(engine, "许多词是词汇表外的（OOV），会被拆分。OOV 很常见。", code="abbreviation-before-definition") == []


def test_the_sets_own_glossary_decides_the_kept_form(engine):
    glossary = "# 术语表\n\n| English | 中文 |\n|---|---|\n| batch normalization | 批归一化 |\n"
    analyses = [engine.analyze("术语表.md", glossary), engine.analyze("ch1.md", "批量归一化很好。批量归一化也是。批归一化。\n")]
    result = engine.check(analyses)
    assert [f.code for f in result["术语表.md"]] == []  # the glossary itself is not prose to correct
    found = [(f.found, f.suggestion) for f in result["ch1.md"] if f.code == "inconsistent"]
    assert found == [("批量归一化", "批归一化")] * 2
    assert "本文档集的术语表（术语表.md:5）使用“批归一化”" in next(f.message for f in result["ch1.md"] if f.code == "inconsistent")
    # the list against the text's own majority: reported, and rewritten only in the editor (never by --fix)
    assert {f.fix.applicability for f in result["ch1.md"] if f.code == "inconsistent"} == {Applicability.UNSAFE}
    # where the text writes the list's form at least as often as any other, --fix follows the list
    followed = engine.check([engine.analyze("术语表.md", glossary),
                             engine.analyze("ch1.md", "批归一化很好。批归一化也是。批量归一化。\n")])
    fixes = [(f.found, f.fix.applicability) for f in followed["ch1.md"] if f.code == "inconsistent"]
    assert fixes == [("批量归一化", Applicability.SAFE)]


def test_the_recommended_rendering_outvoted_by_the_text_is_rewritten_only_by_hand(engine):
    # d2l-zh writes 汇聚层 where the base recommends 池化层: a stray 池化层 is reported with the text's form as the
    # fix, but --fix does not write the recommended rendering away (the message recommends it); the other way
    # round, the base and the majority agree and --fix applies
    text = "汇聚层缩小特征图。每个汇聚层都没有参数。最大汇聚层最常见。汇聚层之后是全连接层。这里的池化层也一样。\n"
    result = engine.check([engine.analyze("ch1.md", text)])
    fixes = [(f.found, f.suggestion, f.fix.applicability) for f in result["ch1.md"] if f.code == "inconsistent"]
    assert fixes == [("池化层", "汇聚层", Applicability.UNSAFE)]
    assert "推荐：池化层" in next(f.message for f in result["ch1.md"] if f.code == "inconsistent")
    # a text that writes its form six times as often has settled it (d2l-zh-v1: 正向传播 ×19, 前向传播 ×1)
    more = text.replace("这里的池化层也一样。", "汇聚层很快。汇聚层很小。汇聚层不学习。这里的池化层也一样。")
    result = engine.check([engine.analyze("ch1.md", more)])
    fixes = [(f.found, f.suggestion, f.fix.applicability) for f in result["ch1.md"] if f.code == "inconsistent"]
    assert fixes == [("池化层", "汇聚层", Applicability.SAFE)]
    text = text.replace("汇聚层", "#").replace("池化层", "汇聚层").replace("#", "池化层")
    result = engine.check([engine.analyze("ch1.md", text)])
    fixes = [(f.found, f.suggestion, f.fix.applicability) for f in result["ch1.md"] if f.code == "inconsistent"]
    assert fixes == [("汇聚层", "池化层", Applicability.SAFE)]


def test_a_rendering_the_set_defines_is_rewritten_only_by_hand(engine):
    # d2l-zh's mlp.md: 被称为*活性值*（activations）, then 活性值 and 激活值 in later chapters, 激活值 more often: the
    # later 活性值 are reported, but --fix does not write away the rendering the book itself introduced
    intro = "激活函数的输出被称为*活性值*（activations）。每一层都计算活性值。\n"
    later = "层的激活值很大。激活值的方差随时间变化。激活值和梯度都要传输。\n"
    result = engine.check([engine.analyze("mlp.md", intro), engine.analyze("dropout.md", later)])
    fixes = [(f.found, f.suggestion, f.fix.applicability) for f in result["mlp.md"] if f.code == "inconsistent"]
    assert fixes == [("活性值", "激活值", Applicability.UNSAFE)]
    # without the definition the same use is an ordinary minority, and --fix applies
    plain = "激活函数的输出是活性值。每一层都计算活性值。\n"
    result = engine.check([engine.analyze("mlp.md", plain), engine.analyze("dropout.md", later)])
    fixes = [(f.found, f.suggestion, f.fix.applicability) for f in result["mlp.md"] if f.code == "inconsistent"]
    assert fixes == [("活性值", "激活值", Applicability.SAFE)] * 2
    # a name mentioned in a contrast (称为X而不是Y) is not introduced: only a definition with its gloss is
    contrast = "激活函数的输出称为激活值而不是活性值。每一层都计算活性值。\n"
    result = engine.check([engine.analyze("mlp.md", contrast), engine.analyze("dropout.md", later)])
    fixes = [(f.found, f.suggestion, f.fix.applicability) for f in result["mlp.md"] if f.code == "inconsistent"]
    assert fixes == [("活性值", "激活值", Applicability.SAFE)]


def test_a_term_list_the_text_does_not_follow_gives_way_to_the_texts_own_form(engine):
    # ai-system-zh: its 术语表 gives 知识精炼, used once; 知识蒸馏 fifteen times. The one 知识精炼 is the slip
    glossary = "# 术语表\n\n| English | 中文 |\n|---|---|\n| batch normalization | 批归一化 |\n"
    text = "批量归一化很好。" * 5 + "批归一化。\n"
    result = engine.check([engine.analyze("术语表.md", glossary), engine.analyze("ch1.md", text)])
    found = [(f.found, f.suggestion) for f in result["ch1.md"] if f.code == "inconsistent"]
    assert found == [("批归一化", "批量归一化")]


@pytest.mark.parametrize("text", [
    # a paper's own spelling inside its title is not a rival of the prose's spelling
    "We follow Improved Minibatch Discrimination for Stable Training. A mini-batch is small; each mini-batch works.",
    "The Fast Finetuning Toolkit Paper is cited here. Fine-tuning is cheap, and fine-tuning works.",
])
def test_title_case_names_are_not_prose(engine, text):
    assert found(engine, text, code="inconsistent") == []


def test_the_same_spellings_in_prose_are_reported(engine):
    text = "We use minibatch training here. A mini-batch is small; each mini-batch works."
    assert found(engine, text, code="inconsistent") == [("inconsistent", "minibatch")]


def test_the_same_names_in_running_prose_are_still_miscased(engine):
    text = "我们在 huggingface 上找到 gpt2，再用 transformers 库加载。"
    assert [f for _c, f in found(engine, text, code="casing")] == ["huggingface", "gpt2", "transformers"]


def test_a_quoted_english_sentence_is_an_example_not_prose_to_correct(engine):
    text = ("我们用 Hugging Face 的模型，Hugging Face 很好，Hugging Face 也是。"
            "请把句子（“I've been waiting for a HuggingFace course my whole life.”）分词。\n")
    assert [f for _c, f in found(engine, text)] == []
    # the same spelling in the running text is still reported
    assert [f for _c, f in found(engine, text + "后来我们在 HuggingFace 上发布模型。\n")] == ["HuggingFace"]


@pytest.mark.parametrize("text", [
    # ai-system-zh 8.6 and 7.4: a paper's words quoted after a colon, on its own lines or in the sentence
    "论文中这样解释：\n“对数据中心来说，当购买成千上万的计算机时，成本性能的考量胜过单纯考虑性能，批归一化也一样。”\n",
    "调度器的特点：“\n- 反馈驱动探索：用户会一次性提交大量的深度学习作业，批归一化。\n- 作业之间差异很大。\n”\n",
    "该调度器：“对集群中的作业进行优化问题的抽象与策略设计，优先调度大量短作业，再做批归一化。”\n",
    # ai-system-zh 1.1: a paper's abstract quoted after a comma, with a quotation inside it
    "该论文介绍了实验结果，“其在“单通道”识别基准上将相对错误率降低了三分之一，在另外四类任务上也有提升，训练时用了批归一化和更大的批量。”\n",
])
def test_a_quoted_passage_is_not_the_writers_prose(engine, text):
    base = "本文使用批量归一化，批量归一化很有效。\n\n"
    assert found(engine, base + text) == []
    # the same words as the writer's own are reported
    own = text.replace("“", "").replace("”", "")
    assert found(engine, base + own) == [("inconsistent", "批归一化")]


def test_a_short_quoted_word_after_a_colon_is_still_prose(engine):
    text = "本文使用批量归一化，批量归一化很有效。\n\n这一步称为：“批归一化”。\n"
    assert found(engine, text) == [("inconsistent", "批归一化")]


@pytest.mark.parametrize("text, word", [("检查是否有错误检测机制。", "误检"), ("系统发出误报警时会重试。", "误报"),
                                        ("用于处理序列相关的问题。", "序列相关"), ("提供高速存储访问带宽。", "存储访问"),
                                        ("按真值表逐行计算输出。", "真值"),  # leedl-tutorial: a truth table
                                        ("得到每个词的词表示。", "词表")])  # unlock-hf: a word representation
def test_words_that_only_contain_or_resemble_a_term_are_not_it(engine, text, word):
    analysis = engine.analyze("doc.md", text)
    assert [o.surface for o in analysis.occurrences if o.surface == word and not o.ambiguous] == []


@pytest.mark.parametrize("text", [
    "如该例子中需要的Sigmoid、Relu和MatMul算子，下面是它们的内核。",  # ai-system-zh 5.5: operator names
    "Element-wise的算子（如Add，Mul，Sigmoid，Relu等）可以融合。",  # ai-system-zh 5.2: examples of operators
    "如Conv和Relu的子图可以替换为Conv+Relu融合后的算子。",  # the fused operator's name in the same line
    "| 算子 | 说明 |\n|---|---|\n|Relu|Loss|Map|\n",  # a table row of single names
    "| 模型 |\n|-|\n|<b>alexnet</b><br />Framework: caffe<br />Download: [x](https://example.org/x)|\n",  # a data row
])
def test_operator_names_in_a_list_of_operators_are_identifiers(engine, text):
    assert found(engine, text, code="casing") == []


@pytest.mark.parametrize("text, word", [
    ("图三做了一层Relu激活计算。", "Relu"),  # ai-system-zh 2.7: the activation in prose
    ("包括 TorchServe 和 Pytorch Enterprise。", "Pytorch"),  # products beside each other are not operators
    ("| 框架 | 说明 |\n|---|---|\n| pytorch | 我们用它训练 |\n", "pytorch"),  # a table cell in prose
])
def test_the_same_names_in_prose_are_still_checked(engine, text, word):
    assert found(engine, text, code="casing") == [("casing", word)]


# -- the quoted-passage scan (a fast path) reads exactly what its pattern reads ---------------------------------------

def _by_pattern(text):
    from nnterm_ls.resolve import _QUOTED_PASSAGE

    return [(m.start(), m.end()) for m in _QUOTED_PASSAGE.finditer(text)]


def test_the_quoted_passage_scan_agrees_with_its_pattern_on_every_corpus_file():
    from engine_helpers import corpus_or_skip

    from nnterm_ls.resolve import _passages_after_colon

    files = [p for p in sorted(corpus_or_skip().rglob("*")) if p.suffix in (".md", ".mdx", ".tex")]
    assert len(files) > 300
    found = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert _passages_after_colon(text) == _by_pattern(text), path
        found += len(_by_pattern(text))
    assert found > 10  # (the corpora do quote passages)


def test_the_quoted_passage_scan_agrees_with_its_pattern_on_random_text():
    import random

    from nnterm_ls.resolve import _passages_after_colon

    rng = random.Random(5)
    pieces = ["：", ":", " ", "\t", "\n", "“", "”", "他写道", "x" * 12, "长句子里的文字" * 3, "，"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        assert _passages_after_colon(text) == _by_pattern(text), repr(text)


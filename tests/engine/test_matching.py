"""Term matching: leftmost-longest, English case rules, boundaries, plurals, variants, wraps and markup."""

from __future__ import annotations

import pytest

from engine_helpers import line_col, make_engine, marked, spans_of


def occ(engine, text, kind="markdown"):
    path = "doc.tex" if kind == "latex" else "doc.md"
    return engine.analyze(path, text, kind).occurrences


CASES = {
    # leftmost-longest over the whole base
    "deep-learning-wins": ("⟦深度学习⟧率先发布", ["deep-learning"]),
    "inner-form-not-fired": ("使用⟦批量归一化⟧层", ["batch-normalization"]),
    "blocker-word": ("我们通过学习得到参数，而⟦过学习⟧是问题", ["overfitting"]),
    # Latin word boundaries only on Latin edges
    "latin-next-to-han": ("使用⟦ReLU⟧激活", ["relu"]),
    "latin-before-fullwidth-comma": ("⟦ReLU⟧，以及⟦CNN⟧。", ["relu", "cnn"]),
    "inside-latin-word": ("PReLU 与 ReLUx 与 myCNN 都不是", []),
    "spaced-latin-han": ("使用 ⟦ReLU⟧ ⟦激活函数⟧", ["relu", "activation-function"]),
    # plurals and hyphen/space variants
    "plural": ("two ⟦learning rates⟧ and ⟦CNNs⟧", ["learning-rate", "cnn"]),
    "plural-es": ("several ⟦activation functions⟧", ["activation-function"]),
    "hyphen-variant": ("⟦back-propagation⟧ or ⟦back propagation⟧ or ⟦backpropagation⟧",
                       ["backpropagation"] * 3),
    "case-insensitive-term": ("⟦Learning Rate⟧ and ⟦LEARNING RATE⟧", ["learning-rate"] * 2),
    # a line break inside a term
    "english-line-break": ("the ⟦batch\nnormalization⟧ layer", ["batch-normalization"]),
    "han-line-wrap": ("调整⟦学习\n率⟧", ["learning-rate"]),
    # full-width Latin letters
    "fullwidth": ("使用⟦ＲｅＬＵ⟧函数", ["relu"]),
    # split by markup
    "markdown-emphasis-split": ("**⟦学习**率⟧和⟦学习**率⟧**", ["learning-rate"] * 2),
    "markdown-emphasis-inner": ("**⟦学习**率⟧**", ["learning-rate"]),
}


@pytest.mark.parametrize("name", CASES)
def test_matching(mini_engine, name):
    src, concepts = CASES[name]
    text, expected = marked(src)
    got = occ(mini_engine, text)
    assert [(o.start, o.end) for o in got] == expected
    assert [o.concept_ids[0] for o in got] == concepts
    lines = mini_engine.analyze("doc.md", text, "markdown").lines
    for (s, _e), o in zip(expected, got):
        line, col = lines.position(o.start)
        assert (line + 1, col + 1) == line_col(text, s)


def test_surface_is_what_a_reader_sees(mini_engine):
    text = "**学习**率和 batch\nnormalization"
    surfaces = [o.surface for o in occ(mini_engine, text)]
    assert surfaces == ["学习率", "batch normalization"]


LATEX = {
    "textbf-split": ("\\textbf{⟦学习}率⟧", "learning-rate"),
    "emph-split": ("调整\\emph{⟦学习}率⟧", "learning-rate"),
    "line-wrap": ("调整⟦学习\n率⟧", "learning-rate"),
    "comment-wrap": ("调整⟦学习% 换行\n率⟧", "learning-rate"),
    "tilde-space": ("the ⟦learning~rate⟧", "learning-rate"),
}


@pytest.mark.parametrize("name", LATEX)
def test_latex_split_terms(mini_engine, name):
    src, concept = LATEX[name]
    text, expected = marked(src)
    got = occ(mini_engine, text, "latex")
    assert [(o.start, o.end) for o in got] == expected
    assert got[0].concept_ids == [concept]
    assert got[0].surface.replace(" ", "") in ("学习率", "learningrate")


def test_hard_mask_is_a_boundary(mini_engine):
    # inline code between the halves: a reader sees two things, not one term
    assert spans_of(mini_engine, "学习`x`率", "markdown") == []
    assert spans_of(mini_engine, "学习$x$率", "latex") == []


CASE_RULES = [
    # (text, found?, miscased?)
    ("CNN", True, False),
    ("cnn", True, True),  # an all-capitals abbreviation written in lowercase is matched and reported
    ("Cnn", False, False),  # neither the abbreviation nor an ordinary word: not a match
    ("BN", True, False),
    ("bn", False, False),  # two letters in lowercase: too likely an ordinary token
    ("ReLU", True, False),
    ("relu", True, True),
    ("Relu", True, True),
    ("RELU", True, True),
    ("PyTorch", True, False),
    ("pytorch", True, True),
    ("Pytorch", True, True),
    ("Backpropagation", True, False),  # an ordinary lowercase term in any case
]


@pytest.mark.parametrize("word,found,miscased", CASE_RULES)
def test_english_case_rules(mini_engine, word, found, miscased):
    got = occ(mini_engine, f"We use {word} here.")
    assert bool(got) == found
    if found:
        assert len(got) == 1 and got[0].surface == word
        assert got[0].miscased == miscased


def test_ignore_words():
    from engine_helpers import Config

    engine = make_engine(Config(ignore=["学习率"]))
    assert spans_of(engine, "学习率与激活函数", "markdown") == [(4, 8)]


def test_scales_to_many_forms(tmp_path):
    """Thousands of generated forms: one automaton, leftmost-longest still holds."""
    lines = ["category: generated", "concepts:"]
    for i in range(3000):
        lines += [f"  - id: gen-{i}", f"    en: generated term {i:04d}", f"    zh: 生成术语{i:04d}号",
                  "    definition: {en: x, zh: x}"]
    f = tmp_path / "many.yaml"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine = make_engine(extra_terms=[f])
    assert engine.matcher.pattern_count > 6000
    text, expected = marked("⟦深度学习⟧率先，⟦生成术语2999号⟧与⟦generated term 0042⟧")
    assert spans_of(engine, text, "markdown") == expected


# -- found on real text (d2l-zh) during the term-base review ----------------------------------------------------

IDENTIFIER_CASES = {
    "hyphenated-identifier": ("见 d2l-pytorch-sagemaker 仓库", []),
    "snake-case-identifier": ("调用 _get_relu_cnn 函数", []),
    "dotted-identifier": ("导入 relu.cnn 模块", []),
    "slash-alternatives-are-prose": ("用 ⟦PyTorch⟧/⟦ReLU⟧ 实现", ["pytorch", "relu"]),
    "capitals-are-not-a-plural": ("采用 CNNS 格式，两个 ⟦CNNs⟧", ["cnn"]),
}


@pytest.mark.parametrize("name", IDENTIFIER_CASES)
def test_identifiers_and_plurals(mini_engine, name):
    src, concepts = IDENTIFIER_CASES[name]
    text, expected = marked(src)
    got = occ(mini_engine, text)
    assert [(o.start, o.end) for o in got] == expected
    assert [o.concept_ids[0] for o in got] == concepts


def test_casing_ignores_spacing_and_sentence_initial_capital(mini_engine):
    got = occ(mini_engine, "Rectified linear unit 与 PyTorch 框架")
    assert [o.concept_ids[0] for o in got] == ["relu", "pytorch"]
    assert [o.miscased for o in got] == [False, False]


def test_fullwidth_dash_is_the_same_rendering(mini_engine):
    a, b = occ(mini_engine, "back－propagation 与 back-propagation")
    assert a.variant_key == b.variant_key


@pytest.mark.parametrize(
    "form_text, written, verdict",
    [
        ("t-SNE", "T-SNE", False),  # sentence-initial capital
        ("t-SNE", "t-sne", True),
        ("Transformer 架构", "Transformer架构", False),  # spacing is not casing
        ("ReLU", "relu", True),
        ("CNN", "Cnn", None),  # Title case of an all-caps abbreviation is another word, not this form
        ("CNN", "cnn", True),
    ],
)
def test_case_verdict(form_text, written, verdict):
    from nnterm_ls.match.matcher import _case_verdict
    from nnterm_ls.termbase.model import Form, default_case

    form = Form(form_text, "en", "preferred", case=default_case(form_text, "term"))
    assert _case_verdict(form, written) is verdict

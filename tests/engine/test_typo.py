"""typo: a known name misspelt by a letter or two, where the set writes it right elsewhere."""

from __future__ import annotations

import pytest

from nnterm_ls.analysis import Engine

RIGHT = "我们用 PyTorch 实现。PyTorch 很流行。PyTorch 也好用。Transformer 是架构，Transformer 很强，Transformer 也快。\n\n"


@pytest.fixture(scope="module")
def engine():
    return Engine()


def typos(engine, text, path="a.md"):
    return [(f.found, f.suggestion, f.fix.safe) for f in engine.check_text(path, text) if f.code == "typo"]


def test_a_misspelt_name_is_reported_with_an_editor_only_fix(engine):
    assert typos(engine, RIGHT + "像 BERT 这样的 Transormer 模型，以及 PyTroch 的脚本模式。\n") == [
        ("Transormer", "Transformer", False), ("PyTroch", "PyTorch", False)]


@pytest.mark.parametrize("text", [
    "像 BERT 这样的 Transormer 模型。\n",  # the set never writes the name right: nothing to compare with
    RIGHT + "见 tools/PyTroch.py 与 PyTroch_v2。\n",  # a path, an identifier
    RIGHT + "多个 Transformers 模型。\n",  # a plural
    RIGHT + "ResNeXt 不是 ResNet 的笔误。ResNet 很常用，ResNet 也深，ResNet 好。\n",  # a name the base knows
    RIGHT + "轮询（polling）不是池化（pooling）。\n",  # lowercase words: another word, not a misspelt name
    RIGHT + "Pytorch 的写法是大小写问题。\n",  # casing is the casing rule's
])
def test_what_is_not_a_misspelling(engine, text):
    assert typos(engine, text) == []


def test_a_frequent_spelling_is_the_writers_choice_not_a_typo(engine):
    text = RIGHT + "PyTroch 一。PyTroch 二。PyTroch 三。\n"
    assert typos(engine, text) == []


def test_an_edit_keeps_the_words_around_it_and_finds_them_as_a_fresh_check_does():
    # the server's keystrokes: a long-lived engine summarises the edited document from the version before the edit,
    # reading the words of the edited run only (incremental.RuleMemo); a fresh engine reads the whole text
    from nnterm_ls.rules import typo

    calls = []
    original = typo._words

    def counted(doc, lo=0, hi=None):
        calls.append((lo, hi))
        return original(doc, lo, hi)

    engine = Engine()
    text = RIGHT + "第一段讲 PyTroch 的用法。\n\n第二段。\n\n第三段讲 Transormer 的结构。\n\n第四段。\n"
    steps = [text.replace("第二段。", "第二段讲 Transfromer 模型。"),  # a typo typed in the run
             text.replace("第二段。", "第二段讲模型。"),  # removed again
             text.replace("第三段讲 Transormer", "第三段讲 Transformer")]  # the run holding a typo corrected
    previous = engine.analyze_version("a.md", text)
    engine.check([previous])
    typo._words = counted
    try:
        for step in steps:
            calls.clear()
            previous = engine.analyze_version("a.md", step, previous=previous)
            kept = [(f.found, f.start, f.end) for f in engine.check([previous])["a.md"] if f.code == "typo"]
            assert calls and all(hi is not None for _lo, hi in calls)  # only the run was read again
            fresh = [(f.found, f.start, f.end) for f in Engine().check_text("a.md", step) if f.code == "typo"]
            assert kept == fresh
    finally:
        typo._words = original
    assert [f for f, _s, _e in kept] == ["PyTroch"]

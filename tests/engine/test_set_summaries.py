"""The set-level rules decide from per-document summaries (rules/registry.py: summarize, decide, findings), and an
engine keeps each document's summary and findings between checks of the same set (incremental.RuleMemo), as the
language server does on each keystroke. After any edit, the engine's check must give exactly the findings of a
fresh engine's check of the edited set; ``Engine.check_stream`` (nnterm check on a set too large to hold) must give
exactly those of ``Engine.check``."""

from __future__ import annotations

import pytest

from nnterm_ls.analysis import Engine
from nnterm_ls.config import Config


def _full(result):
    """Every field of every finding, per path, in order."""
    out = {}
    for path, found in result.items():
        out[path] = [
            (f.path, f.start, f.end, f.code, f.severity, f.message, f.found, f.suggestion, f.concept_id, f.learned_from,
             None if f.fix is None else (f.fix.title, [(e.start, e.end, e.new_text) for e in f.fix.edits], f.fix.applicability),
             [(r.path, r.start, r.end, r.message) for r in f.related])
            for f in found
        ]
    return out


CH1 = "本章介绍批量归一化（batch normalization，BN）。批量归一化很常用。卷积神经网络（convolutional neural network，CNN）也是。\n"
CH2 = "BN 层放在卷积之后。批量规范化也可以。CNN 很强。我们用 mini-batch 和 minibatch。\n"
CH3 = "批量归一化再次出现。批量规范化也出现。过拟合很常见。\n"


@pytest.fixture(scope="module")
def termbase():
    return Engine(config=Config()).termbase


class Book:
    """A set being edited, checked by one long-lived engine (the server's) and by a fresh engine each time."""

    def __init__(self, termbase, texts: dict[str, str], select=None) -> None:
        self.termbase, self.select = termbase, select
        self.engine = Engine(termbase=termbase, config=Config(), select=select)
        self.order = list(texts)
        self.groups = {p: 0 for p in texts}
        self.analyses = {p: self.engine.analyze(p, t) for p, t in texts.items()}
        self.checks = 0

    def edit(self, path: str, text: str) -> None:
        self.analyses[path] = self.engine.analyze(path, text)
        if path not in self.order:
            self.order.append(path)
            self.groups[path] = 0

    def docs(self):
        out = [self.analyses[p] for p in self.order]
        for d in out:
            d.order_group = self.groups[d.path]
        return out

    def same_as_fresh(self):
        docs = self.docs()
        kept = self.engine.check(docs)
        fresh = Engine(termbase=self.termbase, config=Config(), select=self.select).check(docs)
        assert _full(kept) == _full(fresh)
        self.checks += 1
        return kept


def _codes(result, path):
    return [(f.code, f.found) for f in result[path]]


def test_a_rival_rendering_added_in_another_document(termbase):
    book = Book(termbase, {"ch1.md": CH1, "ch2.md": CH2, "ch3.md": CH3})
    before = book.same_as_fresh()
    assert ("inconsistent", "批量规范化") in _codes(before, "ch2.md")
    # ch3 now writes the rival five times: the set keeps 批量规范化, and ch1 (unchanged) is reported instead
    book.edit("ch3.md", "批量规范化。" * 5 + "过拟合很常见。\n")
    after = book.same_as_fresh()
    assert ("inconsistent", "批量归一化") in _codes(after, "ch1.md")
    assert ("inconsistent", "批量规范化") not in _codes(after, "ch2.md")
    book.same_as_fresh()  # nothing changed: everything reused, still the same


def test_an_abbreviation_definition_removed_from_an_earlier_chapter(termbase):
    book = Book(termbase, {"ch1.md": CH1, "ch2.md": CH2, "ch3.md": CH3})
    before = book.same_as_fresh()
    assert not any(c == "abbreviation-before-definition" for c, _f in _codes(before, "ch2.md"))
    book.edit("ch1.md", "本章介绍一种做法。卷积神经网络（convolutional neural network，CNN）也是。\n")
    after = book.same_as_fresh()
    assert ("abbreviation-before-definition", "BN") in _codes(after, "ch2.md")
    book.edit("ch1.md", CH1)  # and back
    assert _full(book.same_as_fresh()) == _full(before)


def test_reading_order_changed(termbase):
    book = Book(termbase, {"ch1.md": CH1, "ch2.md": CH2, "ch3.md": CH3})
    before = book.same_as_fresh()
    book.order = ["ch2.md", "ch1.md", "ch3.md"]  # BN and CNN are now used before ch1 defines them
    after = book.same_as_fresh()
    assert ("abbreviation-before-definition", "BN") in _codes(after, "ch2.md")
    assert _full(after) != _full(before)
    book.groups["ch2.md"] = 1  # ch2's place is not declared: nothing says it comes before ch1
    book.same_as_fresh()
    book.groups["ch2.md"] = 0
    book.order = ["ch1.md", "ch2.md", "ch3.md"]
    assert _full(book.same_as_fresh()) == _full(before)


def test_edits_that_move_what_other_documents_point_to(termbase):
    book = Book(termbase, {"ch1.md": CH1, "ch2.md": CH2, "ch3.md": CH3})
    book.same_as_fresh()
    # text before the kept uses in ch1: the related locations of ch2's and ch3's findings move
    book.edit("ch1.md", "前言。\n\n" + CH1)
    book.same_as_fresh()
    # the first Chinese mention of 卷积 gets its gloss; 过拟合 is first mentioned in a new first chapter
    book.edit("ch2.md", CH2.replace("卷积之后", "卷积（convolution）之后"))
    book.same_as_fresh()
    book.edit("ch0.md", "过拟合（overfitting）要避免。\n")
    book.order = ["ch0.md", "ch1.md", "ch2.md", "ch3.md"]
    book.same_as_fresh()
    book.order = ["ch1.md", "ch2.md", "ch3.md"]  # a document closed
    book.same_as_fresh()
    # a compound spelled two ways across documents, and a use that learns a rendering
    book.edit("ch3.md", CH3 + "The minibatch size and the mini-batch size. 我们把学习速度（learning rate）设为 0.1，学习速度不宜过大。\n")
    book.same_as_fresh()
    book.edit("ch2.md", CH2 + "学习率很重要。\n")
    book.same_as_fresh()


def test_synonyms_follow_the_set(termbase):
    texts = {"a.md": "正态分布很常见。正态分布。\n", "b.md": "高斯分布也是。\n"}
    book = Book(termbase, texts, select=["synonym", "inconsistent"])
    book.same_as_fresh()
    book.edit("b.md", "高斯分布也是。高斯分布。高斯分布。\n")
    result = book.same_as_fresh()
    assert any(f.code == "synonym" for f in result["a.md"])


def _stream(engine, docs):
    def analyses(only=None):
        for pos, d in enumerate(docs):
            if only is None or pos in only:
                yield pos, d
    return {d.path: found for d, found in engine.check_stream(analyses)}


@pytest.mark.parametrize("select", [None, ["synonym", "inconsistent", "non-preferred"]])
def test_check_stream_gives_the_findings_of_check(termbase, select):
    texts = {
        "ch1.md": CH1,
        "ch2.md": CH2 + "我们把学习速度（learning rate）设为 0.1，学习速度不宜过大。特征映射（feature map）的大小。\n",
        "ch3.md": CH3 + "学习速度很重要。特征映射很多。正态分布，高斯分布，高斯分布。The minibatch and the mini-batch.\n",
        "ch4.md": "术语表\n\n| 英文 | 中文 |\n|---|---|\n| batch normalization | 批量规范化 |\n",
    }
    engine = Engine(termbase=termbase, config=Config(), select=select)
    docs = [engine.analyze(p, t) for p, t in texts.items()]
    docs[2].order_group = 1
    held = Engine(termbase=termbase, config=Config(), select=select).check(docs)
    assert any(held.values())
    assert _full(_stream(engine, docs)) == _full(held)


def test_uses_inside_other_terms_follow_edits_of_one_document_among_many(termbase):
    # 汇聚层 inside 最大汇聚层 counts for 汇聚层: the counts are updated from the edited document alone when most of
    # the set is unchanged (eight documents here), and must equal a fresh count
    texts = {"a.md": "池化层很常见。池化层可以降维。\n", "b.md": "汇聚层也可以。\n"}
    texts.update({f"x{i}.md": "无关的一段话。\n" for i in range(6)})
    book = Book(termbase, texts)
    assert ("inconsistent", "汇聚层") in _codes(book.same_as_fresh(), "b.md")
    book.edit("x0.md", "最大汇聚层和平均汇聚层。最大汇聚层。\n")
    assert ("inconsistent", "池化层") in _codes(book.same_as_fresh(), "a.md")
    book.edit("x0.md", "无关的一段话。\n")
    assert ("inconsistent", "汇聚层") in _codes(book.same_as_fresh(), "b.md")
    book.edit("x1.md", "最大汇聚层。\n")
    book.edit("x2.md", "平均汇聚层。\n")
    book.same_as_fresh()


def test_one_document_among_many_changes_its_counts_and_positions(termbase):
    # the merged counts and first uses of a designation are updated from the edited document's part alone when the
    # other documents' parts are the same: they must equal a fresh merge
    texts = {"a.md": "批量归一化。\n", "b.md": "批量规范化。\n",
             "x0.md": "批量归一化。批量归一化。批量规范化。批量归一化。批量归一化。批量规范化。批量规范化。\n"}
    texts.update({f"y{i}.md": "无关的一段话。\n" for i in range(5)})
    book = Book(termbase, texts)
    assert ("inconsistent", "批量规范化") in _codes(book.same_as_fresh(), "b.md")
    book.edit("x0.md", "前言。\n\n" + texts["x0.md"])  # the kept uses in x0 move: b's related locations follow
    book.same_as_fresh()
    book.edit("x0.md", "前言。\n\n" + texts["x0.md"] + "批量归一化。批量规范化。\n")  # counts change
    book.same_as_fresh()
    book.edit("a.md", "前言。批量归一化。\n")  # the first use of the kept rendering moves
    book.same_as_fresh()


def test_a_misspelling_reported_once_another_document_spells_the_name_right(termbase):
    book = Book(termbase, {"ch1.md": "我们用 PyTroch 写代码。\n", "ch2.md": "其他内容。\n"})
    assert not any(c == "typo" for c, _f in _codes(book.same_as_fresh(), "ch1.md"))
    book.edit("ch2.md", "PyTorch 很好。PyTorch 常用。PyTorch 流行。\n")  # ch1 unchanged: its findings must follow
    assert ("typo", "PyTroch") in _codes(book.same_as_fresh(), "ch1.md")
    book.edit("ch2.md", "其他内容。\n")
    assert not any(c == "typo" for c, _f in _codes(book.same_as_fresh(), "ch1.md"))


def test_term_lists_and_compound_spellings_follow_edits_of_one_document(termbase):
    # the set's term lists and compound spellings are kept between checks and updated from the edited document only
    terms = "# 术语表\n\n| 英文 | 中文 |\n|---|---|\n| batch normalization | 批量归一化 |\n"
    texts = {"terms.md": terms, "ch1.md": "批量规范化很常用。批量归一化也是。批量规范化。\n", "ch2.md": CH2, "ch3.md": CH3}
    book = Book(termbase, texts)
    first = book.same_as_fresh()
    book.edit("terms.md", terms.replace("批量归一化", "批量规范化"))  # the list now prescribes the other rendering
    second = book.same_as_fresh()
    assert _codes(first, "ch1.md") != _codes(second, "ch1.md")
    book.edit("ch2.md", CH2.replace("mini-batch 和 minibatch", "minibatch、minibatch 和 minibatch"))
    book.same_as_fresh()
    book.edit("ch3.md", CH3 + "mini-batch 很小，mini-batch 也快。\n")
    book.same_as_fresh()
    book.edit("terms.md", terms + "| mini-batch | 小批量 |\n")
    book.same_as_fresh()


def test_a_definition_added_or_removed_in_one_document_changes_what_fix_all_applies(termbase):
    # the renderings a set introduces in a definition are kept between checks with its term lists: a keystroke that
    # writes the definition (or deletes it) changes the applicability of the rival's fixes in another document
    later = "层的激活值很大。激活值的方差随时间变化。激活值和梯度都要传输。\n"
    plain = "激活函数的输出是活性值。每一层都计算活性值。\n"
    defined = "激活函数的输出被称为*活性值*（activations）。每一层都计算活性值。\n"
    book = Book(termbase, {"mlp.md": plain, "dropout.md": later, "ch3.md": CH3})

    def applicability(result):
        return [f.fix.applicability.value for f in result["mlp.md"] if f.code == "inconsistent"]

    assert applicability(book.same_as_fresh()) == ["safe", "safe"]
    book.edit("mlp.md", defined)
    assert applicability(book.same_as_fresh()) == ["unsafe"]
    book.edit("mlp.md", plain)
    assert applicability(book.same_as_fresh()) == ["safe", "safe"]


def test_a_definition_that_moves_in_a_later_document_is_pointed_to_where_it_is_now(termbase):
    # ch1 uses BN before ch2 spells it out: the finding in ch1 points at ch2's definition, which an edit before it
    # in ch2 moves (the set's definitions are kept between checks and only their places updated)
    texts = {"ch1.md": "BN 层放在卷积之后。过拟合很常见。\n",
             "ch2.md": "本章介绍批量归一化（batch normalization，BN）。BN 很常用。\n"}
    book = Book(termbase, texts)
    first = book.same_as_fresh()
    related = [r for f in first["ch1.md"] if f.code == "abbreviation-before-definition" for r in f.related]
    assert [(r.path, r.start) for r in related] == [("ch2.md", texts["ch2.md"].index("批量归一化"))]
    for prefix in ("前言。", "再加一句话作为前言。\n\n", ""):
        book.edit("ch2.md", prefix + texts["ch2.md"])
        moved = book.same_as_fresh()
        related = [r for f in moved["ch1.md"] if f.code == "abbreviation-before-definition" for r in f.related]
        assert [(r.path, r.start) for r in related] == [("ch2.md", len(prefix) + texts["ch2.md"].index("批量归一化"))]


def test_a_deprecated_rendering_whose_replacement_the_set_never_writes_is_fixed_only_by_hand(termbase):
    # ai-system-zh shortens neural architecture search to 神经网络搜索 under a 神经网络结构搜索 heading and never writes
    # the base's 神经架构搜索: the deprecated form is reported, but which rendering replaces it is the writer's choice;
    # once the set writes the replacement, --fix applies it (kept between checks: the document's dependencies)
    texts = {"ch1.md": "神经网络搜索的代价很高。\n", "ch2.md": "过拟合很常见。\n", "ch3.md": "神经网络结构搜索的空间很大。\n"}
    book = Book(termbase, texts)

    def fixes(result):
        return [(f.found, f.suggestion, f.fix.applicability.value) for f in result["ch1.md"] if f.code == "deprecated"]

    assert fixes(book.same_as_fresh()) == [("神经网络搜索", "神经架构搜索", "unsafe")]
    book.edit("ch2.md", "神经架构搜索也常见。\n")
    assert fixes(book.same_as_fresh()) == [("神经网络搜索", "神经架构搜索", "safe")]
    book.edit("ch2.md", texts["ch2.md"])
    assert fixes(book.same_as_fresh()) == [("神经网络搜索", "神经架构搜索", "unsafe")]


def test_an_english_misspelling_is_corrected_by_fix_whatever_the_set_writes(termbase):
    # ai-system-zh's "seqence to seqence": the correction of a misspelling is certain
    book = Book(termbase, {"ch1.md": "序列到序列（seqence to seqence）模型。我们用 seq2seq 模型。\n"})
    result = book.same_as_fresh()
    assert [(f.found, f.fix.applicability.value) for f in result["ch1.md"] if f.code == "deprecated"] == [
        ("seqence to seqence", "safe")]

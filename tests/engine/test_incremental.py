"""One engine checking a set again and again, as the language server does on each keystroke, reuses each document's
learned-rendering and sense stages (nnterm_ls/incremental.py): its findings must be those of a fresh engine's check,
edit after edit, including edits that teach the set a rendering, take it away, or decide a sense."""

from __future__ import annotations

import random

import pytest

from engine_helpers import corpus_or_skip
from nnterm_ls.analysis import Engine
from nnterm_ls.config import Config


def _flat(result):
    return {p: [(f.start, f.end, f.code, f.message, f.suggestion, f.learned_from,
                 [(r.path, r.start, r.end, r.message) for r in f.related]) for f in fs] for p, fs in result.items()}


@pytest.fixture(scope="module")
def engine():
    return Engine(config=Config())


def _same_as_fresh(engine, analyses):
    fresh = Engine(termbase=engine.termbase, config=Config())
    assert _flat(engine.check(analyses)) == _flat(fresh.check(analyses))


def test_edits_that_change_what_the_set_teaches(engine):
    texts = {
        "ch2.md": "我们把学习速度（learning rate）设为 0.1，学习速度不宜过大。\n",
        "ch5.md": "学习率很重要。学习率要调。学习率会衰减。\n",
        "ch6.md": "特征映射（feature map）的大小。特征映射很多。标记很多。\n",
    }
    analyses = {p: engine.analyze(p, t) for p, t in texts.items()}
    edits = [
        ("ch5.md", "学习率很重要。学习速度也常见。学习率会衰减。\n"),  # a use of the learned rendering elsewhere
        ("ch2.md", "我们把学习率设为 0.1。\n"),  # the gloss is gone: nothing is learned any more
        ("ch2.md", "我们把学习速度（learning rate）设为 0.1，学习速度不宜过大。\n"),  # learned again
        ("ch6.md", "特征映射很多。标记（token）很多，标记要数。\n"),  # a sense decided by a gloss
        ("ch6.md", "特征映射很多。\n"),
    ]
    _same_as_fresh(engine, list(analyses.values()))
    for path, text in edits:
        analyses[path] = engine.analyze(path, text)
        _same_as_fresh(engine, list(analyses.values()))
        _same_as_fresh(engine, list(analyses.values()))  # the second check of an unchanged set reuses everything


_EXPANDER = "本章提出知识化扩展器（knowledgeable expander），知识化扩展器效果好。知识化扩展器。\n"


def test_unchanged_documents_follow_what_other_documents_decide(engine):
    # the stages of an unchanged document must be redone when another document changes the set's lexicon (still
    # not empty) or the sense of a form: ch3 and ch4 never change here
    texts = {
        "ch1.md": "我们把学习速度（learning rate）设为 0.1，学习速度不宜过大。" + _EXPANDER,
        "ch2.md": "文本被切分成标记（token）。\n",
        "ch3.md": "学习速度不宜过大，学习率也是，学习率。知识型扩展器（knowledgeable expander）也好。\n",
        "ch4.md": "每个标记都有编号。词元很重要。词元，词元。\n",
    }
    analyses = {p: engine.analyze(p, t) for p, t in texts.items()}
    edits = [
        ("ch1.md", "我们把学习率设为 0.1。" + _EXPANDER),  # one rendering less, one still learned
        ("ch2.md", "文本被切分成很多块。\n"),  # the sense of 标记 is no longer decided
        ("ch1.md", "我们把学习速度（learning rate）设为 0.1，学习速度不宜过大。" + _EXPANDER),
        ("ch2.md", "文本被切分成标记（token）。\n"),
    ]
    before = None
    for path, text in [(None, None), *edits]:
        if path is not None:
            analyses[path] = engine.analyze(path, text)
        _same_as_fresh(engine, list(analyses.values()))
        assert engine.lexicon  # the lexicon never becomes empty here (an empty one skips the learned stage)
        now = _flat(engine.check(list(analyses.values())))
        assert now != before  # every edit changes the findings of the set
        before = now


def test_random_keystrokes_in_a_real_book(engine):
    root = corpus_or_skip() / "d2l-zh"
    files = sorted(root.rglob("*.md"))[:40]
    texts = {str(f): f.read_text(encoding="utf-8") for f in files}
    analyses = {p: engine.analyze(p, t) for p, t in texts.items()}
    rng = random.Random(16)
    pieces = ["学", "率", "（learning rate）", "学习速率（learning rate）", "批量归一化", "\n\n", "（", "token"]
    paths = list(texts)
    _same_as_fresh(engine, list(analyses.values()))
    for _ in range(12):
        path = rng.choice(paths)
        text = texts[path]
        at = rng.randrange(len(text) + 1)
        if rng.random() < 0.3 and at < len(text):
            text = text[:at] + text[at + rng.randint(1, 20):]
        else:
            text = text[:at] + rng.choice(pieces) + text[at:]
        texts[path] = text
        analyses[path] = engine.analyze(path, text)
        _same_as_fresh(engine, list(analyses.values()))


def test_keystrokes_around_learned_renderings_in_a_real_book(engine):
    # the server's path: each version analysed from the previous one (edits.reanalyze), the learned heads looked for
    # again only around the edit (resolve.learn.apply_edited); the findings are a fresh engine's on the same text
    from nnterm_ls import edits

    root = corpus_or_skip() / "d2l-zh"
    names = ["chapter_computational-performance/hardware.md", "chapter_introduction/index.md",
             "chapter_multilayer-perceptrons/environment.md", "chapter_recurrent-neural-networks/sequence.md",
             "chapter_linear-networks/linear-regression.md", "chapter_multilayer-perceptrons/mlp.md"]
    texts = {str(root / n): (root / n).read_text(encoding="utf-8") for n in names}
    analyses = {p: engine.analyze(p, t) for p, t in texts.items()}
    _same_as_fresh(engine, list(analyses.values()))
    heads = sorted(engine.lexicon.renderings)
    assert len(heads) >= 10, "these chapters teach the set renderings"
    rng = random.Random(5)
    before = edits.COUNTS.get("learned-local", 0)
    paths = list(texts)
    for _ in range(40):
        path = rng.choice(paths)
        text = texts[path]
        spots = [i for h in heads for i in range(len(text)) if text.startswith(h, i)] if rng.random() < 0.7 else []
        at = min(len(text), max(0, rng.choice(spots) + rng.randint(-20, 20))) if spots else rng.randrange(len(text) + 1)
        roll = rng.random()
        if roll < 0.3 and at < len(text):
            text = text[:at] + text[at + rng.randint(1, 6):]
        elif roll < 0.6:
            text = text[:at] + rng.choice(heads) + text[at:]
        else:
            text = text[:at] + rng.choice(["批", "的", "（", "）", "\n", "token"]) + text[at:]
        texts[path] = text
        analyses[path] = engine.analyze_version(path, text, None, analyses[path])
        _same_as_fresh(engine, list(analyses.values()))
    assert edits.COUNTS.get("learned-local", 0) > before + 10  # the local path was taken, not only the full one


def test_keystrokes_that_leave_every_term_as_it_was_move_the_summaries(engine, monkeypatch):
    # the server's path, typing words that are no term: the edited chapter's summaries are its previous version's
    # with their offsets moved (rules/moved.py); its findings, and those of the chapters that point into it (the
    # first uses of a kept rendering), are a fresh engine's on the same text
    from nnterm_ls.rules import moved

    taken = []
    of = moved.Moved.of
    monkeypatch.setattr(moved.Moved, "of", staticmethod(lambda *a: taken.append(of(*a)) or taken[-1]))
    root = corpus_or_skip() / "d2l-zh"
    names = ["chapter_convolutional-modern/batch-norm.md", "chapter_preliminaries/ndarray.md",
             "chapter_linear-networks/linear-regression.md"]
    texts = {str(root / n): (root / n).read_text(encoding="utf-8") for n in names}
    analyses = {p: engine.analyze(p, t) for p, t in texts.items()}
    _same_as_fresh(engine, list(analyses.values()))
    rng = random.Random(21)
    path = str(root / names[0])  # (the first in reading order: it holds the set's first uses)
    for i in range(30):
        text = texts[path]
        lines = [j + 1 for j, c in enumerate(text) if c == "\n"]
        at = rng.choice(lines[: len(lines) // 2]) if i % 3 else rng.randrange(len(text))
        text = text[:at] + rng.choice(["某", "一些字", "，", "很多很多的字"]) + text[at:]
        texts[path] = text
        analyses[path] = engine.analyze_version(path, text, None, analyses[path])
        _same_as_fresh(engine, list(analyses.values()))
    assert sum(t is not None for t in taken) >= 20, taken  # (the moved path was taken, not only the full one)


def test_an_abbreviation_used_before_its_definition_moves_with_the_text_typed_before_it(monkeypatch):
    # typing far before an abbreviation used before its definition (nothing the rule reads near the edit): its
    # summary is moved (rules/moved.py), and the finding and the place of the definition it points to move with
    # the text, as a fresh engine finds them
    from nnterm_ls.rules import abbreviation_before_definition as abbreviation

    engine = Engine(config=Config())
    taken = []
    moved = abbreviation._moved_summary
    monkeypatch.setattr(abbreviation, "_moved_summary", lambda *a: taken.append(moved(*a)) or taken[-1])
    far = "这里是一段很长的文字，" * 70  # (more than the reach around the run the rules compare field by field)
    text = f"# 标题\n\n占位的一段。\n\n{far}\n\n我们使用 BN 来加速训练。\n\n后来才说批量归一化（batch normalization，BN）。\n"
    analyses = [engine.analyze("ch.md", text, resolve_uses=False)]  # (as the server: resolved when read)
    before = _flat(engine.check(analyses))["ch.md"]
    assert [f[2] for f in before] == ["abbreviation-before-definition"]
    for typed in ("某", "一些字", "很多很多的字"):
        text = text.replace("占位的", "占位的" + typed, 1)
        analyses = [engine.analyze_version("ch.md", text, None, analyses[0])]
        _same_as_fresh(engine, analyses)
    assert taken and all(t is not None for t in taken)
    (finding,) = _flat(engine.check(analyses))["ch.md"]
    assert finding[0] == before[0][0] + len("某一些字很多很多的字")


def test_an_expansion_typed_in_code_font_far_before_an_abbreviation_defines_it():
    # the edit leaves every occurrence as it was (code font is not matched), but spells BN out in code font: the
    # abbreviation's summary is made again, and its use is no longer before a definition
    engine = Engine(config=Config())
    far = "这里是一段很长的文字，" * 70
    text = f"# 标题\n\n占位的一段。\n\n{far}\n\n我们使用 BN 来加速训练。\n\n后来才说批量归一化（batch normalization，BN）。\n"
    analyses = [engine.analyze("ch.md", text, resolve_uses=False)]  # (as the server: resolved when read)
    assert [f[2] for f in _flat(engine.check(analyses))["ch.md"]] == ["abbreviation-before-definition"]
    text = text.replace("占位的", "占位的`Batch Normalization(BN)`", 1)
    analyses = [engine.analyze_version("ch.md", text, None, analyses[0])]
    _same_as_fresh(engine, analyses)
    assert _flat(engine.check(analyses))["ch.md"] == []

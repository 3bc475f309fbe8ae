"""Re-analysing an edited document from its previous analysis (edits.py) gives what a full analysis gives: random
edits of real chapters, each compared with ``Engine.analyze`` of the same text, chained so a wrong splice would
carry into every later edit."""

from __future__ import annotations

import random

import pytest
from engine_helpers import corpus_or_skip

from nnterm_ls import edits
from nnterm_ls.analysis import Engine

# what editors type: Chinese, letters, digits, spaces, line breaks, and the characters Markdown reads as structure
PIECES = ["批", "学习率", "归一化", "a", "BN", "relu", "Pytorch", "1", " ", "\n", "\n\n", "。", "，", "（", "）",
          "`", "```", "$", "$$", "*", "_", "[", "]", "(", ")", "#", "- ", "> ", "<", "<!--", "-->", "<div>", "    ", "\\",
          "~~~", "|", ":", "---"]


def fingerprint(a):
    return (a.text, a.prose.masked, a.lang, a.lines.starts,
            [(o.start, o.end, o.surface, tuple(f.concept_id for f in o.forms), o.miscased, o.plural) for o in a.occurrences],
            [(g.head, g.open, g.close) for g in a.glosses], a.suppressions.__dict__ if a.suppressions else None)


@pytest.fixture(scope="module")
def engine():
    return Engine()


def chapters():
    root = corpus_or_skip() / "d2l-zh"
    return [root / "chapter_convolutional-modern" / "batch-norm.md", root / "chapter_preliminaries" / "ndarray.md",
            root / "chapter_attention-mechanisms" / "transformer.md"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_reanalyse_to_the_full_analysis(engine, seed):
    rng = random.Random(seed)
    fast = 0
    before = dict(edits.COUNTS)
    for path in chapters():
        text = path.read_text(encoding="utf-8")
        previous = engine.analyze(str(path), text, resolve_uses=False)
        for _ in range(120):
            if rng.random() < 0.7:
                at = rng.randrange(len(text) + 1)
                text = text[:at] + rng.choice(PIECES) + text[at:]
            else:
                at = rng.randrange(len(text))
                text = text[:at] + text[at + rng.choice([1, 1, 1, 2, 5, 40]):]
            quick = edits.reanalyze(engine, previous, text)
            full = engine.analyze(str(path), text, resolve_uses=False)
            if quick is not None:
                fast += 1
                assert fingerprint(quick) == fingerprint(full)
            again = engine.reanalyze(previous, text)
            assert fingerprint(again) == fingerprint(full)
            previous = again
    # most edits take a quick way, and each way is taken (a test that always fell back would test nothing)
    assert fast >= 300, fast
    taken = {k: edits.COUNTS.get(k, 0) - before.get(k, 0) for k in ("alone", "local", "whole")}
    assert taken["alone"] >= 100 and taken["local"] >= 150 and taken["whole"] >= 1, taken


def test_typing_into_a_paragraph_is_quick_and_the_findings_are_those_of_the_full_check(engine):
    base = "# 标题\n\n第一段讲批量归一化。\n\n第二段讲批归一化和 relu。\n\n```\n代码 批归一化\n```\n\n第三段。\n"
    previous = engine.analyze("ch.md", base, resolve_uses=False)
    text = base.replace("第三段。", "第三段讲批归一化。")
    quick = edits.reanalyze(engine, previous, text)
    assert quick is not None
    full = engine.analyze("ch.md", text, resolve_uses=False)
    assert fingerprint(quick) == fingerprint(full)
    assert [(f.code, f.found) for f in engine.check([quick])["ch.md"]] == \
        [(f.code, f.found) for f in engine.check([full])["ch.md"]]


@pytest.mark.parametrize("before, after", [
    ("前文\n\n批量归一化\n\n后文 `代码` 批归一化\n", "前文\n\n```\n批量归一化\n\n后文 `代码` 批归一化\n"),  # opens a fence
    ("前文\n\n- 列表项\n\n    续行 批归一化\n", "前文\n\n列表项\n\n    续行 批归一化\n"),  # the list the next block continues
    ("前文\n\n<!-- 注释\n\n批归一化 -->\n", "前文\n\n<!- 注释\n\n批归一化 -->\n"),  # a comment that spans blocks
])
def test_edits_that_change_how_other_blocks_read_are_not_read_alone(engine, before, after):
    previous = engine.analyze("ch.md", before, resolve_uses=False)
    alone = edits.COUNTS.get("alone", 0)
    quick = edits.reanalyze(engine, previous, after)
    assert edits.COUNTS.get("alone", 0) == alone  # the whole document was extracted again
    assert quick is None or fingerprint(quick) == fingerprint(engine.analyze("ch.md", after, resolve_uses=False))
    assert fingerprint(engine.reanalyze(previous, after)) == fingerprint(engine.analyze("ch.md", after, resolve_uses=False))


def test_typing_into_a_blank_line_takes_both_blocks_it_joins(engine):
    # 学习⏎率 across the joined lines is one term: the run must hold both blocks
    before = "前文\n\n第一段讲学习\n\n率和批量归一化。\n"
    after = "前文\n\n第一段讲学习\n\n率和批量归一化。\n".replace("学习\n\n率", "学习\n率")
    previous = engine.analyze("ch.md", before, resolve_uses=False)
    quick = edits.reanalyze(engine, previous, after)
    full = engine.analyze("ch.md", after, resolve_uses=False)
    assert quick is not None and fingerprint(quick) == fingerprint(full)
    assert "学习率" in [o.surface.replace("\n", "") for o in full.occurrences]

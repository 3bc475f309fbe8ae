"""The server's feature functions (lsp/features) without a process, over the mini term base.

Expected spans are computed from the test text with str.index, never copied from the program's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nnterm_ls.analysis import Engine
from nnterm_ls.config import Config
from nnterm_ls.lsp import features as F
from nnterm_ls.termbase import load_termbase

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini-terms.yaml"
TEXT = "批量归一化（batch normalization）很常用。后文的批归一化与 BN 都指它。\n"


@pytest.fixture(scope="module")
def engine():
    return Engine(termbase=load_termbase([str(MINI)], builtin=False), config=Config())


@pytest.fixture(scope="module")
def doc(engine):
    return engine.analyze("ch1.md", TEXT)


def span(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def test_hover_names_the_concept_and_the_status_of_the_form(engine, doc):
    start, end = span("批归一化")
    value, s, e = F.hover.hover(engine, doc, start + 1)
    assert (s, e) == (start, end)
    assert value.splitlines()[0] == "**批量归一化** · batch normalization · BN  "
    assert value.splitlines()[1] == "推荐：批量归一化  "  # no check has run: nothing about the set
    assert F.hover.hover(engine, doc, TEXT.index("很常用")) is None


def test_highlights_cover_every_rendering_of_the_concept(engine, doc):
    got = F.navigation.highlights(doc, span("批归一化")[0])
    assert got == [span("批量归一化"), span("batch normalization"), span("批归一化"), span("BN")]
    assert F.navigation.highlights(doc, TEXT.index("后文")) == []


def test_rename_changes_one_language_and_no_abbreviation(engine, doc):
    other = engine.analyze("ch2.md", "第二章也用批量归一化。\n")
    changes = F.navigation.rename(doc, span("批归一化")[0], "批标准化", [("a", doc), ("b", other)])
    assert changes["a"] == [(*span("批量归一化"), "批标准化"), (*span("批归一化"), "批标准化")]
    start = "第二章也用批量归一化。\n".index("批量归一化")
    assert changes["b"] == [(start, start + 5, "批标准化")]
    assert F.navigation.prepare_rename(doc, span("批归一化")[0]) == (*span("批归一化"), "批归一化")
    # renaming the English name leaves the abbreviation BN alone (mutant "rename abbreviations too" caught here)
    english = F.navigation.rename(doc, span("batch normalization")[0], "batch norm", [("a", doc)])
    assert english == {"a": [(*span("batch normalization"), "batch norm")]}


def test_definition_points_into_the_users_term_file_or_the_entry(engine, doc):
    kind, path, line = F.navigation.definition(engine.termbase, doc, span("BN")[0], user_files=[str(MINI)])
    assert kind == "file" and Path(path) == MINI
    lines = MINI.read_text(encoding="utf-8").splitlines()
    assert "id: batch-normalization" in lines[line - 1]
    # not one of the writer's files: the read-only entry, one location
    assert F.navigation.definition(engine.termbase, doc, span("BN")[0]) == ("entry", "batch-normalization", 0)
    assert F.navigation.parse_entry_uri(F.navigation.entry_uri("batch-normalization", "zh")) == ("batch-normalization", "zh")


def test_inlay_hints_only_at_a_first_unglossed_mention(engine, doc):
    # the first mention is glossed: no hint for the concept anywhere in the document
    assert F.inlay_hints.inlay_hints(engine, doc, 0, len(TEXT)) == []
    text = "后文的批归一化很常用，批归一化也快。\n"
    other = engine.analyze("ch2.md", text)
    hints = F.inlay_hints.inlay_hints(engine, other, 0, len(text))
    assert [(h.offset, h.label, h.padding_left) for h in hints] == [(text.index("批归一化") + 4, "（batch normalization）", False)]

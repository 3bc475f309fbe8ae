"""Real documents from ../shared/corpus checked end to end: no crash, and every finding is sane."""

from __future__ import annotations

import json

import pytest

from engine_helpers import Config, Engine, corpus_or_skip, missing
from nnterm_ls.extract import HARD, SOFT


@pytest.fixture(scope="module")
def builtin_engine():
    return Engine(config=Config())


def assert_sane(doc, findings):
    masked = doc.prose.masked
    for f in findings:
        assert f.found == doc.text[f.start : f.end]
        # no finding starts in masked text (code, math, URLs, markup) or contains a hard-masked character
        assert masked[f.start] not in (HARD, SOFT), (doc.path, f)
        assert HARD not in masked[f.start : f.end], (doc.path, f)
        for r in f.related:
            assert r.start < r.end
    for occ in doc.occurrences:
        assert HARD not in masked[occ.start : occ.end]
        assert masked[occ.start] not in (HARD, SOFT) and masked[occ.end - 1] not in (HARD, SOFT)


@pytest.mark.parametrize("book", ["d2l-zh", "d2l-zh-v1"])
def test_whole_book_markdown(builtin_engine, book):
    root = corpus_or_skip() / book
    if not root.is_dir():
        missing(f"{book} not in the corpus")
    files = sorted(root.rglob("*.md"))
    assert len(files) > 20
    docs = [builtin_engine.analyze(str(f), f.read_text(encoding="utf-8"), "markdown") for f in files]
    results = builtin_engine.check(docs)
    total = 0
    for doc in docs:
        assert_sane(doc, results[doc.path])
        total += len(results[doc.path])
    assert total > 0
    # the core terms of a deep-learning book are found
    found_concepts = {o.concept_ids[0] for d in docs for o in d.occurrences}
    assert {"learning-rate", "activation-function", "batch-normalization"} <= found_concepts
    # most occurrences share the one default use, and nothing changed it (resolve's uses are never changed later)
    from nnterm_ls.resolve import DEFAULT_USE, Use

    assert DEFAULT_USE == Use()
    assert sum(u is DEFAULT_USE for d in docs for u in d.uses) > len([u for d in docs for u in d.uses]) // 2


@pytest.mark.parametrize("template", ["sjtuthesis", "thuthesis", "ustcthesis"])
def test_thesis_templates_latex(builtin_engine, template):
    root = corpus_or_skip() / "thesis" / template
    if not root.is_dir():
        missing(f"{template} not in the corpus")
    files = sorted(root.rglob("*.tex"))
    docs = [builtin_engine.analyze(str(f), f.read_text(encoding="utf-8"), "latex") for f in files]
    results = builtin_engine.check(docs)
    for doc in docs:
        assert_sane(doc, results[doc.path])
        # nothing is found inside math environments or comments of the template
        for occ in doc.occurrences:
            line = doc.lines.line_text(doc.lines.line_of(occ.start))
            assert not line.lstrip().startswith("%")


@pytest.mark.parametrize("template,main", [("sjtuthesis", "main.tex"), ("thuthesis", "thuthesis-example.tex"),
                                           ("ustcthesis", "main.tex")])
def test_thesis_cli_follows_inputs(nnterm, tmp_path, template, main):
    import shutil

    src = corpus_or_skip() / "thesis" / template
    if not (src / main).is_file():
        missing(f"{template} not in the corpus")
    work = tmp_path / template
    shutil.copytree(src, work)
    proc = nnterm("check", main, "--format", "json", cwd=work)
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    paths = {d["path"] for d in data}
    chapters = {str(p.relative_to(work)) for p in work.rglob("*.tex")} - {main}
    # findings come from the included chapters too, not only from the main file
    assert paths & chapters, paths
    for d in data:
        lines = (work / d["path"]).read_text(encoding="utf-8").split("\n")
        if d["line"] == d["end_line"]:
            assert lines[d["line"] - 1][d["column"] - 1 : d["end_column"] - 1] == d["found"]


def test_d2l_folder_cli(nnterm):
    root = corpus_or_skip() / "d2l-zh" / "chapter_convolutional-neural-networks"
    if not root.is_dir():
        missing("chapter not in the corpus")
    proc = nnterm("check", root, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    assert len({d["path"] for d in data}) > 3
    for d in data:
        text = open(d["path"], encoding="utf-8").read()
        lines = text.split("\n")
        if d["line"] == d["end_line"]:
            assert lines[d["line"] - 1][d["column"] - 1 : d["end_column"] - 1] == d["found"]

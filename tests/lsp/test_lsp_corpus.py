"""A few real chapters of d2l-zh (../shared/corpus): the server agrees with the engine run over the same set."""

from __future__ import annotations

from lsprotocol import types as T

from lsp_helpers import corpus_or_skip
from nnterm_ls.analysis import Engine
from nnterm_ls.lsp.positions import TextIndex

CHAPTERS = ["chapter_convolutional-modern/batch-norm.md", "chapter_convolutional-modern/resnet.md", "chapter_optimization/lr-scheduler.md"]


async def test_d2l_chapters_match_the_engine(start):
    corpus = corpus_or_skip()
    # only the three open chapters form the set (the default scope would add every file under the corpus)
    s = await start(root=corpus, init={"workspaceScope": "open"})
    texts = {}
    uris = []
    for name in CHAPTERS:
        path = corpus / name
        texts[name] = path.read_text(encoding="utf-8")
        uris.append(s.open(name, texts[name]))
    engine = Engine()
    analyses = [engine.analyze(str(corpus / n), texts[n]) for n in CHAPTERS]
    expected = engine.check(analyses)
    for name, uri in zip(CHAPTERS, uris):
        want = expected[str(corpus / name)]
        diags = await s.diagnostics(uri, predicate=lambda d, n=len(want): len(d) == n, timeout=30)
        idx = TextIndex(texts[name])
        got = sorted((d.range.start.line, d.range.start.character, d.code) for d in diags)
        exp = sorted((*idx.position(f.start), f.code) for f in want)
        assert got == exp

    # hover and completion on the real text
    name = CHAPTERS[0]
    text = texts[name]
    offset = text.index("批量规范化")
    line, col = TextIndex(text).position(offset)
    h = await s.hover(uris[0], line, col + 1)
    assert "batch normalization" in h.contents.value
    assert "批量归一化" in h.contents.value
    hs = await s.client.text_document_document_highlight_async(T.DocumentHighlightParams(T.TextDocumentIdentifier(uris[0]), T.Position(line, col + 1)))
    assert len(hs) > 5

"""Position encodings: UTF-16 by default, UTF-8 / UTF-32 when the client offers them; emoji and CJK Extension B."""

from __future__ import annotations

import pytest
from lsprotocol import types as T

from lsp_helpers import capabilities
from nnterm_ls.lsp.positions import UTF8, UTF16, UTF32, TextIndex

TEXT = "😀𠀀激活函数和批归一化，批量归一化\n😀𠀀激活\n"
# (start, end) of 激活函数 and 批归一化 on line 0, and of 激活 on line 1, per encoding
EXPECTED = {
    UTF16: {"act": (4, 8), "bn": (9, 13), "typed": (4, 6)},
    UTF8: {"act": (8, 20), "bn": (23, 35), "typed": (8, 14)},
    UTF32: {"act": (2, 6), "bn": (7, 11), "typed": (2, 4)},
}


@pytest.mark.parametrize("encoding", [UTF16, UTF8, UTF32])
def test_text_index_round_trip(encoding):
    idx = TextIndex(TEXT, encoding)
    act = TEXT.index("激活函数")
    assert idx.position(act) == (0, EXPECTED[encoding]["act"][0])
    assert idx.position(act + 4) == (0, EXPECTED[encoding]["act"][1])
    for offset in range(len(TEXT) + 1):
        line, col = idx.position(offset)
        assert idx.offset(line, col) == offset
    # past the end of a line clamps to the line's end; past the last line to the end of the text
    assert idx.offset(1, 999) == TEXT.index("\n", TEXT.index("\n") + 1)
    assert idx.offset(99, 0) == len(TEXT)


def test_text_index_inside_surrogate_pair_snaps_to_the_character():
    idx = TextIndex("a😀b", UTF16)
    assert idx.offset(0, 2) == 1  # between the two halves of 😀
    assert idx.offset(0, 3) == 2


@pytest.mark.parametrize("encoding", [UTF16, UTF8, UTF32])
async def test_ranges_in_negotiated_encoding(start, encoding):
    offered = None if encoding == UTF16 else [encoding, UTF16]
    s = await start(caps=capabilities(encodings=offered))
    assert s.init_result.capabilities.position_encoding == encoding
    exp = EXPECTED[encoding]
    uri = s.open("enc.md", TEXT)
    h = await s.hover(uri, 0, exp["act"][0] + 1)
    assert "activation function" in h.contents.value
    assert h.range == T.Range(T.Position(0, exp["act"][0]), T.Position(0, exp["act"][1]))
    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    inc = next(d for d in diags if d.code == "inconsistent")
    assert inc.range == T.Range(T.Position(0, exp["bn"][0]), T.Position(0, exp["bn"][1]))
    r = await s.complete(uri, 1, exp["typed"][1])
    item = next(i for i in r.items if i.label == "激活函数")
    assert item.text_edit.range == T.Range(T.Position(1, exp["typed"][0]), T.Position(1, exp["typed"][1]))


async def test_incremental_edit_after_astral_characters(start):
    s = await start()
    uri = s.open("e.md", "😀𠀀学习率\n")
    await s.diagnostics(uri)
    # insert 批归一化和批量归一化 right after 学习率: UTF-16 column 7 (😀 and 𠀀 are two units each)
    v = s.edit(uri, T.Range(T.Position(0, 7), T.Position(0, 7)), "，批归一化和批量归一化")
    diags = await s.diagnostics(uri, version=v, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    inc = next(d for d in diags if d.code == "inconsistent")
    assert inc.range == T.Range(T.Position(0, 8), T.Position(0, 12))


# -- range endpoints next to astral characters ---------------------------------------------------------------------
#
# mutant: TextIndex.position counted the astral characters before an offset with bisect_right instead of
# bisect_left, so a position exactly at an emoji or 𠀀 (the end of a term written right before one) came out one
# UTF-16 unit too far — caught by test_range_ends_at_an_astral_character (the tests above only put astral characters
# *before* the terms, never right after one, and the round trip above snaps the wrong column back to the right offset).

def units(s: str, encoding: str) -> int:
    """The length of ``s`` in the encoding's code units, computed here from Python's codecs (not the server's)."""
    if encoding == UTF16:
        return len(s.encode("utf-16-le")) // 2
    if encoding == UTF8:
        return len(s.encode("utf-8"))
    return len(s)


# 批归一化 sits between two astral characters; 批量归一化 ends right before 𠀀; a line of astral characters comes first
ASTRAL_TEXT = "𠀀😀\n😀批归一化😀批量归一化𠀀批量归一化。\n激活😀\n"


def lsp_range(text: str, start: int, end: int, encoding: str) -> T.Range:
    def pos(offset):
        line = text.count("\n", 0, offset)
        line_start = text.rfind("\n", 0, offset) + 1
        return T.Position(line, units(text[line_start:offset], encoding))

    return T.Range(pos(start), pos(end))


@pytest.mark.parametrize("encoding", [UTF16, UTF8, UTF32])
async def test_range_ends_at_an_astral_character(start, encoding):
    offered = None if encoding == UTF16 else [encoding, UTF16]
    s = await start(caps=capabilities(encodings=offered))
    assert s.init_result.capabilities.position_encoding == encoding
    text = ASTRAL_TEXT
    uri = s.open("astral.md", text)
    bn = text.index("批归一化")
    bn_range = lsp_range(text, bn, bn + 4, encoding)
    # the UTF-16 range by hand, as a reader of the LSP spec would count it: line 1 is 😀(2) 批归一化(4) 😀(2) ...
    if encoding == UTF16:
        assert bn_range == T.Range(T.Position(1, 2), T.Position(1, 6))

    diags = await s.diagnostics(uri, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    assert [d.range for d in diags if d.code == "inconsistent"] == [bn_range]

    # hover on 批归一化 and on the first 批量归一化 (which ends right before 𠀀)
    h = await s.hover(uri, 1, bn_range.start.character + units("批", encoding))
    assert h.range == bn_range
    kept = text.index("批量归一化")
    kept_range = lsp_range(text, kept, kept + 5, encoding)
    h = await s.hover(uri, 1, kept_range.start.character)
    assert h.range == kept_range

    # completion with the cursor right before 😀: the edit replaces exactly 激活
    typed = text.index("激活")
    typed_range = lsp_range(text, typed, typed + 2, encoding)
    r = await s.complete(uri, 2, typed_range.end.character)
    item = next(i for i in r.items if i.label == "激活函数")
    assert item.text_edit.range == typed_range


async def test_related_location_in_a_chapter_on_disk_after_astral_characters(start, tmp_path):
    # chapter 1 is read from disk: its related ranges are converted with the negotiated encoding too
    ch1 = "😀批量归一化😀很好。𠀀批量归一化常用。\n"
    (tmp_path / "ch1.md").write_text(ch1, encoding="utf-8")
    s = await start(root=tmp_path)
    b = s.open("ch2.md", "😀批归一化也行。\n")
    diags = await s.diagnostics(b, predicate=lambda d: any(x.code == "inconsistent" for x in d))
    inc = next(d for d in diags if d.code == "inconsistent")
    assert inc.range == T.Range(T.Position(0, 2), T.Position(0, 6))
    first = ch1.index("批量归一化")
    second = ch1.index("批量归一化", first + 1)
    assert [(r.location.uri, r.location.range) for r in inc.related_information] == [
        ((tmp_path / "ch1.md").as_uri(), lsp_range(ch1, first, first + 5, UTF16)),
        ((tmp_path / "ch1.md").as_uri(), lsp_range(ch1, second, second + 5, UTF16)),
    ]


# -- large documents: offsets found without a whole index, an index built in pieces (lsp/documents.py) -------------

MIXED = "😀𠀀激活\r\n函数\r批归一化\n\n𠀀a\r\r\nb😀\n\r"


@pytest.mark.parametrize("encoding", [UTF16, UTF8, UTF32])
def test_offset_by_scan_is_the_index_offset(encoding):
    from nnterm_ls.lsp.documents import offset_by_scan

    idx = TextIndex(MIXED, encoding)
    for line in range(-1, len(idx.starts) + 2):
        for character in range(-1, 14):
            assert offset_by_scan(MIXED, line, character, encoding) == idx.offset(line, character), (line, character)


@pytest.mark.parametrize("breaks", ["\n", "\r\n", "\r"])
def test_index_built_in_pieces_is_the_index(breaks):
    from nnterm_ls.lsp.documents import _PIECE, LARGE_TEXT, build_index

    line = "激活函数😀和批归一化𠀀，学习率" + breaks
    text = line * (LARGE_TEXT // len(line) + 1) + "a😀" * (_PIECE // 2)  # astral characters around piece boundaries
    assert len(text) > _PIECE
    for encoding in (UTF16, UTF8, UTF32):
        built, whole = build_index(text, encoding), TextIndex(text, encoding)
        assert (built.starts, built.astral, built._ascii, built.encoding) == (whole.starts, whole.astral, whole._ascii, whole.encoding)


async def test_incremental_edits_of_a_large_document_land_where_the_client_puts_them(start):
    # above LARGE_TEXT characters the server finds an edit's offsets by scanning (no index built on the event loop)
    from nnterm_ls.lsp.documents import LARGE_TEXT

    s = await start(env={"NNTERM_LSP_WORKER_THRESHOLD": "off"})
    line = "😀第一行文字\r\n第二行\r学习率\n"
    text = line * (LARGE_TEXT // len(line) + 1)
    uri = s.open("large.md", text)
    await s.diagnostics(uri)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    n = len(lines)
    for target, col in ((n - 2, 2), (n // 2, 3), (0, 2)):  # UTF-16 columns: after the emoji's two units
        s.edit(uri, T.Range(T.Position(target, col), T.Position(target, col)), "Pytorch")
    diags = await s.diagnostics(uri, predicate=lambda d: sum(x.code == "casing" for x in d) == 3)
    casing = sorted((d.range.start.line, d.range.start.character, d.range.end.character) for d in diags if d.code == "casing")
    assert casing == sorted([(0, 2, 9), (n // 2, 3, 10), (n - 2, 2, 9)])


@pytest.mark.parametrize("encoding", [UTF16, UTF8, UTF32])
def test_the_index_an_edit_splices_is_the_index_of_the_new_text(encoding):
    # Document.apply_changes makes the next version's index from this one's (the lines outside the edit move):
    # seeded random edits with CJK, astral characters and every line break, chained, against an index built afresh
    import random

    from nnterm_ls.lsp.documents import Document

    rng = random.Random(11)
    pieces = ["批", "😀", "𠀀", "a", "\n", "\r\n", "\r", "\n\n", "学习率\r", "x😀\n", ""]
    doc = Document("file:///a.md", "/a.md", "markdown", "markdown", 1, MIXED * 3, encoding)
    spliced = 0
    for version in range(2, 300):
        idx = doc.index
        lines = len(idx.starts)
        line = rng.randrange(lines + 1)
        a = T.Position(line, rng.randrange(0, 12))
        b = T.Position(min(lines, line + rng.choice([0, 0, 0, 1, 2])), rng.randrange(0, 12))
        if (b.line, b.character) < (a.line, a.character):
            a, b = b, a
        change = T.TextDocumentContentChangePartial(range=T.Range(a, b), text=rng.choice(pieces))
        doc.apply_changes([change], version)
        spliced += doc._next_index is not None
        got, whole = doc.index, TextIndex(doc.text, encoding)
        assert (got.starts, got.astral, got._ascii, got.encoding) == (whole.starts, whole.astral, whole._ascii, whole.encoding)
    assert spliced > 200  # (most edits took the spliced index, not one built afresh)

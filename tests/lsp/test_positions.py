"""Position encodings: UTF-16 by default, UTF-8 / UTF-32 when the client offers them; emoji and CJK Extension B."""

from __future__ import annotations

import pytest
from lsprotocol import types as T

from lsp_helpers import capabilities
from nnterm_ls.lsp.positions import UTF8, UTF16, UTF32, TextIndex

TEXT = "😀𠀀激活函数和批归一化、批量归一化\n😀𠀀激活\n"
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

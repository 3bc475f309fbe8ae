"""The one line index: offsets (code points, as the engine uses) <-> (line, column) in code points, UTF-16 or UTF-8.

Line breaks are ``\n``, ``\r\n`` and a lone ``\r`` (as LSP defines them), everywhere: the CLI's compiler-style
positions, the server's ranges, suppression comments and headings all count lines here.

One ``LineIndex`` per document version: line starts and the offsets of astral characters (outside the BMP, two
UTF-16 units) are computed once, so a conversion is a bisect plus, for UTF-8, encoding one line prefix. pygls's own
``TextDocument.lines`` rebuilds the line list on each access; this never does.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

UTF16 = "utf-16"
UTF8 = "utf-8"
UTF32 = "utf-32"

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_BREAK = re.compile(r"\r\n?|\n")


def line_starts(text: str) -> list[int]:
    """Offsets at which each line of ``text`` starts: after each ``\n``, ``\r\n`` or lone ``\r``."""
    if "\r" in text:
        return [0, *(m.end() for m in _BREAK.finditer(text))]
    starts = [0]
    find = text.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def normalize_encoding(value) -> str:
    """The encoding name from an lsprotocol PositionEncodingKind (or its string value)."""
    v = str(getattr(value, "value", value) or UTF16).lower()
    return v if v in (UTF8, UTF16, UTF32) else UTF16


class LineIndex:
    __slots__ = ("text", "starts", "astral", "encoding", "_ascii")

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        """``encoding``: the unit of columns (UTF32 = code points, as the CLI reports them)."""
        self.text = text
        self.encoding = encoding
        self.starts = line_starts(text)
        self._ascii = text.isascii()
        self.astral = [] if self._ascii or encoding != UTF16 else [m.start() for m in _ASTRAL.finditer(text)]

    @classmethod
    def spliced(cls, old: "LineIndex", text: str, start: int, old_end: int, new_end: int) -> "LineIndex":
        """The index of ``text``, an edit of ``old.text`` that replaced [start, old_end) by [start, new_end), where
        ``start`` is a line start: the line starts outside the edit are taken from ``old`` (moved after it)."""
        if "\r" in text[max(0, start - 1) : new_end + 1] or "\r" in old.text[old_end : old_end + 1]:
            return cls(text, old.encoding)  # (a line break split by the edit's ends: counted afresh)
        out = cls.__new__(cls)
        out.text, out.encoding = text, old.encoding
        delta = new_end - old_end
        starts = old.starts
        out.starts = (starts[: bisect_left(starts, start)] + [start + x for x in line_starts(text[start:new_end])]
                      + [x + delta for x in starts[bisect_right(starts, old_end) :]])
        out._ascii = text.isascii()
        astral = old.astral
        if out._ascii or old.encoding != UTF16:
            out.astral = []
        else:
            out.astral = (astral[: bisect_left(astral, start)]
                          + [m.start() for m in _ASTRAL.finditer(text, start, new_end)]
                          + [x + delta for x in astral[bisect_left(astral, old_end) :]])
        return out

    # -- lines -----------------------------------------------------------------------------------------------------
    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def line_end(self, line: int) -> int:
        """Offset of the end of a line (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            if self.text[end - 1] == "\n" and end - 2 >= self.starts[line] and self.text[end - 2] == "\r":
                return end - 2
            return end - 1
        return len(self.text)

    def line_text(self, line: int) -> str:
        return self.text[self.starts[line] : self.line_end(line)]

    # -- conversions -----------------------------------------------------------------------------------------------
    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) in the encoding's units for a code-point offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        col = offset - start
        if self._ascii or self.encoding == UTF32:
            return line, col
        if self.encoding == UTF16:
            if self.astral:
                col += bisect_left(self.astral, offset) - bisect_left(self.astral, start)
            return line, col
        return line, len(self.text[start:offset].encode("utf-8"))

    def offset(self, line: int, character: int) -> int:
        """The code-point offset of an LSP (line, character), clamped to the line (a position past the end of a
        line is its end; a line past the end of the text is the end of the text)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        end = self.line_end(line)
        if character <= 0:
            return start
        if self._ascii or self.encoding == UTF32:
            return min(start + character, end)
        if self.encoding == UTF16:
            lo = bisect_left(self.astral, start)
            hi = bisect_left(self.astral, end)
            if lo == hi:
                return min(start + character, end)
            units = 0
            pos = start
            for a in self.astral[lo:hi]:
                span = a - pos  # BMP characters before this astral one
                if units + span >= character:
                    return pos + (character - units)
                units += span
                pos = a
                if units + 2 > character:  # inside the surrogate pair: snap to the character's start
                    return a
                units += 2
                pos = a + 1
            return min(pos + (character - units), end)
        # UTF-8: walk the line
        units = 0
        pos = start
        text = self.text
        while pos < end:
            ch = text[pos]
            o = ord(ch)
            n = 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4
            if units + n > character:
                return pos
            units += n
            pos += 1
        return end

    def range(self, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int]]:
        return self.position(start), self.position(end)


TextIndex = LineIndex  # the name the server's modules used

"""Open documents: text, version and a position index per version (no pygls TextDocument involved)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import unquote, urlparse

from ..extract import kind_of
from ..lines import line_starts
from .positions import UTF16, TextIndex

# Above this many characters the event loop never builds a document's whole line index (~100 ms for 10 MB) to apply
# an edit: the edit's offsets are found by scanning to its line; and the index a worker builds is built in pieces
# that hold the GIL a few milliseconds each (one regular-expression scan of 10 MB holds it ~50 ms).
LARGE_TEXT = 200_000
_PIECE = 1 << 18
_BREAK = re.compile(r"\r\n?|\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def offset_by_scan(text: str, line: int, character: int, encoding: str) -> int:
    """``TextIndex(text, encoding).offset(line, character)`` without indexing the whole text: line breaks are
    counted up to ``line`` only (the same breaks: \\n, \\r\\n, a lone \\r)."""
    if line < 0:
        return 0
    start = 0
    if line > 0:
        m = next(islice(_BREAK.finditer(text), line - 1, None), None)
        if m is None:
            return len(text)
        start = m.end()
    m = _BREAK.search(text, start)
    end = m.start() if m is not None else len(text)
    return start + TextIndex(text[start:end], encoding).offset(0, character)


def build_index(text: str, encoding: str) -> TextIndex:
    """The line index of ``text`` (equal to ``TextIndex(text, encoding)``); a large text is scanned in pieces so
    that a worker building it lets the event loop run in between."""
    if len(text) < LARGE_TEXT:
        return TextIndex(text, encoding)
    index = TextIndex.__new__(TextIndex)
    index.text = text
    index.encoding = encoding
    index._ascii = text.isascii()
    index.starts = line_starts(text)  # a loop in Python: the GIL changes hands
    astral: list[int] = []
    if not index._ascii and encoding == UTF16:
        for pos in range(0, len(text), _PIECE):  # an astral character is one code point: never split
            astral.extend(m.start() for m in _ASTRAL.finditer(text, pos, pos + _PIECE))
    index.astral = astral
    return index


def uri_to_path(uri: str) -> str:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return uri
    path = unquote(parsed.path)
    if os.name == "nt" and path.startswith("/") and len(path) > 2 and path[2] == ":":
        path = path[1:]
    return path


def path_to_uri(path: str) -> str:
    from pathlib import Path

    return Path(path).absolute().as_uri()


@dataclass
class Document:
    """An open document (mutated by edits on the event loop) or a frozen snapshot of one version of it.

    ``frozen()`` is the snapshot a worker computes with: its text, version and line index never change, so offsets
    computed from it are converted with the index of the very text they were computed from."""

    uri: str
    path: str
    language_id: str
    kind: str  # markdown | latex
    version: int
    text: str
    encoding: str = UTF16
    _index: TextIndex | None = field(default=None, repr=False, compare=False)
    _frozen: "Document | None" = field(default=None, repr=False, compare=False)
    # the index of the current text, made by apply_changes from the previous version's: the snapshot takes it
    _next_index: TextIndex | None = field(default=None, repr=False, compare=False)

    @property
    def is_frozen(self) -> bool:
        return self._frozen is self

    def frozen(self) -> "Document":
        """The immutable snapshot of the current version (one per version, shared by every request)."""
        f = self._frozen
        if f is self:
            return self
        if f is None or f.text is not self.text or f.version != self.version:
            f = Document(self.uri, self.path, self.language_id, self.kind, self.version, self.text, self.encoding)
            f._frozen = f
            nxt = self._next_index
            if nxt is not None and nxt.text is self.text and nxt.encoding == self.encoding:
                f._index = nxt
            self._next_index = None
            self._frozen = f
        return f

    @property
    def index(self) -> TextIndex:
        """The line index of this version (built once per version, on whichever thread first needs it)."""
        f = self.frozen()
        idx = f._index
        if idx is None or idx.text is not f.text:
            idx = f._index = build_index(f.text, f.encoding)
        return idx

    @property
    def index_ready(self) -> bool:
        f = self._frozen
        return f is not None and f.text is self.text and f._index is not None and f._index.text is f.text

    def apply_changes(self, changes, version: int) -> None:
        """Apply LSP content changes (full or incremental, in order): each change's range is in the text as left by
        the changes before it (line breaks ``\n``, ``\r\n`` and a lone ``\r``, as the client counts them)."""
        if self.is_frozen:
            raise RuntimeError("a document snapshot is never edited")
        text = self.text
        # a large document's index is used when a worker has built it already; it is never built here
        index = self.index if len(text) < LARGE_TEXT or self.index_ready else None
        for change in changes:
            rng = getattr(change, "range", None)
            if rng is None:
                text = change.text
            else:
                if index is None or index.text is not text:
                    index = TextIndex(text, self.encoding) if len(text) < LARGE_TEXT else None
                if index is not None:
                    start = index.offset(rng.start.line, rng.start.character)
                    end = index.offset(rng.end.line, rng.end.character)
                else:
                    start = offset_by_scan(text, rng.start.line, rng.start.character, self.encoding)
                    end = offset_by_scan(text, rng.end.line, rng.end.character, self.encoding)
                new = text[:start] + change.text + text[max(start, end):]
                if index is not None and len(new) < LARGE_TEXT:
                    # the next version's index, from this one's (the lines outside the edit move); a large
                    # document's is built on a worker, in pieces, never on the event loop
                    index = TextIndex.spliced(index, new, index.starts[index.line_of(start)], max(start, end),
                                              start + len(change.text))
                elif index is not None:
                    index = None
                text = new
        self.text = text
        self.version = version
        self._next_index = index if index is not None and index.text is text else None


def make_document(uri: str, language_id: str, version: int, text: str, encoding: str) -> Document | None:
    """A Document for a Markdown or LaTeX file; None for anything else (the server ignores it)."""
    path = uri_to_path(uri)
    kind = kind_of(path, language_id)
    if kind is None:
        return None
    return Document(uri=uri, path=path, language_id=language_id, kind=kind, version=version, text=text, encoding=encoding)

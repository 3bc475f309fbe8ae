"""Open documents: text, version and a position index per version (no pygls TextDocument involved)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

from ..extract import kind_of
from .positions import UTF16, TextIndex


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
    uri: str
    path: str
    language_id: str
    kind: str  # markdown | latex
    version: int
    text: str
    encoding: str = UTF16
    _index: TextIndex | None = field(default=None, repr=False)

    @property
    def index(self) -> TextIndex:
        if self._index is None or self._index.text is not self.text:
            self._index = TextIndex(self.text, self.encoding)
        return self._index

    def apply_changes(self, changes, version: int) -> None:
        """Apply LSP content changes (full or incremental, in order)."""
        text = self.text
        index = self.index
        for change in changes:
            rng = getattr(change, "range", None)
            if rng is None:
                text = change.text
            else:
                if index.text is not text:
                    index = TextIndex(text, self.encoding)
                start = index.offset(rng.start.line, rng.start.character)
                end = index.offset(rng.end.line, rng.end.character)
                text = text[:start] + change.text + text[max(start, end):]
        self.text = text
        self.version = version


def make_document(uri: str, language_id: str, version: int, text: str, encoding: str) -> Document | None:
    """A Document for a Markdown or LaTeX file; None for anything else (the server ignores it)."""
    path = uri_to_path(uri)
    kind = kind_of(path, language_id)
    if kind is None:
        return None
    return Document(uri=uri, path=path, language_id=language_id, kind=kind, version=version, text=text, encoding=encoding)

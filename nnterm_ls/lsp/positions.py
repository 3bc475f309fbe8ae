"""LSP positions: the one line index of the engine (``nnterm_ls.lines``), in the negotiated encoding."""

from ..lines import UTF8, UTF16, UTF32, LineIndex, TextIndex, line_starts, normalize_encoding

__all__ = ["UTF8", "UTF16", "UTF32", "LineIndex", "TextIndex", "line_starts", "normalize_encoding"]

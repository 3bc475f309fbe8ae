"""The prose view of a document: the source text with every non-prose character masked, length preserved.

Masking keeps offsets trivial: position i of ``masked`` is position i of the source. Three kinds of mask:

* HARD (``\\x01``): code, math, URLs, command names, keys. A boundary: no term spans it.
* SOFT (``\\x00``): inline markup a reader does not see (``**``, ``\\textbf{``, ``}``, a LaTeX comment that joins two
  lines). Transparent: ``**学习**率`` reads as 学习率.
* SPACE (``" "``): markup that reads as a space (LaTeX ``~``).

Newlines inside masked spans are kept so that line structure survives for later passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HARD = "\x01"
SOFT = "\x00"
SPACE = " "



def hard(text: str) -> str:
    if "\n" not in text:
        return HARD * len(text)
    return "\n".join(HARD * len(part) for part in text.split("\n"))


def soft(text: str) -> str:
    if "\n" not in text:
        return SOFT * len(text)
    return "\n".join(SOFT * len(part) for part in text.split("\n"))


@dataclass(slots=True)
class Prose:
    source: str
    masked: str
    kind: str  # "markdown" | "latex" | "plaintext"
    includes: list[str] = field(default_factory=list)  # LaTeX \input / \include targets, in order
    glossary: object | None = None  # LaTeX: what the document says about glossaries (extract.glossaries)
    # Markdown: the bodies of fenced code blocks, (start, end) from the line after the opening fence to the start of
    # the closing one (the end of the text when it is never closed); None where not known (found when asked,
    # extract.markdown.fence_bodies)
    fences: list | None = None


class Masker:
    """Collects mask operations over a source and applies them in one pass (later operations win)."""

    __slots__ = ("source", "_ops")

    def __init__(self, source: str) -> None:
        self.source = source
        self._ops: list[tuple[int, int, str]] = []

    def mask(self, start: int, end: int, kind: str) -> None:
        if end > start:
            self._ops.append((start, end, kind))

    def result(self) -> str:
        if not self._ops:
            return self.source
        chars = list(self.source)
        for start, end, kind in self._ops:
            for i in range(start, min(end, len(chars))):
                if chars[i] != "\n" or kind == SOFT:
                    chars[i] = kind
        return "".join(chars)


def sub_mask(pattern: re.Pattern, text: str, kind: str) -> str:
    """Mask every match of ``pattern`` in ``text`` with ``kind``, preserving length."""
    repl = hard if kind == HARD else soft
    return pattern.sub(lambda m: repl(m.group()), text)

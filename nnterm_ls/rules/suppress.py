"""Suppression comments, ruff-style.

Markdown: ``<!-- nnterm-disable-next-line [code...] -->``, ``<!-- nnterm-disable [code...] -->`` ...
``<!-- nnterm-enable [code...] -->``. LaTeX: the same words after ``%``. No codes means every rule.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..extract.prose import HARD, SOFT

_MD = re.compile(r"<!--\s*nnterm-(disable-next-line|disable-line|disable|enable)\b([^>]*?)-->")
_TEX = re.compile(r"(?<!\\)%\s*nnterm-(disable-next-line|disable-line|disable|enable)\b([^\n]*)")

ALL = "*"


class Suppressions:
    def __init__(self) -> None:
        self._lines: dict[int, set[str]] = {}  # 0-based line -> codes
        self._ranges: list[tuple[int, int, set[str]]] = []  # (first line, last line, codes)

    def suppressed(self, line: int, code: str) -> bool:
        codes = self._lines.get(line)
        if codes and (ALL in codes or code in codes):
            return True
        for first, last, rng in self._ranges:
            if first <= line <= last and (ALL in rng or code in rng):
                return True
        return False

    def __bool__(self) -> bool:
        return bool(self._lines or self._ranges)


def _is_comment(kind: str, at: int, code_masked: str | None, masked: str | None) -> bool:
    """A suppression is a real comment, not the text of code (a comment shown in a code span or block)."""
    if kind == "markdown":
        return code_masked is None or code_masked[at] != HARD
    if kind == "latex" and masked is not None:
        return masked[at] == SOFT  # the LaTeX extractor soft-masks comments, hard-masks verbatim
    return True


def parse_suppressions(text: str, kind: str, line_starts: list[int], masked: str | None = None) -> Suppressions:
    """``masked``: the document's prose view (LaTeX), used to tell comments from verbatim text."""
    out = Suppressions()
    pattern = _MD if kind == "markdown" else _TEX if kind == "latex" else None
    if pattern is None or "nnterm-" not in text:
        return out
    code_masked = None
    if kind == "markdown":
        from ..extract.markdown import mask_code

        code_masked = mask_code(text)
    open_ranges: dict[str, int] = {}
    last_line = len(line_starts)
    for m in pattern.finditer(text):
        if not _is_comment(kind, m.start(), code_masked, masked):
            continue
        action = m.group(1)
        codes = set(m.group(2).replace(",", " ").split()) or {ALL}
        line = bisect_right(line_starts, m.start()) - 1
        if action == "disable-next-line":
            end_line = bisect_right(line_starts, m.end()) - 1
            out._lines.setdefault(end_line + 1, set()).update(codes)
        elif action == "disable-line":
            out._lines.setdefault(line, set()).update(codes)
        elif action == "disable":
            for code in codes:
                open_ranges.setdefault(code, line)
        else:  # enable
            targets = list(open_ranges) if ALL in codes else [c for c in codes if c in open_ranges]
            for code in targets:
                out._ranges.append((open_ranges.pop(code), line, {code}))
    for code, first in open_ranges.items():
        out._ranges.append((first, last_line, {code}))
    return out

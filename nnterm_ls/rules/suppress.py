"""Suppression comments, ruff-style; each format's syntax (parsing and writing) lives in its format module.

Markdown: ``<!-- nnterm-disable-next-line [code...] -->``, ``<!-- nnterm-disable-line [code...] -->`` at the end of
the line it silences, ``<!-- nnterm-disable [code...] -->`` ... ``<!-- nnterm-enable [code...] -->``. LaTeX: the
same words after ``%``. MDX: ``{/* … */}`` (HTML comments are accepted too). No codes means every rule.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..extract import Format, Prose

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


def parse_suppressions(text: str, fmt: "Format", line_starts: list[int], prose: "Prose") -> Suppressions:
    out = Suppressions()
    if "nnterm-" not in text:
        return out
    is_comment = None
    open_ranges: dict[str, int] = {}
    last_line = len(line_starts)
    for m in fmt.suppression.finditer(text):
        if is_comment is None:
            is_comment = fmt.comment_checker(text, prose)
        if not is_comment(m.start()):
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

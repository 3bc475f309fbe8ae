"""Findings and fixes: what the rules produce, in source offsets (the CLI and server convert positions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(slots=True)
class Edit:
    start: int
    end: int
    new_text: str


class Applicability(str, Enum):
    """How far a fix may be trusted, decided by the rule when it makes the fix (ruff's notion)."""

    SAFE = "safe"  # applied by `nnterm check --fix` and the editor's "fix all"
    UNSAFE = "unsafe"  # offered as a quick fix in the editor only: the writer decides
    DISPLAY_ONLY = "display-only"  # shown as a suggestion; never applied by any bulk action


@dataclass(slots=True, frozen=True)
class Fix:
    title: str
    edits: tuple[Edit, ...] | list[Edit]
    applicability: Applicability = Applicability.SAFE

    @property
    def safe(self) -> bool:
        return self.applicability is Applicability.SAFE


@dataclass(slots=True)
class Related:
    path: str
    start: int
    end: int
    message: str


@dataclass(slots=True)
class Finding:
    path: str
    start: int
    end: int
    code: str
    severity: str  # error | warning | info | hint
    message: str
    found: str
    suggestion: str | None = None
    fix: Fix | None = None
    related: list[Related] = field(default_factory=list)
    concept_id: str | None = None
    learned_from: str | None = None  # "path:line" of the gloss the found rendering was learned from

    def sort_key(self):
        return (self.path, self.start, self.end, self.code)


from ..severity import SEVERITY_RANK  # noqa: E402,F401  (re-exported for older imports)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits; an edit that overlaps one already taken (earlier in the text) is dropped.

    Text outside the edited spans is copied unchanged.
    """
    pieces: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < pos or edit.end > len(text) or edit.start > edit.end:
            continue
        pieces.append(text[pos : edit.start])
        pieces.append(edit.new_text)
        pos = edit.end
    pieces.append(text[pos:])
    return "".join(pieces)

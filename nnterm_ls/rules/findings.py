"""Findings and fixes: what the rules produce, in source offsets (the CLI and server convert positions)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Edit:
    start: int
    end: int
    new_text: str


@dataclass(slots=True)
class Fix:
    title: str
    edits: list[Edit]
    safe: bool = True  # applied by `nnterm check --fix` and "fix all"


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

    def sort_key(self):
        return (self.path, self.start, self.end, self.code)


SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1, "hint": 0}


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

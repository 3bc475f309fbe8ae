"""Inlay hints: the other language's term after a term (off by default)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hint:
    offset: int
    label: str
    padding_left: bool
    tooltip: str


def inlay_hints(engine, analysis, start: int, end: int) -> list[Hint]:
    glossed = {g.head for g in analysis.glosses}
    inside = [(g.open, g.close) for g in analysis.glosses]
    termbase = engine.termbase
    out = []
    for k, occ in enumerate(analysis.occurrences):
        if occ.end < start or occ.start > end or occ.ambiguous or k in glossed:
            continue
        if any(o <= occ.start < c for o, c in inside):
            continue
        concept = termbase.get(occ.form.concept_id)
        if concept is None or concept.zh == concept.en:
            continue
        other = engine.preferred_text(concept.id, "en" if occ.lang == "zh" else "zh")
        out.append(Hint(occ.end, f"({other})", occ.lang == "en", concept.id))
    return out

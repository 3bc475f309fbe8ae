"""Senses of ambiguous forms, decided by the context (issue 10, section 2).

A form the base marks ambiguous (标记: token, label or mark; 特征映射: feature map, or the verb phrase) stays silent
unless the document set itself says which sense it means. A gloss right after an occurrence decides that occurrence
(特征映射（feature map）). A form the base gives several concepts, glossed in one sense somewhere in the set (its own
definition) and never in another, is read in that sense everywhere in the set. Findings on it say why.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..analysis import DocumentAnalysis


@dataclass(frozen=True)
class Sense:
    concept_id: str
    path: str
    line: int  # 1-based, where the gloss that decides it stands


def _gloss_senses(doc: "DocumentAnalysis") -> dict[int, str]:
    """Occurrence index -> the concept its own gloss names, for ambiguous occurrences with a deciding gloss."""
    occs = doc.occurrences
    starts = [o.start for o in occs]
    out: dict[int, str] = {}
    for g in doc.glosses:
        head = occs[g.head]
        if not head.ambiguous:
            continue
        candidates = set(head.concept_ids)
        named = set()
        for k in range(bisect_left(starts, g.open), bisect_left(starts, g.close)):
            inner = occs[k]
            if inner.lang != head.lang and not inner.ambiguous:
                named |= candidates & set(inner.concept_ids)
        if len(named) == 1:
            out[g.head] = next(iter(named))
    return out


def decide(docs: list["DocumentAnalysis"]) -> tuple[dict[str, Sense], list[dict[int, str]]]:
    """Surface text -> the one sense the set's glosses give a form the base gives several concepts (none when the
    glosses disagree); and per document, the occurrences whose own gloss decides them."""
    seen: dict[str, set[str]] = {}
    first: dict[tuple[str, str], Sense] = {}
    local = [_gloss_senses(doc) for doc in docs]
    for doc, decided in zip(docs, local):
        for k, cid in decided.items():
            occ = doc.occurrences[k]
            if len(occ.forms) < 2:
                continue  # ambiguous with an everyday word (批量 "in bulk"): a gloss decides only its own place
            seen.setdefault(occ.surface, set()).add(cid)
            first.setdefault((occ.surface, cid), Sense(cid, doc.path, doc.lines.line_of(occ.start) + 1))
    senses = {surface: first[(surface, next(iter(cids)))] for surface, cids in seen.items() if len(cids) == 1}
    return senses, local


def apply(doc: "DocumentAnalysis", senses: dict[str, Sense], local: dict[int, str],
          reasons: dict[int, Sense], *, resolve_uses: bool = True) -> "DocumentAnalysis":
    """The analysis with ambiguous occurrences read in the sense the set gives them, or their own gloss gives them
    (``local``, from ``decide``); ``reasons`` collects why."""
    if not senses and not local:
        return doc
    changed = False
    occs = list(doc.occurrences)
    for k, occ in enumerate(occs):
        if not occ.ambiguous:
            continue
        sense = senses.get(occ.surface)
        if k in local:
            sense = Sense(local[k], doc.path, doc.lines.line_of(occ.start) + 1)
        if sense is None or sense.concept_id not in occ.concept_ids:
            continue
        form = next(f for f in occ.forms if f.concept_id == sense.concept_id)
        new = replace(occ, forms=[replace(form, ambiguous=False)])
        occs[k] = new
        reasons[id(new)] = sense
        changed = True
    if not changed:
        return doc
    from . import find_glosses, resolve

    out = replace(doc, occurrences=occs, glosses=find_glosses(doc.prose.masked, occs))
    out.uses = resolve(out) if resolve_uses else None
    return out

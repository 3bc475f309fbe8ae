"""Document highlights, go to definition, prepare rename and rename: spans of one concept across the set."""

from __future__ import annotations

from .terms import forms_at, occurrence_at


def highlights(analysis, offset: int) -> list[tuple[int, int]]:
    """Every occurrence in the document of the concept under the cursor, whatever its rendering."""
    occ = occurrence_at(analysis, offset)
    if occ is None:
        return []
    ids = set(occ.concept_ids) if not occ.ambiguous else {occ.form.concept_id}
    return [
        (o.start, o.end)
        for o in analysis.occurrences
        if ids & set(o.concept_ids) and (not o.ambiguous or o.start == occ.start)
    ]


def definition(termbase, analysis, offset: int) -> list[tuple[str, int]]:
    """(term file, 1-based line) of the entry of each concept named under the cursor."""
    forms, _s, _e, _occ = forms_at(termbase, analysis, analysis.text, offset)
    out: list[tuple[str, int]] = []
    for form in forms or ():
        concept = termbase.get(form.concept_id)
        for src in (concept.source if concept else None, form.source):
            if src is not None and (src.path, src.line) not in out:
                out.append((src.path, src.line))
    return out


def prepare_rename(analysis, offset: int) -> tuple[int, int, str] | None:
    occ = occurrence_at(analysis, offset)
    if occ is None or occ.ambiguous:
        return None
    return occ.start, occ.end, analysis.text[occ.start : occ.end]


def rename(analysis, offset: int, new_name: str, documents) -> dict[str, list[tuple[int, int, str]]]:
    """Edits renaming the rendering under the cursor in every document of ``documents`` ((key, analysis) pairs):
    the same concept in the same language; code names never, abbreviations only when an abbreviation is renamed."""
    occ = occurrence_at(analysis, offset)
    if occ is None or occ.ambiguous or not new_name:
        return {}
    cid, lang = occ.form.concept_id, occ.lang
    changes: dict[str, list[tuple[int, int, str]]] = {}
    for key, other in documents:
        edits = []
        for o in other.occurrences:
            if o.ambiguous or o.form.concept_id != cid or o.lang != lang or o.form.kind == "code":
                continue
            if o.form.kind == "abbreviation" and occ.form.kind != "abbreviation":
                continue
            edits.append((o.start, o.end, new_name))
        if edits:
            changes[key] = edits
    return changes

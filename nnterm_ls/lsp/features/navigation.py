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


ENTRY_SCHEME = "nnterm-term"  # read-only views of term-base entries: nnterm-term:/<lang>/<concept id>.md


def definition(termbase, analysis, offset: int, user_files=()) -> tuple[str, str | int] | None:
    """Where the concept under the cursor is defined, as one place: ("file", path, 1-based line) in one of the
    writer's own term files (``user_files``) when the concept (or the form under the cursor) comes from there, else
    ("entry", concept id): a read-only view of the built-in entry (``entry_uri``), never the installed package's
    files. None when nothing is under the cursor."""
    forms, _s, _e, _occ = forms_at(termbase, analysis, analysis.text, offset)
    if not forms:
        return None
    user = {str(p) for p in user_files}
    for form in forms:
        concept = termbase.get(form.concept_id)
        for src in (concept.source if concept else None, form.source):
            if src is not None and src.path in user:
                return ("file", src.path, src.line)
    return ("entry", forms[0].concept_id, 0)


def entry_uri(concept_id: str, lang: str) -> str:
    return f"{ENTRY_SCHEME}:/{lang}/{concept_id}.md"


def parse_entry_uri(uri: str) -> tuple[str, str] | None:
    """(concept id, lang) of an entry URI, or None."""
    prefix = f"{ENTRY_SCHEME}:/"
    if not uri.startswith(prefix):
        return None
    rest = uri[len(prefix):].lstrip("/")
    lang, _, name = rest.partition("/")
    if lang not in ("zh", "en") or not name.endswith(".md"):
        return None
    return name[: -len(".md")], lang


def entry_markdown(engine, concept_id: str, lang: str) -> str | None:
    """The read-only view of a term-base entry: the hover's view, both definitions, every rendering by status,
    and how to change it (a term file of one's own)."""
    from ...i18n import t
    from ...termview import _md, forms_by_status, render_sense_markdown

    concept = engine.termbase.get(concept_id)
    if concept is None:
        return None
    form = concept.preferred(lang) if any(f.lang == lang for f in concept.forms) else None
    view = render_sense_markdown(concept, form, engine.termbase, engine.preferred_text, lang, engine.usage)
    head, _sep, _details = view.partition("\n\n---\n\n")
    status = {"preferred": t("status_preferred", lang), "admitted": t("status_admitted", lang), "deprecated": t("status_deprecated", lang)}
    lines = [f"# {_md(engine.preferred_text(concept.id, lang))}", "", head, ""]
    for lg in ("zh", "en"):
        definition = concept.definition_zh if lg == "zh" else concept.definition_en
        if definition:
            lines += [f"> {_md(definition)}", ""]
    lines += [f"## {t('renderings', lang)}", ""]
    for lg in ("zh", "en"):
        for f in forms_by_status(concept, lg):
            note = f" — {_md(f.note)}" if f.note else ""
            kind = f" ({t('abbr', lang)})" if f.kind == "abbreviation" else " (code)" if f.kind == "code" else ""
            lines.append(f"- {lg}: {_md(f.text)}{kind} · {status[f.status]}{note}")
    if concept.related:
        names = [engine.termbase.get(r) for r in concept.related]
        lines += ["", t("related", lang) + ("、" if lang == "zh" else ", ").join(_md((c.zh if lang == "zh" else c.en)) for c in names if c)]
    lines += ["", "---", "", t("entry_readonly", lang, id=concept.id)]
    return "\n".join(lines) + "\n"


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

"""The one view of a concept: plain text for `nnterm lookup`, Markdown for the editor's hover.

Both list a concept's forms in status order (preferred, admitted, deprecated) and its related concepts the same way;
only the markup differs."""

from __future__ import annotations

from .termbase.model import ABBREVIATION, ADMITTED, CODE, DEPRECATED, PREFERRED, Concept, Form


def _label(form: Form) -> str:
    bits = []
    if form.kind == ABBREVIATION:
        bits.append("abbr")
    elif form.kind == CODE:
        bits.append("code")
    if form.status == DEPRECATED:
        bits.append("deprecated")
    if form.ambiguous:
        bits.append("ambiguous")
    return f"{form.text} ({', '.join(bits)})" if bits else form.text


_STATUS_ORDER = {PREFERRED: 0, ADMITTED: 1, DEPRECATED: 2}


def forms_by_status(concept: Concept, lang: str) -> list[Form]:
    return sorted((f for f in concept.forms if f.lang == lang), key=lambda f: _STATUS_ORDER[f.status])


def related_names(concept: Concept, termbase, fmt=lambda s: s, limit: int | None = None) -> list[str]:
    names = []
    for rid in concept.related[:limit]:
        rel = termbase.get(rid) if termbase is not None else None
        if rel is None:
            names.append(rid)
        elif rel.zh != rel.en:
            names.append(f"{fmt(rel.zh)} ({fmt(rel.en)})")
        else:
            names.append(fmt(rel.en))
    return names


def forms_line(concept: Concept, lang: str) -> str:
    forms = [f for f in forms_by_status(concept, lang)
             if not (lang == "zh" and f.text == concept.en and f.status == PREFERRED and concept.zh == concept.en)]
    return " · ".join(_label(f) for f in forms)


def render_concept(concept: Concept, term: str | None = None, termbase=None) -> str:
    lines = [f"{concept.zh}  {concept.en}  [{concept.id} · {concept.category}]"]
    if term is not None and termbase is not None:
        for form in termbase.find_forms(term):
            if form.concept_id == concept.id and form.head:
                lines.append(f"  '{form.text}' is a standard synonym ({form.designation}) of {concept.preferred(form.lang).text}")
            elif form.concept_id == concept.id and form.status != PREFERRED:
                lines.append(f"  '{form.text}' is {form.status}; preferred: {concept.preferred(form.lang).text}")
    lines.append(f"  zh: {forms_line(concept, 'zh')}")
    lines.append(f"  en: {forms_line(concept, 'en')}")
    lines.append(f"  {concept.definition_en}")
    lines.append(f"  {concept.definition_zh}")
    if concept.related:
        lines.append(f"  related: {', '.join(related_names(concept, termbase))}")
    return "\n".join(lines)


# -- Markdown (hover) -------------------------------------------------------------------------------------------

_STATUS_ZH = {PREFERRED: "推荐", ADMITTED: "可用", DEPRECATED: "不推荐"}


def _md(text: str) -> str:
    """Escape the few characters that would turn a term into Markdown markup."""
    for ch in ("\\", "*", "_", "`", "[", "]", "<", ">"):
        text = text.replace(ch, "\\" + ch)
    return text


def _other_forms(concept: Concept, lang: str, shown: set[str], designation: str = "") -> str:
    out = []
    for f in forms_by_status(concept, lang):
        if f.text in shown or f.designation != designation or f.head:
            continue
        shown.add(f.text)
        label = _md(f.text)
        if f.kind == CODE:
            label = f"`{f.text}`"
        if f.status == DEPRECATED:
            label = f"~~{label}~~"
        elif f.kind == ABBREVIATION:
            label += " (abbr.)"
        if f.ambiguous:
            label += " (ambiguous)"
        out.append(label)
    return " · ".join(out)


def render_concept_markdown(concept: Concept, form: Form | None, termbase, preferred_text=None) -> str:
    """One sense. ``form``: the form under the cursor (its status is shown); ``preferred_text(cid, lang)``: the
    project's preferred rendering (configuration), defaulting to the term base's."""
    pref = preferred_text or (lambda cid, lang: termbase.concepts[cid].preferred(lang).text)
    if concept.category == "learned":  # a document-set term: the base has no preference of its own
        pref = lambda cid, lang: termbase.concepts[cid].preferred(lang).text  # noqa: E731
    zh = pref(concept.id, "zh")
    en = pref(concept.id, "en")
    head = f"**{_md(zh)}**" if zh == en else f"**{_md(zh)}** · **{_md(en)}**"
    abbrs = concept.abbreviations
    if abbrs:
        head += " · " + ", ".join(_md(a) for a in abbrs)
    lines = [f"{head}  \n`{concept.id}` · {concept.category}"]
    if form is not None:
        preferred_here = pref(concept.id, form.lang)
        if form.text == preferred_here:
            status = f"*{_md(form.text)}*: preferred"
        else:
            status = f"*{_md(form.text)}*: {form.status}; preferred **{_md(preferred_here)}**"
            if form.kind == ABBREVIATION:
                status = f"*{_md(form.text)}*: abbreviation of **{_md(preferred_here)}**"
            elif form.designation:
                head = concept.designation_head(form.designation, form.lang)
                if form.head or head is None:
                    status = f"*{_md(form.text)}*: standard synonym of **{_md(preferred_here)}** ({_md(form.designation)})"
                else:
                    status = (f"*{_md(form.text)}*: {form.status} rendering of {_md(form.designation)}; "
                              f"preferred **{_md(head.text)}**")
        if form.note:
            status += f" — {_md(form.note)}"
        lines.append(status)
    shown = {zh, en}
    zh_more = _other_forms(concept, "zh", set(shown))
    en_more = _other_forms(concept, "en", set(shown) | set(abbrs))
    if zh_more or en_more:
        parts = []
        if zh_more:
            parts.append(f"zh: {zh_more}")
        if en_more:
            parts.append(f"en: {en_more}")
        lines.append("Other renderings — " + "; ".join(parts))
    # the concept's other designations (synonyms, both standard): one line each, with their own rival renderings
    for name in concept.designations[1:]:
        heads = [h for h in (concept.designation_head(name, "zh"), concept.designation_head(name, "en")) if h]
        line = "also: " + " ".join(f"**{_md(h.text)}**" for h in heads)
        rivals = "; ".join(r for r in (_other_forms(concept, "zh", set(), name), _other_forms(concept, "en", set(), name)) if r)
        lines.append(line + (f" (also written {rivals})" if rivals else ""))
    if concept.definition_zh:
        lines.append(_md(concept.definition_zh))
    if concept.definition_en:
        lines.append(_md(concept.definition_en))
    if concept.related:
        names = related_names(concept, termbase, _md, 6)
        more = f" … (+{len(concept.related) - 6})" if len(concept.related) > 6 else ""
        lines.append("Related: " + ", ".join(names) + more)
    return "\n\n".join(lines)


def render_hover_markdown(forms: list[Form], termbase, preferred_text=None) -> str:
    """Every sense a form (or several forms of one surface) may name, separated by rules."""
    parts = []
    seen: set[str] = set()
    for form in forms:
        if form.concept_id in seen or form.concept_id not in termbase.concepts:
            continue
        seen.add(form.concept_id)
        parts.append(render_concept_markdown(termbase.concepts[form.concept_id], form, termbase, preferred_text))
    if len(parts) > 1:
        parts.insert(0, f"*{_md(forms[0].text)}* is ambiguous: {len(parts)} senses")
    return "\n\n---\n\n".join(parts)

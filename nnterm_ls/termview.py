"""Human-readable views of a concept, shared by `nnterm lookup` (plain text) and hover (Markdown)."""

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


def forms_line(concept: Concept, lang: str) -> str:
    forms = [f for f in concept.forms if f.lang == lang and not (lang == "zh" and f.text == concept.en and f.status == PREFERRED and concept.zh == concept.en)]
    order = {PREFERRED: 0, ADMITTED: 1, DEPRECATED: 2}
    forms.sort(key=lambda f: order[f.status])
    return " · ".join(_label(f) for f in forms)


def render_concept(concept: Concept, term: str | None = None, termbase=None) -> str:
    lines = [f"{concept.zh}  {concept.en}  [{concept.id} · {concept.category}]"]
    if term is not None and termbase is not None:
        for form in termbase.find_forms(term):
            if form.concept_id == concept.id and form.status != PREFERRED:
                lines.append(f"  '{form.text}' is {form.status}; preferred: {concept.preferred(form.lang).text}")
    lines.append(f"  zh: {forms_line(concept, 'zh')}")
    lines.append(f"  en: {forms_line(concept, 'en')}")
    lines.append(f"  {concept.definition_en}")
    lines.append(f"  {concept.definition_zh}")
    if concept.related:
        names = []
        for rid in concept.related:
            rel = termbase.get(rid) if termbase is not None else None
            names.append(f"{rel.zh} ({rel.en})" if rel else rid)
        lines.append(f"  related: {', '.join(names)}")
    return "\n".join(lines)

"""Hover text: a concise Markdown view of the concept(s) a form names."""

from __future__ import annotations

from ..termbase.model import ABBREVIATION, ADMITTED, CODE, DEPRECATED, PREFERRED, Concept, Form

_STATUS_ZH = {PREFERRED: "推荐", ADMITTED: "可用", DEPRECATED: "不推荐"}


def _md(text: str) -> str:
    """Escape the few characters that would turn a term into Markdown markup."""
    for ch in ("\\", "*", "_", "`", "[", "]", "<", ">"):
        text = text.replace(ch, "\\" + ch)
    return text


def _other_forms(concept: Concept, lang: str, shown: set[str]) -> str:
    order = {PREFERRED: 0, ADMITTED: 1, DEPRECATED: 2}
    out = []
    for f in sorted((f for f in concept.forms if f.lang == lang), key=lambda f: order[f.status]):
        if f.text in shown:
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
    if concept.definition_zh:
        lines.append(_md(concept.definition_zh))
    if concept.definition_en:
        lines.append(_md(concept.definition_en))
    if concept.related:
        names = []
        for rid in concept.related[:6]:
            rel = termbase.get(rid)
            names.append(f"{_md(rel.zh)} ({_md(rel.en)})" if rel is not None and rel.zh != rel.en else _md(rel.en) if rel else f"`{rid}`")
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

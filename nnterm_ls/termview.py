"""The one view of a concept: plain text for `nnterm lookup`, Markdown for the editor's hover.

Both list a concept's forms in status order (preferred, admitted, deprecated) and its related concepts the same way;
only the markup differs."""

from __future__ import annotations

import re

from .termbase.model import ABBREVIATION, ADMITTED, CODE, DEPRECATED, PREFERRED, TERM, Concept, Form


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
# In the shape of texlab's and rust-analyzer's hovers: a header (the term, its translation, its abbreviation), one
# line saying which rendering to use, one sentence of definition in the writer's language; a rule; then the
# details (other renderings, code names on one line, other designations, related terms). No ids, no categories.

MAX_CODE_NAMES = 4
MAX_RELATED = 5
_SENTENCE_ZH = re.compile(r"^.*?[。！？]")
_SENTENCE_EN = re.compile(r"^.*?[.!?](?=\s+[A-Z(]|$)")
_CLAUSE_ZH = re.compile(r"^.*?(?=[，；。：]|$)")


def _md(text: str) -> str:
    """Escape the few characters that would turn a term into Markdown markup."""
    for ch in ("\\", "*", "_", "`", "[", "]", "<", ">", "~"):
        text = text.replace(ch, "\\" + ch)
    return text


def first_sentence(text: str, lang: str) -> str:
    """The definition's first sentence (the hover shows one)."""
    text = " ".join(text.split())
    m = (_SENTENCE_ZH if lang == "zh" else _SENTENCE_EN).match(text)
    return m.group(0) if m else text


def short_definition(concept: Concept, lang: str) -> str:
    """A few words of the definition for a one-line sense of an ambiguous word (the first clause)."""
    text = definition(concept, lang)
    if lang == "zh":
        m = _CLAUSE_ZH.match(text)
        return m.group(0) if m else text
    return first_sentence(text, lang).rstrip(".").split(";")[0].split(", such as")[0]


def definition(concept: Concept, lang: str) -> str:
    return (concept.definition_zh if lang == "zh" else concept.definition_en) or concept.definition_en or concept.definition_zh or ""


def header(concept: Concept, form_lang: str, pref) -> str:
    """**批量归一化** · batch normalization · BN: the rendering in the hovered term's language first."""
    zh, en = pref(concept.id, "zh"), pref(concept.id, "en")
    first, second = (zh, en) if form_lang == "zh" else (en, zh)
    parts = [f"**{_md(first)}**"]
    if second != first:
        parts.append(_md(second))
    parts.extend(_md(a) for a in concept.abbreviations if a not in (first, second))
    return " · ".join(parts[:3])


def which_to_use(concept: Concept, form: Form | None, pref, usage, lang: str) -> str:
    """The one line saying which rendering to use: what is recommended (.nnterm.yaml, else the term base) and what
    the document set uses, word for word the line the inconsistency diagnostic carries (``i18n.verdict``)."""
    from .i18n import quote, t, verdict

    form_lang = form.lang if form is not None else "zh"
    designation = form.designation if form is not None and form.kind == TERM else ""
    recommended, used = (usage or {}).get((concept.id, form_lang, designation), (None, []))
    if recommended is None:
        head = concept.designation_head(designation, form_lang) if designation else None
        recommended = head.text if head is not None else pref(concept.id, form_lang)
    line = verdict(recommended, used, lang)
    if form is None:
        return line
    if form.designation and form.kind == TERM and form.lang == form_lang:
        main = pref(concept.id, form_lang)
        if main != form.text:
            note = t("synonym_of", lang, form=quote(form.text, lang), preferred=quote(main, lang), designation=form.designation)
            return f"{note} ｜ {line}" if lang == "zh" else f"{note} | {line}"
    if form.text == recommended:
        return line
    if form.kind == ABBREVIATION:
        note = t("abbr_of", lang, form=quote(form.text, lang), preferred=quote(recommended, lang))
    elif form.kind == CODE:
        note = t("code_of", lang, form=quote(form.text, lang), preferred=quote(recommended, lang))
    elif form.status == DEPRECATED:
        note = t("use_instead", lang, form=quote(form.text, lang), status=t("status_deprecated", lang), preferred=quote(recommended, lang))
    else:
        return line
    return f"{note} ｜ {line}" if lang == "zh" else f"{note} | {line}"


def _rendering_list(concept: Concept, lang: str, shown: set[str], ui: str, kinds=(TERM, ABBREVIATION)) -> list[str]:
    from .i18n import t

    out = []
    for f in forms_by_status(concept, lang):
        if f.text in shown or f.kind not in kinds:
            continue
        shown.add(f.text)
        label = _md(f.text)
        if f.status == DEPRECATED:
            label = f"~~{label}~~"
        elif f.kind == ABBREVIATION:
            label += f" ({t('abbr', ui)})"
        if f.ambiguous:
            label += f" ({t('ambiguous', ui)})"
        out.append(label)
    return out


def details(concept: Concept, form_lang: str, termbase, pref, ui: str) -> list[str]:
    """The lines below the rule: other renderings, code names (one line), other designations, related terms."""
    from .i18n import t

    other_lang = "en" if form_lang == "zh" else "zh"
    shown = {pref(concept.id, "zh"), pref(concept.id, "en"), *concept.abbreviations}
    designated = {f.text for f in concept.forms if f.designation}
    lines = []
    same = _rendering_list(concept, form_lang, shown | designated, ui)
    if same:
        lines.append(t("other_renderings", ui) + " · ".join(same))
    other = _rendering_list(concept, other_lang, shown | designated, ui)
    if other:
        lines.append(t("english_forms" if other_lang == "en" else "chinese_forms", ui) + " · ".join(other))
    codes = [f.text for f in concept.forms if f.kind == CODE and f.status != DEPRECATED]
    if codes:
        more = " …" if len(codes) > MAX_CODE_NAMES else ""
        lines.append(t("code_names", ui) + " ".join(f"`{c}`" for c in codes[:MAX_CODE_NAMES]) + more)
    names = []
    for name in concept.designations[1:]:
        heads = [h.text for h in (concept.designation_head(name, form_lang), concept.designation_head(name, other_lang)) if h]
        if heads:
            names.append(" · ".join(_md(h) for h in dict.fromkeys(heads)))
    if names:
        lines.append(t("also_called", ui) + "；".join(names) if ui == "zh" else t("also_called", ui) + "; ".join(names))
    if concept.related:
        rel = _related_in(concept, termbase, ui)
        more = " …" if len(concept.related) > MAX_RELATED else ""
        lines.append(t("related", ui) + ("、" if ui == "zh" else ", ").join(rel) + more)
    return lines


def _related_in(concept: Concept, termbase, ui: str) -> list[str]:
    """Related concepts by their name in the writer's language."""
    out = []
    for rid in concept.related[:MAX_RELATED]:
        rel = termbase.get(rid) if termbase is not None else None
        out.append(_md((rel.zh if ui == "zh" else rel.en)) if rel is not None else rid)
    return out


def render_sense_markdown(concept: Concept, form: Form | None, termbase, pref, ui: str, usage=None, note: str | None = None) -> str:
    """The hover of one concept: header, which to use, one sentence; a rule; the details."""
    form_lang = form.lang if form is not None else ui
    top = [header(concept, form_lang, pref), which_to_use(concept, form, pref, usage, ui)]
    if note:
        top.append(note)
    sentence = first_sentence(definition(concept, ui), ui)
    if sentence:
        top.append(_md(sentence))
    below = details(concept, form_lang, termbase, pref, ui)
    out = "  \n".join(top)
    if below:
        out += "\n\n---\n\n" + "  \n".join(below)
    return out


def render_senses_markdown(surface: str, senses: list[tuple[Concept, Form, str | None]], pref, ui: str) -> str:
    """An ambiguous word: one short line per sense, the sense the context favours first and marked (its mark is
    the third item: why it is favoured)."""
    from .i18n import quote, t

    lines = [t("senses", ui, form=f"**{_md(surface)}**", n=len(senses))]
    for concept, form, mark in senses:
        zh, en = pref(concept.id, "zh"), pref(concept.id, "en")
        first, second = (zh, en) if ui == "zh" else (en, zh)
        name = f"**{_md(first)}**" + (f" · {_md(second)}" if second != first else "")
        line = f"- {name}：{_md(short_definition(concept, ui))}" if ui == "zh" else f"- {name}: {_md(short_definition(concept, ui))}"
        if mark:
            line += f" ◀ *{_md(mark)}*"
        lines.append(line)
    return "\n".join(lines)

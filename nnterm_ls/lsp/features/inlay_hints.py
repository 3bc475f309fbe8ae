"""Inlay hints people can leave on: the other language's term once per concept per document, where the writer has
not glossed it, and an abbreviation's expansion at its first use; the definition in the tooltip.

Full-width parentheses in a Chinese text, ASCII ones (with a space) in an English one; the label is the rendering
alone, short enough that no client truncates it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hint:
    offset: int
    label: str
    padding_left: bool
    tooltip: str  # Markdown: the definition in the writer's language


def inlay_hints(engine, analysis, start: int, end: int, lang: str | None = None) -> list[Hint]:
    from ...i18n import ui_lang
    from ...termview import definition, first_sentence

    ui = lang or ui_lang(analysis.lang, getattr(engine, "locale", "auto"))
    glossed = {g.head for g in analysis.glosses}
    inside = [(g.open, g.close) for g in analysis.glosses]
    termbase = engine.termbase
    seen: set[str] = set()  # concepts mentioned (glossed or hinted) earlier in the document
    out = []
    for k, occ in enumerate(analysis.occurrences):
        if occ.start > end:
            break
        use = analysis.uses[k] if k < len(analysis.uses) else None
        if occ.ambiguous or (use is not None and (use.skip is not None or use.in_heading)):
            continue  # a heading names a term; its first mention in prose is where it is introduced
        if any(o <= occ.start < c for o, c in inside):
            continue
        cid = occ.form.concept_id
        first = cid not in seen
        seen.add(cid)
        concept = termbase.get(cid)
        if not first or k in glossed or concept is None or concept.zh == concept.en or concept.common or occ.form.kind == "code":
            continue
        if occ.end < start:
            continue
        other = engine.preferred_text(cid, "en" if occ.lang == "zh" else "zh")
        chinese = occ.lang == "zh" or analysis.lang == "zh"  # a Chinese text's parentheses are full-width
        label = f"（{other}）" if chinese else f"({other})"
        tooltip = first_sentence(definition(concept, ui), ui)
        out.append(Hint(occ.end, label, not chinese, tooltip))
    return out

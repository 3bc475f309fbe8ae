"""Hover: the concept view of the term under the cursor (a term of the base, or one learned from a gloss), in the
writer's language (``lang``), saying what the diagnostics say (``engine.usage``: the last check's counts)."""

from __future__ import annotations

import os

from ...i18n import quote, t, ui_lang
from ...resolve.learn import LayeredTermBase
from ...resolve.senses import Sense, favoured
from ...termview import render_sense_markdown, render_senses_markdown
from .terms import forms_at


def hover(engine, analysis, offset: int, lang: str | None = None) -> tuple[str, int, int] | None:
    """(Markdown, start, end) for the term at ``offset``, or None. ``lang``: the interface language (default: the
    document's, or the engine's ``locale``)."""
    ui = lang or ui_lang(analysis.lang, getattr(engine, "locale", "auto"))
    forms, start, end, occ = forms_at(engine.termbase, analysis, analysis.text, offset)
    termbase = engine.termbase
    note = None
    learned = _learned_at(engine, analysis.text, offset)
    if learned is not None and (not forms or end - start < learned[2] - learned[1]):
        forms, start, end = [learned[0].form], learned[1], learned[2]
        termbase = LayeredTermBase(engine.termbase, engine.lexicon.concepts)
        note = t("learned", ui, form=quote(learned[0].form.text, ui), where=f"{os.path.basename(learned[0].path)}:{learned[0].line}", english=learned[0].english)
        occ = None
    if not forms:
        return None
    value = render(engine, termbase, analysis, occ, forms, ui, note)
    return (value, start, end) if value else None


def render(engine, termbase, analysis, occ, forms, ui: str, note: str | None = None) -> str:
    """One concept: its view; several (an ambiguous word): one line per sense, the favoured first."""
    pref = engine.preferred_text
    if any(termbase.concepts.get(f.concept_id) is not None and termbase.concepts[f.concept_id].category == "learned" for f in forms):
        pref = lambda cid, lang: termbase.concepts[cid].preferred(lang).text  # noqa: E731 (the set's own term)
    by_concept = {}
    for f in forms:
        if f.concept_id in termbase.concepts:
            by_concept.setdefault(f.concept_id, f)
    if not by_concept:
        return ""
    if len(by_concept) == 1:
        cid, form = next(iter(by_concept.items()))
        return render_sense_markdown(termbase.concepts[cid], form, termbase, pref, ui, engine.usage, note)
    order, why = (list(by_concept), None) if occ is None else favoured(analysis, occ, termbase, engine.senses)
    order = [c for c in order if c in by_concept] + [c for c in by_concept if c not in order]
    senses = []
    for i, cid in enumerate(order):
        mark = None
        if i == 0 and isinstance(why, Sense):
            mark = t("sense_glossed", ui, where=f"{os.path.basename(why.path)}:{why.line}")
        elif i == 0 and why == "context":
            mark = t("sense_here", ui)
        senses.append((termbase.concepts[cid], by_concept[cid], mark))
    return render_senses_markdown(forms[0].text, senses, pref, ui)


def brief(engine, concept, ui: str) -> str:
    """A concept's header, which-to-use line and definition sentence (a completion item's documentation)."""
    form = concept.preferred(ui) if any(f.lang == ui for f in concept.forms) else None
    return render_sense_markdown(concept, form, engine.termbase, engine.preferred_text, ui, engine.usage).split("\n\n---\n\n")[0]


def _learned_at(engine, text: str, offset: int):
    """A rendering the last check learned from the set's glosses, covering ``offset``: (Learned, start, end)."""
    lexicon = getattr(engine, "lexicon", None)
    if not lexicon:
        return None
    for head, learned in lexicon.renderings.items():
        lo = max(0, offset - len(head))
        i = text.find(head, lo, offset + len(head))
        if i >= 0 and i <= offset <= i + len(head):
            return learned, i, i + len(head)
    return None

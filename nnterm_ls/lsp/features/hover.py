"""Hover: the concept view of the term under the cursor (a term of the base, or one learned from a gloss)."""

from __future__ import annotations

from ...resolve.learn import LayeredTermBase
from ...termview import render_hover_markdown
from .terms import forms_at


def hover(engine, analysis, offset: int) -> tuple[str, int, int] | None:
    """(Markdown, start, end) for the term at ``offset``, or None."""
    forms, start, end, _occ = forms_at(engine.termbase, analysis, analysis.text, offset)
    termbase = engine.termbase
    learned = _learned_at(engine, analysis.text, offset)
    if learned is not None and (not forms or end - start < learned[2] - learned[1]):
        forms, start, end = [learned[0]], learned[1], learned[2]
        termbase = LayeredTermBase(engine.termbase, engine.lexicon.concepts)
    if not forms:
        return None
    return render_hover_markdown(forms, termbase, engine.preferred_text), start, end


def _learned_at(engine, text: str, offset: int):
    """A rendering the last check learned from the set's glosses, covering ``offset``: (form, start, end)."""
    lexicon = getattr(engine, "lexicon", None)
    if not lexicon:
        return None
    for head, learned in lexicon.renderings.items():
        lo = max(0, offset - len(head))
        i = text.find(head, lo, offset + len(head))
        if i >= 0 and i <= offset <= i + len(head):
            return learned.form, i, i + len(head)
    return None

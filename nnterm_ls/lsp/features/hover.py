"""Hover: the concept view of the term under the cursor."""

from __future__ import annotations

from ...termview import render_hover_markdown
from .terms import forms_at


def hover(engine, analysis, offset: int) -> tuple[str, int, int] | None:
    """(Markdown, start, end) for the term at ``offset``, or None."""
    forms, start, end, _occ = forms_at(engine.termbase, analysis, analysis.text, offset)
    if not forms:
        return None
    return render_hover_markdown(forms, engine.termbase, engine.preferred_text), start, end

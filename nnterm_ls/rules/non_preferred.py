"""non-preferred: an admitted rendering where the base (or the configuration) prefers another."""

from __future__ import annotations

from ..termbase.model import ADMITTED, PREFERRED
from . import inconsistent
from .base import Context, make_finding, replacement
from .findings import Finding

CODE = "non-preferred"


def findings(ctx: Context, doc, pos: int) -> list[Finding]:
    """A document's findings: each use is judged on its own; the set only says which uses inconsistent reports."""
    # an occurrence already reported as inconsistent is not reported twice
    taken = {f.start for f in inconsistent.findings(ctx, doc, pos)} if ctx.rules.enabled(inconsistent.CODE) else set()
    out = []
    preferred_of: dict = {}
    for (cid, lang, designation), occ, _use in inconsistent.grouped(doc):
        key = (cid, lang, designation)
        if key not in preferred_of:
            configured = inconsistent.configured_for(ctx, cid, lang, designation)
            head = inconsistent._designation_head(ctx, cid, designation, lang)
            preferred_of[key] = None if configured is None and head is None else (configured, configured or head.text)
        decided = preferred_of[key]
        if decided is None:
            continue
        configured, preferred = decided
        if occ.start in taken or occ.form.head:
            continue
        if occ.form.status == ADMITTED and occ.form.text != preferred or (
            configured and occ.form.text != configured and occ.form.status == PREFERRED
        ):
            out.append(make_finding(ctx, doc, occ, CODE, replacement(occ, preferred, lang), preferred=preferred))
    return out

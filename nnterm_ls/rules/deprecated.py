"""deprecated: a deprecated rendering (outdated or wrong)."""

from __future__ import annotations

from collections.abc import Iterator

from ..termbase.model import DEPRECATED
from .base import Context, live, make_finding, replacement
from .findings import Applicability, Finding
from .inconsistent import CODE as INCONSISTENT

CODE = "deprecated"


def findings(ctx: Context, doc, pos: int) -> Iterator[Finding]:
    """One document's findings. Of the set it reads only the renderings its term lists give (decided with the
    inconsistent rule's facts, from the same summaries)."""
    facts = ctx.facts.get(INCONSISTENT) if ctx.facts else None
    prescribed = facts.prescribed if facts is not None else frozenset()
    for occ, use in live(doc):
        if occ.ambiguous or occ.form.status != DEPRECATED:
            continue
        preferred = ctx.preferred_text(occ.form.concept_id, occ.form.lang)
        if (occ.form.concept_id, occ.form.lang, occ.surface) in prescribed:
            continue  # the set's own term list gives this rendering: the set's choice, not an outdated one
        # a glossed head introduces the term (长短期存储器（long short-term memory）): rewritten only by hand
        applicability = Applicability.UNSAFE if use.glossed else None
        yield make_finding(ctx, doc, occ, CODE, replacement(occ, preferred, occ.form.lang, doc.text[occ.start : occ.end]),
                           applicability=applicability, preferred=preferred)

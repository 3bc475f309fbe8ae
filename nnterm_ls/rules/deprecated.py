"""deprecated: a deprecated rendering (outdated or wrong)."""

from __future__ import annotations

from collections.abc import Iterator

from ..resolve import PRIMARY_NAME
from ..termbase.model import DEPRECATED
from ..textutil import lookup_key
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
        if use.definitional and not PRIMARY_NAME.search(doc.prose.masked, max(0, occ.start - 8), occ.start):
            continue  # 也称为反卷积（Deconvolution）: another name mentioned as a name, not a rendering used
        preferred = ctx.preferred_text(occ.form.concept_id, occ.form.lang)
        if (occ.form.concept_id, occ.form.lang, occ.surface) in prescribed:
            continue  # the set's own term list gives this rendering: the set's choice, not an outdated one
        # a glossed head introduces the term (长短期存储器（long short-term memory）): rewritten only by hand; so is
        # a rendering whose replacement the set never writes while it writes another rendering of the concept
        by_hand = use.glossed or _writes_another(ctx, facts, occ.form.concept_id, occ.form.lang, preferred)
        applicability = Applicability.UNSAFE if by_hand else None
        yield make_finding(ctx, doc, occ, CODE, replacement(occ, preferred, occ.form.lang, doc.text[occ.start : occ.end]),
                           applicability=applicability, preferred=preferred)


def _writes_another(ctx: Context, facts, cid: str, lang: str, preferred: str) -> bool:
    """Whether the set writes Chinese renderings of the concept but never the replacement (ai-system-zh writes
    神经网络结构搜索, never 神经架构搜索): which one to write is then the writer's choice."""
    if facts is None or lang != "zh":  # (an English deprecated form is a misspelling: its correction is certain)
        return False
    written = facts.written(cid, lang, ctx.termbase.concepts[cid].designations)
    return bool(written) and lookup_key(preferred) not in {lookup_key(t) for t in written}


def depends(ctx: Context, facts, concepts) -> tuple:
    """What a document's findings read of the set, for the concepts of its deprecated renderings."""
    return tuple(_writes_another(ctx, facts, cid, lang, ctx.preferred_text(cid, lang)) for cid, lang in concepts)

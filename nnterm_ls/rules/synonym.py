"""synonym: one concept named by two of its designations in a document set (正态分布 and 高斯分布).

Both names are standard, so this is off by default; authors who want one name per concept turn it on. The name
kept is the designation used most often (ties: the concept's main designation, then first use). Decided from the
inconsistent rule's merged summaries (counts per designation, first uses).
"""

from __future__ import annotations

from . import inconsistent
from ..i18n import t
from .base import Context, make_finding, replacement
from .findings import Applicability, Finding, Related

CODE = "synonym"


def decide(ctx: Context, groups: dict) -> dict:
    """(concept, language) -> (kept designation, kept text, (path, start, end) of its first three uses), for the
    concepts the set names by two or more designations (``groups``: the inconsistent rule's merged variants)."""
    by_concept: dict[tuple[str, str], dict[str, dict]] = {}
    for (cid, lang, designation), variants in groups.items():
        by_concept.setdefault((cid, lang), {})[designation] = variants
    out = {}
    for (cid, lang), designations in by_concept.items():
        if len(designations) < 2:
            continue
        counts = {d: sum(v.n for v in variants.values()) for d, variants in designations.items()}
        first = {d: min(v.first for v in variants.values()) for d, variants in designations.items()}
        kept = min(designations, key=lambda d: (-counts[d], d != "", first[d]))
        concept = ctx.termbase.concepts[cid]
        head = concept.designation_head(kept, lang)
        kept_variants = designations[kept]
        first_variant = next(iter(kept_variants.values()))
        kept_text = head.text if head is not None else first_variant.occ.form.text
        related = tuple(k[1:] for k in sorted((k for v in kept_variants.values() for k in v.kept3), key=lambda k: k[0])[:3])
        out[(cid, lang)] = (kept, kept_text, related)
    return out


def depends(ctx: Context, facts: dict, pos: int, s) -> tuple:
    return tuple(facts.get((cid, lang)) for cid, lang, _d in s.groups) if facts else ()


def emit(ctx: Context, doc, pos: int, s, facts: dict) -> list[Finding]:
    out = []
    if not facts:
        return out
    for (cid, lang, designation), occ, _use in inconsistent.grouped(doc):
        decided = facts.get((cid, lang))
        if decided is None or designation == decided[0]:
            continue
        _kept, kept_text, related = decided
        # a synonym is a writer's choice: the editor offers the change, bulk fixes never make it
        f = make_finding(ctx, doc, occ, CODE, replacement(occ, kept_text, lang),
                         applicability=Applicability.UNSAFE, kept=kept_text)
        f.related = [Related(p, a, b, t("related_kept", ctx.lang(doc), kept=kept_text)) for p, a, b in related]
        out.append(f)
    return out


def findings(ctx: Context, doc, pos: int) -> list[Finding]:
    return emit(ctx, doc, pos, ctx.summaries[pos][inconsistent.CODE], ctx.facts[CODE])

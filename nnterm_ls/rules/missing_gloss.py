"""missing-gloss: the first Chinese mention of a concept in the document set (reading order) without its English
original in parentheses."""

from __future__ import annotations

from collections.abc import Iterator

from ..match.matcher import is_han
from ..termbase.model import TERM
from .base import Context, live, make_finding
from .findings import Applicability, Edit, Finding, Fix

CODE = "missing-gloss"


def run(ctx: Context) -> Iterator[Finding]:
    learned = ctx.memo.get("learned", {})
    # once per concept per document set: the first mention in reading order (a thesis glosses a term once)
    seen_en: set[str] = set()
    done: set[str] = set()
    for doc in ctx.docs:
        if doc.lang != "zh":
            continue
        for occ, use in live(doc):
            form = occ.form
            cid = form.concept_id
            if (cid, form.text) in learned:
                continue  # learned from a gloss: glossed already
            if occ.ambiguous or cid in done:
                continue
            if form.lang == "en":
                seen_en.add(cid)
                continue
            if form.kind != TERM or use.in_gloss or use.in_heading:
                continue
            concept = ctx.termbase.concepts[cid]
            done.add(cid)
            if concept.common or concept.zh == concept.en or not any(is_han(c) for c in occ.surface):
                continue
            if use.glossed or cid in seen_en:
                continue
            abbrs = concept.abbreviations
            gloss = f"（{concept.en}，{abbrs[0]}）" if abbrs else f"（{concept.en}）"
            f = make_finding(ctx, doc, occ, CODE, None, gloss=gloss)
            f.suggestion = gloss
            # a quick fix only, never applied by fix-all or --fix: it adds text, and fix-all often runs on save
            f.fix = Fix(ctx.rules.fix_title(CODE, ctx.lang(doc), gloss=gloss), [Edit(occ.end, occ.end, gloss)], Applicability.UNSAFE)
            yield f

"""abbreviation-before-definition: an abbreviation used before its expansion appears, or never expanded."""

from __future__ import annotations

from collections.abc import Iterator

from ..termbase.model import ABBREVIATION, TERM
from .base import Context, make_finding
from .findings import Applicability, Finding, Related

CODE = "abbreviation-before-definition"


def expansion(ctx: Context, cid: str, abbr: str, lang: str) -> str:
    concept = ctx.termbase.concepts[cid]
    if lang == "zh" and concept.zh != concept.en:
        return f"{ctx.preferred_text(cid, 'zh')}（{concept.en}，{abbr}）"
    return f"{ctx.preferred_text(cid, 'en')} ({abbr})"


def run(ctx: Context) -> Iterator[Finding]:
    exempt = set(ctx.rules.extra(CODE, "exempt", []))
    for doc in ctx.docs:
        first_def: dict[str, int] = {}
        for occ, use in zip(doc.occurrences, doc.uses):
            if use.defines_abbreviation:
                cid = occ.form.concept_id
                first_def[cid] = min(occ.start, first_def.get(cid, occ.start))
        # an expansion written out before the abbreviation also defines it ("... batch normalization ... BN")
        first_full: dict[str, tuple[int, int]] = {}
        for occ in doc.occurrences:
            if occ.form.kind == TERM and not occ.ambiguous:
                first_full.setdefault(occ.form.concept_id, (occ.start, occ.end))
        reported_never: set[str] = set()
        for occ, use in zip(doc.occurrences, doc.uses):
            form = occ.form
            if form.kind != ABBREVIATION or occ.ambiguous or occ.miscased or use.defines_abbreviation:
                continue
            if use.in_heading:  # a heading names the topic; the text below defines it
                continue
            concept = ctx.termbase.concepts[form.concept_id]
            if form.text in exempt or concept.common:
                continue
            defined_at = first_def.get(concept.id)
            defined_end = defined_at + len(form.text) if defined_at is not None else None
            full = first_full.get(concept.id)
            if full is not None and (defined_at is None or full[0] < defined_at):
                # the expansion written out (without parentheses) defines the abbreviation from there on
                defined_at, defined_end = full
            if defined_at is not None and occ.start > defined_at:
                continue
            if defined_at is None:
                if concept.id in reported_never:
                    continue
                reported_never.add(concept.id)
                key = "message_never"
            else:
                key = "message"
            text = expansion(ctx, concept.id, form.text, doc.lang)
            # rewriting prose around an abbreviation is the writer's call: an editor-only fix
            f = make_finding(ctx, doc, occ, CODE, text, applicability=Applicability.UNSAFE, message_key=key,
                             expansion=text)
            if defined_at is not None:
                f.related = [Related(doc.path, defined_at, defined_end, "definition")]
            yield f

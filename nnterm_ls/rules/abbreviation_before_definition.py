"""abbreviation-before-definition: an abbreviation used before its expansion appears, or never expanded."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import t
from ..termbase.model import ABBREVIATION, TERM
from .base import Context, live, make_finding
from .findings import Applicability, Finding, Related

CODE = "abbreviation-before-definition"


def expansion(ctx: Context, cid: str, abbr: str, lang: str) -> str:
    concept = ctx.termbase.concepts[cid]
    if lang == "zh" and concept.zh != concept.en:
        return f"{ctx.preferred_text(cid, 'zh')}（{concept.en}，{abbr}）"
    return f"{ctx.preferred_text(cid, 'en')} ({abbr})"


def run(ctx: Context) -> Iterator[Finding]:
    """The documents are read in the set's reading order: an expansion in an earlier chapter counts for the later
    ones. In each document only the first use before a definition is reported."""
    exempt = set(ctx.rules.extra(CODE, "exempt", []))
    polysemous = set(ctx.rules.extra(CODE, "polysemous", []))
    abbr_defined: set[tuple[str, str]] = set()  # (concept, abbreviation) spelled out somewhere in the set
    defined: set[str] = set()  # concepts defined in an earlier document of the set
    later_def: dict[str, tuple] = {}  # concept -> (path, start, end) of its first definition in the set
    per_doc = []
    for doc in ctx.docs:
        first_def: dict[str, tuple[int, int]] = {}
        for occ, use in zip(doc.occurrences, doc.uses):
            if use.defines_abbreviation:
                cid = occ.form.concept_id
                abbr_defined.add((cid, occ.form.text))
                if cid not in first_def or occ.start < first_def[cid][0]:
                    first_def[cid] = (occ.start, occ.start + len(occ.form.text))
        # an expansion written out before the abbreviation also defines it ("... batch normalization ... BN")
        for occ in doc.occurrences:
            if occ.form.kind == TERM and not occ.ambiguous:
                cid = occ.form.concept_id
                if cid not in first_def or occ.start < first_def[cid][0]:
                    first_def[cid] = (occ.start, occ.end)
        per_doc.append(first_def)
        for cid, (start, end) in first_def.items():
            later_def.setdefault(cid, (doc.path, start, end))
    for doc, first_def in zip(ctx.docs, per_doc):
        reported: set[str] = set()
        for occ, use in live(doc):
            form = occ.form
            if form.kind != ABBREVIATION or occ.ambiguous or occ.miscased or use.defines_abbreviation:
                continue
            if use.in_heading:  # a heading names the topic; the text below defines it
                continue
            concept = ctx.termbase.concepts[form.concept_id]
            if form.text in exempt or concept.common or concept.id in defined or concept.id in reported:
                continue
            if form.text in polysemous and (concept.id, form.text) not in abbr_defined:
                continue  # SSD the disk, NN the tag: only a set that spells out the base's sense is checked
            here = first_def.get(concept.id)
            if here is not None and occ.start > here[0]:
                continue
            reported.add(concept.id)
            target = later_def.get(concept.id)
            key = "message" if target is not None else "message_never"
            text = expansion(ctx, concept.id, form.text, doc.lang)
            # rewriting prose around an abbreviation is the writer's call: an editor-only fix
            f = make_finding(ctx, doc, occ, CODE, text, applicability=Applicability.UNSAFE, message_key=key,
                             expansion=text)
            if target is not None:
                f.related = [Related(target[0], target[1], target[2], t("related_definition", ctx.lang(doc)))]
            yield f
        defined.update(first_def)

"""missing-gloss: the first Chinese mention of a concept in the document set (reading order) without its English
original in parentheses.

Each document's summary holds, per concept, its first Chinese mention and whether an English mention comes before
it; the set's first mention is decided from the summaries in reading order (``decide``), and the document that
holds it reports it (``emit``)."""

from __future__ import annotations

from dataclasses import dataclass

from ..match.matcher import is_han
from ..termbase.model import TERM
from .base import Context, live, make_finding
from .findings import Applicability, Edit, Finding, Fix

CODE = "missing-gloss"


@dataclass(slots=True)
class Mention:
    en_before: bool  # an English mention comes before the first Chinese one (or there is no Chinese one)
    first: object  # the first Chinese mention (occurrence), or None
    use: object  # its use


def summarize(ctx: Context, doc, moved=None) -> dict:
    """concept -> Mention, for a Chinese document (others say nothing: only Chinese text is glossed). ``moved``: (the
    summary of the version the document was edited from, ``rules.moved.Moved``) when its occurrences and uses are that
    version's, moved: that summary, its mentions moved."""
    if moved is not None:
        before, m = moved
        return {cid: mention if mention.first is None or not m.renewed(mention.first)
                else Mention(mention.en_before, m.occurrence(mention.first), mention.use)
                for cid, mention in before.items()}
    out: dict[str, Mention] = {}
    if doc.lang != "zh":
        return out
    learned = ctx.memo.get("learned", {})
    for occ, use in live(doc):
        form = occ.form
        cid = form.concept_id
        if (cid, form.text) in learned:
            continue  # learned from a gloss: glossed already
        if occ.ambiguous:
            continue
        m = out.get(cid)
        if m is not None and m.first is not None:
            continue
        if form.lang == "en":
            if m is None:
                out[cid] = Mention(True, None, None)
            continue
        if form.kind != TERM or use.in_gloss or use.in_heading:
            continue
        if m is None:
            out[cid] = Mention(False, occ, use)
        else:
            m.first, m.use = occ, use
    return out


class FirstMentions:
    """The set's first mention of each concept, from the documents' summaries in reading order (``add``): ``out``
    maps a document position to the concepts whose first mention it holds, unglossed (once per concept per
    document set: the first mention in reading order; a thesis glosses a term once)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.seen_en: set[str] = set()
        self.done: set[str] = set()
        self.out: dict[int, list[str]] = {}

    def add(self, pos: int, mentions: dict) -> None:
        seen_en, done = self.seen_en, self.done
        for cid, m in mentions.items():
            if cid in done:
                continue
            if m.first is None:
                seen_en.add(cid)
                continue
            done.add(cid)
            if _unglossed(self.ctx, cid, m, cid in seen_en):
                self.out.setdefault(pos, []).append(cid)


def decide(ctx: Context, summaries, keep: dict | None = None) -> dict:
    """``FirstMentions`` over the summaries in reading order; from the previous check's (``keep``) where only a few
    summaries changed (a keystroke): each concept's first mention depends only on the documents that mention it, so
    only the concepts the changed documents mention are decided again."""
    before = keep.get("summaries") if keep is not None else None
    if before is not None and len(before) == len(summaries):
        changed = [pos for pos, (a, b) in enumerate(zip(before, summaries)) if a is not b]
        if len(changed) <= 4:
            out = _decide_again(ctx, summaries, before, changed, keep)
            keep["summaries"] = list(summaries)
            return out
    first = FirstMentions(ctx)
    for pos, mentions in enumerate(summaries):
        first.add(pos, mentions)
    if keep is not None:
        index: dict[str, list] = {}
        for pos, mentions in enumerate(summaries):
            for cid in mentions:
                index.setdefault(cid, []).append(pos)
        keep.update(summaries=list(summaries), index=index, out=first.out,
                    decided={cid: pos for pos, cids in first.out.items() for cid in cids})
    return first.out


def _decide_again(ctx: Context, summaries, before, changed: list[int], keep: dict) -> dict:
    from bisect import insort

    index, decided = keep["index"], keep["decided"]
    touched: set[str] = set()
    for pos in changed:
        old, new = before[pos], summaries[pos]
        for cid in old.keys() - new.keys():
            index[cid].remove(pos)
            if not index[cid]:
                del index[cid]
        for cid in new.keys() - old.keys():
            insort(index.setdefault(cid, []), pos)
        # (a concept whose mention here reads as before keeps its decision: most of them, on a keystroke)
        touched |= {cid for cid in old.keys() | new.keys()
                    if cid not in old or cid not in new or _reads(old[cid]) != _reads(new[cid])}
    rebuild = set(changed)
    for cid in touched:
        was = decided.pop(cid, None)
        now = _first_unglossed(ctx, cid, ((pos, summaries[pos][cid]) for pos in index.get(cid, ())))
        if now is not None:
            decided[cid] = now
        if was != now:
            rebuild.update(p for p in (was, now) if p is not None)
    out = dict(keep["out"])
    for pos in rebuild:
        cids = [cid for cid in summaries[pos] if decided.get(cid) == pos]
        if cids:
            out[pos] = cids
        else:
            out.pop(pos, None)
    keep["out"] = out
    return out


def _reads(m: Mention) -> tuple:
    """What ``_first_unglossed`` reads of a mention."""
    if m.first is None:
        return (None,)
    return (m.en_before, m.use.glossed, any(is_han(c) for c in m.first.surface))


def _unglossed(ctx: Context, cid: str, m: Mention, seen_en: bool) -> bool:
    """Whether a concept's first Chinese mention in the set (``m``) is reported: a term worth glossing, written in
    Chinese, with no gloss and no English mention before it."""
    concept = ctx.termbase.concepts[cid]
    if concept.common or concept.zh == concept.en or not any(is_han(c) for c in m.first.surface):
        return False
    return not (m.use.glossed or seen_en or m.en_before)


def _first_unglossed(ctx: Context, cid: str, mentions) -> int | None:
    """The position whose mention of ``cid`` FirstMentions reports (in reading order), if any."""
    seen_en = False
    for pos, m in mentions:
        if m.first is None:
            seen_en = True
            continue
        return pos if _unglossed(ctx, cid, m, seen_en) else None
    return None


def depends(ctx: Context, facts: dict, pos: int, s) -> tuple:
    return tuple(facts.get(pos, ()))


def emit(ctx: Context, doc, pos: int, s: dict, facts: dict) -> list[Finding]:
    out = []
    for cid in facts.get(pos, ()):
        occ = s[cid].first
        concept = ctx.termbase.concepts[cid]
        abbrs = concept.abbreviations
        gloss = f"（{concept.en}，{abbrs[0]}）" if abbrs else f"（{concept.en}）"
        f = make_finding(ctx, doc, occ, CODE, None, gloss=gloss)
        f.suggestion = gloss
        # a quick fix only, never applied by fix-all or --fix: it adds text, and fix-all often runs on save
        f.fix = Fix(ctx.rules.fix_title(CODE, ctx.lang(doc), gloss=gloss), [Edit(occ.end, occ.end, gloss)], Applicability.UNSAFE)
        out.append(f)
    return out


def findings(ctx: Context, doc, pos: int) -> list[Finding]:
    return emit(ctx, doc, pos, ctx.summaries[pos][CODE], ctx.facts[CODE])

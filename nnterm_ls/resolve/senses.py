"""Senses of ambiguous forms, decided by the context (issue 10, section 2).

A form the base marks ambiguous (标记: token, label or mark; 特征映射: feature map, or the verb phrase) stays silent
unless the document set itself says which sense it means. A gloss right after an occurrence decides that occurrence
(特征映射（feature map）). A form the base gives several concepts, glossed in one sense somewhere in the set (its own
definition) and never in another, is read in that sense everywhere in the set. Findings on it say why.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..analysis import DocumentAnalysis


@dataclass(frozen=True)
class Sense:
    concept_id: str
    path: str
    line: int  # 1-based, where the gloss that decides it stands
    cue: str = ""  # the word of the sentence that decides it, when no gloss does (访问 near 令牌)


_SENTENCE_END = "。！？；!?;\n"
_CUE_WINDOW = 60  # characters each side, inside the sentence


def _sentence_around(masked: str, start: int, end: int) -> tuple[int, int]:
    lo = start
    while lo > 0 and start - lo < _CUE_WINDOW and masked[lo - 1] not in _SENTENCE_END:
        lo -= 1
    hi = end
    while hi < len(masked) and hi - end < _CUE_WINDOW and masked[hi] not in _SENTENCE_END:
        hi += 1
    return lo, hi


_VERB_BEFORE = set("被将把来行以可能要需已会再并对")  # 被标记为, 进行标记, 可以标记: the ordinary verb
_VERB_AFTER = set("为成了着过出到")  # 标记为, 标记成, 把输入特征映射到标签
_NOUN_BEFORE = set("的个些种")  # 文本序列的标记, 每个令牌
_NOUN_AFTER = set("的，,。、；;：:）)和与及或”\"\n")


def _neighbours(masked: str, start: int, end: int) -> tuple[str, str]:
    return (masked[start - 1] if start > 0 else "\n"), (masked[end] if end < len(masked) else "\n")


def _reads_as_verb(masked: str, start: int, end: int) -> bool:
    before, after = _neighbours(masked, start, end)
    return before in _VERB_BEFORE or after in _VERB_AFTER


def _used_as_noun(masked: str, start: int, end: int) -> bool:
    """The occurrence reads as a noun (the term), not as the everyday verb some ambiguous forms also are."""
    if _reads_as_verb(masked, start, end):
        return False
    before, after = _neighbours(masked, start, end)
    return before in _NOUN_BEFORE or after in _NOUN_AFTER


# cue words of one sense needed in the sentence: a single cue (序列, 类别) is common in any sentence about data and
# read 标记 "tag" or "labelled" as the token or the label; two agree far more often (round 6 of the labels)
CUES_NEEDED = 2


def _cue_senses(doc: "DocumentAnalysis", termbase) -> dict[int, tuple[str, str]]:
    """Occurrence index -> (concept, cue) for ambiguous occurrences of forms of several concepts whose sentence holds
    the cue words of exactly one of them (the term base's ``cues``: 访问 and 登录 for an access token)."""
    if termbase is None:
        return {}
    out: dict[int, tuple[str, str]] = {}
    masked = doc.prose.masked
    starts = None
    for k, occ in enumerate(doc.occurrences):
        if len(occ.forms) < 2:
            continue
        cues = {cid: termbase.concepts[cid].cues for cid in occ.concept_ids if cid in termbase.concepts}
        if not any(cues.values()) or (occ.lang == "zh" and not _used_as_noun(masked, occ.start, occ.end)):
            continue
        lo, hi = _sentence_around(masked, occ.start, occ.end)
        if starts is None:
            starts = [o.start for o in doc.occurrences]
        around = (masked[lo:occ.start] + " " + masked[occ.end:hi]).lower()
        sentence = masked[lo:hi].lower()
        hits = {cid: [c for c in words if c.lower() in around and _cue_stands(doc, termbase, cid, c, sentence, lo, k, starts)]
                for cid, words in cues.items()}
        decided = [(cid, found) for cid, found in hits.items() if found]
        if len(decided) == 1 and len(decided[0][1]) >= CUES_NEEDED:
            out[k] = (decided[0][0], "、".join(decided[0][1][:CUES_NEEDED]))
    return out


def _cue_stands(doc: "DocumentAnalysis", termbase, sense: str, cue: str, segment: str, lo: int, k: int,
                starts: list[int]) -> bool:
    """Whether a cue word found in the sentence speaks for ``sense``: somewhere it is not only a part of a longer term
    of an unrelated concept (标签 in 标签词, a prompt's label word, says nothing of the label; 分词 in 分词器 does
    speak of the token, the tokenizer being its related concept)."""
    occs = doc.occurrences  # (``segment``: the sentence from ``lo``, lowercased)
    needle = cue.lower()
    n = len(needle)
    found = segment.find(needle)
    while found != -1:
        at = lo + found
        j = bisect_right(starts, at) - 1  # (occurrences do not overlap: the one starting last at or before the cue)
        o = occs[j] if j >= 0 and occs[j].end >= at + n else None  # the occurrence the cue is part of, if any
        if o is None or (j != k and (o.end - o.start <= n or _related(termbase, sense, o.concept_ids))):
            return True
        found = segment.find(needle, found + 1)
    return False


def _related(termbase, sense: str, concept_ids) -> bool:
    concept = termbase.concepts.get(sense)
    for cid in concept_ids:
        other = termbase.concepts.get(cid)
        if cid == sense or (concept is not None and cid in concept.related) or (other is not None and sense in other.related):
            return True
    return False


def _gloss_senses(doc: "DocumentAnalysis") -> dict[int, str]:
    """Occurrence index -> the concept its own gloss names, for ambiguous occurrences with a deciding gloss."""
    occs = doc.occurrences
    starts = [o.start for o in occs]
    out: dict[int, str] = {}
    for g in doc.glosses:
        head = occs[g.head]
        if not head.ambiguous:
            continue
        candidates = set(head.concept_ids)
        named = set()
        for k in range(bisect_left(starts, g.open), bisect_left(starts, g.close)):
            inner = occs[k]
            if inner.lang != head.lang and not inner.ambiguous:
                named |= candidates & set(inner.concept_ids)
        if len(named) == 1:
            out[g.head] = next(iter(named))
    return out


def decide(docs: list["DocumentAnalysis"], termbase=None, memo: dict | None = None) -> tuple[dict[str, Sense], list[dict[int, str | Sense]]]:
    """Surface text -> the one sense the set's glosses give a form the base gives several concepts (none when the
    glosses disagree); and per document, the occurrences whose own gloss decides them, or, with no gloss, the cue
    words of their sentence (those decide only their own occurrence). ``memo`` (kept by the caller between checks
    of one set): each document's gloss and cue senses, reused while its analysis is the same object."""
    per_doc = [_own_senses(doc, termbase, memo) for doc in docs]
    if memo is None:
        return decide_from(per_doc)
    # the same documents' senses as the last check (an edit that changed none of them): the same decision
    last = memo.get("_decided")
    if last is not None and len(last[0]) == len(per_doc) and all(a is b for a, b in zip(last[0], per_doc)):
        return last[1]
    out = memo["_decided"] = (per_doc, decide_from(per_doc))
    return out[1]


@dataclass(frozen=True)
class DocSenses:
    """What deciding senses needs of one document: its gloss senses (occurrence index -> concept), its cue senses
    (index -> (concept, cue)) and, for those occurrences, (surface, number of forms, 1-based line)."""

    path: str
    gloss: dict
    cues: dict
    info: dict


def doc_senses(doc: "DocumentAnalysis", termbase) -> DocSenses:
    gloss, cues = _gloss_senses(doc), _cue_senses(doc, termbase)
    info = {}
    for k in (*gloss, *cues):
        occ = doc.occurrences[k]
        info[k] = (occ.surface, len(occ.forms), doc.lines.line_of(occ.start) + 1)
    return DocSenses(doc.path, gloss, cues, info)


def decide_from(per_doc: list[DocSenses]) -> tuple[dict[str, Sense], list[dict[int, str | Sense]]]:
    """``decide`` from the documents' ``doc_senses``, in reading order."""
    seen: dict[str, set[str]] = {}
    first: dict[tuple[str, str], Sense] = {}
    local: list[dict] = [dict(d.gloss) for d in per_doc]
    for d, decided in zip(per_doc, local):
        for k, cid in decided.items():
            surface, n_forms, line = d.info[k]
            if n_forms < 2:
                continue  # ambiguous with an everyday word (批量 "in bulk"): a gloss decides only its own place
            seen.setdefault(surface, set()).add(cid)
            first.setdefault((surface, cid), Sense(cid, d.path, line))
    senses = {surface: first[(surface, next(iter(cids)))] for surface, cids in seen.items() if len(cids) == 1}
    for d, decided in zip(per_doc, local):
        for k, (cid, cue) in d.cues.items():
            if k not in decided and d.info[k][0] not in senses:
                decided[k] = Sense(cid, d.path, d.info[k][2], cue)
    return senses, local


def _own_senses(doc: "DocumentAnalysis", termbase, memo: dict | None) -> DocSenses:
    if memo is None:
        return doc_senses(doc, termbase)
    hit = memo.get(id(doc))
    if hit is None or hit[0] is not doc:
        found = doc_senses(doc, termbase)
        # (a new version whose senses equal the previous one's keeps that object: the decision is then reused)
        by_path = memo.setdefault("_by_path", {})
        same = by_path.get(doc.path)
        if same is not None and same == found:
            found = same
        by_path[doc.path] = found
        hit = memo[id(doc)] = (doc, found)
    memo.setdefault("_seen", set()).add(id(doc))
    return hit[1]


def end_check(memo: dict | None) -> None:
    """Keep only the entries of the documents of the check that just ended."""
    if memo is None:
        return
    seen = memo.pop("_seen", set())
    for key in [k for k in memo if k not in seen and not isinstance(k, str)]:
        del memo[key]
    by_path = memo.get("_by_path")
    if by_path is not None and len(by_path) > 2 * len(seen) + 16:
        memo["_by_path"] = {}  # (documents closed or renamed: forget them now and then)


def apply(doc: "DocumentAnalysis", senses: dict[str, Sense], local: dict[int, str],
          reasons: dict[int, Sense], *, resolve_uses: bool = True) -> "DocumentAnalysis":
    """The analysis with ambiguous occurrences read in the sense the set gives them, or their own gloss gives them
    (``local``, from ``decide``); ``reasons`` collects why."""
    if not senses and not local:
        return doc
    changed = False
    occs = list(doc.occurrences)
    for k, occ in enumerate(occs):
        if not occ.ambiguous:
            continue
        sense = senses.get(occ.surface)
        if sense is not None and occ.lang == "zh" and _reads_as_verb(doc.prose.masked, occ.start, occ.end):
            sense = None  # 将任何输入特征映射到标签: the everyday verb phrase, not the term the set glosses
        if k in local:
            here = local[k]
            sense = here if isinstance(here, Sense) else Sense(here, doc.path, doc.lines.line_of(occ.start) + 1)
        if sense is None or sense.concept_id not in occ.concept_ids:
            continue
        form = next(f for f in occ.forms if f.concept_id == sense.concept_id)
        new = replace(occ, forms=[replace(form, ambiguous=False)])
        occs[k] = new
        reasons[id(new)] = sense
        changed = True
    if not changed:
        return doc
    from . import find_glosses, resolve

    out = replace(doc, occurrences=occs, glosses=find_glosses(doc.prose.masked, occs))
    out.uses = resolve(out) if resolve_uses else None
    return out


# -- the editor: which sense the context favours --------------------------------------------------------------------

CONTEXT_CHARS = 200  # how far (each side) neighbouring terms count as the context of an ambiguous word
_HAN_BIGRAM = 2
CONTEXT_MIN = 2  # a related term nearby, or several words of the definition: less is no signal


def favoured(doc: "DocumentAnalysis", occ, termbase, set_senses: dict[str, Sense] | None = None):
    """The senses of an ambiguous occurrence, the one the context favours first: ([concept ids], why) where why is
    a ``Sense`` (a gloss decides it: the occurrence's own, or the set's, as ``decide`` finds), "context" (the
    neighbouring terms and words fit that sense's related concepts and definition better), or None (no signal:
    the term base's order)."""
    ids = list(dict.fromkeys(occ.concept_ids))
    if len(ids) < 2:
        return ids, None
    k = next((i for i, o in enumerate(doc.occurrences) if o.start == occ.start and o.end == occ.end), None)
    if k is not None:
        own = _gloss_senses(doc).get(k)
        if own in ids:
            return [own] + [c for c in ids if c != own], Sense(own, doc.path, doc.lines.line_of(occ.start) + 1)
    sense = (set_senses or {}).get(occ.surface)
    if sense is not None and sense.concept_id in ids:
        return [sense.concept_id] + [c for c in ids if c != sense.concept_id], sense
    scores = {cid: _context_score(doc, occ, termbase.concepts[cid]) for cid in ids if cid in termbase.concepts}
    order = sorted(ids, key=lambda c: -scores.get(c, 0))
    best = [scores.get(c, 0) for c in order]
    if best[0] >= CONTEXT_MIN and best[0] - best[1] >= 1:
        return order, "context"
    return ids, None


def _context_score(doc: "DocumentAnalysis", occ, concept) -> float:
    """How well the text around ``occ`` fits one sense: neighbouring terms that are (or relate to) the concept
    count 2 each; words shared with its definition half each (Chinese: two-character sequences)."""
    lo, hi = occ.start - CONTEXT_CHARS, occ.end + CONTEXT_CHARS
    related = set(concept.related)
    score = 0.0
    for other in doc.occurrences:
        if other.end < lo or other.start > hi or other is occ or (other.start == occ.start and other.end == occ.end):
            continue
        if other.ambiguous:
            continue
        cid = other.form.concept_id
        if cid == concept.id or cid in related:
            score += 2
    text = doc.prose.masked
    window = text[max(0, occ.start - 30) : occ.start] + text[occ.end : occ.end + 30]
    surface = occ.surface
    if any("\u3400" <= ch <= "\u9fff" for ch in surface):
        definition = concept.definition_zh or ""
        grams = {window[i : i + _HAN_BIGRAM] for i in range(len(window) - 1)}
        grams = {g for g in grams if all("\u3400" <= ch <= "\u9fff" for ch in g) and g not in surface}
        score += 0.5 * sum(1 for g in grams if g in definition)
    else:
        definition = (concept.definition_en or "").lower()
        words = {w for w in re.findall(r"[a-z]{4,}", window.lower())}
        score += 0.5 * sum(1 for w in words if w in definition)
    return score

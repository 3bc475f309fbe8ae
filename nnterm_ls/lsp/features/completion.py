"""Completion candidates: what was typed before the cursor -> terms, ranked (exact > prefix > fuzzy) and limited.

Plain functions over the term base's indexes (``by_key``, ``pinyin_index``); the server converts candidates into
LSP items. Offsets are code points into the document text.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from ...extract.prose import HARD
from ...match.matcher import is_han
from ...textutil import lookup_key

EXACT, PREFIX, FUZZY = 0, 1, 2
STYLES = ("zh", "en", "zh-gloss", "en-gloss")
_MAX_HAN = 12  # how far back a Chinese prefix is looked for
_MAX_WORDS = 3  # an English prefix may span this many words ("batch norm")


@dataclass(slots=True)
class Candidate:
    label: str
    insert: str
    detail: str
    start: int  # offset where the typed prefix starts (the text edit replaces start..end)
    end: int
    tier: int  # EXACT | PREFIX | FUZZY
    rank: int  # order within the result (0 = best)
    concept_id: str
    filter_text: str  # the typed prefix, so that clients keep items whose label is in another script
    kind: str  # "term" | "english" | "gloss"


class CompletionIndex:
    """Sorted keys for prefix search, built once per term base."""

    def __init__(self, termbase) -> None:
        self.termbase = termbase
        self.keys = sorted(termbase.by_key)
        self.latin_keys = [k for k in self.keys if k.isascii()]
        self.pinyin_keys = sorted(termbase.pinyin_index)

    def prefixed(self, keys: list[str], prefix: str, limit: int) -> list[str]:
        i = bisect_left(keys, prefix)
        out = []
        while i < len(keys) and keys[i].startswith(prefix) and len(out) < limit:
            out.append(keys[i])
            i += 1
        return out

    def fuzzy(self, query: str, limit: int) -> list[tuple[str, float]]:
        """Keys whose beginning is within a small edit distance of the query (typos: activaton, convlution)."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        n = len(query)
        max_dist = 1 if n <= 5 else 2
        heads = [k[:n] for k in self.latin_keys]
        found = process.extract(query, heads, scorer=Levenshtein.distance, limit=limit * 4, score_cutoff=max_dist)
        out = [(self.latin_keys[i], float(d)) for _h, d, i in found]
        out.sort(key=lambda kd: (kd[1], len(kd[0]), kd[0]))
        return out


# --------------------------------------------------------------------------------------------------------------
# what was typed


def _is_latin(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "-")


def typed_prefixes(text: str, masked: str, offset: int) -> tuple[str, list[tuple[int, str]]]:
    """('han' | 'latin' | '', [(start offset, typed text)], longest first) of the prose word(s) before ``offset``.

    Nothing is returned in code, math or command names (hard-masked in the prose view)."""
    if offset <= 0 or offset > len(text):
        return "", []
    ch = text[offset - 1]
    if masked[offset - 1] == HARD:
        return "", []
    if is_han(ch):
        i = offset
        while i > 0 and offset - i < _MAX_HAN and is_han(text[i - 1]) and masked[i - 1] != HARD:
            i -= 1
        return "han", [(s, text[s:offset]) for s in range(i, offset)]
    if not _is_latin(ch):
        return "", []
    starts = []
    i = offset
    words = 0
    while words < _MAX_WORDS:
        j = i
        while j > 0 and _is_latin(text[j - 1]) and masked[j - 1] != HARD:
            j -= 1
        if j == i:
            break
        starts.append(j)
        words += 1
        # one space (not a line break) joins it to the word before
        if j >= 2 and text[j - 1] == " " and _is_latin(text[j - 2]) and masked[j - 1] != HARD:
            i = j - 1
        else:
            break
    if not starts:
        return "", []
    if starts[0] > 0 and text[starts[0] - 1] == "\\":  # a LaTeX command being typed
        return "", []
    return "latin", [(s, text[s:offset]) for s in reversed(starts)]


# --------------------------------------------------------------------------------------------------------------


def _capitalized(typed: str, text: str) -> str:
    if typed[:1].isupper() and text[:1].islower() and text.isascii() and not typed.isupper():
        return text[:1].upper() + text[1:]
    return text


def complete(
    cindex: CompletionIndex,
    preferred_text,
    analysis,
    offset: int,
    *,
    style: str = "zh",
    limit: int = 30,
) -> list[Candidate]:
    """Candidates for the prefix before ``offset`` in an analysed document (``analysis.text`` is the document)."""
    termbase = cindex.termbase
    text = analysis.text
    script, prefixes = typed_prefixes(text, analysis.prose.masked, offset)
    if not prefixes:
        return []
    concepts_limit = max(limit, 10)
    # concept id -> (tier, order, start, typed)
    hits: dict[str, tuple[int, float, int, str]] = {}

    def add(cid: str, tier: int, score: float, start: int, typed: str) -> None:
        old = hits.get(cid)
        if old is None or (tier, score) < (old[0], old[1]):
            hits[cid] = (tier, score, start, typed)

    def add_keys(keys: list[str], tier_of, start: int, typed: str) -> None:
        for k in keys:
            for form in termbase.by_key.get(k, ()):
                add(form.concept_id, tier_of(k), len(k), start, typed)

    if script == "han":
        for start, typed in prefixes:  # longest first
            key = lookup_key(typed)
            keys = cindex.prefixed(cindex.keys, key, concepts_limit)
            if keys:
                add_keys(keys, lambda k, key=key: EXACT if k == key else PREFIX, start, typed)
                break
    else:
        for n, (start, typed) in enumerate(prefixes):  # longest (several words) first
            key = lookup_key(typed)
            if len(key) < 2:
                continue
            keys = cindex.prefixed(cindex.latin_keys, key, concepts_limit)
            if keys:
                add_keys(keys, lambda k, key=key: EXACT if k == key else PREFIX, start, typed)
            single = n == len(prefixes) - 1
            if single and key.isalpha():
                pkeys = cindex.prefixed(cindex.pinyin_keys, key, concepts_limit)
                for k in pkeys:
                    for form in termbase.pinyin_index.get(k, ()):
                        add(form.concept_id, EXACT if k == key else PREFIX, 100 + len(k), start, typed)
            if hits:
                break
        if len(hits) < concepts_limit:
            start, typed = prefixes[0]
            key = lookup_key(typed)
            if len(key) >= 4 and key.replace(" ", "").isalpha():
                for k, dist in cindex.fuzzy(key, concepts_limit):
                    for form in termbase.by_key.get(k, ()):
                        if form.concept_id not in hits:
                            add(form.concept_id, FUZZY, dist * 100 + len(k), start, typed)

    if not hits:
        return []
    ranked = sorted(hits.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[0]))[:concepts_limit]
    # concepts already mentioned in the document (away from the cursor): no first-mention item for them
    mentioned: set[str] = set()
    for occ in analysis.occurrences:
        if occ.end < prefixes[0][0] or occ.start > offset:
            mentioned.update(occ.concept_ids)

    out: list[Candidate] = []
    for cid, (tier, _score, start, typed) in ranked:
        concept = termbase.concepts[cid]
        zh = preferred_text(cid, "zh")
        en = preferred_text(cid, "en")
        is_name = zh == en
        zh_gloss = zh if is_name else f"{zh}（{en}）"
        en_gloss = en if is_name else f"{en} ({zh})"
        main = {"zh": zh, "en": en, "zh-gloss": zh_gloss, "en-gloss": en_gloss}.get(style, zh)
        if script == "latin":
            main = _capitalized(typed, main) if main == en else main
        detail = en if main == zh and not is_name else zh if main == en and not is_name else concept.category
        seen: set[str] = set()

        def emit(label: str, detail: str, kind: str) -> None:
            if label in seen:
                return
            seen.add(label)
            out.append(Candidate(label, label, detail, start, offset, tier, len(out), cid, typed, kind))

        emit(main, detail, "term")
        if script == "latin" and en != main:
            emit(_capitalized(typed, en), zh if not is_name else concept.category, "english")
        if not is_name and cid not in mentioned:
            gloss = en_gloss if analysis.lang == "en" else zh_gloss
            emit(gloss, "first mention: with the original term", "gloss")
        if len(out) >= limit:
            break
    return out[:limit]

"""Completion candidates: what was typed before the cursor -> terms, most useful first, limited.

Plain functions over the term base's indexes (``by_key``, ``pinyin_index``); the server converts candidates into
LSP items. Offsets are code points into the document text.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from ...extract.prose import HARD
from ...match.matcher import is_han
from ...textutil import lookup_key

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
    tier: int  # EXACT | PREFIX | VARIANT | FUZZY
    rank: int  # order within the result (0 = best)
    concept_id: str
    filter_text: str  # the typed prefix, so that clients keep items whose label is in another script
    kind: str  # "term" | "english" | "abbreviation" | "gloss"


_HEADS_KEPT = 24


class CompletionIndex:
    """Sorted keys for prefix search, built once per term base."""

    def __init__(self, termbase) -> None:
        self.termbase = termbase
        self.keys = sorted(termbase.by_key)
        self.latin_keys = [k for k in self.keys if k.isascii()]
        self.pinyin_keys = sorted(termbase.pinyin_index)
        self._heads: dict[int, list[str]] = {}  # n -> the first n characters of every Latin key (fuzzy)

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
        heads = self._heads.get(n)
        if heads is None:
            # (kept per length: a completion asks again at every keystroke; a list is ~0.3 MB, and queries longer
            # than _HEADS_KEPT characters are rare)
            heads = [k[:n] for k in self.latin_keys]
            if n <= _HEADS_KEPT:
                self._heads[n] = heads
        found = process.extract(query, heads, scorer=Levenshtein.distance, limit=limit * 4, score_cutoff=max_dist)
        out = [(self.latin_keys[i], float(d)) for _h, d, i in found]
        out.sort(key=lambda kd: (kd[1], len(kd[0]), kd[0]))
        return out


class LearnedIndex:
    """The renderings the last check of the document set learned from its glosses (学习速率（learning rate）), as
    completion keys: a learned rendering of a base concept, or a document-set term of its own."""

    def __init__(self, lexicon) -> None:
        from collections import defaultdict

        self.by_key: dict[str, list] = defaultdict(list)
        self.where: dict[tuple[str, str], str] = {}  # (concept id, text) -> path:line of the gloss
        self.concepts = dict(lexicon.concepts)
        for learned in lexicon.renderings.values():
            self.by_key[lookup_key(learned.form.text)].append(learned.form)
            self.where[(learned.form.concept_id, learned.form.text)] = learned.where
        for concept in lexicon.concepts.values():
            for form in concept.forms:
                if form not in self.by_key[lookup_key(form.text)]:
                    self.by_key[lookup_key(form.text)].append(form)
        self.keys = sorted(self.by_key)
        self.latin_keys = [k for k in self.keys if k.isascii()]

    def prefixed(self, latin: bool, prefix: str) -> list[str]:
        keys = self.latin_keys if latin else self.keys
        i = bisect_left(keys, prefix)
        out = []
        while i < len(keys) and keys[i].startswith(prefix):
            out.append(keys[i])
            i += 1
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


# typed alone, these are ordinary words: never completed ("the" is not the start of Theano)
STOP_WORDS = frozenset(
    "a an and are as at be but by can do for from has have he her his i if in into is it its me my no not of on or "
    "our so than that the their them then there these they this to us use used uses using via was we were what when "
    "which while who why will with you your".split()
)
MIN_LATIN_AUTO = 3  # letters typed before completion offers anything while typing (triggerKind 2 or 3)
MIN_LATIN = 2  # asked for (Ctrl+Space)
# a character after which a Chinese word starts (function words and punctuation): a one-character prefix after
# other Chinese text must start there, else it is the end of a word the writer typed (实验 + 验证集 -> 实验证集)
_HAN_BOUNDARY = frozenset("的了和与及或在是把被对从将为以用由向于到给让使这那其各每该此并而且也都就还又再很最更个种")
TIERS = ("exact", "prefix", "variant", "fuzzy")
EXACT, PREFIX, VARIANT, FUZZY = 0, 1, 2, 3


@lru_cache(maxsize=1)
def corpus_counts() -> dict[tuple[str, str], int]:
    """(concept id, form) -> occurrences in the prose of the real corpora (data/corpus-counts.tsv, written by
    scripts/count_forms.py); empty when the file is missing."""
    from ...paths import data_dir

    out: dict[tuple[str, str], int] = {}
    try:
        text = (data_dir() / "corpus-counts.tsv").read_text(encoding="utf-8")
    except OSError:
        return out
    for line in text.splitlines()[2:]:
        cid, form, n = line.split("\t")
        out[(cid, form)] = int(n)
    return out


def _han_start_ok(analysis, start: int, typed: str, run_start: int) -> bool:
    """May a completion replace from ``start``? Yes at the start of the Chinese run, after a function word or
    where a matched term ends; a prefix of two or more characters anywhere (the writer is typing a term)."""
    if start == run_start or len(typed) >= 2:
        return True
    before = analysis.text[start - 1]
    if before in _HAN_BOUNDARY:
        return True
    return any(o.end == start for o in analysis.occurrences)


def _shares(label: str, typed: str) -> bool:
    return bool(set(label) & set(typed))


def complete(
    cindex: CompletionIndex,
    preferred_text,
    analysis,
    offset: int,
    *,
    style: str = "zh",
    limit: int = 30,
    used: frozenset | set = frozenset(),
    automatic: bool = False,
    lang: str | None = None,
    learned: LearnedIndex | None = None,
) -> list[Candidate]:
    """Candidates for the prefix before ``offset`` in an analysed document (``analysis.text`` is the document),
    most useful first: the tier (the typed text is a whole term > the start of the label > the start of another
    rendering > a typo away), then terms the document set already uses (``used``: concept ids), then how often the
    corpora use the rendering (``corpus_counts``), then the shorter. ``automatic``: asked while typing (a minimum
    Latin prefix, no stop words); ``lang``: the language of the details (default: the document's); ``learned``: the
    renderings the set's glosses taught (offered like the base's, their detail says where they were learned)."""
    from ...i18n import t, ui_lang

    ui = lang or ui_lang(analysis.lang)
    termbase = cindex.termbase
    text = analysis.text
    script, prefixes = typed_prefixes(text, analysis.prose.masked, offset)
    if not prefixes:
        return []
    concepts_limit = max(limit, 10)
    # concept id -> (tier, start, typed, the form that matched)
    hits: dict[str, tuple[int, int, str, object]] = {}

    def add(form, tier: int, start: int, typed: str) -> None:
        old = hits.get(form.concept_id)
        if old is None or tier < old[0] or (tier == old[0] and start < old[1]):
            hits[form.concept_id] = (tier, start, typed, form)

    if script == "han":
        run_start = prefixes[0][0]
        for start, typed in prefixes:  # longest first
            if not _han_start_ok(analysis, start, typed, run_start):
                continue
            key = lookup_key(typed)
            keys = cindex.prefixed(cindex.keys, key, concepts_limit * 4)
            for k in keys:
                for form in termbase.by_key.get(k, ()):
                    add(form, EXACT if k == key else PREFIX, start, typed)
            for k in learned.prefixed(False, key) if learned is not None else ():
                for form in learned.by_key[k]:
                    add(form, EXACT if k == key else PREFIX, start, typed)
            if hits:
                break
    else:
        minimum = MIN_LATIN_AUTO if automatic else MIN_LATIN
        for n, (start, typed) in enumerate(prefixes):  # longest (several words) first
            key = lookup_key(typed)
            first_word = key.split(" ")[0]
            if len(key) < minimum or first_word in STOP_WORDS:
                continue
            for k in cindex.prefixed(cindex.latin_keys, key, concepts_limit * 4):
                for form in termbase.by_key.get(k, ()):
                    add(form, EXACT if k == key else PREFIX, start, typed)
            for k in learned.prefixed(True, key) if learned is not None else ():
                for form in learned.by_key[k]:
                    add(form, EXACT if k == key else PREFIX, start, typed)
            if n == len(prefixes) - 1 and key.isalpha():
                for k in cindex.prefixed(cindex.pinyin_keys, key, concepts_limit):
                    for form in termbase.pinyin_index.get(k, ()):
                        add(form, EXACT if k == key else PREFIX, start, typed)
            if hits:
                break
        if len(hits) < concepts_limit:  # a typo, after other words too ("We use activaton")
            for start, typed in reversed(prefixes):  # the last word first
                key = lookup_key(typed)
                if len(key) < 4 or not key.replace(" ", "").isalpha() or key.split(" ")[0] in STOP_WORDS:
                    continue
                found = False
                for k, _dist in cindex.fuzzy(key, concepts_limit):
                    for form in termbase.by_key.get(k, ()):
                        if form.concept_id not in hits:
                            add(form, FUZZY, start, typed)
                            found = True
                if found:
                    break
    if not hits:
        return []
    counts = corpus_counts()

    local = learned.concepts if learned is not None else {}

    def concept_of(cid: str):
        return local[cid] if cid in local else termbase.concepts[cid]

    def text_of(cid: str, lang_: str) -> str:
        return local[cid].preferred(lang_).text if cid in local else preferred_text(cid, lang_)

    def label_of(cid: str) -> str:
        zh, en = text_of(cid, "zh"), text_of(cid, "en")
        return {"zh": zh, "en": en, "zh-gloss": zh, "en-gloss": en}.get(style, zh)

    def order(item):
        cid, (tier, start, typed, form) = item
        label = label_of(cid)
        if script == "han" and tier <= PREFIX and not label.startswith(typed):
            tier = VARIANT  # the typed text starts another rendering (批量梯度下降 for 批梯度下降)
        elif script == "latin" and tier <= PREFIX and form.kind != "abbreviation" and form.lang == "en":
            if not lookup_key(text_of(cid, "en")).startswith(lookup_key(typed)):
                tier = VARIANT  # an admitted English name (transfer function for activation function)
        freq = counts.get((cid, form.text), 0) + counts.get((cid, label), 0)
        return (tier, cid not in used, -freq, len(form.text), cid)

    ranked = sorted(hits.items(), key=order)
    # concepts already mentioned in the document (away from the cursor): no first-mention item for them
    mentioned: set[str] = set()
    for occ in analysis.occurrences:
        if occ.end < prefixes[0][0] or occ.start > offset:
            mentioned.update(occ.concept_ids)

    out: list[Candidate] = []
    for cid, (tier, start, typed, form) in ranked:
        concept = concept_of(cid)
        zh = text_of(cid, "zh")
        en = text_of(cid, "en")
        where = learned.where.get((cid, form.text)) if learned is not None else None
        if where is None and cid in local:
            where = next((w for (c, _t), w in learned.where.items() if c == cid), None)
        if where is not None and form.lang == "zh" and script == "han":
            zh = form.text  # the set's own rendering, learned from its gloss
        is_name = zh == en
        if script == "han" and not _shares(zh, typed) and not _shares(en, typed):
            continue  # never an item that shares nothing with what was typed (激活 -> 特征图)
        tier = order((cid, (tier, start, typed, form)))[0]
        abbrs = concept.abbreviations
        zh_gloss = zh if is_name else (f"{zh}（{en}，{abbrs[0]}）" if abbrs else f"{zh}（{en}）")
        en_gloss = en if is_name else f"{en} ({zh})"
        main = {"zh": zh, "en": en, "zh-gloss": zh_gloss, "en-gloss": en_gloss}.get(style, zh)
        if script == "latin":
            main = _capitalized(typed, main) if main == en else main
        name = zh if ui == "zh" else en
        brief = _brief(concept, ui)
        detail = en if main == zh and not is_name else zh if main == en and not is_name else brief
        if where is not None:
            detail = t("learned_detail", ui, detail=detail, where=where)
        seen: set[str] = set()

        def emit(label: str, detail: str, kind: str) -> None:
            if label in seen:
                return
            seen.add(label)
            out.append(Candidate(label, label, detail, start, offset, tier, len(out), cid, typed, kind))

        if form.kind == "abbreviation" and script == "latin":  # ReLU, LSTM themselves
            emit(form.text, t("abbreviation_of", ui, name=name if is_name or ui == "en" else f"{zh}（{en}）"), "abbreviation")
        emit(main, detail, "term")
        if script == "latin" and en != main:
            emit(_capitalized(typed, en), zh if not is_name else brief, "english")
        if not is_name and cid not in mentioned:
            gloss = en_gloss if analysis.lang == "en" else zh_gloss
            emit(gloss, t("thesis_gloss" if abbrs and gloss == zh_gloss else "first_mention", ui), "gloss")
        if len(out) >= limit:
            break
    return out[:limit]


def _brief(concept, ui: str) -> str:
    """A few words saying what a name is (the detail of ReLU6, Theano): the definition's first clause."""
    from ...termview import short_definition

    text = short_definition(concept, ui)
    return text if len(text) <= 24 else text[:23] + "…"

"""typo: a known name misspelt by a letter or two (Transormer, InifiBand) where the set spells it right elsewhere.

Only names written with capitals (Transformer, InfiniBand, PyTorch) are candidates: an all-lowercase English word a
letter away from a term (polling / pooling, tokenized / tokenizer) is usually another word. The misspelling must be
rare in the set (at most twice, and far rarer than the name), the name must occur in the set itself, and the word must
be unknown to the term base (ResNeXt is not ResNet misspelt). The fix is an editor suggestion, never applied by
``--fix``: one letter is not proof.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein

from ..match import first_ending_after, first_starting_at_or_after
from ..textutil import lookup_key
from .base import Context
from .findings import Applicability, Edit, Finding, Fix

CODE = "typo"

# a word of Latin letters (inner hyphens allowed); digits make it a version or an identifier, not a misspelling.
# The scan is a plain run of letters (fast over long Chinese text); its neighbours are checked after.
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_RUN = re.compile(r"[A-Za-z][A-Za-z-]{5,}")
_JOINED = set("./\\@#_-") | set("0123456789")  # a path, an address, an identifier, a version
_MIN_LEN = 6  # shorter names are a letter away from too many other names (LSTM / LSRM is left to the writer)
_MAX_RARE = 2  # a misspelling occurs once or twice in a set, not throughout it


def _allowed_distance(name: str) -> int:
    return 2 if len(name) >= 10 else 1


# per term base (the engine's, or the one of a set's learned renderings: kept across the server's keystrokes while
# the lexicon is the same): the names by first letter and length, and each word's candidates among them
_BY_BASE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _cache(ctx: Context) -> dict:
    try:
        return _BY_BASE.setdefault(ctx.termbase, {})
    except TypeError:  # (a term base that cannot be weakly referenced: this check's memo)
        return ctx.memo.setdefault("typo.cache", {})


def _names(ctx: Context) -> dict[tuple[str, int], list[str]]:
    """(first letter, length) -> the base's English names written with capitals, for the candidates of a word."""
    cache = _cache(ctx)
    cached = cache.get("names")
    if cached is not None:
        return cached
    out: dict[tuple[str, int], list[str]] = {}
    for concept in ctx.termbase.concepts.values():
        for form in concept.forms:
            text = form.text
            if form.lang != "en" or len(text) < _MIN_LEN or not _WORD.fullmatch(text):
                continue
            if text == text.lower() or text.isupper():
                continue  # ordinary words and all-capitals abbreviations
            out.setdefault((text[0].lower(), len(text)), []).append(text)
    cache["names"] = out
    return out


def _words(doc, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, str]]:
    """Latin words of the document's prose that no term occurrence covers (of its masked text's [lo, hi), cut
    between lines)."""
    masked = doc.prose.masked
    occs = doc.occurrences
    k = first_ending_after(occs, lo)
    covered = [(o.start, o.end) for o in occs[k:]] if hi is None else \
        [(o.start, o.end) for o in occs[k:first_starting_at_or_after(occs, hi)]]
    out = []
    k = 0
    n = len(masked)
    for m in _RUN.finditer(masked, lo, n if hi is None else hi):
        word = m.group().strip("-")
        s = m.start() + (len(m.group()) - len(m.group().lstrip("-")))
        e = s + len(word)
        if len(word) < _MIN_LEN or word == word.lower() or word.isupper() or "--" in word:
            continue
        if (s > 0 and (masked[s - 1] in _JOINED or masked[s - 1].isalnum() and masked[s - 1].isascii())) or (
            e < n and (masked[e] in _JOINED or (masked[e] == "." and e + 1 < n and masked[e + 1].isalnum()))
        ):
            continue
        while k < len(covered) and covered[k][1] <= s:
            k += 1
        if k < len(covered) and covered[k][0] < e:
            continue
        out.append((s, e, word))
    return out


def _plural_or_possessive(word: str, name: str) -> bool:
    return word in (name + "s", name + "es", name + "'s") or name in (word + "s", word + "es")


@dataclass(slots=True)
class Summary:
    words: list  # (start, end, word): the document's capitalised Latin words no term occurrence covers
    names: Counter  # surfaces of the document's live term occurrences written with capitals (the names it spells)


def summarize(ctx: Context, doc, previous: tuple | None = None) -> Summary:
    """``previous``: (the summary of the version the document was edited from, the edited run's start, its end
    before and after the edit): the words outside the run are that version's, moved after it (the run starts and
    ends at a line break: no word spans its ends, and the masked text and occurrences around them are the same)."""
    names: Counter = Counter()
    for occ, use in zip(doc.occurrences, doc.uses):
        if use.skip is None and len(occ.surface) >= _MIN_LEN and occ.surface != occ.surface.lower():
            names[occ.surface] += 1
    if previous is None:
        return Summary(_words(doc), names)
    old, b0, b1, new_b1 = previous
    delta = new_b1 - b1
    words = old.words[: bisect_left(old.words, (b0,))]
    words += _words(doc, b0, new_b1)
    words += [(s + delta, e + delta, w) for s, e, w in old.words[bisect_left(old.words, (b1,)):]]
    return Summary(words, names)


def decide(ctx: Context, summaries: list[Summary]) -> dict[str, str]:
    """Misspelt word -> the name it misspells, for the whole set."""
    names = _names(ctx)
    counts: Counter = Counter(w for s in summaries for _s, _e, w in s.words)
    candidates = {w: c for w in counts if (c := _candidates(ctx, w, names, counts))}
    if not candidates:
        return {}
    in_set: Counter = Counter()  # how often the set writes each name right
    for s in summaries:
        in_set.update(s.names)
    verdicts: dict[str, str] = {}
    for word, found in candidates.items():
        # the set must spell the name right, and far more often; the closest, then the most used, wins
        good = [(d, -in_set[name], name) for d, name in found if in_set[name] >= max(1, 3 * counts[word])]
        if good:
            verdicts[word] = min(good)[2]
    return verdicts


def depends(ctx: Context, facts: dict[str, str], pos: int, s: Summary) -> tuple:
    return tuple((w, facts[w]) for _s, _e, w in s.words if w in facts)


def findings(ctx: Context, doc, pos: int) -> list[Finding]:
    verdicts = ctx.facts.get(CODE) or {}
    out = []
    for s, e, word in ctx.summaries[pos][CODE].words if verdicts else ():
        name = verdicts.get(word)
        if name is None:
            continue
        lang = ctx.lang(doc)
        message = ctx.rules.message(CODE, lang, "message", found=word, suggestion=name)
        title = ctx.rules.fix_title(CODE, lang, found=word, suggestion=name)
        fix = Fix(title, [Edit(s, e, name)], Applicability.UNSAFE)
        out.append(Finding(doc.path, s, e, CODE, ctx.rules.severity(CODE), message, word, name, fix))
    return out


def _candidates(ctx: Context, word: str, names, counts: Counter) -> list[tuple[int, str]]:
    """(distance, name) for the base's names a letter or two away from ``word`` (none when the word is frequent in
    the set or a form the base knows)."""
    if counts[word] > _MAX_RARE:
        return []
    known = _cache(ctx).setdefault("candidates", {})
    out = known.get(word)
    if out is None:
        out = known[word] = _near_names(ctx, word, names)
    return out


def _near_names(ctx: Context, word: str, names) -> list[tuple[int, str]]:
    if ctx.termbase.find_forms(word) or ctx.termbase.find_forms(lookup_key(word)):
        return []
    out = []
    for length in range(len(word) - 2, len(word) + 3):
        for name in names.get((word[0].lower(), length), ()):
            limit = _allowed_distance(name)
            if abs(len(name) - len(word)) > limit or _plural_or_possessive(word, name):
                continue
            if word.lower() == name.lower() or word.replace("-", "") == name.replace("-", ""):
                continue  # casing or hyphenation: the casing and inconsistent rules' business
            d = DamerauLevenshtein.distance(word, name, score_cutoff=limit)
            if d <= limit:
                out.append((d, name))
    return out

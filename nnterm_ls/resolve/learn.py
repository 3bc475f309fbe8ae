"""Renderings learned from the document set's own glosses (issue 9).

Writers gloss a term at its first mention: 学习速率（learning rate）, 注意力汇聚（attention pooling）. A Chinese head the
term base does not know, glossed with an English name it knows, becomes a rendering of that name's designation for
this document set; a head glossed with an English term the base does not know either becomes a *document-set term*
keyed by the English. Every later occurrence of a learned head is then matched like a term, so 学习速率 in chapter 2
and 学习率 in chapter 5 are rivals, and so are 注意力汇聚 and 注意力池化 glossed with one unknown English name.

A gloss that is not a term (a citation, a year, a formula, a URL, a sentence) is never learned.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..extract.prose import SOFT
from ..match import Occurrence
from ..termbase.model import ABBREVIATION, ADMITTED, CASE_EXACT, PREFERRED, TERM, Concept, Form, Source
from ..textutil import lookup_key
from . import _spells

if TYPE_CHECKING:
    from ..analysis import DocumentAnalysis

_GLOSS = re.compile(r"[（(]([^（）()\n]{2,80})[）)]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# an English term: words of letters (hyphens, apostrophes), at most six of them
_ENGLISH = re.compile(r"^[A-Za-z][A-Za-z'\-]*(?: [A-Za-z][A-Za-z'\-]*){0,5}$")
_NOT_TERM = re.compile(r"\bet al\b|\bhttps?\b|\bwww\b|\bsee\b|\bfig\b|\btable\b|\beq\b", re.I)
# characters that end a phrase before a term: the head is what follows the last of them (only characters that
# rarely occur inside terms: not 对 (对抗), 成 (生成), 中 (中心), 过 (过拟合))
_FUNCTION_CHARS = frozenset("的了是为称叫做用在和与及或将把被从以即这那些其之也都就而并且所谓我们它他该此让由于")
# a learned head has 3 to 8 characters: two-character heads are mostly everyday words (实例, 函数, 数据) that a
# gloss happens to follow; a run of up to 6 characters is taken whole, a longer one is cut to its repeated ending
_HEAD_MIN, _HEAD_WHOLE, _HEAD_MAX = 3, 6, 8
_DETERMINERS = ("每一个", "每个", "各个", "一个", "这个", "那个", "某个", "这些", "那些", "所有", "任何", "每", "各", "该", "此")


@dataclass
class Learned:
    """A rendering learned from a gloss: the form to match, and where it was learned."""

    form: Form
    path: str
    line: int  # 1-based
    english: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Lexicon:
    """What a document set taught: Chinese head -> Learned, and the document-set concepts it made."""

    renderings: dict[str, Learned] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.renderings)


def _head(masked: str, open_at: int, read: list | None = None) -> tuple[str, int] | None:
    """The Chinese term right before a parenthesis (markup skipped), and its start offset.

    The run of Chinese characters before the parenthesis is cut after the last function character (的, 了, 称为 …);
    what is left is the term when it is short; of a longer run, the longest ending (up to 8 characters) that the
    document uses again elsewhere is the term (本章提出知识化扩展器（…）… 知识化扩展器 -> 知识化扩展器). ``read``
    collects (ending, its count in the document) of each count taken: what, besides the text around it, decided."""
    i = open_at
    while i > 0 and masked[i - 1] in " \t" + SOFT:
        i -= 1
    end = i
    chars: list[tuple[int, str]] = []
    while i > 0 and len(chars) < 24:
        c = masked[i - 1]
        if c == SOFT:
            i -= 1
            continue
        if not _HAN.match(c) or c in _FUNCTION_CHARS:
            break
        chars.append((i - 1, c))
        i -= 1
    if len(chars) < _HEAD_MIN:
        return None
    chars.reverse()
    run = "".join(c for _, c in chars)
    if len(run) <= _HEAD_WHOLE:
        if SOFT in masked[chars[0][0]:end].strip(SOFT) or len(run) < _HEAD_MIN:
            return None
        return run, chars[0][0]
    for size in range(min(len(run), _HEAD_MAX), _HEAD_MIN - 1, -1):
        tail = run[-size:]
        start = chars[-size][0]
        if SOFT in masked[start:end].strip(SOFT):
            continue  # markup inside the head: it could not be matched as one string later
        n = masked.count(tail)
        if read is not None:
            read.append((tail, n))
        if n >= 2:
            return tail, start
    return None


def _english(content: str) -> str | None:
    first = re.split(r"[，,；;：:、]", content, maxsplit=1)[0].strip().strip("*_`'\"“”")
    if not _ENGLISH.match(first) or _NOT_TERM.search(first) or first.isupper():
        return None  # an abbreviation alone (（BN）) is the abbreviation rule's business
    if len(first) < 4:
        return None
    return first


@dataclass
class _Candidate:
    head: str
    english: str
    path: str
    line: int
    cid: str | None  # the known concept the English names; None: a document-set term
    # an abbreviation the set spells out (head: the abbreviation; zh: its Chinese full form, if written)
    kind: str = TERM
    zh: str | None = None


def _keeps_head_noun(head: str, english: str, termbase) -> bool:
    """A Chinese head glossed with an English name of several words ends in a character of a rendering of the
    name's last word, when the base knows that word as a term of its own (output layer: …层, not 输出结果; batch
    normalization: 批处理正规化 ends like 归一化; whole word masking: the base has no masking, nothing to ask)."""
    words = english.split()
    if len(words) < 2:
        return True
    cids = {f.concept_id for f in termbase.find_forms(words[-1]) if f.lang == "en" and f.kind == TERM}
    if len(cids) != 1:
        return True
    zh = [f.text for f in termbase.concepts[next(iter(cids))].forms if f.lang == "zh" and _HAN.search(f.text)]
    return not zh or any(head[-1] in z for z in zh)


# nouns that make a phrase about a thing, not its name: 指数形式 (the exponential form), 计算过程, 输出结果
_GENERIC_HEAD_NOUNS = ("形式", "方式", "过程", "结果", "问题", "情况", "部分", "方面", "效果", "作用", "思想", "步骤")


def _ends_in_a_generic_noun(head: str, zh: list[str]) -> bool:
    """The head ends in a generic noun no rendering of the glossed name ends in: 二项式指数形式(sigmoid) is the
    exponential form of a distribution, not a name of the sigmoid function."""
    noun = next((n for n in _GENERIC_HEAD_NOUNS if head.endswith(n)), None)
    return noun is not None and not any(z.endswith(noun) for z in zh)


def _shares_a_character(head: str, others) -> bool:
    chars = set(_HAN.findall(head))
    return any(chars & set(_HAN.findall(o)) for o in others)


def _sentence_around(head: str, other: str) -> bool:
    """Whether two heads glossed with one unknown name differ only by words of the sentence around a shared core,
    not as renderings: 分配给租户 / 个租户 (the core 租户, each head with a different word before it, sharing no
    character), 用户提供声明式 -> 户提供声明式 / 声明式编程 (one head runs into the other's start). Rival renderings
    differ inside the term and share characters there: 批量归一化 / 批归一化, 注意力汇聚 / 注意力池化."""
    if head == other or head in other or other in head:
        return False
    k = 0
    while k < min(len(head), len(other)) and head[-1 - k] == other[-1 - k]:
        k += 1
    if k >= 2 and not set(head[:-k]) & set(other[:-k]):
        return True
    # (either way round: which of the two the set glosses first is the reading order's accident)
    return any(head.endswith(other[:n]) for n in range(2, len(other))) or any(
        other.endswith(head[:n]) for n in range(2, len(head)))


def learn(docs: list["DocumentAnalysis"], termbase, memo: dict | None = None) -> Lexicon:
    """Glossed heads the base does not know, kept when they are real terms of the set: the head is used at least
    twice in the set, shares a character with the other renderings of its name, and is not a phrase ending in a
    known term (需要执行前向传播, 每批次).

    ``memo`` (kept by the caller between checks of one set): each document's candidates and head counts, reused
    while the document's analysis (and, for the counts, the set's candidate heads) are the same."""
    candidates: list[_Candidate] = []
    seen: set[str] = set()
    for doc in docs:
        for c in _memoised(memo, "candidates", doc, None, lambda: _candidates_of(doc, termbase, memo)):
            if c.head not in seen:  # the first document that glosses a head teaches it
                seen.add(c.head)
                candidates.append(c)
        if memo is not None and (kept := memo.get("per_match", {}).get(id(doc))) is not None and kept[0] is doc:
            memo.setdefault("_per_match", {}).setdefault(id(doc), kept)  # (for the next edit of this version)
    counts = _count(candidates, docs, memo)
    if memo is None:
        return lexicon_of(candidates, termbase, counts)
    # a keystroke seldom changes what the set teaches: the same candidates (equal, field by field) and counts make
    # the same lexicon, so the previous check's is returned rather than built again (kept under a key end_check
    # leaves alone)
    last = memo.get("_lexicon_of")
    if last is not None and last[0] is termbase and last[1] == counts and last[2] == candidates:
        return last[3]
    lexicon = lexicon_of(candidates, termbase, counts)
    memo["_lexicon_of"] = (termbase, counts, candidates, lexicon)
    return lexicon


def _memoised(memo: dict | None, kind: str, doc, key, compute):
    if memo is None:
        return compute()
    store = memo.setdefault(kind, {})
    hit = store.get(id(doc))
    if hit is not None and hit[0] is doc and hit[1] == key:
        memo.setdefault("_" + kind, {})[id(doc)] = hit
        return hit[2]
    hit = (doc, key, compute())
    memo.setdefault("_" + kind, {})[id(doc)] = hit
    return hit[2]


def _candidates_of(doc: "DocumentAnalysis", termbase, memo: dict) -> list["_Candidate"]:
    """``doc_candidates``, for an edit's analysis (edits.reanalyze) from the previous version's parentheses when the
    memo holds them (the server's keystroke reads the run again, not the whole chapter)."""
    if memo is None:
        return doc_candidates(doc, termbase)
    edited = doc.edited_from
    before = edited[0]() if edited is not None else None
    hit = memo.setdefault("per_match", {}).get(id(before)) if before is not None else None
    if hit is not None and hit[0] is before and hit[1] is termbase:
        found = _per_match_edited(doc, termbase, before, hit[2], *edited[1:])
    else:
        found = _per_match(doc, termbase)
    memo.setdefault("_per_match", {})[id(doc)] = (doc, termbase, found)
    return _first_per_head(found)


def end_check(memo: dict | None) -> None:
    """Keep only the entries of the documents of the check that just ended."""
    if memo is None:
        return
    for kind in [k for k in memo if not k.startswith("_")]:
        memo[kind] = memo.pop("_" + kind, {})


def doc_candidates(doc: "DocumentAnalysis", termbase) -> list["_Candidate"]:
    """The glossed heads one document could teach (before the set's counts decide which it does), and the
    abbreviations it spells out that the base does not know."""
    return _first_per_head(_per_match(doc, termbase))


@dataclass(slots=True)
class _PerMatch:
    """A document's candidates before the first of each head is taken: per parenthesis, by its offset in the text,
    the abbreviation's candidate, and the gloss's with the counts of the head's endings it read (()), if any."""

    abbreviations: list  # (offset, _Candidate)
    glosses: list  # (offset, _Candidate | None, ((ending, count in the document), ...))


def _first_per_head(found: _PerMatch) -> list["_Candidate"]:
    candidates: list[_Candidate] = []
    seen: set[str] = set()
    for _at, c in found.abbreviations:
        if c.head not in seen:
            seen.add(c.head)
            candidates.append(c)
    seen = set()
    for _at, c, _read in found.glosses:
        if c is not None and c.head not in seen:  # (the first gloss of a head teaches it)
            seen.add(c.head)
            candidates.append(c)
    return candidates


def _per_match(doc: "DocumentAnalysis", termbase, lo: int = 0, hi: int | None = None) -> _PerMatch:
    """The parentheses starting in [lo, hi) (the whole text by default; ``lo`` is a line start)."""
    masked = doc.prose.masked
    found = _PerMatch([], [])
    if "（" not in masked and "(" not in masked:
        return found
    hi = len(masked) if hi is None else hi
    for m in _ABBR_IN_PARENS.finditer(masked, lo):
        if m.start() >= hi:
            break
        c = _abbreviation_candidate(doc, termbase, m)
        if c is not None:
            found.abbreviations.append((m.start(), c))
    ends = starts = None
    for m in _GLOSS.finditer(masked, lo):
        if m.start() >= hi:
            break
        if ends is None:
            ends = {o.end: o for o in doc.occurrences}
            starts = {o.start: o for o in doc.occurrences}
        read: list = []
        c = _gloss_candidate(doc, termbase, m, ends, starts, read)
        if c is not None or read:
            found.glosses.append((m.start(), c, tuple(read)))
    return found


def _per_match_edited(doc: "DocumentAnalysis", termbase, before: "DocumentAnalysis", kept: _PerMatch, b0: int,
                      b1: int, b1_new: int) -> _PerMatch:
    """``_per_match(doc)`` for an edit of ``before`` inside the run of blocks [b0, b1) (now [b0, b1_new)), from
    ``kept``, ``before``'s: the parentheses of the run and of the line after the next 130 characters are read again
    (an abbreviation looks 120 characters back for a venue's name); the others moved, and a gloss whose head read
    the document's counts of its endings read again where one of them crosses 2 (the counts, less the old run's,
    plus the new run's: an ending of Chinese characters never spans the run's ends)."""
    masked, old_masked = doc.prose.masked, before.prose.masked
    delta = b1_new - b1
    limit = masked.find("\n", min(len(masked), b1_new + 130))
    limit = len(masked) if limit < 0 else limit + 1  # (a line start: no parenthesis spans it)
    old_limit = limit - delta
    lines = doc.lines.line_of(limit) - before.lines.line_of(old_limit) if limit < len(masked) else 0
    region = _per_match(doc, termbase, b0, limit)
    old_run, new_run = old_masked[b0:old_limit], masked[b0:limit]
    ends = starts = None

    def again(at: int, c, read: tuple):
        nonlocal ends, starts
        counts = tuple((t, n - old_run.count(t) + new_run.count(t)) for t, n in read)
        if all((n >= 2) == (m >= 2) for (_t, n), (_u, m) in zip(read, counts)):
            return at, c, counts
        if ends is None:
            ends = {o.end: o for o in doc.occurrences}
            starts = {o.start: o for o in doc.occurrences}
        now: list = []
        c = _gloss_candidate(doc, termbase, _GLOSS.match(masked, at), ends, starts, now)
        return at, c, tuple(now)

    abbreviations = [e for e in kept.abbreviations if e[0] < b0]
    abbreviations += region.abbreviations
    abbreviations += [(at + delta, replace(c, line=c.line + lines)) for at, c in kept.abbreviations if at >= old_limit]
    glosses = [again(at, c, read) if read else (at, c, read) for at, c, read in kept.glosses if at < b0]
    glosses += region.glosses
    for at, c, read in kept.glosses:
        if at >= old_limit:
            c = replace(c, line=c.line + lines) if c is not None and lines else c
            glosses.append(again(at + delta, c, read) if read else (at + delta, c, read))
    return _PerMatch(abbreviations, [g for g in glosses if g[1] is not None or g[2]])


def _gloss_candidate(doc: "DocumentAnalysis", termbase, m, ends: dict, starts: dict, read: list) -> "_Candidate | None":
    """The candidate of one glossed parenthesis, if its head could be taught (``read``: see ``_head``)."""
    masked = doc.prose.masked
    english = _english(m.group(1))
    if english is None:
        return None
    found = _head(masked, m.start(), read)
    if found is None:
        return None
    head, start = found
    for prefix in _DETERMINERS:  # 每一个工作器, 各个工作节点: the determiner is not part of the term
        if head.startswith(prefix) and len(head) - len(prefix) >= _HEAD_MIN:
            head, start = head[len(prefix):], start + len(prefix)
            break
    if termbase.find_forms(head):
        return None
    existing = starts.get(start)
    if existing is not None and existing.end - existing.start >= len(head):
        return None  # the head is a known term after all
    en_forms = [f for f in termbase.find_forms(english) if f.lang == "en" and f.kind == TERM]
    cids = {f.concept_id for f in en_forms}
    head_end = start + len(head)
    tail = ends.get(head_end) or ends.get(head_end + masked[head_end:m.start()].count(SOFT))
    if tail is not None and tail.start > start and set(tail.concept_ids) & cids:
        return None  # 需要执行前向传播（forward propagation）: the known term at its end is what is glossed
    if any(termbase.concepts[c].common for c in cids):
        return None  # an everyday word glossed: nothing to learn
    if len(cids) > 1 or any(f.ambiguous for f in en_forms):
        return None  # the English names several concepts: nothing certain to learn
    cid = next(iter(cids)) if cids else None
    if cid is not None:
        zh = [f.text for f in termbase.concepts[cid].forms if f.lang == "zh"]
        if not _shares_a_character(head, zh):
            return None  # 有一个环境（context）: not a rendering of context
        if not _keeps_head_noun(head, english, termbase) or _ends_in_a_generic_noun(head, zh):
            return None  # 得到输出结果（output layer）: a result, not a layer (层): another head noun, another thing
        if len(head) > max(map(len, zh)) + 1:
            return None  # 非线性激活单元（activation）: a description around the term, not a rendering
    return _Candidate(head, english, doc.path, doc.lines.line_of(start) + 1, cid)


# An abbreviation the set spells out in parentheses, where the base knows no form of it: 算术逻辑单元（ALU）,
# 主导资源公平（Dominant Resource Fairness，DRF）, Job Completion Time (JCT). It becomes a document-set concept, so that
# the abbreviation rule reads the thesis's own abbreviations like the base's: a use before the definition is reported.
_ABBR_IN_PARENS = re.compile(
    r"[（(][ \t\x00]*(?:简称|缩写为|简写为)?[ \t\x00]*(?:([A-Za-z][A-Za-z \t-]{2,80}?)[ \t\x00]*[，,][ \t\x00]*)?"
    r"([A-Z][A-Z0-9]{1,5})[ \t\x00]*[）)]")
# a run of Chinese ending in a locative or a particle is not the full form (数据放在内存中（DRAM）)
_NOT_A_HEAD_END = frozenset("中上里内时后前等")
_VENUE = re.compile(r"\b(?:Conference|Symposium|Workshop|Journal|Transactions|Proceedings)\b", re.I)
_PRODUCT = re.compile(r"\b(?:Library|Toolkit|Framework|SDK)$", re.I)
_LATIN_WORDS_BEFORE = re.compile(r"([A-Za-z][A-Za-z \t-]{2,80}?)[ \t\x00]*$")


# what ends the Chinese full form before an abbreviation's parenthesis: punctuation, or a function character of a
# gloss's head, except 用, which starts 用户空间文件系统（FUSE）, and 些 (这些 and 那些 end at 这 and 那 already)
_ABBR_HEAD_STOP = _FUNCTION_CHARS - frozenset("用些")


_ABBR_HEAD_VERBS = ("通过", "使用", "利用", "采用", "基于", "包括", "借助", "引入", "提出", "一种", "一个", "这种",
                   "请问", "例如", "比如", "因此", "然后", "如果", *_DETERMINERS)  # (请问蒙特卡洛方法（…，MC）)


def _abbreviation_head(masked: str, open_at: int) -> str | None:
    """The Chinese full form right before an abbreviation's parenthesis (3 to 12 characters), if any."""
    i = open_at
    while i > 0 and masked[i - 1] in " \t" + SOFT:
        i -= 1
    chars: list[str] = []
    while i > 0 and len(chars) < 12:
        c = masked[i - 1]
        i -= 1
        if c == SOFT:
            continue
        if not _HAN.match(c) or c in _ABBR_HEAD_STOP:
            break
        chars.append(c)
    if len(chars) < 3 or chars[0] in _NOT_A_HEAD_END or "个" in chars:  # (有三个颜色通道（RGB）: a description)
        return None
    head = "".join(reversed(chars))
    for prefix in _ABBR_HEAD_VERBS:  # 通过用户空间文件系统（FUSE）: the verb before the name is not part of it
        if head.startswith(prefix) and len(head) - len(prefix) >= 3:
            return head[len(prefix):]
    return head


def _abbreviation_candidate(doc: "DocumentAnalysis", termbase, m) -> "_Candidate | None":
    """The candidate of one abbreviation in parentheses, if the set could learn it."""
    masked = doc.prose.masked
    abbr = m.group(2)
    if sum(c.isalpha() for c in abbr) < 2 or termbase.find_forms(abbr):
        return None
    english = (m.group(1) or "").strip()
    if english and not _spells(abbr, english):
        return None  # （Tiresias，LAS）: words beside it that are not its full form
    zh = _abbreviation_head(masked, m.start())
    if zh is None and not english:
        line_start = masked.rfind("\n", 0, m.start()) + 1
        before = _LATIN_WORDS_BEFORE.search(masked, line_start, m.start())
        if before is not None:  # Job Completion Time (JCT): the shortest run of words before it that spells it
            words = before.group(1).split()[-(len(abbr) + 3):]
            english = next((" ".join(words[i:]) for i in range(len(words) - 1, -1, -1)
                            if _spells(abbr, " ".join(words[i:]))), "")
    if zh is None and not english or _VENUE.search(masked, max(0, m.start() - 120), m.start()):
        return None  # (International Conference on Machine Learning (ICML): a venue's name, cited, not a term)
    if _PRODUCT.search(english):
        return None  # Math Kernel Library (MKL): a product known by its short name (like the base's frameworks)
    return _Candidate(abbr, english, doc.path, doc.lines.line_of(m.start(2)) + 1, None, ABBREVIATION, zh)


def _learned_abbreviation(c: "_Candidate") -> tuple[Concept, Form]:
    """The document-set concept of an abbreviation the set spells out, and the abbreviation's form."""
    cid = f"learned-abbr:{c.head}"
    note = f"learned from {c.path}:{c.line}"
    source = Source(c.path, c.line)
    abbr = Form(c.head, "en", ADMITTED if c.english else PREFERRED, ABBREVIATION, case=CASE_EXACT, concept_id=cid,
                note=note, source=source)
    forms = [Form(c.english, "en", PREFERRED, TERM, concept_id=cid, source=source)] if c.english else []
    # (a full form written only in English stands for the Chinese one too: the concept is named in both languages)
    forms.append(Form(c.zh or c.english, "zh", PREFERRED, TERM, concept_id=cid, source=source))
    return Concept(cid, "learned", [*forms, abbr], "", "", source=source), abbr


def lexicon_of(candidates: list["_Candidate"], termbase, counts: dict[str, int]) -> Lexicon:
    """The lexicon the set's candidates make, given how often each head occurs in the set."""
    if not candidates:
        return Lexicon()
    lex = Lexicon()
    for c in candidates:
        if c.kind == ABBREVIATION:
            if counts.get(c.head, 0) >= 2 and c.head not in lex.renderings:  # (used beyond its definition)
                concept, form = _learned_abbreviation(c)
                lex.concepts[concept.id] = concept
                lex.renderings[c.head] = Learned(form, c.path, c.line, c.english)
            continue
        rival_of_learned = c.cid is None and f"learned:{lookup_key(c.english)}" in lex.concepts
        if counts.get(c.head, 0) < 2 and not rival_of_learned:
            continue  # used once, at its gloss: nothing to be consistent with
        note = f"learned from {c.path}:{c.line}"
        source = Source(c.path, c.line)
        if c.cid is not None:
            en = next(f for f in termbase.find_forms(c.english) if f.lang == "en" and f.kind == TERM)
            form = Form(c.head, "zh", ADMITTED, TERM, concept_id=c.cid, designation=en.designation, note=note,
                        source=source)
        else:
            cid = f"learned:{lookup_key(c.english)}"
            concept = lex.concepts.get(cid)
            if concept is None:
                en = Form(c.english, "en", PREFERRED, TERM, concept_id=cid, source=source)
                form = Form(c.head, "zh", PREFERRED, TERM, concept_id=cid, note=note, source=source)
                lex.concepts[cid] = Concept(cid, "learned", [en, form], "", "", source=source)
            else:
                zh = [f.text for f in concept.forms if f.lang == "zh"]
                if not _shares_a_character(c.head, zh) or any(_sentence_around(c.head, z) for z in zh):
                    continue
                form = Form(c.head, "zh", ADMITTED, TERM, concept_id=cid, note=note, source=source)
                concept.forms.append(form)
        lex.renderings[c.head] = Learned(form, c.path, c.line, c.english)
    return lex


def _count(candidates: list[_Candidate], docs, memo: dict | None = None) -> dict[str, int]:
    """How often each candidate head occurs in the whole set (one automaton pass per document)."""
    if not candidates:
        return {}
    heads = tuple(c.head for c in candidates)
    counts: dict[str, int] = {}
    ac = None

    def counted(text: str, sign: int = 1, into: dict | None = None) -> dict:
        nonlocal ac
        if ac is None:
            import ahocorasick_rs

            ac = ahocorasick_rs.AhoCorasick(list(heads), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        into = {} if into is None else into
        for index, _s, _e in ac.find_matches_as_indexes(text):
            into[heads[index]] = into.get(heads[index], 0) + sign
        return into

    for doc in docs:
        def count_here():
            # an edit's analysis (edits.reanalyze): the previous version's counts, less the old run's, plus the new
            # run's (a head never spans the blank line around a run of blocks)
            edited = doc.edited_from
            before = edited[0]() if edited is not None else None
            hit = memo.get("counts", {}).get(id(before)) if memo is not None and before is not None else None
            if hit is not None and hit[0] is before and hit[1] == heads:
                _ref, b0, b1, b1_new = edited
                here = counted(before.prose.masked[b0:b1], -1, dict(hit[2]))
                here = counted(doc.prose.masked[b0:b1_new], 1, here)
                return {h: n for h, n in here.items() if n}
            return counted(doc.prose.masked)
        for head, n in _memoised(memo, "counts", doc, heads, count_here).items():
            counts[head] = counts.get(head, 0) + n
    return counts


def count_heads(candidates: list[_Candidate], texts) -> dict[str, int]:
    """``_count`` over texts given one at a time (``nnterm check`` on a set too large to hold: the documents'
    prose, kept compressed between its passes)."""
    if not candidates:
        return {}
    import ahocorasick_rs

    heads = [c.head for c in candidates]
    ac = ahocorasick_rs.AhoCorasick(heads, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    counts: dict[str, int] = {}
    for text in texts:
        for index, _s, _e in ac.find_matches_as_indexes(text):
            counts[heads[index]] = counts.get(heads[index], 0) + 1
    return counts


def present(lex: Lexicon, text: str) -> bool:
    """Whether ``apply`` would change a document with this prose (a learned head occurs in it)."""
    return bool(lex) and bool(_present_heads(lex, text))


def _added(lex: Lexicon, masked: str, lo: int = 0, hi: int | None = None) -> list[Occurrence]:
    """The occurrences of learned heads in ``masked[lo:hi]`` (each head's, left to right, not overlapping), by start."""
    added: list[Occurrence] = []
    hi = len(masked) if hi is None else hi
    present = _present_heads(lex, masked if lo == 0 and hi == len(masked) else masked[lo:hi])
    for head, learned in lex.renderings.items():
        if head not in present:
            continue  # one automaton pass told: the search below would find nothing
        whole_word = learned.form.kind == ABBREVIATION  # (ALU, not the letters of VALUE)
        i = masked.find(head, lo, hi)
        while i >= 0:
            if not whole_word or _whole_word(masked, i, i + len(head)):
                added.append(Occurrence(i, i + len(head), head, [learned.form]))
            i = masked.find(head, i + len(head), hi)
    added.sort(key=lambda o: o.start)
    return added


def apply(doc: "DocumentAnalysis", lex: Lexicon, *, resolve_uses: bool = True) -> "DocumentAnalysis":
    """The analysis with every occurrence of a learned head added (replacing the known terms inside it).
    ``resolve_uses=False``: the uses are left for the caller to resolve (None), once after every change."""
    masked = doc.prose.masked
    added = _added(lex, masked)
    if not added:
        return doc
    keep = _merged(list(doc.occurrences), added)
    from . import find_glosses, resolve

    out = replace(doc, occurrences=keep, glosses=find_glosses(masked, keep))
    out.uses = resolve(out) if resolve_uses else None
    return out


def apply_edited(doc: "DocumentAnalysis", lex: Lexicon, prev: "DocumentAnalysis", b0: int, b1: int,
                 b1_new: int) -> "DocumentAnalysis | None":
    """``apply(doc, lex, resolve_uses=False)`` for the analysis of an edit of the blocks [b0, b1) (now [b0,
    b1_new)) matched again only there (``edits.reanalyze``), from ``prev``, what ``apply`` made of the previous
    version with the same lexicon: outside the run its occurrences and glosses move, inside the run the learned
    heads are looked for again. A learned head never spans the blank line around a run of blocks, and a known term
    it replaces lies inside it, so nothing outside the run reads otherwise. The caller uses it only where ``prev``
    holds learned occurrences (else ``apply`` decides in full whether there is one now); None where the run is not
    one ``reanalyze`` matched again."""
    from ..edits import _counted, _shifted, _spliced_glosses
    from ..match import first_starting_at_or_after

    if b0 > b1 or b1 > len(prev.text):
        return None
    delta = b1_new - b1
    occs = doc.occurrences
    lo, hi = first_starting_at_or_after(occs, b0), first_starting_at_or_after(occs, b1_new)
    plo, phi = first_starting_at_or_after(prev.occurrences, b0), first_starting_at_or_after(prev.occurrences, b1)
    if (plo > 0 and prev.occurrences[plo - 1].end > b0) or (lo > 0 and occs[lo - 1].end > b0):
        return None  # (an occurrence across the run's start: the run is not what reanalyze matched again)
    run = _merged(occs[lo:hi], _added(lex, doc.prose.masked, b0, b1_new))
    keep = prev.occurrences[:plo] + run + _shifted(prev.occurrences[phi:], delta)
    if len(keep) == len(occs) and not any(_is_learned(o, lex) for o in keep):
        return doc  # (as apply: no learned head anywhere)
    _counted("learned-local")
    glosses = _spliced_glosses(prev, doc.prose.masked, keep, b0, plo, phi, len(run), delta)
    out = replace(doc, occurrences=keep, glosses=glosses)
    out.uses = None
    return out


def _is_learned(o: Occurrence, lex: Lexicon) -> bool:
    learned = lex.renderings.get(o.surface)
    return learned is not None and bool(o.forms) and o.forms[0] is learned.form


def _merged(keep: list[Occurrence], added: list[Occurrence]) -> list[Occurrence]:
    """``keep`` (a document's occurrences, in text order) with the learned ones added: a known term inside a learned
    one gives way; a learned head inside (or across) a known term does not."""
    for new in added:
        lo = bisect_right(keep, new.start, key=lambda o: o.end)  # first occurrence ending after new.start
        hi = lo
        while hi < len(keep) and keep[hi].start < new.end:
            hi += 1
        clash = keep[lo:hi]
        if all(new.start <= o.start and o.end <= new.end for o in clash) and not any(
            o.start == new.start and o.end == new.end for o in clash
        ):
            keep[lo:hi] = [new]
    return keep


def _whole_word(text: str, start: int, end: int) -> bool:
    return not (start > 0 and (text[start - 1].isascii() and (text[start - 1].isalnum() or text[start - 1] in "_-./"))) \
        and not (end < len(text) and text[end].isascii() and (text[end].isalnum() or text[end] in "_/"))


def _present_heads(lex: Lexicon, text: str) -> set[str]:
    """The learned heads that occur in ``text`` (overlaps included), with one scan instead of one per head."""
    ac = getattr(lex, "_heads_automaton", None)
    if ac is None:
        import ahocorasick_rs

        heads = list(lex.renderings)
        ac = (heads, ahocorasick_rs.AhoCorasick(heads, matchkind=ahocorasick_rs.MatchKind.Standard))
        lex._heads_automaton = ac
    heads, automaton = ac
    return {heads[i] for i, _s, _e in automaton.find_matches_as_indexes(text, overlapping=True)}


class LayeredTermBase:
    """The term base with a document set's learned concepts on top (for the rules of one check)."""

    def __init__(self, base, extra: Mapping[str, Concept]) -> None:
        self._base = base
        self.concepts = {**base.concepts, **extra} if extra else base.concepts

    def __getattr__(self, name):
        return getattr(self._base, name)

    def get(self, concept_id: str):
        return self.concepts.get(concept_id)


def learned_forms(lex: Lexicon) -> dict[tuple[str, str], Learned]:
    """(concept id, text) -> where it was learned, for the findings' `learned_from`."""
    return {(l.form.concept_id, l.form.text): l for l in lex.renderings.values()}

"""abbreviation-before-definition: an abbreviation used before its expansion appears, or never expanded."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from operator import attrgetter

from ..extract.markdown import fence_bodies
from ..i18n import t
from ..match import Occurrence
from ..resolve import FULL_NAME_WORDS, _spells
from ..termbase.model import ABBREVIATION, TERM, has_han
from .base import Context, live, make_finding
from .findings import Applicability, Finding, Related

CODE = "abbreviation-before-definition"


def expansion(ctx: Context, cid: str, abbr: str, lang: str) -> str:
    concept = ctx.termbase.concepts[cid]
    if concept.en == abbr:  # spelled out by the set in Chinese only (算术逻辑单元（ALU）): as the set writes it
        return f"{concept.zh}（{abbr}）"
    if lang == "zh" and concept.zh != concept.en:
        return f"{ctx.preferred_text(cid, 'zh')}（{concept.en}，{abbr}）"
    return f"{ctx.preferred_text(cid, 'en')} ({abbr})"


@dataclass(slots=True)
class Summary:
    path: str
    group: int  # the document's reading-order group
    abbr_defined: set  # (concept, abbreviation) spelled out here
    first_def: dict  # concept -> (start, end) of its first definition or written-out expansion here
    # concept -> the uses that may be reported: per abbreviation of the concept, its first use before the
    # document's own definition, in text order (which is reported depends on the set: ``decide``)
    candidates: dict


def summarize(ctx: Context, doc, moved=None) -> Summary:
    """``moved``: (the summary of the version the document was edited from, ``rules.moved.Moved``) when its
    occurrences and uses are that version's, moved: that summary moved, where nothing it read can have changed."""
    if moved is not None:
        out = _moved_summary(*moved)
        if out is not None:
            return out
    exempt = set(ctx.rules.extra(CODE, "exempt", []))
    exempt_categories = set(ctx.rules.extra(CODE, "exempt_categories", []))
    abbr_defined: set[tuple[str, str]] = set()
    first_def: dict[str, tuple[int, int]] = {}
    # Maximum Probability of Improvement (MPI) where the base's MPI is the message passing interface: the document
    # spells out another sense; it defines nothing of the base's, and its uses there are that other sense
    other_sense = {occ.form.concept_id for occ, use in zip(doc.occurrences, doc.uses)
                   if use.expansion and not _same_name(use.expansion, ctx.termbase.concepts[occ.form.concept_id])}
    for occ, use in zip(doc.occurrences, doc.uses):
        if use.defines_abbreviation and occ.form.concept_id not in other_sense:
            cid = occ.form.concept_id
            abbr_defined.add((cid, occ.form.text))
            if cid not in first_def or occ.start < first_def[cid][0]:
                # (printed by a glossary macro: the macro's span)
                first_def[cid] = (occ.start, occ.end if occ.via is not None else occ.start + len(occ.form.text))
    for cid, span in _code_span_definitions(ctx, doc):
        if cid not in other_sense and (cid not in first_def or span[0] < first_def[cid][0]):
            first_def[cid] = span
    # an expansion written out before the abbreviation also defines it ("... batch normalization ... BN")
    for occ, use in zip(doc.occurrences, doc.uses):
        # (a glossary entry's definition is not read where it stands: only where it is printed)
        if occ.form.kind == TERM and not occ.ambiguous and use.skip != "entry":
            cid = occ.form.concept_id
            if cid not in first_def or occ.start < first_def[cid][0]:
                first_def[cid] = (occ.start, occ.end)
    candidates: dict[str, list] = {}
    met: set[str] = set()  # concepts the reader met where they are not to be spelled out
    for occ, use in _abbreviation_uses(ctx, doc):
        form = occ.form
        # (an abbreviation the base marks ambiguous, of one concept, is read like a polysemous one: see Reader)
        if form.kind != ABBREVIATION or len(occ.forms) > 1 or occ.miscased or use.defines_abbreviation:
            continue
        if form.concept_id in other_sense:
            continue
        if use.in_heading or _in_caption(doc.text, occ.start):
            continue  # a heading or a figure's caption names the topic; the text below defines it
        # ResNet-152, CI/CD: a model's versioned name, a compound of abbreviations; VB（动词，基本形式）: explained
        # in place, in a sense of the writer's own; LeNet、AlexNet、ResNet: a model named among others. None is an
        # abbreviation to spell out there, and the reader has met it: a later use in the document is not the first
        if (_part_of_a_name(doc.text, occ.start, occ.end) or _explained_here(doc.text, occ.end)
                or _among_names(doc.text, occ.start, occ.end, form.text.isupper())):
            met.add(form.concept_id)
            continue
        if form.concept_id in met:
            continue
        if _named_right_after(doc, occ):
            continue  # CNN卷积神经网络（Convolutional Neural Network）, BP反向传播算法: its full name follows at once
        concept = ctx.termbase.concepts[form.concept_id]
        if form.text in exempt or concept.common or concept.category in exempt_categories:
            continue
        here = first_def.get(concept.id)
        if here is not None and occ.start > here[0]:
            continue
        if here is not None and _same_table(doc.text, occ.start, here[0]):
            continue  # a table's header row, spelled out in a row below it: the reader reads the table as one
        if _spelled_earlier_in_paragraph(doc.text, occ.start, form.text, concept):
            met.add(form.concept_id)  # 平均作业完成时间（Job Completion Time）……影响JCT: written out just before
            continue
        uses = candidates.setdefault(concept.id, [])
        if all(o.form.text != form.text for o in uses):
            uses.append(occ)
    return Summary(doc.path, doc.order_group, abbr_defined, first_def, candidates)


def _moved_summary(before: Summary, moved) -> Summary | None:
    """``before``, its offsets and occurrences moved, when the edited run and the text near it hold nothing this
    rule reads beyond the occurrences: no abbreviation near the run (what decides whether one is a use reads up to
    80 characters around it), no expansion in code font in the run, no fence marker (a code block's lines are no
    code font) and no table row (a table's rows read as one, however far apart). None otherwise, or where a span
    cannot be moved."""
    doc, old = moved.doc, moved.before
    b0, b1, delta = moved.run
    lo, hi = moved.near
    if any(o.form.kind == ABBREVIATION for o in old.occurrences[lo:hi]):
        return None
    runs = (old.text[b0:b1], doc.text[b0 : b1 + delta])
    if _FENCE_LINE.findall(runs[0]) != _FENCE_LINE.findall(runs[1]):
        return None  # (the same fence lines: the code blocks around and after the run are the ones they were)
    for text in runs:
        if "|" in text:
            return None
        if "`" in text and any(_CODE_DEFINITION.search(m.group(1)) for m in _CODE_SPAN.finditer(text)):
            return None  # (a code span never spans a line break, so the run's pair as they do in the document)
    try:
        first_def = {cid: moved.offsets(*span) for cid, span in before.first_def.items()}
        candidates = {cid: [moved.occurrence(o) if moved.renewed(o) else o for o in uses]
                      for cid, uses in before.candidates.items()}
    except LookupError:
        return None
    return Summary(doc.path, before.group, before.abbr_defined, first_def, candidates)


_FENCE_LINE = re.compile(r"^.*(?:```|~~~).*$", re.M)
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# `Deep Q-network(DQN)`, `Monte-Carlo(MC) based`: a writer who sets names in code font spells them out there too
_CODE_SPAN = re.compile(r"`([^`\n]{4,120})`")
_CODE_DEFINITION = re.compile(r"([A-Za-z][A-Za-z \t-]{2,80}?)[ \t]*\([ \t]*([A-Z][A-Za-z0-9]{1,9})[ \t]*\)")


def _code_span_definitions(ctx: Context, doc):
    """(concept, span) of each expansion written inside a Markdown code span: English words that spell out an
    abbreviation of the base's concept and name it (code itself is masked, so matching never reads these)."""
    if doc.prose.kind != "markdown" or "`" not in doc.text:
        return
    used = None  # the document's own abbreviations (learned ones among them): text -> concepts, made when asked
    for m in _CODE_SPAN.finditer(doc.text):
        for d in _CODE_DEFINITION.finditer(m.group(1)):
            words, abbr = d.group(1).strip(), d.group(2)
            if not _spells(abbr, words) or any(s <= m.start() < e for s, e in fence_bodies(doc.prose)):
                continue  # (nothing spelled out, or a code block's line: code, not a name in code font)
            if used is None:
                used = {}
                for occ in doc.occurrences:
                    if occ.form.kind == ABBREVIATION:
                        used.setdefault(occ.form.text, set()).add(occ.form.concept_id)
            cids = used.get(abbr, set()) | {f.concept_id for f in ctx.termbase.find_forms(abbr)
                                             if f.kind == ABBREVIATION and f.text == abbr}
            for cid in sorted(cids):
                if _same_name(words, ctx.termbase.concepts[cid]):
                    yield cid, (m.start(1) + d.start(), m.start(1) + d.end())


def _abbreviation_uses(ctx: Context, doc):
    """The live occurrences, and in a term's occurrence each abbreviation of another concept written inside it
    (byte-level BPE, 双DQN, GPU显存): the reader meets the abbreviation there, unexplained, as much as alone. Such
    an inner use has the term's use and the abbreviation's own form."""
    for occ, use in live(doc):
        yield occ, use
        form = occ.form
        if form.kind != TERM or occ.ambiguous or occ.via is not None or use.in_gloss or use.glossed:
            continue  # (径向基函数核（RBF kernel）: the term's translation beside it spells the abbreviation out)
        surface = occ.surface
        if surface == surface.lower() or doc.text[occ.start : occ.end] != surface:
            continue  # (no capital: no abbreviation the base spells in capitals; markup inside: other offsets)
        for m in _LATIN_TOKEN.finditer(surface):
            word = m.group()
            if len(word) < 2 or word == surface or word == word.lower():
                continue
            inner = [f for f in ctx.termbase.find_forms(word)
                     if f.kind == ABBREVIATION and f.text == word and f.concept_id != form.concept_id]
            if len(inner) == 1:
                yield Occurrence(occ.start + m.start(), occ.start + m.end(), word, inner), use


@dataclass
class Defined:
    """What the whole set defines (merged from the summaries in reading order)."""

    abbr_defined: set = field(default_factory=set)  # (concept, abbreviation) spelled out somewhere in the set
    anywhere: dict = field(default_factory=dict)  # concept -> the groups with a document that defines it
    later_def: dict = field(default_factory=dict)  # concept -> (path, start, end) of its first definition in the set

    def add(self, s: Summary) -> None:
        self.abbr_defined |= s.abbr_defined
        for cid, (start, end) in s.first_def.items():
            self.later_def.setdefault(cid, (s.path, start, end))
            self.anywhere.setdefault(cid, set()).add(s.group)


class Reader:
    """The documents are read in the set's reading order: an expansion in an earlier chapter counts for the later
    ones, and so does one in a chapter whose place in the order is not declared (a book without a table of
    contents: nothing says the reader meets the abbreviation first). In each document only the first use before a
    definition is reported; an abbreviation the set never expands is reported once, at its first use.
    ``step`` takes the documents' summaries in reading order and says which uses each reports."""

    def __init__(self, ctx: Context, set_defined: Defined) -> None:
        self.polysemous = set(ctx.rules.extra(CODE, "polysemous", []))
        self.set = set_defined
        self.defined: dict[int, set[str]] = {}  # reading-order group -> concepts defined in its earlier documents
        self.never_reported: dict[int, set[str]] = {}  # group -> never-defined concepts already reported

    def step(self, s: Summary) -> list:
        found = []
        anywhere, later_def, abbr_defined = self.set.anywhere, self.set.later_def, self.set.abbr_defined
        for cid, uses in s.candidates.items():
            if cid in self.defined.get(s.group, ()) or anywhere.get(cid, set()) - {s.group}:
                continue  # defined earlier in the reading order, or in a document whose place in it is not declared
            # SSD the disk, NN the tag: only a set that spells out the base's sense is checked
            # (polysemous: listed in the rule's settings, or marked ambiguous in the term base — CV, SSD)
            occ = next((o for o in uses if not (o.form.ambiguous or o.form.text in self.polysemous)
                        or (cid, o.form.text) in abbr_defined), None)
            if occ is None:
                continue
            target = later_def.get(cid)
            if target is None and cid in self.never_reported.setdefault(s.group, set()):
                continue  # never expanded anywhere: said once, at the first use in the reading order, not per chapter
            if target is None:
                self.never_reported[s.group].add(cid)
            found.append((occ, target))
        self.defined.setdefault(s.group, set()).update(s.first_def)
        return found


@dataclass
class Facts:
    reports: dict  # document position -> [(occurrence, target)]: target the (path, start, end) of a definition


def _defines(s: Summary) -> tuple:
    """What a summary adds to the set's definitions, but where (``Defined.add``)."""
    return (s.path, s.group, s.abbr_defined, tuple(s.first_def))


def _defined(summaries: list, keep: dict | None) -> Defined:
    """The set's definitions, merged from the summaries; from the previous check's (``keep``) where the few
    summaries that changed define the same concepts in the same order as before (a keystroke): only the places of
    the first definitions those documents hold move."""
    before = keep.get("summaries") if keep is not None else None
    out = None
    if before is not None and len(before) == len(summaries):
        changed = [pos for pos, (a, b) in enumerate(zip(before, summaries)) if a is not b]
        paths = [s.path for s in summaries]
        if (len(changed) <= 4 and all(_defines(before[p]) == _defines(summaries[p]) for p in changed)
                and all(paths.count(summaries[p].path) == 1 for p in changed)):
            old = keep["defined"]
            out = Defined(old.abbr_defined, old.anywhere, dict(old.later_def))
            for p in changed:
                s = summaries[p]
                for cid, (start, end) in s.first_def.items():
                    if out.later_def[cid][0] == s.path:
                        out.later_def[cid] = (s.path, start, end)
    if out is None:
        out = Defined()
        for s in summaries:
            out.add(s)
    if keep is not None:
        keep["summaries"], keep["defined"] = list(summaries), out
    return out


def decide(ctx: Context, summaries, keep: dict | None = None) -> Facts:
    set_defined = _defined(summaries, keep)
    reader = Reader(ctx, set_defined)
    reports = {}
    for pos, s in enumerate(summaries):
        found = reader.step(s)
        if found:
            reports[pos] = found
    return Facts(reports)


def depends(ctx: Context, facts: Facts, pos: int, s: Summary) -> tuple:
    return tuple((occ.start, target) for occ, target in facts.reports.get(pos, ()))


def emit(ctx: Context, doc, pos: int, s: Summary, facts: Facts) -> list[Finding]:
    out = []
    for occ, target in facts.reports.get(pos, ()):
        key = "message" if target is not None else "message_never"
        text = expansion(ctx, occ.form.concept_id, occ.form.text, _line_lang(doc, occ))
        # rewriting prose around an abbreviation is the writer's call: an editor-only fix
        f = make_finding(ctx, doc, occ, CODE, text, applicability=Applicability.UNSAFE, message_key=key,
                         expansion=text)
        if target is not None:
            f.related = [Related(target[0], target[1], target[2], t("related_definition", ctx.lang(doc)))]
        out.append(f)
    return out


def _line_lang(doc, occ) -> str:
    """The language to spell the abbreviation out in: the document's, but English on a line of English alone in a
    Chinese document (a slide's bullet “2006: RBM initialization” takes no Chinese name)."""
    if doc.lang != "zh":
        return doc.lang
    return "zh" if has_han(doc.lines.line_text(doc.lines.line_of(occ.start))) else "en"


def findings(ctx: Context, doc, pos: int) -> list[Finding]:
    return emit(ctx, doc, pos, ctx.summaries[pos][CODE], ctx.facts[CODE])


_PARENTHESISED_LATIN = re.compile(r"[（(][ \t]*([A-Za-z][A-Za-z \t,-]{2,80}?)[ \t]*[）)]")


_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z-]*(?:[ \t]+[A-Za-z][A-Za-z-]*)+")


def _spelled_earlier_in_paragraph(text: str, start: int, abbr: str, concept) -> bool:
    """English words earlier in the abbreviation's paragraph that spell it out: in parentheses, or words whose
    initials are its letters and that name the base's concept (有一招叫做continuous bag of word model……那CBOW的
    意思是: said just before)."""
    lo = max(text.rfind("\n\n", 0, start), start - 400, 0)
    if any(_spells(abbr, m.group(1).replace(",", " ")) for m in _PARENTHESISED_LATIN.finditer(text, lo, start)):
        return True
    if len(abbr) < 3:
        return False
    letters = abbr.lower()
    for m in _LATIN_RUN.finditer(text, lo, start):
        words = m.group().replace("-", " ").split()
        for i in range(len(words) - len(letters) + 1):
            run = words[i : i + len(letters)]  # (the words' initials are the abbreviation's letters, one each)
            if "".join(w[0].lower() for w in run) == letters and _same_name(" ".join(run), concept):
                return True
    return False


def _same_table(text: str, start: int, def_start: int) -> bool:
    """Both offsets on rows of one Markdown table (no line between them that is not a row)."""
    if def_start <= start:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    rows = text[line_start:def_start].split("\n")
    return len(rows) <= 40 and all(r.lstrip().startswith("|") for r in rows)


_NAME_WORD = re.compile(r"[a-z0-9]+")
_FUNCTION_WORDS = frozenset({"a", "an", "the", "of", "for", "and", "in", "on", "to", "with", "by", "based"})


def _content_words(text: str) -> set[str]:
    return set(_content_list(text))


def _content_list(text: str) -> list[str]:
    """The words of a name that carry its meaning, in order, singular (function words left out)."""
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w
            for w in _NAME_WORD.findall(text.lower()) if w not in _FUNCTION_WORDS]


def _same_word(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a) or (len(a) >= 4 and len(b) >= 4 and a[:4] == b[:4])


def _same_name(written: str, concept) -> bool:
    """Words spelling an abbreviation out name the base's concept when they share a content word with one of its
    English names (Rectified Linear Units, rectified linear unit); none shared: another expansion of the letters.
    A concept without English names is given the benefit of the doubt."""
    names = [f.text for f in concept.forms if f.lang == "en" and f.kind != ABBREVIATION]
    if not names:
        return True
    # word for word, when the words are as many: General Language Model is not generalized linear model (the L
    # differs), Generative Adversarial Nets is generative adversarial network (a word and its start)
    ordered = _content_list(written)
    aligned = [n for n in map(_content_list, names) if len(n) == len(ordered)]
    if aligned:
        return any(all(_same_word(a, b) for a, b in zip(ordered, n)) for n in aligned)
    words = set(ordered)
    stems = {w[:4] for w in words if len(w) >= 4}  # (ConvNet and convolutional network: one name)
    return any(words & _content_words(name) or stems & {w[:4] for w in _content_words(name) if len(w) >= 4}
               for name in names)


# a figure or table caption: a line that starts (after tags such as <center>) with 图 2.1.8 / 表3-1 / Figure 4
_CAPTION = re.compile(r"[ \t]*(?:<[A-Za-z][^<>\n]*>[ \t]*)*(?:[图表][ \t]?\d+(?:[-.．]\d+)*|(?:Figure|Fig\.|Table)[ \t]+\d)")


def _in_caption(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return _CAPTION.match(text, line_start) is not None


_VERSIONED = re.compile(r"[-‐]?\d")
_SLASH_ABBR = re.compile(r"[/-][A-Z]{2,}|/[A-Z]")
_ABBR_SLASH = re.compile(r"[A-Z]{2,}[/-]$")


def _part_of_a_name(text: str, start: int, end: int) -> bool:
    """The abbreviation is part of a longer name: a version number joined to it (ResNet-152, VGG16), another
    abbreviation joined by a slash or a hyphen (CI/CD, TCP/IP, MDN-RNN), a name joined by a slash (the
    CNN/Daily Mail dataset), or a one-letter prefix joined by a hyphen (t-SNE)."""
    after = text[end : end + 4]
    before = text[max(0, start - 4) : start]
    return bool(_VERSIONED.match(after) or _SLASH_ABBR.match(after) or _ABBR_SLASH.search(before)
                or _LETTER_PREFIX.search(before))


_LETTER_PREFIX = re.compile(r"(?<![A-Za-z0-9])[a-z]-$")
_MARKUP_GAP = frozenset(" \t*_")


def _named_right_after(doc, occ) -> bool:
    """The next term written after the abbreviation, with nothing but spaces or emphasis between, or words that say
    a full name follows (的全称是, 即), is a name of the same concept: the writer gives the full name right there
    (CNN卷积神经网络（…）, IOU的全称是交并比)."""
    occs = doc.occurrences
    i = bisect_right(occs, occ.end - 1, key=_START)  # the first occurrence that starts at its end or later
    if i == len(occs):
        return False
    nxt = occs[i]
    gap = doc.text[occ.end : nxt.start]
    return ((len(gap) <= 3 and all(c in _MARKUP_GAP for c in gap) or _SAYS_FULL_NAME.fullmatch(gap) is not None)
            and nxt.form.kind == TERM and nxt.form.concept_id == occ.form.concept_id)


# IOU的全称是交并比, SGD 即随机梯度下降, BN（全称为批量归一化）, GELU 函数，全名为…: words that introduce the full name
_SAYS_FULL_NAME = re.compile(r"[ \t*_]*(?:函数|模型|算法|网络|方法|层)?[ \t]*[，,]?[ \t]*[（(]?[ \t]*" + FULL_NAME_WORDS
                             + r"[ \t]*[:：]?[ \t*_]*|[ \t*_]*[，,]?[ \t]*(?:即|也就是)[ \t*_]*")
_START = attrgetter("start")


_EXPLAINED = re.compile(r"[ \t*_`]*[（(]([^（）()\n]{2,60})[）)]")
_NAME_BEFORE = re.compile(r"[A-Z][A-Za-z0-9-]*[a-z][A-Za-z0-9-]*\s*[、，,]\s*$")
_NAME_AFTER = re.compile(r"\s*[、，,]\s*[A-Z][A-Za-z0-9-]*[a-z]")


def _explained_here(text: str, end: int) -> bool:
    """A Chinese parenthesis right after the abbreviation explains it in place (VB（动词，基本形式）): the base's
    expansion there is a definition, read earlier; anything else is the writer's own sense of it. (English words
    define it only when they spell it out, which the definitions already read.)"""
    m = _EXPLAINED.match(text, end)
    return bool(m and has_han(m.group(1)))


_LIST_BOUND = re.compile(r"[（）()。；;：:！？\n]")
_LIST_SEP = re.compile(r"\s*[、，,]\s*")
_LATIN_ITEM = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


def _among_names(text: str, start: int, end: int, all_capitals: bool) -> bool:
    """The name is one item of a list of names (LeNet、AlexNet、ResNet; Naive，QAT，BNN等量化器): a model or a tool's
    component named among others. A mixed-case name needs a name beside it; an all-capitals abbreviation needs a list
    of Latin names only, at least three, one of them an ordinary capitalised word (CNN、RNN和LSTM stays a use)."""
    if not all_capitals:
        return bool(_NAME_BEFORE.search(text[max(0, start - 40):start]) or _NAME_AFTER.match(text, end))
    lo = max(0, start - 80)
    bounds = [m.end() for m in _LIST_BOUND.finditer(text, lo, start)]
    lo = bounds[-1] if bounds else lo
    m = _LIST_BOUND.search(text, end, min(len(text), end + 80))
    hi = m.start() if m else min(len(text), end + 80)
    items = [i for i in _LIST_SEP.split(text[lo:hi].strip()) if i]
    names = [_LATIN_ITEM.search(i) for i in items]
    names = [n.group() for n in names if n]
    if len(names) < 3 or len(names) < len(items) - 1:
        return False
    return any(n[:1].isupper() and n[1:].islower() and len(n) > 2 for n in names)

"""Resolve: each occurrence read in its context, between matching and the rules.

The matcher says *what* a span of prose could be (the forms of one or more concepts); this stage says how the
writer *uses* it there: glossed by its other-language name (批量归一化（batch normalization）), itself the gloss
of a neighbour, defining an abbreviation, inside a heading. The rules read these ``Use`` records and never test raw
text conditions of their own. Later stages of the accuracy work fill in the designation an occurrence renders, its
sense and definitional uses (X又称Y) here, so every rule benefits at once.
"""

from __future__ import annotations

from bisect import bisect_left
from operator import attrgetter
from dataclasses import dataclass
import re
from typing import TYPE_CHECKING

from ..extract.prose import SOFT
from ..termbase.model import ABBREVIATION

if TYPE_CHECKING:
    from ..analysis import DocumentAnalysis

OPENERS = {"（": "）", "(": ")"}
_GLOSS_MAX = 120
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# what stands between two names of one concept when a sentence introduces, lists or contrasts them
# words that say a full name follows: 的全称是, 全名为, 英文全称 (a connector here; the abbreviation rule reads them too)
FULL_NAME_WORDS = r"(?:的)?(?:英文)?(?:全称|全名)(?:是|为|叫)?"
_CONNECTOR = re.compile(
    r"^[\s\x00*_“”\"'「」《》]*(?:[（(]\s*)?"
    r"(?:又称(?:为|作)?|也称(?:为|作)?|亦称(?:为|作)?|或称(?:为|作)?|也叫(?:做|作)?|又叫(?:做|作)?|也被称为|又被称为|"
    r"通常称为|简称(?:为)?|即|或者?(?:称为|叫做|说)?|而不是|而非|、|/|／|，?也就是|，?或者?称为|"
    r"[，,]?\s*" + FULL_NAME_WORDS + r"\s*[:：]?|"
    r",?\s*(?:also\s+(?:known\s+as|called|termed)|a\.k\.a\.|or|i\.e\.,?|rather\s+than|not))"
    r"[\s\x00*_“”\"'「」《》]*$",
    re.I,
)
_CONNECTOR_MAX = 24
_GLOSS_IN_GAP = re.compile(r"[（(][^（）()\n]{0,80}[）)]")
# code-like neighbours: tools/train.py, tensorflow-gpu, cuda-convnet, model_zoo.alexnet, user@host
_CODE_JOIN = frozenset("/\\_.-@")
# a reference-list entry: "[12] Author, A. (2014). Title." / "3. Zeiler, M. D. (2012). ..." / \bibitem
_REFERENCE_LINE = re.compile(
    r"^\s*(?:\[\d{1,4}\]|\d{1,4}\.|[-*+])?\s*.*?(?:\((?:19|20)\d\d[a-z]?\)|\b(?:19|20)\d\d\b.*\b(?:arXiv|Proceedings|"
    r"Conference|Journal|Transactions|NeurIPS|ICML|ICLR|CVPR|ICCV|ECCV|ACL|EMNLP|NAACL|AAAI|IJCAI)\b|\bet al\.)"
)
_REFERENCE_START = re.compile(r"^\s*(?:\[\d{1,4}\]|\d{1,4}\.)\s+\S")
_GLOSSARY_HEADING = re.compile(
    r"^\s{0,3}#{1,6}\s*(?:术语表|术语对照表?|缩略语表?|缩写表|符号表|符号说明|Glossary|Abbreviations|Terminology|Notation)\s*$",
    re.I | re.M,
)
_GLOSSARY_FILE = re.compile(r"(?:^|/)(?:术语表|缩略语表?|符号表|glossary|abbreviations|terminology)\.(?:md|mdx|markdown)$", re.I)
# (also a chapter's short list of sources and further reading: 本节参考, 参考链接, 6.5.5 扩展资料, Further reading)
_BIB_HEADING = re.compile(
    r"^\s{0,3}#{1,6}\s*(?:\d{1,3}(?:\.\d{1,3})*\.?\s*)?(?:(?:本节|本章|本文|主要)?参考(?:文献|资料|链接|阅读|来源)?"
    r"|引用文献|(?:扩展|延伸|拓展|推荐|进一步)(?:阅读|资料)|相关(?:资料|链接)|References|Bibliography|Reference"
    r"|Citations|Further reading)\s*[:：]?\s*(?:\[\[.*\]\])?\s*$",
    re.I | re.M,
)
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s", re.M)
_TEX_BIB = re.compile(r"\\begin\{thebibliography\}.*?(?:\\end\{thebibliography\}|\Z)", re.S)
# a thesis's own term list in LaTeX: ThuThesis denotation, the acronym package's environment, notation lists
_TEX_TERM_LIST = re.compile(
    r"\\begin\{(denotation|acronym|notation|abbreviations?|symbols?|nomenclature)\}.*?(?:\\end\{\1\}|\Z)", re.S)
_CITED_TITLE = re.compile(r"《[^《》\n]{1,80}》")
# a line of an abbreviation list: ThuThesis denotation / description items, a Markdown table row or list item
_LIST_LINE = re.compile(r"^\s*(?:\\item\b|\|)|^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s")


@dataclass(slots=True)
class Gloss:
    head: int  # index of the glossed occurrence
    open: int  # offset of the opening parenthesis
    close: int  # offset after the closing one


@dataclass(slots=True)
class Use:
    """How one occurrence is used in its context."""

    in_gloss: bool = False  # inside the parenthesised gloss of a neighbour of the same concept
    glossed: bool = False  # followed by a gloss in the other language (or with Latin text)
    defines_abbreviation: bool = False  # an abbreviation being defined here (全称（ABBR）, ABBR（全称）)
    in_heading: bool = False
    # filled by the accuracy work: the designation rendered, the sense chosen, a definitional sentence
    designation: str | None = None
    sense: str | None = None
    definitional: bool = False
    # not prose to correct, and why: "code" (a path, package or identifier), "bibliography" (a reference entry or
    # a cited title), "glossary" (the set's own term list), "name" (a Title Case name containing the term),
    # "quotation" (inside a quoted English sentence). Rules leave such occurrences alone.
    skip: str | None = None
    # a LaTeX glossary entry: the key of the entry this occurrence's definition belongs to (skip "entry"), or of
    # the entry a macro prints here (\gls{bn}: the occurrence is read in what the macro prints)
    entry: str | None = None
    # an abbreviation spelled out in English words beside it (Maximum Probability of Improvement (MPI)): those words
    expansion: str | None = None


# the use of most occurrences: nothing about its context. One shared instance stands for all of them once a document
# is resolved (a 200 KB chapter has ten thousand; each its own object was 3 MB over d2l-zh, kept for as long as the
# server keeps the analysis). Uses are never changed after ``resolve`` returns them (the suite checks the shared one
# is still the default after checking the corpora).
DEFAULT_USE = Use()
_FIELDS = attrgetter(*Use.__slots__)
_DEFAULT_FIELDS = _FIELDS(DEFAULT_USE)


def find_glosses(masked: str, occurrences) -> list[Gloss]:
    """Parenthesised text right after an occurrence: 批量归一化（batch normalization，BN）."""
    out: list[Gloss] = []
    n = len(masked)
    for index, occ in enumerate(occurrences):
        i = occ.end
        while i < n and (masked[i] == SOFT or masked[i] in " \t"):
            i += 1
        if i >= n or masked[i] not in OPENERS:
            continue
        j = i + 1
        limit = min(n, i + _GLOSS_MAX)
        while j < limit and masked[j] not in "）)":
            if masked[j] == "\n" and j + 1 < n and masked[j + 1] == "\n":  # a gloss never spans paragraphs
                break
            j += 1
        if j >= limit or masked[j] not in "）)":
            continue
        out.append(Gloss(index, i, j + 1))
    return out


def resolve(doc: "DocumentAnalysis", structures: "Structures | None" = None) -> list[Use]:
    """One ``Use`` per occurrence of an analysed document. ``structures``: the document's (``structures(doc)``),
    when the caller has them (resolve/reuse.py resolves a slice of the occurrences with the whole text's)."""
    occs = doc.occurrences
    uses = [Use() for _ in occs]
    starts = [o.start for o in occs]
    for g in doc.glosses:
        head = occs[g.head]
        head_ids = set(head.concept_ids)
        inside = range(bisect_left(starts, g.open), bisect_left(starts, g.close))
        content = doc.text[g.open + 1 : g.close - 1]
        has_other_lang = any(
            (occs[k].lang != head.lang or occs[k].form.kind == ABBREVIATION) and head_ids & set(occs[k].concept_ids)
            for k in inside
        )
        latin_gloss = head.lang == "zh" and _LATIN_WORD.search(content) is not None
        if has_other_lang or latin_gloss:
            uses[g.head].glossed = True
        for k in inside:
            if head_ids & set(occs[k].concept_ids):
                uses[k].in_gloss = True
                if occs[k].form.kind == ABBREVIATION:
                    uses[k].defines_abbreviation = True
        # ABBR（full form）: the abbreviation is defined by what follows it
        if head.form.kind == ABBREVIATION and any(
            head_ids & set(occs[k].concept_ids) and occs[k].form.kind != ABBREVIATION for k in inside
        ):
            uses[g.head].defines_abbreviation = True
            for k in inside:
                uses[k].in_gloss = True
    _mark_definitional(doc, uses)
    for g in doc.glosses:
        # 也称为反卷积（Deconvolution）: the gloss of a name mentioned as a name is part of that mention
        if uses[g.head].definitional:
            for k in range(bisect_left(starts, g.open), bisect_left(starts, g.close)):
                if uses[k].in_gloss:
                    uses[k].definitional = True
    _mark_not_prose(doc, uses, structures)
    if doc.prose.glossary is not None:
        _mark_glossary(doc, uses)
    fmt = doc.format
    lines = doc.lines
    line_texts: dict[int, str] = {}
    line_of = [lines.line_of(o.start) for o in occs]
    for k, occ in enumerate(occs):
        line = line_of[k]
        text = line_texts.get(line)
        if text is None:
            text = line_texts[line] = lines.line_text(line)
        uses[k].in_heading = fmt.in_heading(text, occ.start - lines.starts[line])
        # an abbreviation list (\item[LLM] 大语言模型（Large Language Model）, | BN | 批量归一化 |): the abbreviation
        # and its full form on one item line define it
        col = occ.start - lines.starts[line]
        # ThuThesis denotation / nomenclature items: the item's label is the abbreviation being listed
        if occ.form.kind == ABBREVIATION and text.lstrip().startswith("\\item[") and col < text.find("]", text.find("\\item[")):
            uses[k].defines_abbreviation = True
        # 词汇表外的（OOV）: an abbreviation alone in parentheses right after Chinese text is given its expansion there
        if occ.form.kind == ABBREVIATION and _parenthesised_after_han(doc.prose.masked, occ):
            uses[k].defines_abbreviation = True
            # 固态硬盘（solid-state drive，SSD）: the English words before it name the sense (the rules compare them)
            uses[k].expansion = _latin_before_in_parenthesis(doc.prose.masked, occ)
        # MSE - Mean Square Error, IMPALA (Importance Weighted Actor-Learner Architecture), Mean Square Error (MSE):
        # English words beside it that spell it out, even in words the base does not know
        # AIStore（简称AIS）, 批量归一化，简称BN: named here as the short form of what comes before it
        if occ.form.kind == ABBREVIATION and (named := _short_for(doc.prose.masked, occ)) is not None:
            uses[k].defines_abbreviation = True
            uses[k].expansion = named or None  # (Latin words before it: the rules compare them with the base's)
        if occ.form.kind == ABBREVIATION and (spelled := _spelled_out_beside(doc.prose.masked, occ)):
            uses[k].defines_abbreviation = True
            uses[k].expansion = spelled  # (the rules compare it with the base's: another sense spelled out?)
        if occ.form.kind == ABBREVIATION and not uses[k].defines_abbreviation and _LIST_LINE.match(text):
            ids = set(occ.concept_ids)
            for j in range(max(0, k - 6), min(len(occs), k + 7)):
                if j != k and line_of[j] == line and occs[j].form.kind != ABBREVIATION and ids & set(occs[j].concept_ids):
                    uses[k].defines_abbreviation = True
                    break
    return [DEFAULT_USE if _FIELDS(u) == _DEFAULT_FIELDS else u for u in uses]


_OPEN_PAREN = re.compile(r"[（(][^（）()]*$")


def _mark_glossary(doc: "DocumentAnalysis", uses: list[Use]) -> None:
    """LaTeX glossary packages (resolve.glossary): an entry's definition is the set's own term list (printed only
    in the glossary, so it defines abbreviations only when the set prints it); \nomenclature items list
    abbreviations; a macro's printed text carries its own glosses (the first use of an acronym: long (short))."""
    src = doc.prose.glossary
    occs = doc.occurrences
    starts = [o.start for o in occs]
    for e in src.entries:
        short = e.fields.get("short")
        for k in range(bisect_left(starts, e.start), bisect_left(starts, e.end)):
            occ = occs[k]
            uses[k].skip = "entry"
            uses[k].entry = e.key
            if (doc.glossary_printed or e.in_list) and occ.form.kind == ABBREVIATION and short is not None \
                    and short.start <= occ.start < short.end:
                uses[k].defines_abbreviation = True
    for start, end, label_start, label_end in src.nomenclature:
        for k in range(bisect_left(starts, start), bisect_left(starts, end)):
            occ = occs[k]
            uses[k].skip = "glossary"
            if occ.form.kind == ABBREVIATION and label_start <= occ.start < label_end:
                uses[k].defines_abbreviation = True
    if not doc.rendered:
        return
    by_use: dict[int, list[int]] = {}
    for k, occ in enumerate(occs):
        if occ.via is not None:
            by_use.setdefault(occ.via[0], []).append(k)
            uses[k].entry = doc.rendered[occ.via[0]].key
    for index, members in by_use.items():
        text = doc.rendered[index].text
        for k in members:
            b = occs[k]
            _i, b_start, b_end = b.via
            if b_start <= 0 or not _OPEN_PAREN.search(text[:b_start]):
                continue
            close = re.match(r"[^（）()]*[）)]", text[b_end:])
            if close is None:
                continue
            ids = set(b.concept_ids)
            for j in members:
                a = occs[j]
                if j != k and a.via[2] <= b_start and ids & set(a.concept_ids):
                    uses[j].glossed = True
                    uses[k].in_gloss = True
                    if b.form.kind == ABBREVIATION and a.form.kind != ABBREVIATION:
                        uses[k].defines_abbreviation = True
                    elif a.form.kind == ABBREVIATION and b.form.kind != ABBREVIATION:
                        uses[j].defines_abbreviation = True


_AFTER_ABBR = re.compile(r"[ \t\x00]*(?:[(（]|[-–—:：][ \t]*)([A-Za-z][A-Za-z \t-]{2,80}?)(?:[)）]|[,，.。;；\n]|$|(?=[\u3400-\u9fff]))")
_BEFORE_ABBR = re.compile(r"([A-Za-z][A-Za-z \t-]{2,80})[ \t]*[(（][ \t]*$")


def _spells(short: str, long: str) -> bool:
    """Schwartz & Hearst (2003): the short form's letters appear in the long form in order, the first one starting
    a word, and the long form has no more words than the short form has letters, plus a few."""
    letters = [c.lower() for c in short if c.isalnum()]
    words = long.replace("-", " ").split()
    if not letters or not words or len(words) > len(letters) + 3 or len(words) < 2:
        return False
    text = " ".join(words).lower()
    i = len(text) - 1
    for n, c in enumerate(reversed(letters)):
        first = n == len(letters) - 1
        while i >= 0 and (text[i] != c or (first and i > 0 and text[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return False
        i -= 1
    return True


def _spelled_out_beside(masked: str, occ) -> str | None:
    """The English words beside the abbreviation that spell it out, if any (a name that contains the abbreviation,
    DQN（ApeX-DQN）, spells nothing out)."""
    m = _AFTER_ABBR.match(masked, occ.end)
    if m and _spells(occ.surface, m.group(1)) and occ.surface.lower() not in m.group(1).lower().replace("-", " ").split():
        return m.group(1).strip()
    line_start = masked.rfind("\n", 0, occ.start) + 1
    m = _BEFORE_ABBR.search(masked, line_start, occ.start)
    if m and masked[occ.end : occ.end + 3].lstrip(" \t\x00")[:1] in ")）":
        words = m.group(1).split()[-(len(occ.surface) + 3):]
        for i in range(len(words)):
            if _spells(occ.surface, " ".join(words[i:])):
                return " ".join(words[i:])
    return None


def _han_before(masked: str, i: int) -> bool:
    """Chinese text right before offset ``i`` (spaces and invisible markup skipped)."""
    k = i - 1
    while k >= 0 and masked[k] in " \x00":
        k -= 1
    return k >= 0 and "\u3400" <= masked[k] <= "\u9fff"


_SHORT_FOR = re.compile(r"(?:简称|缩写为|简写为|缩写成|简写成)[ \t\x00]*$")
_LATIN_BEFORE = re.compile(r"([A-Za-z][A-Za-z0-9 \t-]{1,80}?)[ \t\x00]*[（(，,][ \t\x00]*(?:简称|缩写为|简写为|缩写成|简写成)[ \t\x00]*$")


def _short_for(masked: str, occ) -> str | None:
    """The abbreviation follows 简称 / 缩写为: the text before names what it is short for. The Latin words of that
    name when there are any (AIStore（简称AIS）), "" otherwise (批量归一化（简称BN）); None when it is not so named."""
    lo = max(0, occ.start - 120)
    before = masked[lo : occ.start]
    if _SHORT_FOR.search(before) is None:
        return None
    m = _LATIN_BEFORE.search(before)
    return m.group(1).strip() if m else ""


_EXAMPLES = ("如", "例如", "比如", "譬如", "包括", "像", "e.g.", "such as", "like ")


_LATIN_ITEM_BEFORE = re.compile(r"([A-Za-z][A-Za-z -]{2,80}?)[ \t\x00]*[，,;；][ \t\x00]*$")


def _latin_before_in_parenthesis(masked: str, occ) -> str | None:
    """The English words of the parenthesis before the abbreviation (（rectified linear unit，ReLU）), if any."""
    open_at = max(masked.rfind("（", 0, occ.start), masked.rfind("(", 0, occ.start))
    if open_at < 0:
        return None
    m = _LATIN_ITEM_BEFORE.search(masked, open_at + 1, occ.start)
    return m.group(1).strip() if m else None


def _parenthesised_after_han(masked: str, occ) -> bool:
    """The occurrence ends a parenthesis that follows Chinese text: 词汇表外的（OOV）, 修正线性单元（rectified linear
    unit，ReLU）: the writer spells the abbreviation out right there, in words the base may not know."""
    j = occ.end
    while j < len(masked) and masked[j] in " \x00":
        j += 1
    if j >= len(masked) or masked[j] not in "）)":
        return False
    i = occ.start - 1
    limit = max(0, occ.start - 80)
    while i >= limit and masked[i] not in "（()）\n":
        i -= 1
    if i < 1 or masked[i] not in "（(":
        return False
    between = masked[i + 1 : occ.start].strip(" \x00")
    if between and between[-1] not in "，,;；" :
        return False  # the abbreviation is not an item of its own inside the parenthesis
    if between.startswith(_EXAMPLES):
        return False  # 计算框架（如Spark、MPI）: examples of the Chinese text, not its expansion
    return _han_before(masked, i)


@dataclass(frozen=True)
class Structures:
    """The spans of a document that decide how the occurrences inside them are read, whatever their neighbours:
    bibliography regions (a Markdown section titled References / 参考文献, LaTeX thebibliography), the set's own
    term list (a file or a section titled 术语表 / Glossary), and passages quoted from another work (论文中写道：“……”:
    the quoted words are the source's, not the writer's). Each a list of (start, end)."""

    regions: list
    glossary: list
    quoted: list


def structures(doc: "DocumentAnalysis") -> Structures:
    text = doc.text
    regions: list[tuple[int, int]] = []
    glossary: list[tuple[int, int]] = []
    if doc.format.name == "latex":
        regions += [(m.start(), m.end()) for m in _TEX_BIB.finditer(text)]
        if "\\begin" in text:
            glossary += [(m.start(), m.end()) for m in _TEX_TERM_LIST.finditer(text)]
    else:
        regions += _sections(text, _BIB_HEADING)
        glossary += _sections(text, _GLOSSARY_HEADING)
        if _GLOSSARY_FILE.search(doc.path.replace("\\", "/")):
            glossary.append((0, len(text)))
    quoted = _quoted_passages(text) if "“" in text else []
    return Structures(regions, glossary, quoted)


def _mark_not_prose(doc: "DocumentAnalysis", uses: list[Use], found: Structures | None = None) -> None:
    """Paths and identifiers, reference lists and cited titles, English glosses of unknown Chinese heads."""
    text = doc.text
    masked = doc.prose.masked
    n = len(text)
    occs = doc.occurrences
    if not occs:
        return
    lines = doc.lines
    found = found or structures(doc)
    regions, glossary, quoted = found.regions, found.glossary, found.quoted
    titles = [(m.start(), m.end()) for m in _CITED_TITLE.finditer(masked)] if "《" in masked else []
    # titles do not overlap and come in order: only the last one opening before an occurrence can contain it
    title_starts = [a for a, _b in titles]
    ref_lines: dict[int, bool] = {}
    for k, occ in enumerate(occs):
        use = uses[k]
        t = bisect_left(title_starts, occ.start) - 1 if titles else -1
        if any(a <= occ.start < b for a, b in regions) or (t >= 0 and occ.end < titles[t][1]):
            use.skip = "bibliography"
            continue
        if quoted and any(a < occ.start and occ.end < b for a, b in quoted):
            use.skip = "quotation"
            continue
        if any(a <= occ.start < b for a, b in glossary):
            use.skip = "glossary"  # the set's own term list: it defines, it is not prose to correct
            if occ.form.kind == ABBREVIATION:
                use.defines_abbreviation = True  # an abbreviation listed there is defined for the whole set
            continue
        line = lines.line_of(occ.start)
        is_ref = ref_lines.get(line)
        if is_ref is None:
            lt = lines.line_text(line)
            is_ref = ref_lines[line] = bool(_REFERENCE_START.match(lt) and _REFERENCE_LINE.match(lt))
        if is_ref:
            use.skip = "bibliography"
            continue
        if occ.via is not None:
            continue  # printed by a glossary macro: the source around it is the macro, not the printed text
        if occ.lang == "en" or occ.surface.isascii():
            before = text[occ.start - 1] if occ.start > 0 else " "
            after = text[occ.end] if occ.end < n else " "
            if _code_like(text, occ.start, occ.end) or _python_statement(text, occ.start, occ.end) or (
                    (link := _link_around(text, occ.start, occ.end)) is not None and _link_to_itself(*link)
            ) or _names_a_folder(text, occ):
                use.skip = "code"
                continue
            if _in_title_case_name(text, occ.start, occ.end):
                use.skip = "name"  # Gated Attention Pooling Module: a proper name that contains the term
                continue
            if _in_quoted_sentence(text, occ.start, occ.end) or (link is not None and _linked_title(*link)):
                use.skip = "quotation"  # “I've been waiting for a HuggingFace course …”: an example sentence, quoted
                continue
            if (before, after) in _QUOTES and occ.surface == occ.surface.lower():
                use.skip = "code"  # “adadelta” passed as a name: an identifier in quotes, not a miscased name
                continue
            # an English name in parentheses right after Chinese text glosses that text, whatever the head is
            # (*数据实例*（data instance）): the writer gives the original term, not a rendering to correct
            if _parenthesised_after_han(masked, occ) or _gloss_after_han(masked, occ):
                use.in_gloss = True


_QUOTES = {('"', '"'), ("'", "'"), ("“", "”"), ("‘", "’"), ("「", "」")}
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./\\@:-")


def _code_like(text: str, start: int, end: int) -> bool:
    """A term inside a path, package, module or identifier: tools/train.py, torch.nn, model_zoo, tensorflow-gpu,
    cuda-convnet, user@host. Names with versions or parts in prose (ResNet-18, GPT-3, BERT-base, PyTorch/TensorFlow)
    are prose."""
    if 0 < start and text[start - 1] == "." and text.startswith("(", end):
        return True  # 以.cuda()为例: a method called, written without the object it is called on
    if start >= 2 and text.startswith("![", start - 2) and text.startswith("](", end):
        return True  # ![amp](./figures/float16.jpg): an image whose alternative text is one word, a label
    i, j = start, end
    while i > 0 and text[i - 1] in _TOKEN_CHARS:
        i -= 1
    while j < len(text) and text[j] in _TOKEN_CHARS:
        if text[j] == "\\" and j + 1 < len(text) and text[j + 1].isalpha():
            break  # LLama-2\cite{…}: a LaTeX command after the name ends the token, it is not a Windows path
        j += 1
    token = text[i:j].rstrip(".:")
    outside = token[: start - i] + token[end - i :]
    if not outside.strip(".:-/"):
        # huggingface/{user}: a path segment whose next segment is a placeholder or more path
        return outside == "/" and token.endswith("/") and j < len(text) and text[j] in "{<*$%"

    if any(c in outside for c in "_@\\"):
        return True
    if re.search(r"[A-Za-z0-9]\.[A-Za-z]", token):  # torch.nn, train.py
        return True
    if "/" in outside:
        return token.count("/") >= 2 or token == token.lower()
    if "-" in outside:  # tensorflow-gpu, cuda-convnet: an all-lowercase hyphenated token joined to letters
        side = outside.replace("-", "")
        # (Cuda-convnet: the same name with its first letter raised, as at the start of an item)
        return (token == token.lower() or (start == i and token[1:] == token[1:].lower())) and side.isalpha()
    return False


_FOLDER_AFTER = re.compile(r"[ \t]*(?:目录|文件夹|子目录|路径)")


def _names_a_folder(text: str, occ) -> bool:
    """A lowercase word right before 目录 / 文件夹 names a folder (使用 hpo 目录下的程序): a path, not a miscased name."""
    return occ.surface.islower() and _FOLDER_AFTER.match(text, occ.end) is not None


_IMPORT_BEFORE = re.compile(r"(?:^|[^A-Za-z])(?:from|import)[ \t]+$")
_IMPORT_AFTER = re.compile(r"^[ \t]+import[ \t]")
_LINK_AROUND = re.compile(r"\[([^\[\]\n]{1,80})\]\(<?([^)\s>]+)>?\)")


# a quotation of a passage: opened after a colon (or at the start of a line after a line that ends with one, or
# alone on its line), at least 30 characters without another quotation mark, closed at the end of a line
_QUOTED_PASSAGE = re.compile(
    r"(?:[：:][ \t]*|[：:][ \t]*\n[ \t]*|^[ \t]*(?=“[ \t]*\n))“[^“”]{30,4000}?”[ \t]*(?=\n|$)", re.M)
_PASSAGE_BODY = re.compile(r"“[^“”]{30,4000}?”[ \t]*(?=\n|$)")
_MARK_ENDS_LINE = re.compile(r"“[ \t]*\n")


def _passages_after_colon(text: str) -> list[tuple[int, int]]:
    """The matches of _QUOTED_PASSAGE, found from each opening quotation mark (the pattern's alternatives, tried at
    every position of a long chapter, cost the server's keystroke 5 ms; the suite checks both agree on the corpora)."""
    out = []
    i = text.find("“")
    while i != -1:
        j = i
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        start = None
        if j > 0 and text[j - 1] in "：:":
            start = j - 1  # ：“
        elif j > 0 and text[j - 1] == "\n":
            k = j - 1
            while k > 0 and text[k - 1] in " \t":
                k -= 1
            if k > 0 and text[k - 1] in "：:":
                start = k - 1  # ：then a line break, then “
        if start is None and (j == 0 or text[j - 1] == "\n") and _MARK_ENDS_LINE.match(text, i):
            start = j  # “ alone on its line
        if start is not None and (m := _PASSAGE_BODY.match(text, i)) is not None:
            out.append((start, m.end()))
            i = text.find("“", m.end())
            continue
        i = text.find("“", i + 1)
    return out


# or a quotation of a sentence or more anywhere (，“其在……基准测试上将相对错误率降低……”): forty characters or more
# on one line (a quotation inside it allowed), with a clause break inside (_quoted_passages checks length and break)
_QUOTED_SENTENCE = re.compile(r"“(?:[^“”\n]++|“[^“”\n]{0,200}+”)*+”")
_CLAUSE_BREAK = re.compile(r"[，。；;]")


def _quoted_passages(text: str) -> list[tuple[int, int]]:
    out = _passages_after_colon(text)
    out += [(m.start(), m.end()) for m in _QUOTED_SENTENCE.finditer(text)
            if 42 <= m.end() - m.start() <= 1002 and _CLAUSE_BREAK.search(text, m.start(), m.end())]
    return out
_QUOTED = re.compile(r"“([^“”\n]{8,300})”|\"([^\"\n]{8,300})\"|「([^「」\n]{8,300})」")
_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _line_around(text: str, start: int, end: int) -> tuple[int, str]:
    """The source line holding text[start:end] (lines end at \\n here: the checks below look inside one line only)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, text[line_start : line_end if line_end >= 0 else len(text)]


def _in_quoted_sentence(text: str, start: int, end: int) -> bool:
    """Inside a quoted English sentence (four words or more) in running text: an example or a quotation, written
    as it is; not prose to correct."""
    line_start, line = _line_around(text, start, end)
    if "“" not in line and '"' not in line and "「" not in line:
        return False
    for m in _QUOTED.finditer(line):
        if m.start() + line_start < start and end < m.end() + line_start:
            body = next(g for g in m.groups() if g is not None)
            return len(_ENGLISH_WORD.findall(body)) >= 4 and not _HAN.search(body)
    return False


def _python_statement(text: str, start: int, end: int) -> bool:
    """A lowercase name in a Python import written in prose (从 transformers import X, import torch): a module."""
    word = text[start:end]
    if word != word.lower():
        return False
    line_start, line = _line_around(text, start, end)
    before, after = line[: start - line_start], line[end - line_start :]
    return bool(_IMPORT_BEFORE.search(before) or _IMPORT_AFTER.match(after))


def _link_around(text: str, start: int, end: int) -> tuple[str, str] | None:
    """(label, address) of the Markdown link whose text holds [start, end), if one does."""
    line_start, line = _line_around(text, start, end)
    for m in _LINK_AROUND.finditer(line):
        if m.start(1) <= start - line_start and end - line_start <= m.end(1):
            return m.group(1), m.group(2)
    return None


def _link_to_itself(label: str, address: str) -> bool:
    """Link text that is the last part of the link's own address ([gpt2](https://huggingface.co/gpt2)): the name
    of a page or a model id, not prose."""
    label = label.strip().strip("`").lower()
    tail = address.rstrip("/").rsplit("/", 1)[-1].split("#")[0].lower()
    return bool(label) and label == tail


def _linked_title(label: str, address: str) -> bool:
    """Link text of four English words or more, without Chinese, to a web address: the linked page's own title
    ([how to use imgaug with pytorch](https://github.com/…/issues/406)), quoted, not the writer's prose."""
    return (address.startswith(("http://", "https://")) and not _HAN.search(label)
            and len(_ENGLISH_WORD.findall(label)) >= 4)


_TITLE_WORD = re.compile(r"[A-Z][a-z]+|[A-Z]{2,}[a-z]*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z-]*)[ \t]+$")
_WORD_AFTER = re.compile(r"^[ \t]+([A-Za-z][A-Za-z-]*)")
_SMALL_WORDS = frozenset({"of", "for", "and", "the", "a", "an", "in", "on", "with", "to", "via"})


def _in_title_case_name(text: str, start: int, end: int) -> bool:
    """The term is part of a Title Case name of at least three words (a paper's "Gated Attention Pooling Module",
    "Deep Residual Learning for Image Recognition"): a proper name, not prose to correct. Small words (of, for) may
    join the name's words but do not count, and neither does a capitalised sentence opener like In or The."""
    if not text[start:end][:1].isupper():
        return False

    def title_word(word: str) -> bool:
        return bool(_TITLE_WORD.fullmatch(word.split("-")[0])) and word.lower() not in _SMALL_WORDS

    counted = 0
    i, steps = start, 0
    while steps < 6:
        m = _WORD_BEFORE.search(text, max(0, i - 40), i)
        if m is None or not (title_word(m.group(1)) or m.group(1) in _SMALL_WORDS):
            break
        counted += title_word(m.group(1))
        i, steps = m.start(1), steps + 1
    j, steps = end, 0
    while steps < 6:
        m = _WORD_AFTER.match(text[j : j + 40])
        if m is None or not (title_word(m.group(1)) or m.group(1) in _SMALL_WORDS):
            break
        counted += title_word(m.group(1))
        j, steps = j + m.end(1), steps + 1
    return counted >= 1 and counted + len(text[start:end].split()) >= 3


def _sections(text: str, heading: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of each Markdown section whose heading matches, up to the next heading of its level or above."""
    out = []
    for m in heading.finditer(text):
        title = m.group().strip()
        level = len(title) - len(title.lstrip("#"))
        end = len(text)
        for h in _MD_HEADING.finditer(text, m.end()):
            if len(h.group(1)) <= level:
                end = h.start()
                break
        out.append((m.end(), end))
    return out


def _gloss_after_han(masked: str, occ) -> bool:
    """The occurrence is the first thing inside a parenthesis that follows Chinese text: （data instance，…）."""
    i = occ.start - 1
    while i >= 0 and masked[i] in " \x00":
        i -= 1
    if i < 1 or masked[i] not in "（(":
        return False
    return _han_before(masked, i)


_INTRODUCED = re.compile(r"(?:称为|称作|称之为|叫做|叫作|简称为?|又称为?|也称为?|亦称为?|或称为?|被称为|所谓的?)[\s\x00*_“”\"「」]*$")
# of those, the name a thing is given (叫做通用预训练（GPT）: the writer's own rendering, which a rule may still find
# outdated), not another name it also has (也称为, 又称, 或称) or a name quoted (所谓)
PRIMARY_NAME = re.compile(r"(?:(?<![又也亦或])称为|称作|称之为|叫做|叫作)[\s\x00*_“”\"「」]*$")


def _mark_definitional(doc: "DocumentAnalysis", uses: list[Use]) -> None:
    """Two names of one concept joined by a connector (X又称Y, X或Y, X、Y, "X, also known as Y", 称为X而不是Y):
    the sentence is about the names, so neither is a finding. A name introduced as a name (此任务称为*X*, 所谓X)
    is the writer's choice of word at that place, not prose to correct either."""
    occs = doc.occurrences
    masked = doc.prose.masked
    for k, occ in enumerate(occs):
        if _INTRODUCED.search(masked, max(0, occ.start - 8), occ.start):
            uses[k].definitional = True
    ids: list = [None] * len(occs)  # concept ids per occurrence as a set, made once when first compared
    for k in range(1, len(occs)):
        b = occs[k]
        for j in range(k - 1, max(-1, k - 4), -1):  # the previous name, past the other-language names of a gloss
            a = occs[j]
            if b.start - a.end > _CONNECTOR_MAX + 60:
                break
            if ids[k] is None:
                ids[k] = set(b.concept_ids)
            if ids[j] is None:
                ids[j] = set(a.concept_ids)
            if ids[j].isdisjoint(ids[k]) or uses[j].in_gloss:
                continue
            if a.lang != b.lang or ABBREVIATION in (a.form.kind, b.form.kind):
                break  # 批归一化也叫BN defines the abbreviation; it does not contrast two renderings
            gap = _GLOSS_IN_GAP.sub("", masked[a.end : b.start])
            if len(gap) <= _CONNECTOR_MAX and "\x01" not in gap and "\n\n" not in gap and _CONNECTOR.match(gap):
                uses[j].definitional = True
                uses[k].definitional = True
            break


__all__ = ["DEFAULT_USE", "Gloss", "Use", "Structures", "find_glosses", "resolve", "structures", "OPENERS"]

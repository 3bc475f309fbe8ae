"""casing: a name or abbreviation written in the wrong case in prose (relu, Tensorflow, pytorch)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..termbase.model import CODE as CODE_FORM, DEPRECATED
from ..textutil import english_plurals, squeezed
from .base import Context, live, make_finding
from .findings import Applicability, Finding

CODE = "casing"


def findings(ctx: Context, doc, pos: int) -> Iterator[Finding]:
    """One document's findings (the rule reads nothing of the other documents)."""
    formulas = None  # the bodies of the document's formulas, read when a lowercase name first asks
    for occ, _use in live(doc):
        if not occ.miscased:
            continue
        if title_cased(occ.form.text, occ.surface) and (
            not _beside_han(doc.text, occ.start, occ.end) or _NAME_AFTER.match(doc.text, occ.end)
        ):
            continue  # "Bert" in an English sentence, "Bart de Cock": a person's name; beside Chinese, BERT miscased
        if (occ.form.text.isupper() and occ.surface.islower() and _VOWEL.search(occ.surface)
                and _beside_english_word(doc.text, occ.start, occ.end)):
            continue  # "(per hop)", "thank her": an English word, not PER or HER in lowercase (cnn has no vowel)
        listed = _list_items(doc.text, occ.start, occ.end)
        if (_among_operator_names(doc.text, *listed) or _identifier_in_its_line(doc.text, occ)
                or (occ.surface.islower() and _among_lowercase_strings(ctx, listed[0]))):
            continue  # Sigmoid、Relu和MatMul算子, Conv+Relu, |Relu|Loss|Map|, Framework: caffe: identifiers
        correct = _owners_spelling(ctx, _closest_casing(ctx, occ, doc.text))
        if occ.plural:
            correct = (english_plurals(correct) or [correct])[0]
        found = doc.text[occ.start : occ.end]
        correct = recase(found, correct)
        first = correct.split(" ", 1)[0]
        if first.islower() and found.startswith(first.capitalize() + " "):
            # |Leaky Relu|: the writer's capital at the start of a cell or sentence stays (Leaky ReLU, not leaky ReLU)
            correct = correct[:1].upper() + correct[1:]
            if correct == found:
                continue
        if found.islower():
            if _named_by_its_link(doc.text, occ.start, occ.end, found):
                continue  # [基于transformers的…入门](https://github.com/…/learn-nlp-with-transformers): the title's
            if formulas is None:
                formulas = _formula_bodies(doc.text)
            if formulas and _operand_in(formulas, found):
                continue  # PE(pos, 2i) in the formula, then “pos 为 token 的相对位置”: the formula's variable, not POS
        # (a fix that also adds a space, huggingface -> Hugging Face, is the editor's to apply: not only case)
        spaced = squeezed(correct) != correct and squeezed(correct).lower() == squeezed(found).lower() \
            and " " not in found
        yield make_finding(ctx, doc, occ, CODE, correct, correct=correct,
                           applicability=Applicability.UNSAFE if spaced else None)


# a formula: $$…$$, $…$, \(…\), \[…\], an equation environment
_FORMULA = re.compile(r"\$\$(.{1,4000}?)\$\$|\$([^$\n]{1,400}?)\$|\\\((.{1,4000}?)\\\)|\\\[(.{1,4000}?)\\\]"
                      r"|\\begin\{(?:equation|align|gather|multline|eqnarray)\*?\}(.{1,4000}?)\\end\{", re.S)


def _formula_bodies(text: str) -> list[str]:
    if "$" not in text and "\\" not in text:
        return []
    return [body for m in _FORMULA.finditer(text) for body in m.groups() if body]


def _operand_in(formulas: list[str], word: str) -> bool:
    """The formulas use ``word`` as an operand (an argument, a term of a sum: PE(pos, 2i), pos/10000): there it is
    a variable, and the same lowercase word in the prose names it (“pos 为 token 的相对位置”). A function applied
    (relu(x)) or the word alone ($relu$) is not taken for one."""
    pattern = re.compile(r"[(,+\-*/=^_][ \t]*" + re.escape(word) + r"[ \t]*[),+\-*/=^_]")
    return any(pattern.search(body) for body in formulas)


def _closest_casing(ctx: Context, occ, text: str):
    """Of the concept's spellings that differ from the text only in case, one the document itself writes (iou where
    the document writes IOU: IOU), else the one closest to it (LLama-2: Llama, one letter away, not LLaMA, two away;
    the matched form when they are equally close)."""
    concept = ctx.termbase.concepts.get(occ.form.concept_id)
    if concept is None:
        return occ.form
    surface = occ.surface
    candidates = [occ.form] + [f for f in concept.forms
                               if f is not occ.form and f.lang == occ.form.lang and f.status != DEPRECATED
                               and f.text != surface and f.text.lower() == occ.form.text.lower()]
    # (a lowercase or code spelling the text writes is likely its code: import mxnet is no casing for MxNet)
    written = [f for f in candidates if f.text != surface and f.kind != CODE_FORM and not f.text.islower()
               and _has_word(text, f.text)]
    return min(written or candidates, key=lambda f: _case_distance(f.text, surface))


def _has_word(text: str, word: str) -> bool:
    """The word, in exactly this casing, as a word of the text (not inside a longer Latin word or number).
    (A plain substring search, then the two neighbours: a regular expression with lookarounds scans a 200 KB chapter
    in about a millisecond, several times per keystroke.)"""
    if not word:
        return False
    i = text.find(word)
    while i >= 0:
        j = i + len(word)
        if (i == 0 or not _is_alnum_ascii(text[i - 1])) and (j == len(text) or not _is_alnum_ascii(text[j])):
            return True
        i = text.find(word, i + 1)
    return False


def _is_alnum_ascii(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _case_distance(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))


def _owners_spelling(ctx: Context, form) -> str:
    """The casing to write: the form matched, or, when that is a variant of its designation spelled only without the
    head's spaces or hyphens (HuggingFace beside Hugging Face), the head: what the owners write."""
    concept = ctx.termbase.concepts.get(form.concept_id)
    head = concept.designation_head(form.designation, form.lang) if concept is not None else None
    if head is not None and head.text != form.text and squeezed(head.text) == squeezed(form.text):
        return head.text
    return form.text


# a person's name goes on: "Bart de Cock", "Bert Smith" (a particle, then a capitalised word)
_NAME_AFTER = re.compile(r" (?:(?:de|van|von|der|den|di|da|du|la|le|del|dos) )?[A-Z][a-z]+")
_VOWEL = re.compile(r"[aeiouy]")
_WORD_BEFORE = re.compile(r"[A-Za-z]{2,}[ ]$")
_WORD_AFTER = re.compile(r" [A-Za-z]{2,}")


# a list of names: items joined by 、，, 和 与 及 或 + (Conv+Relu); 算子 right after the list (Sigmoid、Relu和MatMul算子),
# or the list given as examples of 算子 (算子（如Add，Mul，Relu等）), makes them a framework's operator names
_LIST_ITEM = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_LIST_JOIN = re.compile(r"[ \t]*(?:[、，,+]|和|与|及|或)[ \t]*")
_LIST_JOIN_BEFORE = re.compile(r"[ \t]*(?:[、，,+]|和|与|及|或)[ \t]*$")
_OPERATOR_AFTER = re.compile(r"[ \t]*(?:等)?(?:算子|操作符|运算符)")
_OPERATOR_BEFORE = re.compile(r"(?:算子|操作符|运算符)[ \t]*[（(，,：:]?[ \t]*(?:如|例如|比如|包括)[ \t]*$")


def _among_operator_names(text: str, items: list[str], i: int, j: int) -> bool:
    """The name is one item of a list of Latin names (``_list_items``: the items, from ``i`` to ``j``) that 算子
    follows or that gives examples of 算子."""
    if len(items) < 2:
        return False
    return _OPERATOR_AFTER.match(text, j) is not None or _OPERATOR_BEFORE.search(text, max(0, i - 12), i) is not None


def _among_lowercase_strings(ctx: Context, items: list[str]) -> bool:
    """The lowercase name is one of a list of three or more lowercase Latin words, of which one is an identifier
    (relu，softplus，hard_sigmoid: a library's option strings) or two are no names the base knows (app、ppl、ple:
    letter trigrams): strings the text quotes, not names in prose. (relu、sigmoid和tanh is still prose.) ``items``:
    the list's (``_list_items``), the name first."""
    if len(items) < 3 or not all(w.islower() and w.isascii() for w in items):
        return False
    others = items[1:]
    if any("_" in w or any(c.isdigit() for c in w) for w in others):
        return True
    return sum(1 for w in others if not ctx.termbase.find_forms(w)) >= 2


def _list_items(text: str, start: int, end: int) -> tuple[list[str], int, int]:
    """The Latin items of the list the name [start, end) is one of (itself first), and where the list starts and
    ends."""
    items = [text[start:end]]
    i = start
    while True:  # items before
        m = _LIST_JOIN_BEFORE.search(text, max(0, i - 6), i)
        if m is None:
            break
        k = m.start()
        b = k
        while b > 0 and (text[b - 1].isascii() and (text[b - 1].isalnum() or text[b - 1] == "_")):
            b -= 1
        if b == k or not text[b].isalpha():
            break
        items.append(text[b:k])
        i = b
    j = end
    while True:  # items after
        m = _LIST_JOIN.match(text, j)
        if m is None:
            break
        n = _LIST_ITEM.match(text, m.end())
        if n is None:
            break
        items.append(n.group())
        j = n.end()
    return items, i, j


_FIELD = re.compile(r"(?:^|[|>])[ \t]*[A-Z][a-z]+:[ \t]")  # Framework: caffe, Download: … (fields of a data row)


_LINK_AFTER = re.compile(r"[^\[\]\n]*\]\(([^()\s]+)\)")


def _named_by_its_link(text: str, start: int, end: int, word: str) -> bool:
    """The lowercase name is inside the title of a linked work whose address spells it so (a project's title,
    [基于transformers的…入门](…/learn-nlp-with-transformers): another's title). A link whose text is the name alone
    ([huggingface](https://github.com/huggingface/…)) is the writer's prose naming it."""
    open_at = text.rfind("[", max(0, start - 200), start)
    if open_at < 0 or "]" in text[open_at:start] or "\n" in text[open_at:start]:
        return False
    m = _LINK_AFTER.match(text, end)
    if m is None or text[open_at + 1 : m.start(1) - 2].strip() == word:
        return False
    return _has_word(m.group(1), word)


def _identifier_in_its_line(text: str, occ) -> bool:
    """The line uses the name as an identifier: joined by + to another name (Conv+Relu, the fused operator), a
    table row of single names (|Relu|Loss|Map|), or a field value in a table row (|Framework: caffe<br />…|)."""
    line_start = text.rfind("\n", 0, occ.start) + 1
    line_end = text.find("\n", occ.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    surface = text[occ.start : occ.end]
    if re.search(r"[A-Za-z0-9]\+" + re.escape(surface) + r"(?![A-Za-z])|(?<![A-Za-z])" + re.escape(surface)
                 + r"\+[A-Za-z]", line):
        return True
    stripped = line.strip()
    if not stripped.startswith("|"):
        return False
    cells = [c.strip() for c in stripped.strip("|").split("|")]
    if stripped.endswith("|") and len(cells) >= 2 and all(_SINGLE_NAME.fullmatch(c) for c in cells if c):
        return True
    # a data row of labelled fields (|<b>alexnet</b><br />Framework: caffe<br />Download: …|): its lowercase
    # names are the data's keys
    return surface.islower() and len(_FIELD.findall(line)) >= 2


_SINGLE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.+-]*")


def _beside_english_word(text: str, start: int, end: int) -> bool:
    return bool(_WORD_BEFORE.search(text[max(0, start - 20):start]) or _WORD_AFTER.match(text, end))


def title_cased(form: str, surface: str) -> bool:
    """An all-capitals name written with only its first letter capital (Bert for BERT)."""
    return form.isupper() and surface == form.capitalize()


def _beside_han(text: str, start: int, end: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t*_`":
        i -= 1
    j = end
    while j < len(text) and text[j] in " \t*_`":
        j += 1
    return (i >= 0 and "\u3400" <= text[i] <= "\u9fff") or (j < len(text) and "\u3400" <= text[j] <= "\u9fff")


def recase(found: str, correct: str) -> str:
    """``correct`` with the writer's own spacing (gelu 函数 -> GELU 函数, not GELU函数): a casing fix changes case only."""
    out: list[str] = []
    j = 0
    for ch in found:
        if j < len(correct) and ch.lower() == correct[j].lower():
            out.append(correct[j])
            j += 1
        elif ch.isspace() and (j == len(correct) or not correct[j].isspace()):
            out.append(ch)
        else:
            return correct
    return "".join(out) if j == len(correct) else correct

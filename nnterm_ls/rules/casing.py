"""casing: a name or abbreviation written in the wrong case in prose (relu, Tensorflow, pytorch)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..textutil import english_plurals
from .base import Context, live, make_finding
from .findings import Finding

CODE = "casing"


def run(ctx: Context) -> Iterator[Finding]:
    for pos, doc in enumerate(ctx.docs):
        yield from findings(ctx, doc, pos)


def findings(ctx: Context, doc, pos: int) -> Iterator[Finding]:
    """One document's findings (the rule reads nothing of the other documents)."""
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
        correct = occ.form.text
        if occ.plural:
            correct = (english_plurals(correct) or [correct])[0]
        correct = recase(doc.text[occ.start : occ.end], correct)
        yield make_finding(ctx, doc, occ, CODE, correct, correct=correct)


# a person's name goes on: "Bart de Cock", "Bert Smith" (a particle, then a capitalised word)
_NAME_AFTER = re.compile(r" (?:(?:de|van|von|der|den|di|da|du|la|le|del|dos) )?[A-Z][a-z]+")
_VOWEL = re.compile(r"[aeiouy]")
_WORD_BEFORE = re.compile(r"[A-Za-z]{2,}[ ]$")
_WORD_AFTER = re.compile(r" [A-Za-z]{2,}")


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

"""What every rule module shares: the context it runs in and the helpers that make findings and fixes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..i18n import ui_lang
from ..match import is_han
from ..termbase.model import CASE_IGNORE
from ..textutil import english_plurals
from .findings import Applicability, Edit, Finding, Fix

if TYPE_CHECKING:
    from ..analysis import DocumentAnalysis
    from ..match import Occurrence
    from ..termbase import TermBase
    from .registry import RuleSet


@dataclass
class Context:
    """A document set being checked: its analyses (with resolved uses), the term base, rules and preferences."""

    termbase: "TermBase"
    rules: "RuleSet"
    preferences: dict[tuple[str, str], str]
    docs: list["DocumentAnalysis"]
    memo: dict = field(default_factory=dict)  # work shared by several rules (computed once per check)
    summaries: list = field(default_factory=list)  # per document: rule code -> its summary (registry.summarize)
    facts: dict = field(default_factory=dict)  # rule code -> what the set decides (registry.decide)
    locale: str = "auto"  # the language of messages: auto (each document's own) | zh | en

    def lang(self, doc: "DocumentAnalysis") -> str:
        """The language a document's messages and fix titles are written in."""
        return ui_lang(doc.lang, self.locale)

    def preferred_text(self, concept_id: str, lang: str) -> str:
        return preferred_text(self.termbase, self.preferences, concept_id, lang)


def live(doc: "DocumentAnalysis"):
    """(occurrence, use) pairs of a document that are prose to check (not code, a reference entry or a title)."""
    for occ, use in zip(doc.occurrences, doc.uses):
        if use.skip is None:
            yield occ, use


def preferred_text(termbase, preferences, concept_id: str, lang: str) -> str:
    chosen = preferences.get((concept_id, lang))
    if chosen:
        return chosen
    return termbase.concepts[concept_id].preferred(lang).text


def make_finding(
    ctx: Context,
    doc: "DocumentAnalysis",
    occ: "Occurrence",
    code: str,
    suggestion: str | None,
    *,
    applicability: Applicability | None = None,
    message_key: str = "message",
    fix_key: str = "fix",
    **values,
) -> Finding:
    """A finding at an occurrence, with the replacement ``suggestion`` as its fix.

    ``applicability`` None: safe unless the edit would drop markup inside the occurrence (``**批量**归一化``).
    """
    found = doc.text[occ.start : occ.end]
    lang = ctx.lang(doc)
    message = ctx.rules.message(code, lang, message_key, found=occ.surface, **values)
    sense = ctx.memo.get("senses", {}).get(id(occ))
    if sense is not None:  # an ambiguous form read in one sense: say why, so the writer can check it
        concept = ctx.termbase.concepts[sense.concept_id]
        # (GPT, both its names: said once)
        named = f"“{concept.zh}”" if concept.zh == concept.en else f"“{concept.zh}”（{concept.en}）"
        if sense.cue and lang == "zh":
            message += f"（此处按{named}理解：同一句中有“{sense.cue}”）"
        elif sense.cue:
            message += f" (read as '{concept.en}': the sentence mentions '{sense.cue}')"
        elif lang == "zh":
            message += f"（此处按{named}理解：{sense.path}:{sense.line} 的注释如此注明）"
        else:
            message += f" (read as '{concept.en}' because {sense.path}:{sense.line} glosses it so)"
    fix = None
    if suggestion is not None and occ.via is None:  # never rewrite a glossary macro into text
        if applicability is None:
            keeps_markup = found.replace("\n", " ") == occ.surface or _only_whitespace_differs(found, occ.surface)
            applicability = Applicability.SAFE if keeps_markup else Applicability.UNSAFE
        title = ctx.rules.fix_title(code, lang, fix_key, found=occ.surface, **values)
        start, end = _overlap(doc.text, occ.start, occ.end, suggestion)
        fix = Fix(title, [Edit(start, end, suggestion)], applicability)
    learned = ctx.memo.get("learned", {}).get((occ.forms[0].concept_id, occ.forms[0].text))
    return Finding(
        learned_from=learned.where if learned is not None else None,
        path=doc.path,
        start=occ.start,
        end=occ.end,
        code=code,
        severity=ctx.rules.severity(code),
        message=message,
        found=found,
        suggestion=suggestion,
        fix=fix,
        concept_id=occ.forms[0].concept_id,
    )


def _overlap(text: str, start: int, end: int, suggestion: str) -> tuple[int, int]:
    """The span a Chinese replacement rewrites: the occurrence, grown over the characters beside it that the
    replacement begins or ends with (多|专家混合模型 -> 多专家模型 rewrites 多专家混合模型, not 多多专家模型)."""
    found = text[start:end]
    for k in range(min(3, len(suggestion) - 1), 0, -1):
        head = suggestion[:k]
        if is_han(head[-1]) and text[max(0, start - k):start] == head and not found.startswith(head):
            start -= k
            break
    for k in range(min(3, len(suggestion) - 1), 0, -1):
        tail = suggestion[-k:]
        if is_han(tail[0]) and text[end:end + k] == tail and not found.endswith(tail):
            end += k
            break
    return start, end


def _only_whitespace_differs(found: str, surface: str) -> bool:
    return "".join(found.split()) == "".join(surface.split()) and not any(c in found for c in "*_`\\{}$<>[]")


_LATIN_HAN = re.compile(r"(?<=[A-Za-z0-9])[ \t]*(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])[ \t]*(?=[A-Za-z0-9])")


def writers_spacing(found: str, text: str) -> str:
    """``text`` with the writer's spacing between Latin and Chinese (GPU 内存 -> GPU 显存, not GPU显存): a space
    where ``found`` has one at such a boundary, none where it has none."""
    boundaries = [m.group(0) for m in _LATIN_HAN.finditer(found)]
    if not boundaries:
        return text
    gap = " " if any(b for b in boundaries) else ""
    return _LATIN_HAN.sub(gap, text)


def replacement(occ: "Occurrence", text: str, lang: str, found: str | None = None) -> str:
    """The replacement for an occurrence, keeping its plural, a capital at the start of a sentence and the writer's
    spacing between Latin and Chinese."""
    if lang != "en":
        return writers_spacing(found if found is not None else occ.surface, text)
    if occ.plural:
        plurals = english_plurals(text)
        text = plurals[0] if plurals else text
    if occ.surface[:1].isupper() and text[:1].islower() and occ.forms[0].case == CASE_IGNORE and not occ.surface.isupper():
        text = text[:1].upper() + text[1:]
    return text

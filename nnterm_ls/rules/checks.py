"""The rules. Each is a plain function from the analysed document set to findings."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..extract.prose import SOFT
from ..match.matcher import Occurrence, is_han
from ..termbase.model import ABBREVIATION, ADMITTED, CASE_IGNORE, DEPRECATED, PREFERRED, TERM
from ..textutil import english_plurals
from .findings import Edit, Finding, Fix, Related

if TYPE_CHECKING:
    from ..analysis import DocumentAnalysis
    from ..termbase import TermBase
    from .registry import RuleSet

OPENERS = {"（": "）", "(": ")"}
_GLOSS_MAX = 120
_HEADING_MD = re.compile(r"^\s{0,3}#")
_HEADING_TEX = re.compile(r"\\(?:part|chapter|section|subsection|subsubsection|paragraph|caption|title)\*?\s*[\[{]")


@dataclass
class Context:
    termbase: "TermBase"
    rules: "RuleSet"
    preferences: dict[tuple[str, str], str]
    docs: list["DocumentAnalysis"]


def preferred_text(termbase, preferences, concept_id: str, lang: str) -> str:
    chosen = preferences.get((concept_id, lang))
    if chosen:
        return chosen
    return termbase.concepts[concept_id].preferred(lang).text


# --------------------------------------------------------------------------------------------------------------
# glosses: 批量归一化（batch normalization，BN） / batch normalization (批量归一化)


def find_glosses(doc: "DocumentAnalysis") -> list[tuple[int, int, int]]:
    """(index of the glossed occurrence, offset of the opening parenthesis, offset after the closing one)."""
    masked = doc.prose.masked
    out: list[tuple[int, int, int]] = []
    n = len(masked)
    for index, occ in enumerate(doc.occurrences):
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
        out.append((index, i, j + 1))
    return out


def _gloss_info(doc: "DocumentAnalysis"):
    """Which occurrences are glosses of a neighbour (exempt from consistency), and which are glossed."""
    in_gloss: set[int] = set()
    glossed: set[int] = set()
    defines_abbr: dict[int, int] = {}  # abbreviation occurrence index -> its definition offset
    occs = doc.occurrences
    starts = [o.start for o in occs]
    from bisect import bisect_left

    for index, open_at, close_at in doc.glosses:
        head = occs[index]
        head_ids = set(head.concept_ids)
        inside = range(bisect_left(starts, open_at), bisect_left(starts, close_at))
        content = doc.text[open_at + 1 : close_at - 1]
        has_other_lang = any(
            (occs[k].lang != head.lang or occs[k].form.kind == ABBREVIATION) and head_ids & set(occs[k].concept_ids)
            for k in inside
        )
        latin_gloss = head.lang == "zh" and re.search(r"[A-Za-z]{2,}", content) is not None
        if has_other_lang or latin_gloss:
            glossed.add(index)
        for k in inside:
            if head_ids & set(occs[k].concept_ids):
                in_gloss.add(k)
                if occs[k].form.kind == ABBREVIATION:
                    defines_abbr[k] = occs[k].start
        # ABBR（full form）: the abbreviation is defined by what follows it
        if head.form.kind == ABBREVIATION and any(
            head_ids & set(occs[k].concept_ids) and occs[k].form.kind != ABBREVIATION for k in inside
        ):
            defines_abbr[index] = head.start
            for k in inside:
                in_gloss.add(k)
    return in_gloss, glossed, defines_abbr


# --------------------------------------------------------------------------------------------------------------


def run_all(ctx: Context) -> Iterator[Finding]:
    info = {doc.path: _gloss_info(doc) for doc in ctx.docs}
    rules = ctx.rules
    if rules.enabled("inconsistent") or rules.enabled("non-preferred"):
        yield from consistency(ctx, info)
    if rules.enabled("deprecated"):
        yield from deprecated(ctx)
    if rules.enabled("casing"):
        yield from casing(ctx)
    if rules.enabled("abbreviation-before-definition"):
        yield from abbreviations(ctx, info)
    if rules.enabled("missing-gloss"):
        yield from missing_gloss(ctx, info)


def _finding(ctx: Context, doc, occ: Occurrence, code: str, suggestion: str | None, **values) -> Finding:
    found = doc.text[occ.start : occ.end]
    message = ctx.rules.message(code, doc.lang, found=occ.surface, **values)
    fix = None
    if suggestion is not None:
        # an occurrence split by markup (**批量**归一化) is fixed only on request: the edit would drop the markup
        safe = found.replace("\n", " ") == occ.surface or _only_whitespace_differs(found, occ.surface)
        fix = Fix(ctx.rules.fix_title(code, found=occ.surface, **values), [Edit(occ.start, occ.end, suggestion)], safe)
    return Finding(
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


def _only_whitespace_differs(found: str, surface: str) -> bool:
    return "".join(found.split()) == "".join(surface.split()) and not any(c in found for c in "*_`\\{}$<>[]")


def _replacement(occ: Occurrence, text: str, lang: str) -> str:
    """The replacement for an occurrence, keeping its plural and a capital at the start of a sentence."""
    if lang != "en":
        return text
    if occ.plural:
        plurals = english_plurals(text)
        text = plurals[0] if plurals else text
    if occ.surface[:1].isupper() and text[:1].islower() and occ.forms[0].case == CASE_IGNORE and not occ.surface.isupper():
        text = text[:1].upper() + text[1:]
    return text


def consistency(ctx: Context, info) -> Iterator[Finding]:
    """inconsistent (several renderings of one concept in one language) and non-preferred (an admitted one)."""
    groups: dict[tuple[str, str], list[tuple[int, "DocumentAnalysis", Occurrence]]] = defaultdict(list)
    order = 0
    for doc in ctx.docs:
        in_gloss, _glossed, _defs = info[doc.path]
        for k, occ in enumerate(doc.occurrences):
            if k in in_gloss or occ.ambiguous or occ.miscased:
                continue
            form = occ.form
            if form.kind != TERM or form.status == DEPRECATED:
                continue
            groups[(form.concept_id, form.lang)].append((order, doc, occ))
            order += 1
    reported: set[tuple[str, int]] = set()
    for (cid, lang), items in groups.items():
        variants: dict[str, list] = defaultdict(list)
        for item in items:
            variants[item[2].variant_key].append(item)
        configured = ctx.preferences.get((cid, lang))
        base_pref = ctx.termbase.concepts[cid].preferred(lang).text
        if not ctx.rules.enabled("inconsistent") or (len(variants) < 2 and configured is None):
            pass
        else:
            kept_key = _kept_variant(variants, configured, base_pref)
            kept_items = variants.get(kept_key, [])
            kept_text = configured or (kept_items[0][2].form.text if kept_items else base_pref)
            if kept_items and kept_items[0][2].form.case != CASE_IGNORE:
                kept_text = kept_items[0][2].form.text
            elif kept_items and configured is None:
                kept_text = _display_variant(kept_items)
            for key, vitems in variants.items():
                if key == kept_key or _elaborates(key, kept_key):
                    continue
                for _o, doc, occ in vitems:
                    f = _finding(ctx, doc, occ, "inconsistent", _replacement(occ, kept_text, lang), kept=kept_text)
                    f.related = [
                        Related(kd.path, ko.start, ko.end, f"'{kept_text}'") for _ko, kd, ko in kept_items[:3]
                    ]
                    reported.add((doc.path, occ.start))
                    yield f
        if ctx.rules.enabled("non-preferred"):
            preferred = configured or base_pref
            for _o, doc, occ in items:
                if (doc.path, occ.start) in reported:
                    continue
                if occ.form.status == ADMITTED and occ.form.text != preferred or (
                    configured and occ.form.text != configured and occ.form.status == PREFERRED
                ):
                    yield _finding(ctx, doc, occ, "non-preferred", _replacement(occ, preferred, lang), preferred=preferred)


def _elaborates(a: str, b: str) -> bool:
    """One rendering contains the other (互相关 / 互相关运算): an elaboration, not a competing rendering."""
    a, b = a.lower(), b.lower()
    if a == b or min(len(a), len(b)) < 2:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if short.isascii():
        # English renderings contain each other word by word only: "batch norm" is not inside "batch normalization"
        return re.search(r"(?<![a-z0-9])" + re.escape(short) + r"(?![a-z0-9])", long) is not None
    return short in long


def _display_variant(items) -> str:
    """The spelling of a variant as written most often (lowercase when sentence-initial capitals vary)."""
    counts = Counter(occ.surface for _o, _d, occ in items)
    text = counts.most_common(1)[0][0]
    form = items[0][2].form
    if form.case == CASE_IGNORE:
        text = text.lower() if not form.text[:1].isupper() else text
        if items[0][2].plural:
            return form.text
    return text


def _kept_variant(variants: dict[str, list], configured: str | None, base_pref: str) -> str:
    if configured is not None:
        from ..textutil import lookup_key

        want = " ".join(lookup_key(configured).split())
        for key in variants:
            if " ".join(key.lower().split()) == want:
                return key
        return "\0configured"  # not used at all: every variant is reported
    pref_key = " ".join(base_pref.lower().replace("-", " ").split())

    def rank(key: str):
        items = variants[key]
        return (-len(items), 0 if key.lower() == pref_key else 1, min(o for o, _d, _occ in items))

    return min(variants, key=rank)


def deprecated(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.docs:
        for occ in doc.occurrences:
            if occ.ambiguous or occ.form.status != DEPRECATED:
                continue
            preferred = preferred_text(ctx.termbase, ctx.preferences, occ.form.concept_id, occ.form.lang)
            yield _finding(ctx, doc, occ, "deprecated", _replacement(occ, preferred, occ.form.lang), preferred=preferred)


def casing(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.docs:
        for occ in doc.occurrences:
            if not occ.miscased:
                continue
            correct = occ.form.text
            if occ.plural:
                correct = (english_plurals(correct) or [correct])[0]
            correct = _recase(doc.text[occ.start : occ.end], correct)
            yield _finding(ctx, doc, occ, "casing", correct, correct=correct)


def _recase(found: str, correct: str) -> str:
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


def _expansion(ctx: Context, cid: str, abbr: str, lang: str) -> str:
    concept = ctx.termbase.concepts[cid]
    if lang == "zh" and concept.zh != concept.en:
        return f"{preferred_text(ctx.termbase, ctx.preferences, cid, 'zh')}（{concept.en}，{abbr}）"
    return f"{preferred_text(ctx.termbase, ctx.preferences, cid, 'en')} ({abbr})"


def abbreviations(ctx: Context, info) -> Iterator[Finding]:
    exempt = set(ctx.rules.extra("abbreviation-before-definition", "exempt", []))
    for doc in ctx.docs:
        _in_gloss, _glossed, defs = info[doc.path]
        first_def: dict[str, int] = {}
        for k, offset in defs.items():
            cid = doc.occurrences[k].form.concept_id
            first_def[cid] = min(offset, first_def.get(cid, offset))
        # an expansion written out before the abbreviation also defines it ("... batch normalization ... BN")
        first_full: dict[str, tuple[int, int]] = {}
        for occ in doc.occurrences:
            if occ.form.kind == TERM and not occ.ambiguous:
                first_full.setdefault(occ.form.concept_id, (occ.start, occ.end))
        reported_never: set[str] = set()
        for k, occ in enumerate(doc.occurrences):
            form = occ.form
            if form.kind != ABBREVIATION or occ.ambiguous or occ.miscased or k in defs:
                continue
            if _in_heading(doc, occ.start):  # a heading names the topic; the text below defines it
                continue
            concept = ctx.termbase.concepts[form.concept_id]
            if form.text in exempt or concept.common:
                continue
            defined_at = first_def.get(concept.id)
            defined_end = defined_at + len(form.text) if defined_at is not None else None
            full = first_full.get(concept.id)
            if full is not None and (defined_at is None or full[0] < defined_at):
                # the expansion written out (without parentheses) defines the abbreviation from there on
                defined_at, defined_end = full
            if defined_at is not None and occ.start > defined_at:
                continue
            if defined_at is None:
                if concept.id in reported_never:
                    continue
                reported_never.add(concept.id)
                key = "message_never"
            else:
                key = "message"
            expansion = _expansion(ctx, concept.id, form.text, doc.lang)
            f = _finding(ctx, doc, occ, "abbreviation-before-definition", expansion, expansion=expansion)
            f.message = ctx.rules.message("abbreviation-before-definition", doc.lang, key, found=occ.surface, expansion=expansion)
            f.fix.safe = False  # rewriting prose around an abbreviation is the writer's call
            if defined_at is not None:
                f.related = [Related(doc.path, defined_at, defined_end, "definition")]
            yield f


def _in_heading(doc, offset: int) -> bool:
    line = doc.lines.line_text(doc.lines.line_of(offset))
    if doc.kind == "markdown":
        return _HEADING_MD.match(line) is not None
    if doc.kind == "latex":
        m = _HEADING_TEX.search(line)
        return m is not None and m.start() <= offset - doc.lines.starts[doc.lines.line_of(offset)]
    return False


def missing_gloss(ctx: Context, info) -> Iterator[Finding]:
    for doc in ctx.docs:
        if doc.lang != "zh":
            continue
        in_gloss, glossed, _defs = info[doc.path]
        seen_en: set[str] = set()
        done: set[str] = set()
        for k, occ in enumerate(doc.occurrences):
            form = occ.form
            cid = form.concept_id
            if occ.ambiguous or cid in done:
                continue
            if form.lang == "en":
                seen_en.add(cid)
                continue
            if form.kind != TERM or k in in_gloss or _in_heading(doc, occ.start):
                continue
            concept = ctx.termbase.concepts[cid]
            if concept.common or concept.zh == concept.en or not any(is_han(c) for c in occ.surface):
                done.add(cid)
                continue
            done.add(cid)
            if k in glossed or cid in seen_en:
                continue
            abbrs = concept.abbreviations
            gloss = f"（{concept.en}，{abbrs[0]}）" if abbrs else f"（{concept.en}）"
            f = _finding(ctx, doc, occ, "missing-gloss", None, gloss=gloss)
            f.suggestion = gloss
            # offered as a quick fix, never applied by fix-all or --fix: it adds text, and fix-all often runs on save
            f.fix = Fix(ctx.rules.fix_title("missing-gloss", gloss=gloss), [Edit(occ.end, occ.end, gloss)], safe=False)
            yield f


__all__ = ["Context", "run_all", "find_glosses", "preferred_text"]

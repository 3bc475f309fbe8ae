"""abbreviation-before-definition: an abbreviation used before its expansion appears, or never expanded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..i18n import t
from ..termbase.model import ABBREVIATION, TERM
from .base import Context, live, make_finding
from .findings import Applicability, Finding, Related

CODE = "abbreviation-before-definition"


def expansion(ctx: Context, cid: str, abbr: str, lang: str) -> str:
    concept = ctx.termbase.concepts[cid]
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


def summarize(ctx: Context, doc) -> Summary:
    exempt = set(ctx.rules.extra(CODE, "exempt", []))
    exempt_categories = set(ctx.rules.extra(CODE, "exempt_categories", []))
    abbr_defined: set[tuple[str, str]] = set()
    first_def: dict[str, tuple[int, int]] = {}
    for occ, use in zip(doc.occurrences, doc.uses):
        if use.defines_abbreviation:
            cid = occ.form.concept_id
            abbr_defined.add((cid, occ.form.text))
            if cid not in first_def or occ.start < first_def[cid][0]:
                # (printed by a glossary macro: the macro's span)
                first_def[cid] = (occ.start, occ.end if occ.via is not None else occ.start + len(occ.form.text))
    # an expansion written out before the abbreviation also defines it ("... batch normalization ... BN")
    for occ, use in zip(doc.occurrences, doc.uses):
        # (a glossary entry's definition is not read where it stands: only where it is printed)
        if occ.form.kind == TERM and not occ.ambiguous and use.skip != "entry":
            cid = occ.form.concept_id
            if cid not in first_def or occ.start < first_def[cid][0]:
                first_def[cid] = (occ.start, occ.end)
    candidates: dict[str, list] = {}
    for occ, use in live(doc):
        form = occ.form
        if form.kind != ABBREVIATION or occ.ambiguous or occ.miscased or use.defines_abbreviation:
            continue
        if use.in_heading:  # a heading names the topic; the text below defines it
            continue
        if _part_of_a_name(doc.text, occ.start, occ.end):
            continue  # ResNet-152, CI/CD: a model's versioned name, a compound of abbreviations
        concept = ctx.termbase.concepts[form.concept_id]
        if form.text in exempt or concept.common or concept.category in exempt_categories:
            continue
        here = first_def.get(concept.id)
        if here is not None and occ.start > here[0]:
            continue
        uses = candidates.setdefault(concept.id, [])
        if all(o.form.text != form.text for o in uses):
            uses.append(occ)
    return Summary(doc.path, doc.order_group, abbr_defined, first_def, candidates)


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
            occ = next((o for o in uses if o.form.text not in self.polysemous or (cid, o.form.text) in abbr_defined), None)
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


def decide(ctx: Context, summaries) -> Facts:
    set_defined = Defined()
    for s in summaries:
        set_defined.add(s)
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
        text = expansion(ctx, occ.form.concept_id, occ.form.text, doc.lang)
        # rewriting prose around an abbreviation is the writer's call: an editor-only fix
        f = make_finding(ctx, doc, occ, CODE, text, applicability=Applicability.UNSAFE, message_key=key,
                         expansion=text)
        if target is not None:
            f.related = [Related(target[0], target[1], target[2], t("related_definition", ctx.lang(doc)))]
        out.append(f)
    return out


def findings(ctx: Context, doc, pos: int) -> list[Finding]:
    return emit(ctx, doc, pos, ctx.summaries[pos][CODE], ctx.facts[CODE])


def run(ctx: Context) -> Iterator[Finding]:
    for pos, doc in enumerate(ctx.docs):
        yield from findings(ctx, doc, pos)


_VERSIONED = re.compile(r"[-‐]?\d")
_SLASH_ABBR = re.compile(r"/[A-Z]{2,}")
_ABBR_SLASH = re.compile(r"[A-Z]{2,}/$")


def _part_of_a_name(text: str, start: int, end: int) -> bool:
    """The abbreviation is part of a longer name: a version number joined to it (ResNet-152, VGG16), or another
    abbreviation joined by a slash (CI/CD, TCP/IP)."""
    after = text[end : end + 4]
    before = text[max(0, start - 4) : start]
    return bool(_VERSIONED.match(after) or _SLASH_ABBR.match(after) or _ABBR_SLASH.search(before))

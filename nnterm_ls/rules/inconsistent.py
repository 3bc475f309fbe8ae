"""inconsistent: one concept rendered in two or more forms of the same language in a document set.

The set's decisions are made from per-document summaries (``summarize``: counts per designation and rendering with
their first uses, the set's term-list entries, every surface written, the spellings of compound words), merged in
reading order (``Merged``) and decided per designation (``decide``); each document's findings are then emitted from
its own analysis and those decisions (``emit``). The language server keeps every document's summary and re-emits a
document only when a decision it reads changed; ``nnterm check`` keeps only the merged summaries between passes.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from operator import itemgetter

from ..i18n import t, verdict
from ..termbase.model import CASE_IGNORE, DEPRECATED, TERM
from ..textutil import lookup_key, squeezed
from .base import Context, live, make_finding, replacement
from .findings import Applicability, Edit, Finding, Fix, Related

CODE = "inconsistent"


# -- what one document contributes ------------------------------------------------------------------------------


@dataclass(slots=True)
class Variant:
    """One rendering of a designation (the uses with one variant key), in one document or merged over the set.
    Reading order (``first``, ``kept3``) is (document position, index among the document's grouped uses)."""

    n: int
    first: tuple
    surfaces: Counter  # surface -> count, in order of first use
    occ: object  # the first use: its form, plural and surface
    kept3: list  # (reading order, path, start, end) of the first three uses
    glossed: bool  # a use carries its own gloss (*Bayes定理*（Bayes' theorem）): the set introduces it

    def placed(self, pos: int) -> "Variant":
        """A copy with the document's position in the set's reading order."""
        return Variant(self.n, (pos, self.first[1]), self.surfaces.copy(), self.occ,
                       [((pos, o[1]), p, s, e) for o, p, s, e in self.kept3], self.glossed)

    def absorb(self, other: "Variant", pos: int) -> None:
        """Add a later document's uses of the same rendering (``self`` is a merged copy, never a summary)."""
        self.n += other.n
        self.surfaces.update(other.surfaces)
        self.glossed = self.glossed or other.glossed
        for o, p, s, e in other.kept3[: 3 - len(self.kept3)]:
            self.kept3.append(((pos, o[1]), p, s, e))


@dataclass(slots=True)
class Summary:
    """What the rule needs of one document to decide for the set."""

    groups: dict  # (concept, language, designation) -> {variant key: Variant}, in order of first use
    glossary: dict  # key -> (form, where, entry key) of its first entry in a term list or a glossary definition
    listed: dict  # key -> the occurrence of its first entry in the document's own term list
    surfaces: Counter  # every surface written in the document's prose (lowercase), all concepts together
    spellings: dict  # closed word -> {spelling: [count, first index]} (see _spelling_findings)
    # key -> the variant keys the document introduces in a definition with a gloss (被称为*活性值*（activations）)
    introduced: dict = field(default_factory=dict)
    # (concept, language) of the deprecated renderings it writes (what the deprecated rule's findings read of the set)
    deprecated: tuple = ()


def grouped(doc) -> Iterator[tuple]:
    """(key, occurrence, use) of the renderings of a document that compete: the forms of one designation (one name
    and its translations); synonyms are other designations."""
    for occ, use in live(doc):
        if use.in_gloss or use.definitional or occ.ambiguous or occ.miscased:
            continue
        form = occ.form
        if form.kind != TERM or form.status == DEPRECATED:
            continue
        yield (form.concept_id, form.lang, form.designation), occ, use


def summarize(ctx: Context, doc, moved=None) -> Summary:
    """``moved``: (the summary of the version the document was edited from, ``rules.moved.Moved``) when its
    occurrences and uses are that version's, moved: the summary is that one, its offsets moved."""
    if moved is not None:
        out = _moved_summary(*moved)
        if out is not None:
            return out
    # one pass over the uses (the server summarises the edited document at every keystroke): the term-list entries,
    # then of the live uses the surfaces, deprecated renderings, introduced renderings and, of those that compete
    # (``grouped``), the variants
    groups: dict[tuple, dict] = {}
    glossary: dict[tuple, tuple] = {}
    listed: dict[tuple, object] = {}
    surfaces: Counter = Counter()
    introduced: dict[tuple, set] = {}
    deprecated: dict[tuple, None] = {}
    path = doc.path
    order = 0
    for occ, use in zip(doc.occurrences, doc.uses):
        skip = use.skip
        forms = occ.forms
        form = forms[0]
        ambiguous = len(forms) > 1 or form.ambiguous
        if skip is not None:
            if (skip == "glossary" or skip == "entry") and not ambiguous and form.kind == TERM:
                key = (form.concept_id, form.lang, form.designation)
                glossary.setdefault(key, (occ.surface, f"{path}:{doc.lines.line_of(occ.start) + 1}", use.entry))
                if skip == "glossary":
                    listed.setdefault(key, occ)
            continue
        surfaces[occ.surface.lower()] += 1
        status = form.status
        if status == DEPRECATED:
            if not ambiguous:
                deprecated[(form.concept_id, form.lang)] = None
            continue  # (neither introduced nor grouped)
        if use.in_gloss or ambiguous or occ.miscased or form.kind != TERM:
            continue
        if use.definitional:
            if use.glossed:
                introduced.setdefault((form.concept_id, form.lang, form.designation), set()).add(occ.variant_key)
            continue
        key = (form.concept_id, form.lang, form.designation)
        variants = groups.get(key)
        if variants is None:
            variants = groups[key] = {}
        variant_key = occ.variant_key
        v = variants.get(variant_key)
        if v is None:
            variants[variant_key] = Variant(1, (0, order), Counter((occ.surface,)), occ,
                                            [((0, order), path, occ.start, occ.end)], use.glossed)
        else:
            v.n += 1
            v.surfaces[occ.surface] += 1
            v.glossed = v.glossed or use.glossed
            if len(v.kept3) < 3:
                v.kept3.append(((0, order), path, occ.start, occ.end))
        order += 1
    spellings: dict[str, dict[str, list]] = {}
    for order, (key, word, _occ, _s, _e, _w) in enumerate(_compound_words(doc)):
        by_spelling = spellings.setdefault(key, {})
        entry = by_spelling.get(word)
        if entry is None:
            by_spelling[word] = [1, order]
        else:
            entry[0] += 1
    return Summary(groups, glossary, listed, surfaces, spellings, introduced, tuple(deprecated))


def _moved_summary(before: Summary, moved) -> Summary | None:
    """``before`` with the offsets of its first uses moved; the designations whose first uses did not move keep their
    variants (the same objects: the set's decision for them is kept without reading them again). None when the
    document has a term list (its entries hold line numbers)."""
    if before.glossary or before.listed:
        return None
    # (a variant's ``occ`` is read for its form, surface and plural, which ``Moved.of`` found the same: a variant
    # whose first uses did not move is kept, though a stage may have made a new object of its first occurrence)
    groups = {}
    for key, variants in before.groups.items():
        if not any(moved.moves(v.kept3[-1][2]) for v in variants.values()):
            groups[key] = variants
            continue
        now = {}
        for k, v in variants.items():
            if not moved.moves(v.kept3[-1][2]):
                now[k] = v
                continue
            kept3 = [(o, p, *moved.span(a, b)) for o, p, a, b in v.kept3]
            occ = moved.occurrence(v.occ) if moved.renewed(v.occ) else v.occ
            now[k] = Variant(v.n, v.first, v.surfaces, occ, kept3, v.glossed)
        groups[key] = now
    return Summary(groups, before.glossary, before.listed, before.surfaces, before.spellings, before.introduced,
                   before.deprecated)


# -- the set: summaries merged in reading order -------------------------------------------------------------------


@dataclass
class Merged:
    groups: dict = field(default_factory=dict)  # key -> {variant key: Variant}, set order
    glossary: dict = field(default_factory=dict)
    listed: dict = field(default_factory=dict)  # key -> (document position, variant key of the entry)
    surfaces: Counter = field(default_factory=Counter)
    spellings: dict = field(default_factory=dict)  # closed word -> {spelling: [count, (position, index)]}
    introduced: dict = field(default_factory=dict)  # key -> the variant keys the set introduces with a definition

    def add(self, pos: int, s: Summary) -> None:
        for key, variants in s.groups.items():
            into = self.groups.get(key)
            if into is None:
                self.groups[key] = {k: v.placed(pos) for k, v in variants.items()}
            else:
                _absorb(into, variants, pos)
        self.surfaces.update(s.surfaces)
        self.add_lists(pos, s)

    def add_lists(self, pos: int, s: Summary) -> None:
        """The term-list entries and compound spellings of a document (all but the groups and surfaces)."""
        for key, value in s.glossary.items():
            self.glossary.setdefault(key, value)
        for key, variant_keys in s.introduced.items():
            self.introduced.setdefault(key, set()).update(variant_keys)
        for key, occ in s.listed.items():
            if key not in self.listed:
                self.listed[key] = (pos, occ)
        for key, by_spelling in s.spellings.items():
            into = self.spellings.setdefault(key, {})
            for word, (n, first) in by_spelling.items():
                have = into.get(word)
                if have is None:
                    into[word] = [n, (pos, first)]
                else:
                    have[0] += n


def _absorb(into: dict, variants: dict, pos: int) -> None:
    for k, v in variants.items():
        have = into.get(k)
        if have is None:
            into[k] = v.placed(pos)
        else:
            have.absorb(v, pos)


def merge(summaries) -> Merged:
    out = Merged()
    for pos, s in enumerate(summaries):
        out.add(pos, s)
    return out


class _Decided:
    """One designation's decision, kept for the next check while its inputs are the same."""

    __slots__ = ("parts", "variants", "extra", "inside", "usage", "report", "entry")


def decide_summaries(ctx: Context, summaries: list[Summary], keep: dict) -> Facts:
    """``decide`` over the documents' summaries, reusing from the previous check of the same set (``keep``) every
    designation whose documents' summaries, term-list entries and counts inside other terms are the same: a
    keystroke decides again only the designations the edited document uses."""
    lexicon = ctx.memo.get("lexicon")
    if keep.get("lexicon") is not lexicon:
        keep.clear()
        keep["lexicon"] = lexicon
    ctx.memo["heads"] = keep.setdefault("heads", {})
    lists_before = keep.get("lists")
    index, lists, changed_pos = _indexed(summaries, keep)
    surface_index, changed_parts = _surface_index(summaries, keep)
    inside_of = _InsideCounts(None, surface_index)
    # a designation no changed document uses, whose counts inside other terms and term-list entries cannot have
    # changed either, keeps its decision without reading anything again (most of them, on a keystroke)
    unchanged = lists is lists_before and changed_parts is not None
    memo: dict = keep.get("groups", {})
    new_memo: dict = {}
    usage, reports, entries = {}, {}, {}

    def record(key, hit) -> None:
        new_memo[key] = hit
        usage[key] = hit.usage
        if hit.report is not None:
            reports[key] = hit.report
        if hit.entry is not None:
            entries[key] = hit.entry

    for key, parts in index.items():
        hit = memo.get(key)
        if unchanged and hit is not None and hit.parts is parts and changed_parts.isdisjoint(hit.variants):
            record(key, hit)
            continue
        variants = None
        same = False
        if hit is not None and hit.parts is parts:
            same, variants = True, hit.variants  # (the index kept the list: no document of it changed)
        elif hit is not None and len(hit.parts) == len(parts):
            if changed_pos is not None:  # (the list differs from the previous check's at those positions only)
                changed = [i for i in (bisect_left(parts, pos, key=_position) for pos in changed_pos)
                           if i < len(parts) and (hit.parts[i][1] is not parts[i][1] or hit.parts[i][0] != parts[i][0])]
            else:
                changed = [i for i, (a, b) in enumerate(zip(hit.parts, parts)) if a[1] is not b[1] or a[0] != b[0]]
            same = not changed
            if same:
                variants = hit.variants
            elif len(changed) == 1 and hit.parts[changed[0]][0] == parts[changed[0]][0]:
                i = changed[0]
                variants = _replaced(hit.variants, hit.parts[i][1], parts[i][1], parts[i][0])
        if variants is None:
            pos0, first = parts[0]
            variants = {k: v.placed(pos0) for k, v in first.items()}
            for pos, more in parts[1:]:
                _absorb(variants, more, pos)
        extra = (lists.glossary.get(key), lists.listed.get(key), lists.introduced.get(key))
        inside = inside_of(variants)
        if hit is not None and not same and hit.extra == extra and hit.inside == inside and hit.variants == variants:
            same = True  # an edit that changed nothing this designation's decision reads (counts, first uses)
            hit.parts, hit.variants = parts, variants
        if not (same and hit.extra == extra and hit.inside == inside):
            hit = _Decided()
            hit.parts, hit.variants, hit.extra, hit.inside = parts, variants, extra, inside
            hit.usage = _usage_of(ctx, key, variants)
            hit.report, hit.entry = _decide_group(ctx, key, variants, lists, inside_of, hit.usage)
        record(key, hit)
    keep["groups"] = new_memo
    before = keep.get("reports")
    keep["reports"] = reports
    prescribed = _prescribed(lists.glossary)
    if keep.get("prescribed") == prescribed:
        prescribed = keep["prescribed"]  # (the same object while unchanged: documents' dependencies compare fast)
    keep["prescribed"] = prescribed
    facts = Facts(usage, reports, entries, _decide_spellings(lists.spellings), prescribed)
    facts.merged_groups = lambda: {key: d.variants for key, d in new_memo.items()}
    if before is not None:  # what ``depends`` may take from the previous check: the designations decided otherwise
        facts.changed_reports = [k for k in before.keys() | reports.keys() if before.get(k) is not reports.get(k)]
        facts.depends_before, facts.depends_now = keep.get("depends", {}), {}
        keep["depends"] = facts.depends_now
    return facts


def _replaced(merged: dict, old: dict, new: dict, pos: int) -> dict | None:
    """The merged variants of a designation with one document's part ``old`` (at ``pos``) replaced by ``new``, or
    None when that cannot be told without merging every part again (the renderings or their spellings differ in
    kind or order, a gloss appears or goes, the document holds a different number of the first three uses)."""
    if list(old) != list(new):
        return None
    out = {}
    for k, m in merged.items():
        o = old.get(k)
        if o is None:
            out[k] = m
            continue
        n = new[k]
        if (o.glossed and not n.glossed) or list(o.surfaces) != list(n.surfaces) or len(o.kept3) != len(n.kept3):
            return None
        here = m.first[0] == pos  # the rendering's first use is in this document
        surfaces = m.surfaces.copy()
        for surface, count in n.surfaces.items():
            surfaces[surface] += count - o.surfaces[surface]
        kept3 = ([e for e in m.kept3 if e[0][0] < pos] + [((pos, e[0][1]), *e[1:]) for e in n.kept3]
                 + [e for e in m.kept3 if e[0][0] > pos])[:3]
        out[k] = Variant(m.n - o.n + n.n, (pos, n.first[1]) if here else m.first, surfaces, n.occ if here else m.occ,
                         kept3, m.glossed or n.glossed)
    return out


def _indexed(summaries: list[Summary], keep: dict) -> tuple[dict[tuple, list], Merged, list | None]:
    """designation -> [(document position, its variants)] in reading order, and the set's term lists and compound
    spellings: updated from the previous check's where only a few documents' summaries changed (a keystroke: the
    edited one), instead of walking every summary of the set again; and the positions whose summaries changed
    (None: indexed afresh, every position may differ)."""
    before: list | None = keep.get("indexed")
    index: dict[tuple, list] | None = None
    changed: list | None = None
    if before is not None and len(before) == len(summaries):
        changed = [pos for pos, (a, b) in enumerate(zip(before, summaries)) if a is not b]
        if len(changed) <= 4:
            index = keep["index"]
            # (a designation's list is replaced, never changed in place: the previous decisions hold the old one and
            # compare it with the new)
            for pos in changed:
                now_groups = summaries[pos].groups
                for key in before[pos].groups:
                    if key in now_groups:
                        continue  # (replaced below)
                    parts = index[key]
                    at = bisect_left(parts, pos, key=_position)
                    parts = parts[:at] + parts[at + 1:]
                    if parts:
                        index[key] = parts
                    else:
                        del index[key]
                then_groups = before[pos].groups
                for key, variants in now_groups.items():
                    if then_groups.get(key) is variants:
                        continue  # (the same variants: an edit that moved none of this designation's first uses)
                    parts = index.get(key)
                    if parts is None:
                        index[key] = [(pos, variants)]
                        continue
                    at = bisect_left(parts, pos, key=_position)
                    if at < len(parts) and parts[at][0] == pos:
                        parts = parts.copy()
                        parts[at] = (pos, variants)
                        index[key] = parts
                    else:
                        index[key] = parts[:at] + [(pos, variants)] + parts[at:]
            lists = keep["lists"]
            if any(_lists_of(before[pos]) != _lists_of(summaries[pos]) for pos in changed):
                lists = None
    if index is None:
        index, changed = {}, None
        for pos, s in enumerate(summaries):
            for key, variants in s.groups.items():
                parts = index.get(key)
                if parts is None:
                    index[key] = [(pos, variants)]
                else:
                    parts.append((pos, variants))
        lists = None
    if lists is None:
        lists = Merged()
        for pos, s in enumerate(summaries):
            if s.glossary or s.listed or s.spellings or s.introduced:
                lists.add_lists(pos, s)
    keep["indexed"], keep["index"], keep["lists"] = list(summaries), index, lists
    return index, lists, changed


_position = itemgetter(0)


def _lists_of(s: Summary) -> tuple:
    """What a summary adds to the set's lists (a term list's entry compared by its place in the text)."""
    return (s.glossary, {k: (o.start, o.end, o.surface, o.form) for k, o in s.listed.items()}, s.spellings,
            s.introduced)


def _surface_index(summaries: list[Summary], keep: dict) -> tuple[dict[str, int], set | None]:
    """The substring counts of the set's surfaces (``_substring_counts``), updated from the previous check's by the
    documents whose summaries changed, and the substrings whose counts changed (None: counted afresh)."""
    before: dict = keep.get("surfaces", {})
    now = {id(s.surfaces): s.surfaces for s in summaries}
    index = keep.get("surface_index")
    changed: set | None = set()
    if index is None or len(set(now) ^ set(before)) > len(now) // 2:
        total: Counter = Counter()
        for c in now.values():
            total.update(c)
        index = _substring_counts(total)
        changed = None
    else:
        delta: Counter = Counter()
        for k in set(before) - set(now):
            delta.subtract(before[k])
        for k in set(now) - set(before):
            delta.update(now[k])
        for surface, d in delta.items():
            if d and _HAN_CHAR.search(surface):
                for part in _parts(surface):
                    index[part] = index.get(part, 0) + d
                    changed.add(part)
    keep["surfaces"], keep["surface_index"] = now, index
    return index, changed


@dataclass(frozen=True)
class Report:
    """What the set decides for a designation whose rivals are reported: every use of a rival rendering gets one
    finding saying this."""

    rivals: frozenset
    lang: str
    kept_text: str
    message_key: str
    fix_key: str
    counts: str
    within: str
    glossary: str
    macro: str | None
    recommended: str
    used: tuple
    related: tuple  # (path, start, end) of the first uses of the kept rendering
    # the fix is the editor's to apply, never --fix's: the set does not settle which rendering to keep (a tie, or a
    # term list against the text's own majority)
    by_hand: bool = False
    # the rivals whose fix is the editor's alone: the rendering the term base recommends, or one the set introduces
    # in a definition, outvoted by the text's majority by less than six to one (the writer chooses)
    recommended_rivals: frozenset = frozenset()
    # the rivals the kept rendering does not outnumber clearly: it leads only by its uses inside other terms, or,
    # chosen by the counts alone, by less than _CLEAR_MAJORITY to one. Which of the two the set writes is not
    # settled, so the editor offers the fix and --fix leaves it
    close_rivals: frozenset = frozenset()


@dataclass(frozen=True)
class ListEntry:
    """The set's own term list renders a concept one way and its text another: reported at the list entry."""

    pos: int
    kept_text: str
    recommended: str
    used: tuple
    related: tuple


@dataclass
class Facts:
    usage: dict  # key -> (recommended, [(rendering, count)]): see ``usage``
    reports: dict  # key -> Report
    entries: dict  # key -> ListEntry
    spellings: dict  # closed word -> (kept spelling, counts text), for words spelled two ways
    # the renderings the set's own term lists give (key -> surface of the first entry): the deprecated rule leaves a
    # form the set itself prescribes alone (ai-system-zh's 术语表 gives 变换器 for Transformer)
    prescribed: frozenset = frozenset()
    # decide_summaries: the designations whose report is not the previous check's object, and ``depends``'s results
    # of that check and of this one (by summary), so that an unchanged document's are not gathered again
    changed_reports: list | None = None
    depends_before: dict = field(default_factory=dict)
    depends_now: dict = field(default_factory=dict)

    def written(self, cid: str, lang: str, designations) -> list[str]:
        """The renderings of a concept the set writes in a language, all its designations together (from
        ``usage``; ``designations``: the concept's, as the term base the rules read has them)."""
        out = []
        for designation in designations:
            found = self.usage.get((cid, lang, designation))
            if found is not None:
                out.extend(text for text, n in found[1] if n)
        return out


def decide(ctx: Context, merged: Merged) -> Facts:
    usage, reports, entries = {}, {}, {}
    inside_of = _InsideCounts(merged.surfaces)
    for key, variants in merged.groups.items():
        usage[key] = _usage_of(ctx, key, variants)
        report, entry = _decide_group(ctx, key, variants, merged, inside_of, usage[key])
        if report is not None:
            reports[key] = report
        if entry is not None:
            entries[key] = entry
    return Facts(usage, reports, entries, _decide_spellings(merged.spellings), _prescribed(merged.glossary))


def _prescribed(glossary: dict) -> frozenset:
    """(concept, language, surface) of every rendering the set's term lists give."""
    return frozenset((key[0], key[1], value[0]) for key, value in glossary.items())


def _usage_of(ctx: Context, key, variants: dict) -> tuple:
    """(the recommended rendering: configured, else the term base's; the renderings the set uses with their counts,
    most used first). What the inconsistency messages and the hover say (``i18n.verdict``)."""
    cid, lang, designation = key
    head = _designation_head(ctx, cid, designation, lang)
    first = next(iter(variants.values()))  # the group's first use is its first rendering's
    recommended = configured_for(ctx, cid, lang, designation) or (head.text if head is not None else first.occ.form.text)
    rec_key = " ".join(lookup_key(recommended).split())
    # most used first; in a tie the recommended one, then the first used
    used = sorted(((_display_variant(v), v.n, (" ".join(k.lower().split()) != rec_key, v.first)) for k, v in variants.items()),
                  key=lambda u: (-u[1], u[2]))
    return (recommended, [(text, n) for text, n, _first in used])


def usage(ctx: Context) -> dict[tuple[str, str, str], tuple[str, list[tuple[str, int]]]]:
    """(concept, language, designation) -> (recommended rendering, [(rendering, count)]) of the last decided set
    (``Engine.check`` keeps it for the editor)."""
    facts = ctx.facts.get(CODE)
    return facts.usage if facts is not None else {}


# --fix follows the text's majority against the base's recommended rendering only when the majority is written at
# least this many times as often (on the tuned corpora every such fix below 6 to 1 that was judged harmful sat at
# 5 to 1 or less)
_OUTVOTED_FAR = 6
# --fix rewrites a rival to a kept rendering that only the text's counts choose (not the base's recommendation, not
# a configuration or term list) only when the kept one is written at least this many times as often: below that the
# direction is a guess (easy-rl: 蒙特卡罗 over 蒙特卡洛 by counting uses inside longer terms; the editor offers it)
_CLEAR_MAJORITY = 3
_LIST_FOLLOWED = 4  # a term list's form decides when the text writes it at least a quarter as often as its most used


def _decide_group(ctx: Context, key, variants: dict, merged: Merged, inside_of, used_by) -> tuple:
    cid, lang, designation = key
    report = entry_facts = None
    configured = configured_for(ctx, cid, lang, designation)
    # a term list the set contains (Textbook/术语表.md, a 术语表 section) decides, like a configuration would;
    # so does a LaTeX glossary entry (its name is what \gls prints), even where no macro prints it yet
    from_glossary = entry_key = None
    if configured is None and key in merged.glossary:
        listed, where, entry_key = merged.glossary[key]
        listed_key = " ".join(lookup_key(listed).split())
        in_text = [v.n for k, v in variants.items() if " ".join(k.lower().split()) == listed_key]
        # the list decides where the text follows it; a form the text writes once against fifteen times another
        # (ai-system-zh's 知识精炼 against 知识蒸馏) is the list's slip, and the text's own majority stands
        followed = bool(in_text) and _LIST_FOLLOWED * sum(in_text) >= max(v.n for v in variants.values())
        if entry_key is not None or followed:
            configured, from_glossary = listed, where
    entry = merged.listed.get(key)
    if (entry is not None and lang == "zh" and from_glossary is None
            and configured_for(ctx, cid, lang, designation) is None and entry[1].variant_key not in variants):
        entry_facts = _list_entry(ctx, entry, variants, used_by, cid, designation, inside_of)
    if len(variants) < 2 and configured is None:
        return None, entry_facts
    head = _designation_head(ctx, cid, designation, lang)
    first = next(iter(variants.values()))
    base_pref = head.text if head is not None else first.occ.form.text
    inside = inside_of(variants)
    kept_key = _kept_variant(variants, configured, base_pref, inside)
    infixes = ctx.rules.extra(CODE, "short_form_infixes", [])
    kept = variants.get(kept_key)
    kept_text = configured or (kept.occ.form.text if kept is not None else base_pref)
    if kept is not None and kept.occ.form.case != CASE_IGNORE:
        kept_text = kept.occ.form.text
        if configured is None and (shown := _display_variant(kept)) != kept_text and shown.lower() == kept_text.lower():
            # the set's majority writes the name in another accepted casing (easy-rl: Bellman Optimality Equation
            # ×9 against Bellman optimality equation ×3): that is the rendering kept and what a rival is rewritten
            # to, not the base's spelling, which the rival may be (a warning whose fix wrote the text it flagged)
            kept_text = shown
    elif kept is not None and configured is None:
        kept_text = _display_variant(kept)
    kept_surface = kept.occ.surface if kept is not None else kept_text
    kept_n = kept.n if kept is not None else 0
    rivals = [k for k in variants
              if not (k == kept_key or _elaborates(k, kept_key) or _short_form(k, kept_key, infixes)
                      or _abbreviated(variants[k].occ.surface, kept_surface))]
    # the message says why the kept form is kept: configured, or the counts (a tie is said to be one)
    counts = [(kept_text, kept_n)] + sorted(
        ((_display_variant(variants[k]), variants[k].n) for k in rivals), key=lambda c: -c[1])
    sep = "，" if lang == "zh" else ", "
    counts_text = sep.join(f"{text} ×{n}" for text, n in counts)
    # the uses inside the set's other terms count too; the message shows them when they are part of the choice
    within = [(text, inside.get(k, 0)) for text, k in zip([kept_text] + [_display_variant(variants[k]) for k in rivals],
                                                         [kept_key] + rivals)]
    within_text = ""
    if any(n for _t, n in within):
        within_text = ("（在其他术语中：" if lang == "zh" else " (inside other terms: ") + sep.join(
            f"{text} ×{n}" for text, n in within) + ("）" if lang == "zh" else ")")
    kept_total = kept_n + inside.get(kept_key, 0)
    entry_macro = _entry_macro(ctx, entry_key) if entry_key is not None else None
    fix_key = "fix"
    if entry_macro is not None:
        message_key = "message_entry"
    elif from_glossary is not None:
        message_key, fix_key = "message_glossary", "fix_glossary"
    elif configured is not None:
        message_key, fix_key = "message_configured", "fix_configured"
    elif any(variants[k].n + inside.get(k, 0) == kept_total for k in rivals):
        message_key = "message_tie"
    else:
        message_key = "message"
    recommended, used = used_by
    if fix_key == "fix" and " ".join(lookup_key(kept_text).split()) == " ".join(lookup_key(recommended).split()):
        fix_key = "fix_recommended"  # the set's choice and the base's agree: said as the base's
    if rivals:
        related = tuple(k[1:] for k in kept.kept3) if kept is not None else ()
        outvoted = from_glossary is not None and any(variants[k].n + inside.get(k, 0) > kept_total for k in rivals)
        rec_key = " ".join(lookup_key(recommended).split())
        # a rendering with a claim of its own, the base's recommendation or the set's own definition (被称为*活性值*
        # （activations）), is the writer's to give up, unless the text writes its form many times as often: then it
        # has settled the matter (d2l-zh-v1's 正向传播 ×19 against 前向传播 ×1)
        introduced = merged.introduced.get(key, ())
        against = frozenset(k for k in rivals if (" ".join(k.lower().split()) == rec_key or k in introduced)
                            and kept_n < _OUTVOTED_FAR * variants[k].n) if configured is None else frozenset()
        report = Report(frozenset(rivals), lang, kept_text, message_key, fix_key, counts_text, within_text,
                        from_glossary or "", entry_macro, recommended, tuple(used), related,
                        message_key == "message_tie" or outvoted, against,
                        frozenset(k for k in rivals if configured is None and (
                            variants[k].n >= kept_n  # (a lead only from uses inside other terms settles nothing)
                            or fix_key != "fix_recommended"
                            and _CLEAR_MAJORITY * (variants[k].n + inside.get(k, 0)) > kept_total)))
    return report, entry_facts


def _list_entry(ctx: Context, entry, variants, usage_of, cid: str, designation: str, inside_of) -> ListEntry | None:
    """The set's own term list renders a concept one way and its text, always, another (denotation: 直接偏好微调;
    every chapter: 直接偏好优化): the list entry is what an editor changes, by hand. Not when the list's form only
    elaborates, shortens or abbreviates the text's (混合专家模型 / 混合专家)."""
    pos, occ = entry
    head = _designation_head(ctx, cid, designation, occ.form.lang)
    base_pref = head.text if head is not None else occ.form.text
    kept_key = _kept_variant(variants, None, base_pref, inside_of(variants))
    kept = variants[kept_key]
    kept_text = _display_variant(kept)
    infixes = ctx.rules.extra(CODE, "short_form_infixes", [])
    if (_elaborates(occ.variant_key, kept_key) or _short_form(occ.variant_key, kept_key, infixes)
            or _abbreviated(occ.surface, kept.occ.surface)):
        return None
    recommended, used = usage_of
    return ListEntry(pos, kept_text, recommended, tuple(used), tuple(k[1:] for k in kept.kept3))


def _decide_spellings(spellings: dict) -> dict:
    """A word shared by several compound terms, spelled two ways across them (mini-batch SGD, the mini-batch size,
    the minibatch size): one spelling inconsistency, though the phrases are three concepts. Only words that some
    term of the set writes hyphenated count; each spelling is looked for inside the set's English term occurrences."""
    out = {}
    for key, by_spelling in spellings.items():
        hyphenated = [w for w in by_spelling if "-" in w]
        if not hyphenated or len(by_spelling) < 2:
            continue
        candidates = by_spelling
        kept = min(candidates, key=lambda w: (-candidates[w][0], candidates[w][1]))
        counts = "，".join(f"{w} ×{c[0]}" for w, c in sorted(candidates.items(), key=lambda kv: -kv[1][0]))
        out[key] = (kept, counts)
    return out


# -- one document's findings ----------------------------------------------------------------------------------


def depends(ctx: Context, facts: Facts, pos: int, s: Summary) -> tuple:
    """The set's decisions a document's findings read (the server re-emits a document when this changes)."""
    reports = facts.reports
    entries = tuple(e for k, e in facts.entries.items() if e.pos == pos and k in s.listed) if facts.entries else ()
    spellings = facts.spellings
    groups = s.groups
    changed = facts.changed_reports
    hit = facts.depends_before.get(id(s)) if changed is not None else None
    if hit is not None and hit[0] is s and not any(k in groups for k in changed):
        decided = hit[1]  # the same summary, and none of its designations decided otherwise: the same reports
    else:
        decided = tuple(reports.get(k) for k in groups)
    if changed is not None:
        facts.depends_now[id(s)] = (s, decided)
    return (decided, entries, tuple(spellings.get(k) for k in s.spellings) if spellings else ())


def emit(ctx: Context, doc, pos: int, s: Summary, facts: Facts) -> list[Finding]:
    out: list[Finding] = []
    ui = ctx.lang(doc)
    for key, e in facts.entries.items():
        if e.pos != pos or key not in s.listed:
            continue
        occ = s.listed[key]
        f = make_finding(ctx, doc, occ, CODE, replacement(occ, e.kept_text, occ.form.lang, doc.text[occ.start : occ.end]),
                         applicability=Applicability.UNSAFE, message_key="message_list_entry", kept=e.kept_text,
                         counts="", glossary="", macro="", verdict=verdict(e.recommended, list(e.used), ui))
        f.related = [Related(p, a, b, t("related_kept", ui, kept=e.kept_text)) for p, a, b in e.related]
        out.append(f)
    reports = facts.reports
    if any(reports.get(k) is not None for k in s.groups):
        for key, occ, use in grouped(doc):
            r = reports.get(key)
            if r is None or occ.variant_key not in r.rivals:
                continue
            # rewritten only by hand: a head the writer glosses (where a term is introduced), any rival where the
            # set does not settle which rendering to keep (Report.by_hand), and the base's recommended rendering
            # where the text's majority is another
            by_hand = (use.glossed or r.by_hand or occ.variant_key in r.recommended_rivals
                       or occ.variant_key in r.close_rivals
                       or (r.lang == "zh" and _drops_english(occ.surface, r.kept_text)))
            applicability = Applicability.UNSAFE if by_hand else None
            kept_text = _with_rivals_tail(ctx, occ, r.kept_text)
            f = make_finding(ctx, doc, occ, CODE, replacement(occ, kept_text, r.lang, doc.text[occ.start : occ.end]),
                             applicability=applicability, message_key=r.message_key, fix_key=r.fix_key,
                             kept=r.kept_text, counts=r.counts, glossary=r.glossary, macro=r.macro or "",
                             verdict=verdict(r.recommended, list(r.used), ui))
            if r.within:
                f.message += r.within
            if r.macro is not None and occ.via is None:
                # the thesis defines the term once: the editor offers to print it through the entry
                f.suggestion = r.macro
                f.fix = Fix(ctx.rules.extra(CODE, "fix_entry").format(macro=r.macro),
                            [Edit(occ.start, occ.end, r.macro)], Applicability.UNSAFE)
            f.related = [Related(p, a, b, t("related_kept", ui, kept=r.kept_text)) for p, a, b in r.related]
            out.append(f)
    if facts.spellings and any(k in facts.spellings for k in s.spellings):
        out.extend(_spelling_findings(ctx, doc, facts.spellings, {f.start for f in out}))
    return out


# a hyphenated word of two lowercase parts, or a closed word long enough to be its closed spelling
_COMPOUND = re.compile(r"(?<![A-Za-z0-9-])(?:[A-Za-z][a-z]+-[a-z]{2,}|[A-Za-z][a-z]{4,})(?![A-Za-z0-9-])")


def _compound_words(doc) -> Iterator[tuple]:
    """(closed key, spelling, occurrence, start, end, as written) of every word of the document's English term
    occurrences that could be a compound's spelling."""
    for occ, use in live(doc):
        if occ.lang != "en" or use.in_gloss or use.definitional or occ.miscased or not occ.surface.isascii():
            continue
        source = doc.text[occ.start : occ.end]
        for m in _COMPOUND.finditer(source):
            word = m.group(0)
            key = word.replace("-", "").replace(" ", "").lower()
            yield key, word.lower(), occ, occ.start + m.start(), occ.start + m.end(), word


def _spelling_findings(ctx: Context, doc, decided: dict, reported_at: set) -> list[Finding]:
    out: list[Finding] = []
    for key, word, occ, start, end, written in _compound_words(doc):
        found = decided.get(key)
        if found is None or word == found[0]:
            continue
        kept, counts = found
        if occ.start in reported_at:
            continue  # the term's own designation already reports this occurrence
        text = kept[:1].upper() + kept[1:] if written[:1].isupper() else kept
        part = replace(occ, start=start, end=end, surface=written)
        sep = "，" if doc.lang == "zh" else ", "
        out.append(make_finding(ctx, doc, part, CODE, text, message_key="message_spelling", kept=kept,
                                counts=counts.replace("，", sep), glossary=""))
    return out


def _entry_macro(ctx: Context, key: str) -> str | None:
    """The macro that prints a glossary entry's rendering: \\gls for an entry, the long form of an acronym."""
    glossary = ctx.memo.get("glossary")
    defined = glossary.entries.get(key) if glossary is not None else None
    if defined is None:
        return None
    kind = defined.entry.kind
    name = {"entry": "gls", "acronym": "acrlong", "abbreviation": "glsxtrlong", "acro": "acl"}[kind]
    return f"\\{name}{{{key}}}"


def _designation_head(ctx: Context, cid: str, designation: str, lang: str):
    """``Concept.designation_head``, remembered for the check (and, through ``ctx.memo["heads"]``, for as long as
    the caller keeps the same term base)."""
    heads = ctx.memo.setdefault("heads", {})
    key = (cid, designation, lang)
    if key not in heads:
        heads[key] = ctx.termbase.concepts[cid].designation_head(designation, lang)
    return heads[key]


def configured_for(ctx: Context, cid: str, lang: str, designation: str) -> str | None:
    """The configured preferred rendering of a concept, if it renders this designation (a preference for 高斯分布
    says nothing about the synonym 正态分布)."""
    configured = ctx.preferences.get((cid, lang))
    if configured is None:
        return None
    owner = next((f.designation for f in ctx.termbase.find_forms(configured) if f.concept_id == cid), "")
    return configured if owner == designation else None


_DERIVATIONS = ("ization", "isation", "ation", "ing", "ed", "er", "ion", "al")


def _derived(a: str, b: str) -> bool:
    """Two words of one family (tokenize / tokenization, fit / fitting, broadcast / broadcasting): a verb and its
    noun are different words, not two spellings of one name."""
    if not (a.isascii() and b.isascii()) or " " in a.strip() or " " in b.strip():
        a_last, b_last = a.split()[-1:] or [""], b.split()[-1:] or [""]
        if a.split()[:-1] != b.split()[:-1]:
            return False
        a, b = a_last[0], b_last[0]
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    stems = {short, short.rstrip("e"), short[:-1] if short.endswith("y") else short}
    stems |= {st[:-3] + "is" for st in list(stems) if st.endswith("ize")} | {st[:-3] for st in list(stems) if st.endswith("ize")}
    if len(short) < 3:
        return False
    for stem in stems:
        rest = long[len(stem):] if long.startswith(stem) else None
        if rest and (rest in _DERIVATIONS or rest.lstrip(stem[-1:]) in _DERIVATIONS or rest in ("ation", "ization")):
            return True
    return False


def _elaborates(a: str, b: str) -> bool:
    """One rendering contains the other (互相关 / 互相关运算): an elaboration, not a competing rendering."""
    a, b = a.lower(), b.lower()
    if a == b or min(len(a), len(b)) < 2:
        return False
    if a.isascii() and b.isascii() and _derived(a, b):
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if short.isascii():
        # English renderings contain each other word by word only: "batch norm" is not inside "batch normalization"
        return re.search(r"(?<![a-z0-9])" + re.escape(short) + r"(?![a-z0-9])", long) is not None
    return short in long


_ABBR_IN_FORM = re.compile(r"[A-Z][A-Z0-9]{1,}")
_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")


def _abbreviated(a: str, b: str) -> bool:
    """One rendering writes part of the name as its abbreviation (双向LSTM / 双向长短期记忆网络, GPU显存, mini-batch
    SGD / minibatch stochastic gradient descent): a short form, not a rival translation."""
    if bool(_ABBR_IN_FORM.search(a)) == bool(_ABBR_IN_FORM.search(b)):
        return False
    if _HAN_CHAR.search(a) and _HAN_CHAR.search(b):
        return True
    # mini-batch SGD / minibatch stochastic gradient descent: a phrase with an abbreviated word in it and the full one
    return a.isascii() and b.isascii() and " " in a.strip() and " " in b.strip()


def _short_form(a: str, b: str, infixes) -> bool:
    """One rendering is the other with a semantic infix left out (训练集 / 训练数据集, 卷积网络 / 卷积神经网络): both
    are standard names of the concept, not rival translations. The infixes are data (data/rules.yaml)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    for infix in infixes:
        i = long.find(infix)
        while i > 0:
            if long[:i] + long[i + len(infix):] == short:
                return True
            i = long.find(infix, i + 1)
    return False


_count_of = itemgetter(1)


_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z-]{2,}")


def _drops_english(surface: str, kept: str) -> bool:
    """A rival that writes an English name inside Chinese (Q-learning算法) rewritten to a rendering without it (Q学习):
    whether the writer keeps the English name is a choice of style the set's Chinese counts do not see (easy-rl
    writes Q-learning 49 times), so the rewrite is offered, never applied by --fix."""
    return any(w not in kept for w in _LATIN_NAME.findall(surface))


def _with_rivals_tail(ctx: Context, occ, kept_text: str) -> str:
    """The kept rendering with the words the rival adds to its own shorter form, when the base knows that longer
    form of the kept one (easy-rl: 蒙特卡洛方法 against the set's 蒙特卡罗 is rewritten to 蒙特卡罗方法, not cut to
    蒙特卡罗)."""
    form = occ.form
    surface = occ.surface
    if form.lang != "zh" or len(surface) < 3:
        return kept_text
    forms = {f.text for f in ctx.termbase.concepts[form.concept_id].forms_of(form.lang)
             if f.designation == form.designation}
    for i in range(1, len(surface) - 1):  # the longest tail first
        tail = surface[i:]
        # (not when the kept rendering begins with the rival's own head: 生成网络 against 生成器 is another word,
        # 生成 with 网络, and 生成器网络 the set's rarest form; dive-into-cv-pytorch, round 22)
        if not kept_text.endswith(tail) and not kept_text.startswith(surface[:i]) and kept_text + tail in forms:
            return kept_text + tail
    return kept_text


def _display_variant(v: Variant) -> str:
    """The spelling of a variant as written most often (lowercase when sentence-initial capitals vary)."""
    text = max(v.surfaces.items(), key=_count_of)[0]  # (Counter.most_common(1): the first of the most written)
    form = v.occ.form
    if form.case == CASE_IGNORE:
        # (a capital after the first word is the writer's title case, Layer Norm, not a sentence's first letter)
        if not form.text[:1].isupper() and not any(w[:1].isupper() for w in text.split()[1:]):
            text = text.lower()
        if v.occ.plural:
            return form.text
    return text


_COUNTED: dict[str, bool] = {}  # variant key -> whether its uses inside other terms are counted (Chinese, 2+)


class _InsideCounts:
    """How often each Chinese rendering is written inside the set's other terms (汇聚 in 最大汇聚层): for a variant
    key, the uses of every other surface that contains it (all concepts together). The surfaces' substrings are
    indexed once per set, when a designation first asks."""

    def __init__(self, surfaces: Counter | None, index: dict[str, int] | None = None) -> None:
        self._surfaces = surfaces
        self._index = index

    def __call__(self, variants: dict) -> dict[str, int]:
        inside: dict[str, int] = {}
        for key in variants:
            counted = _COUNTED.get(key)
            if counted is None:
                if len(_COUNTED) > 200_000:
                    _COUNTED.clear()
                counted = _COUNTED[key] = len(key) >= 2 and _HAN_CHAR.search(key) is not None
            if counted:
                if self._index is None:
                    self._index = _substring_counts(self._surfaces)
                inside[key] = self._index.get(key, 0)
        return inside


def _substring_counts(surfaces: Counter) -> dict[str, int]:
    """substring -> the uses of the surfaces it is a proper part of (each surface once per substring), for the
    substrings with a Chinese character: ``key in surface and surface != key`` summed over the surfaces."""
    out: dict[str, int] = {}
    for surface, n in surfaces.items():
        if not _HAN_CHAR.search(surface):
            continue
        for part in _parts(surface):
            out[part] = out.get(part, 0) + n
    return out


def _parts(surface: str) -> set[str]:
    """The distinct proper substrings of a surface, of two characters or more, with a Chinese character."""
    size = len(surface)
    return {p for p in (surface[i:j] for i in range(size) for j in range(i + 2, size + 1) if j - i < size)
            if _HAN_CHAR.search(p)}


def _kept_variant(variants: dict[str, Variant], configured: str | None, base_pref: str,
                  inside: dict[str, int] | None = None) -> str:
    """The rendering kept: the configured one, else the one written most often (its uses inside the set's other
    terms counted), then the one the set introduces with a gloss, the base's preferred one, the first used."""
    if configured is not None:
        want = " ".join(lookup_key(configured).split())
        for key in variants:
            if " ".join(key.lower().split()) == want:
                return key
        return "\0configured"  # not used at all: every variant is reported
    pref_key = " ".join(base_pref.lower().replace("-", " ").split())
    inside = inside or {}

    def total(key: str) -> int:
        return variants[key].n + inside.get(key, 0)

    def rank(key: str):
        v = variants[key]
        return (-total(key), 0 if v.glossed else 1, 0 if key.lower() == pref_key else 1, v.first)

    leader = min(variants, key=rank)
    # a name's own spelling (capitals: a product's, a model's), the base's head, holds against the same letters run
    # together or unhyphenated unless that is written _CLEAR_MAJORITY times as often (HuggingFace ×16 against the
    # owners' Hugging Face ×12); a term's spellings (allreduce, all-reduce) go by the counts
    pref = next((k for k in variants if k.lower() == pref_key), None)
    if (pref is not None and pref != leader and base_pref != base_pref.lower()
            and leader.lower() != pref.lower() and squeezed(leader.lower()) == squeezed(pref.lower())
            and total(leader) < _CLEAR_MAJORITY * total(pref)):
        return pref
    return leader


def findings(ctx: Context, doc, pos: int) -> list[Finding]:
    """A document's inconsistent findings, emitted once per check (non-preferred skips what they report)."""
    key = (CODE, pos)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = emit(ctx, doc, pos, ctx.summaries[pos][CODE], ctx.facts[CODE])
    return found

"""Resolving an edited document again around its edit only (the language server's keystrokes, issue 14).

``edits.reanalyze`` re-reads the run of whole blocks around an edit and keeps the rest of the previous analysis. The
uses of that rest can be kept as well, because what decides an occurrence's use is near it:

* its line (headings, reference-list lines, list items, links, imports, quoted sentences), and a line never spans
  the blank line that ends a run;
* the text a few hundred characters around it (a gloss after it: 120; the words that introduce a name: 8; a
  neighbouring name joined by a connector: 84; a Title Case name around it: 240);
* the document's structures (``resolve.structures``): reference sections, term-list sections, quoted passages,
  which can reach far from the edit.

So the uses of occurrences more than ``REACH`` characters from the run are the previous version's, provided the
structures are the same outside the run (shifted by the edit) and none of them reaches into it; the occurrences
near the run are resolved again with the whole document's structures. Anything else (LaTeX, glossary macros, a
structure touching the run, occurrences that do not line up) is resolved in full. The suite checks the result
against a full resolve over chained random edits of real chapters (tests/engine/test_reanalyze.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..match import first_ending_after, first_starting_at_or_after
from . import _BIB_HEADING, _GLOSSARY_HEADING, _MD_HEADING, Structures, Use, _quoted_passages, find_glosses, resolve, structures

if TYPE_CHECKING:
    from ..analysis import DocumentAnalysis

REACH = 600  # characters around the run whose occurrences are resolved again (the farthest context read is 240)

# how the resolves went (for the benchmarks and the tests): "reused" or the numbered reason for a full resolve
COUNTS: dict = {}


def _counted(what) -> None:
    COUNTS[what] = COUNTS.get(what, 0) + 1
    return None


def resolve_reusing(doc: "DocumentAnalysis", old: "DocumentAnalysis", b0: int, old_end: int, new_end: int) -> list[Use] | None:
    """The uses of ``doc``, an edit of ``old`` inside the run [b0, old_end) of ``old`` (now [b0, new_end)), taken
    from ``old``'s where the edit cannot change them; None when they must be resolved in full."""
    old_uses = old._uses
    old_found = old._structures
    if old_uses is None or old_found is None:
        return _counted(1)
    if doc.format.name != "markdown" or doc.prose.glossary is not None or doc.rendered or old.rendered \
            or doc.glossary_printed != old.glossary_printed or doc.path != old.path:
        return _counted(2)
    delta = new_end - old_end
    if doc.prose.masked[:b0] != old.prose.masked[:b0] or doc.prose.masked[new_end:] != old.prose.masked[old_end:]:
        return _counted(3)
    lo, new_hi, old_hi = b0 - REACH, new_end + REACH, old_end + REACH
    found = _moved_structures(doc, old, old_found, b0, old_end, delta) or structures(doc)
    if not _same_outside(found, old_found, lo, new_hi, old_hi, delta):
        return _counted(4)
    occs, before = doc.occurrences, old.occurrences
    k_lo = first_ending_after(occs, lo)
    if k_lo != first_ending_after(before, lo):
        return _counted(5)
    k_hi = first_starting_at_or_after(occs, new_hi)
    o_hi = first_starting_at_or_after(before, old_hi)
    if len(occs) - k_hi != len(before) - o_hi or len(old_uses) != len(before):
        return _counted(6)
    if (k_lo and not _same(occs[k_lo - 1], before[k_lo - 1], 0)) or (
            k_hi < len(occs) and not _same(occs[k_hi], before[o_hi], delta)):
        return _counted(7)  # (the occurrences kept must line up: checked at both ends)
    # the occurrences near the run, resolved with as much again around them, and the whole text's structures
    # (and eight more occurrences each side: an abbreviation-list line compares an occurrence with its neighbours
    # up to seven places away on the same line, however far apart they stand)
    w_lo = max(0, min(first_ending_after(occs, lo - REACH), k_lo - 8))
    w_hi = min(len(occs), max(first_starting_at_or_after(occs, new_hi + REACH), k_hi + 8))
    part = occs[w_lo:w_hi]
    window = replace(doc, occurrences=part, glosses=find_glosses(doc.prose.masked, part))
    fresh = resolve(window, found)[k_lo - w_lo : k_hi - w_lo]
    doc._structures = found
    _counted("reused")
    return old_uses[:k_lo] + fresh + old_uses[o_hi:]


def _moved_structures(doc, old, found: Structures, b0: int, old_end: int, delta: int) -> Structures | None:
    """The new version's structures without scanning the whole text for headings: where neither version of the run
    holds a "#", the sections start and end where they did (moved after the run); the quoted passages are found
    again (one quick scan). None when the run may hold a heading: a line of it (in either version) that one of the
    section scans could read as one (a "#" in a code block's comment or in running text is none)."""
    if _may_hold_a_heading(old.text, b0, old_end) or _may_hold_a_heading(doc.text, b0, old_end + delta):
        return None

    def moved(spans):
        out = []
        for a, b in spans:
            if b0 <= a < old_end:
                return None  # (a section cannot start inside a run without a heading; a file-wide list starts at 0)
            out.append((a if a < b0 else a + delta, b if b <= b0 else b + delta))
        return out

    regions, glossary = moved(found.regions), moved(found.glossary)
    if regions is None or glossary is None:
        return None
    return Structures(regions, glossary, _quoted_passages(doc.text) if "“" in doc.text else [])


def _may_hold_a_heading(text: str, start: int, end: int) -> bool:
    if "#" not in text[start:end]:
        return False
    # (a few characters either side: the heading patterns may begin with whitespace before the run's first line)
    lo, hi = max(0, start - 4), min(len(text), end + 4)
    return any(p.search(text, lo, hi) for p in (_MD_HEADING, _BIB_HEADING, _GLOSSARY_HEADING))


def _same(a, b, delta: int) -> bool:
    return a.start == b.start + delta and a.end == b.end + delta and a.surface == b.surface and a.forms == b.forms


def _same_outside(new: Structures, old: Structures, lo: int, new_hi: int, old_hi: int, delta: int) -> bool:
    """Every structure keeps clear of the run's surroundings, in both versions, and they are the same ones (shifted
    after the run)."""
    for now, was in ((new.regions, old.regions), (new.glossary, old.glossary), (new.quoted, old.quoted)):
        if len(now) != len(was):
            return False
        for (a, b), (c, d) in zip(now, was):
            if b > lo and a < new_hi or d > lo and c < old_hi:
                return False  # it reaches the run or the occurrences resolved again
            if (a, b) != ((c, d) if d <= lo else (c + delta, d + delta)):
                return False
    return True

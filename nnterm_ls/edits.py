"""Re-analysing a document after an edit without extracting and matching all of it again (the language server's
keystrokes, issue 14).

A Markdown document is a sequence of blocks separated by blank lines, and almost everything the extract and match
stages do stays inside one block: a term never spans a blank line, nor does inline code, inline math or a link. So an
edit is taken with the run of whole blocks around it, and the previous analysis is kept outside the run: the text
before it is unchanged, the text after it moves by the edit's length.

* Extract: the run is read on its own where that is certainly how the document reads it; otherwise the whole
  document is extracted again (always right). Reading the run alone needs: the same fence, math, comment, HTML and
  LaTeX environment markers in the run before and after the edit (each at a line start or not, fence lines whole);
  line-start markers (list items, quotes, indentation) unchanged where the run may continue the block before it or
  the block after it may continue the run; and the run reading on its own as it read inside the document before the
  edit. A run that was all masked (code, or inside a fence or comment that spans blank lines) stays all masked when
  the edit brought no marker and the run alone still reads all masked. An edit inside the body of a fenced code
  block (the extractor records the bodies) is masked in place, line by line, when it typed no fence marker and no
  line break other than \n and left as many lines as before, none of them empty.
* Match: where the masked text outside the run is unchanged, only the run is matched again (after checking that
  matching the old run alone gave what the whole document gave); otherwise the whole document.

The result is what ``Engine.analyze`` returns for the new text; the test suite checks that over random edits of
real chapters, chained, against the full analysis.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from typing import TYPE_CHECKING

from .extract import HARD
from .lines import UTF32, LineIndex
from .match import Occurrence, first_ending_after, first_starting_at_or_after
from .resolve import find_glosses
from .rules.suppress import parse_suppressions

if TYPE_CHECKING:
    from .analysis import DocumentAnalysis, Engine

# how far the run of blocks around an edit may reach before a full analysis is cheaper anyway
_MAX_RUN = 20_000

# what can open or close a construct that spans blank lines, and what at a line start decides how the next blocks
# read (a list item, a block quote, indentation)
# (a fence line whole: a closing fence with words after it no longer closes; an HTML tag with its name: a block of
# <pre> reads to its end, one of <div> to the next blank line)
_STRUCTURE = re.compile(r"```[^\n]*|~~~[^\n]*|\$\$|<!--|<[!?/]?[A-Za-z]*|\\(?:begin|end)\b|-->")
_LINE_START = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)|[ \t]*>|[ \t]{4}|\t|[ \t]*(?:---|\+\+\+|===|\*\*\*|___)[ \t]*$)?",
                         re.M)


def _common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix (slices compared in C, halving)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    lo, hi = 0, limit
    la, lb = len(a), len(b)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid : la - lo] == b[lb - mid : lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _blank(line: str) -> bool:
    return not line.strip(" \t")


def _run_bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The run of whole blocks holding [start, end): from the line after a blank line to the start of a blank line
    (or the end of the text). None when it starts the document or grows too long."""
    s = text.rfind("\n", 0, start) + 1
    while True:
        if s == 0:
            return None  # the first block: front matter and the like are read from the document's start
        prev = text.rfind("\n", 0, s - 1) + 1
        if _blank(text[prev : s - 1]):
            break
        s = prev
        if start - s > _MAX_RUN:
            return None
    e = text.find("\n", max(end - 1, s))
    while True:
        if e < 0:
            e = len(text)
            break
        nxt = text.find("\n", e + 1)
        line = text[e + 1 : nxt if nxt >= 0 else len(text)]
        if _blank(line) and (nxt >= 0 or line == ""):
            e += 1  # the run ends with its last line's line break; the blank line follows
            break
        e = nxt
        if e >= 0 and e - end > _MAX_RUN:
            return None
    return s, e


_MASKED_OR_BREAK = HARD + "\n"
_ALL_BUT_BREAKS = re.compile(r"[^\n]+")


def _HARD_RUN(m: re.Match) -> str:
    return HARD * len(m.group())


def _indented(block: str) -> bool:
    """Whether the block's first line starts with a space or a tab: a list item before it may claim it."""
    return block[:1] in (" ", "\t")


def _next_block(text: str, at: int) -> str:
    """The text of the first non-blank line at or after ``at`` (to the end of the text)."""
    while at < len(text):
        nl = text.find("\n", at)
        line = text[at : nl if nl >= 0 else len(text)]
        if not _blank(line):
            return text[at:]
        if nl < 0:
            break
        at = nl + 1
    return ""


def _signature(block: str) -> tuple:
    return (tuple(m.group() + _line_start_of(block, m.start()) for m in _STRUCTURE.finditer(block)),
            tuple(_LINE_START.findall(block)))  # (each line's: a line break typed or removed changes it too)


def _line_start_of(text: str, i: int) -> str:
    """"@" and the marker's indentation when only spaces, tabs and quote marks come before it on its line (a fence
    indented four spaces is no fence), "" otherwise."""
    j = text.rfind("\n", 0, i) + 1
    before = text[j:i]
    return "" if before.strip(" \t>") else "@" + before


def _shifted(occs: list[Occurrence], delta: int) -> list[Occurrence]:
    return [Occurrence(o.start + delta, o.end + delta, o.surface, o.forms, o.miscased, o.plural, o.via) for o in occs]


# how the edits went (for the benchmarks and the tests): "alone" (the run extracted on its own), "local" (only the
# run matched again), "whole" (the whole document matched again), and the numbered checks that refused a quicker way
COUNTS: dict = {}


def _counted(what) -> None:
    """Count ``what`` in ``COUNTS``; None, so that a refusing check can ``return _counted(n)``."""
    COUNTS[what] = COUNTS.get(what, 0) + 1
    return None


def reanalyze(engine: "Engine", old: "DocumentAnalysis", text: str) -> "DocumentAnalysis | None":
    """The analysis of ``text``, an edit of the document ``old`` analyses, made from ``old`` where the edit allows
    (see the module's docstring); None where it does not (the caller then analyses the text in full). The uses are
    left unresolved (resolved when first read), as ``Engine.analyze(..., resolve_uses=False)`` leaves them."""
    from .analysis import LANGUAGE_SAMPLE, DocumentAnalysis, document_language, language_counts, language_of

    fmt = old.format
    if fmt.name != "markdown" or old.prose.includes or old.prose.glossary is not None:
        return _counted(1)
    before = old.text
    if text == before:
        return _counted(2)
    p = _common_prefix(before, text)
    s = _common_suffix(before, text, min(len(before), len(text)) - p)
    old_end = len(before) - s
    # (an edit at the start of the blank line after a block types into it: the run then takes the next block too)
    bounds = _run_bounds(before, p, min(len(before), max(old_end, p + 1)))
    if bounds is None:
        return _counted(3)
    b0, b1 = bounds
    if old_end > b1 or (p >= b1 and b1 < len(before)):
        return _counted(4)
    delta = len(text) - len(before)
    options = engine._extract_options
    old_masked = old.prose.masked
    lo = first_starting_at_or_after(old.occurrences, b0)
    hi = first_starting_at_or_after(old.occurrences, b1)
    if lo > 0 and old.occurrences[lo - 1].end > b0:
        return _counted(8)
    inside = old.occurrences[lo:hi]
    fenced = _in_fence(old, text, p, old_end, delta)
    run = None if fenced else _masked_alone(fmt, options, before[b0:b1], text[b0 : b1 + delta], old_masked[b0:b1],
                                            bool(inside), _indented(_next_block(before, b1)))
    if fenced:
        _counted("fence")
        masked, fences = fenced
        local = True
    elif run is not None:
        _counted("alone")
        masked = old_masked[:b0] + run + old_masked[b1:]
        old_fences = old.prose.fences
        # (a run with no fence marker opens or closes no fence: the bodies move; else they are found when asked)
        fences = (_moved_fences(old_fences, b0, b1, delta)
                  if old_fences is not None and not _FENCE_MARKER.search(before, b0, b1) else None)
        local = True
    else:
        # the whole document extracted again (always right); when nothing outside the run reads otherwise, only the
        # run is matched again
        extracted = fmt.extract(text, options)
        masked, fences = extracted.masked, extracted.fences
        local = masked[:b0] == old_masked[:b0] and masked[b1 + delta :] == old_masked[b1:]
        if not local:
            # a fence typed or broken changes how the text up to the next fence reads, not the whole document: the
            # run widened to the whole blocks around every change of the masked text
            widened = _widened(before, old_masked, masked, b0, b1, delta)
            if widened is not None:
                w0, w1 = widened
                wlo = first_starting_at_or_after(old.occurrences, w0)
                if not (wlo > 0 and old.occurrences[wlo - 1].end > w0):
                    _counted("widened")
                    b0, b1, lo = w0, w1, wlo
                    hi = first_starting_at_or_after(old.occurrences, b1)
                    inside = old.occurrences[lo:hi]
                    local = True
    new_run_masked = masked[b0 : b1 + delta]
    if local and new_run_masked.strip(_MASKED_OR_BREAK) and inside != _shifted(
            engine.matcher.find(old_masked[b0:b1]), b0):
        local = False  # matching the run alone does not give what the whole document gave
    if local:
        _counted("local")
        found = _shifted(engine.matcher.find(new_run_masked), b0) if new_run_masked.strip(_MASKED_OR_BREAK) else []
        occurrences = old.occurrences[:lo] + found + _shifted(old.occurrences[hi:], delta)
        lines = LineIndex.spliced(old.lines, text, b0, b1, b1 + delta)
        glosses = _spliced_glosses(old, masked, occurrences, b0, lo, hi, len(found), delta)
    else:
        _counted("whole")
        occurrences = engine.matcher.find(masked)
        lines = LineIndex(text, UTF32)
        glosses = find_glosses(masked, occurrences)
    prose = type(old.prose)(source=text, masked=masked, kind=old.prose.kind, fences=fences)
    counts = None
    if len(masked) <= LANGUAGE_SAMPLE:
        counts = old._lang_counts
        if (counts is not None and local and _cut_between_words(old_masked, b0) and _cut_between_words(old_masked, b1)
                and _cut_between_words(masked, b1 + delta)):
            was, now = language_counts(old_masked[b0:b1]), language_counts(masked[b0 : b1 + delta])
            counts = (counts[0] - was[0] + now[0], counts[1] - was[1] + now[1])
        else:
            counts = language_counts(masked)
    out = DocumentAnalysis(
        path=old.path,
        text=text,
        format=fmt,
        prose=prose,
        occurrences=occurrences,
        lang=language_of(*counts) if counts is not None else document_language(masked),
        lines=lines,
        suppressions=parse_suppressions(text, fmt, lines.starts, prose),
        glosses=glosses,
    )
    out._lang_counts = counts
    if local:  # outside the run, the occurrences are the old ones moved: their uses may be kept (resolve/reuse.py)
        out.edited_from = (weakref.ref(old), b0, b1, b1 + delta)
    return out


def _widened(before: str, old_masked: str, masked: str, b0: int, b1: int, delta: int) -> tuple[int, int] | None:
    """The run of whole blocks of ``before`` that holds the edited run [b0, b1) and every character whose masked
    reading the edit changed (outside it the text and its masked reading are both as they were, moved by ``delta``
    after it); None when it starts the document."""
    p = _common_prefix(old_masked, masked)
    s = _common_suffix(old_masked, masked, min(len(old_masked), len(masked)) - p)
    start, end = min(b0, p), max(b1, len(old_masked) - s)
    bounds = _run_bounds(before, start, max(end, start + 1))
    if bounds is None or bounds[1] < end:
        return None
    return bounds


def _cut_between_words(text: str, i: int) -> bool:
    """Whether counting Latin words on either side of ``i`` apart gives the count of the whole (no letter on both
    sides of the cut)."""
    return not (0 < i < len(text) and text[i - 1].isascii() and text[i - 1].isalpha()
                and text[i].isascii() and text[i].isalpha())


# what may not be typed inside a fenced code block for the block to stay as it was: a fence marker (the line may now
# close the block), and a line break other than \n, \r\n (the block pass splits lines on every one Python knows)
_FENCE_UNSAFE = re.compile(r"[`~\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|\r(?!\n)")


def _in_fence(old: "DocumentAnalysis", text: str, p: int, old_end: int, delta: int) -> "tuple[str, list] | None":
    """(masked text, fence bodies) of ``text`` when the edit of ``old``'s [p, old_end) is typed in the body of a fenced
    code block and leaves the block as it was: its lines still all code, masked character by character. None when
    it may not: a line of the body typed empty or the lines joined or split (a blank line would end display math or
    an inline code span that runs across the block), a marker typed, the edit out of a body."""
    from .extract.markdown import fence_bodies

    before = old.text
    ls = before.rfind("\n", 0, p) + 1
    old_le = before.find("\n", old_end)
    old_le = len(before) if old_le < 0 else old_le
    new_le = text.find("\n", old_end + delta)
    new_le = len(text) if new_le < 0 else new_le
    old_masked = old.prose.masked
    if old_masked[ls:old_le].strip("\n" + HARD):
        return None  # not all masked: no body of a fence (asked first: typing in prose never finds the bodies)
    fences = fence_bodies(old.prose)
    k = bisect_right(fences, (ls, len(before) + 1)) - 1
    if k < 0:
        return None
    cs, ce = fences[k]
    if not (cs <= ls and (old_le < ce or ce == len(before))):
        return None
    old_lines, new_lines = before[ls : old_le + 1], text[ls : new_le + 1]
    if old_lines.count("\n") != new_lines.count("\n") or _FENCE_UNSAFE.search(old_lines) or _FENCE_UNSAFE.search(new_lines):
        return None
    if "\n\n" in "\n" + before[ls:old_le] + "\n" or "\n\n" in "\n" + text[ls:new_le] + "\n":
        return None  # an empty line
    masked = old_masked[:ls] + _ALL_BUT_BREAKS.sub(_HARD_RUN, text[ls:new_le]) + old_masked[old_le:]
    return masked, _moved_fences(fences, ls, old_le, delta)


_FENCE_MARKER = re.compile(r"```|~~~")


def _moved_fences(fences: list, b0: int, b1: int, delta: int) -> list:
    """The fence bodies after an edit of [b0, b1) that typed and removed no fence marker: those before it as they
    were, those after it moved, one around it longer by the edit."""
    out = []
    for a, b in fences:
        out.append((a, b) if b <= b0 else (a + delta, b + delta) if a >= b1 else (a, b + delta))
    return out


# how far before the run a head's gloss may reach into it (a gloss is at most 120 characters after the head and the
# spaces or markup after it, and a line of spaces between blocks does not stop it)
_GLOSS_REACH = 400


def _spliced_glosses(old, masked: str, occurrences: list, b0: int, lo: int, hi: int, n_run: int, delta: int) -> list:
    """``find_glosses(masked, occurrences)`` for the locally matched edit: the old glosses of heads well before the
    run and of heads after it (moved), those of the heads near and inside the run found again. ``lo``/``hi``: the
    run's occurrences in the old list; ``n_run``: how many it has now."""
    from .resolve import Gloss

    b = min(first_ending_after(occurrences, b0 - _GLOSS_REACH), lo)
    new_hi = lo + n_run
    out = [g for g in old.glosses if g.head < b]
    for g in find_glosses(masked, occurrences[b:new_hi]):
        out.append(Gloss(g.head + b, g.open, g.close))
    shift = new_hi - hi
    out += [Gloss(g.head + shift, g.open + delta, g.close + delta) for g in old.glosses if g.head >= hi]
    return out


def _masked_alone(fmt, options, old_run: str, new_run: str, old_masked_run: str, had_occurrences: bool,
                  next_indented: bool) -> str | None:
    """The new run's masked text, read on its own, where that is certain to be how the document reads it (see the
    module's docstring); None otherwise."""
    old_sig, new_sig = _signature(old_run), _signature(new_run)
    if old_sig[0] != new_sig[0]:
        return _counted(5)  # a fence, a comment, display math or an HTML block opened, closed or changed
    if old_sig[1] != new_sig[1] and old_sig[0] and old_run.count("\n") != new_run.count("\n"):
        return _counted(6)  # lines added or joined around a fence or formula (a blank line ends display math)
    if old_sig[1] != new_sig[1] and (_indented(old_run) or _indented(new_run) or next_indented):
        # list items or indentation changed where the run may continue the block before it, or the block after it
        # (indented) may continue one of the run's
        return _counted(7)
    if not old_masked_run.strip(_MASKED_OR_BREAK):
        # all of it masked before: by itself (code, a directive) or by a fence, comment or formula around it that
        # spans blank lines. Which, the masked text does not say; but the edit left the markers that such a
        # construct reacts to as they were (checked above), so it stays all masked when the run alone still reads as
        # all masked
        if had_occurrences or fmt.extract(new_run, options).masked.strip(_MASKED_OR_BREAK):
            return _counted(9)
        return _ALL_BUT_BREAKS.sub(_HARD_RUN, new_run)
    if fmt.extract(old_run, options).masked != old_masked_run:
        return _counted(10)  # the run reads otherwise inside the document (a list item around it)
    return fmt.extract(new_run, options).masked

"""An edited document whose occurrences and uses are its previous version's, moved: the summaries of the set-level
rules are then the previous version's with their offsets moved (the language server's keystrokes, issue 14).

Most keystrokes type words that are no term, in a sentence whose terms read as before. The edit's analysis
(``edits.reanalyze``, ``resolve.reuse``) then has the same occurrences as the previous version, in the same order,
each with the same surface, forms and use; only their offsets after the edit moved. A rule's summary is a fold over
those (occurrence, use) pairs in order, so it is the previous summary with each offset it holds moved to the offset of
the same occurrence now. ``Moved.of`` tells whether that is so, comparing every occurrence and use (in C, by identity
where the stages kept the objects) and the source text of those near the run; anything else is summarised afresh.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter, is_

from ..match import first_ending_after, first_starting_at_or_after

# occurrences this close to the edited run (characters) are compared field by field, their source text too (the
# uses near a run are resolved again, resolve.reuse.REACH; beyond it they are the previous version's objects)
NEAR = 600

_READ = attrgetter("surface", "forms", "miscased", "plural")
_START = attrgetter("start")


@dataclass(slots=True)
class Moved:
    """The occurrence at index i of the previous version is the one at index i now."""

    before: object  # the previous version's analysis (as the rules read it)
    doc: object  # this version's
    starts: list  # the previous version's occurrence starts
    unchanged: int  # the occurrences before this index did not move
    stale: set  # ids of those of them that are other objects now
    run: tuple  # (start, end before the edit, the edit's change of length) of the run read again
    near: tuple  # [lo, hi): the indexes of the occurrences near the run (compared field by field)

    @staticmethod
    def of(doc, before, b0: int, b1: int, b1_new: int) -> "Moved | None":
        old, new = before.occurrences, doc.occurrences
        if len(old) != len(new) or doc.lang != before.lang or doc.path != before.path:
            return None
        old_uses, new_uses = before._uses, doc.uses  # (this version's resolved now, mostly from the previous')
        if old_uses is None or len(old_uses) != len(old) or len(new_uses) != len(new):
            return None
        lo = first_ending_after(old, b0 - NEAR)
        hi = first_starting_at_or_after(old, b1 + NEAR)
        if lo != first_ending_after(new, b0 - NEAR) or hi != first_starting_at_or_after(new, b1_new + NEAR):
            return None
        # outside the run's surroundings: the same objects (uses) and the same readings (occurrences, moved)
        if not (all(map(is_, old_uses[:lo], new_uses[:lo])) and all(map(is_, old_uses[hi:], new_uses[hi:]))):
            return None
        if list(map(_READ, old)) != list(map(_READ, new)):
            return None
        delta = b1_new - b1
        if any(a.start + delta != b.start or a.end + delta != b.end for a, b in zip(old[hi:hi + 1], new[hi:hi + 1])):
            return None
        # near the run: equal uses, and the same source text (what a rule reads of an occurrence besides its use)
        old_text, new_text = before.text, doc.text
        for a, b, ua, ub in zip(old[lo:hi], new[lo:hi], old_uses[lo:hi], new_uses[lo:hi]):
            if ua != ub or old_text[a.start:a.end] != new_text[b.start:b.end]:
                return None
        # (the occurrences before the run's surroundings did not move, but a stage may have made new objects of
        # some, the senses' (rules tell occurrences apart by identity: rules.base.make_finding): those are looked up)
        stale = {id(a) for a, same in zip(old[:lo], map(is_, old[:lo], new[:lo])) if not same}
        return Moved(before, doc, list(map(_START, old)), lo, stale, (b0, b1, delta), (lo, hi))

    def index(self, occ) -> int | None:
        """The index of one of the previous version's occurrences."""
        old = self.before.occurrences
        i = bisect_left(self.starts, occ.start)
        while i < len(old) and old[i].start == occ.start:
            if old[i] is occ or (old[i].end == occ.end and old[i].surface == occ.surface):
                return i
            i += 1
        return None

    def occurrence(self, occ):
        """This version's occurrence for one of the previous version's."""
        i = self.index(occ)
        if i is None:
            raise LookupError(occ)
        return self.doc.occurrences[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """This version's offsets of the previous version's occurrence at [start, end)."""
        old = self.before.occurrences
        if self.unchanged < len(old) and start < old[self.unchanged].start:
            return start, end
        i = bisect_left(self.starts, start)
        while i < len(old) and old[i].start == start:
            if old[i].end == end:
                now = self.doc.occurrences[i]
                return now.start, now.end
            i += 1
        raise LookupError((start, end))

    def moves(self, start: int) -> bool:
        """Whether the previous version's occurrence at ``start`` may have moved."""
        old = self.before.occurrences
        return self.unchanged < len(old) and start >= old[self.unchanged].start

    def renewed(self, occ) -> bool:
        """Whether one of the previous version's occurrences may have moved or be another object now."""
        return id(occ) in self.stale or self.moves(occ.start)

    def offsets(self, start: int, end: int) -> tuple[int, int]:
        """This version's offsets of a span of the previous version that lies before the run, after it, or is an
        occurrence inside it (LookupError otherwise)."""
        b0, b1, delta = self.run
        if end <= b0:
            return start, end
        if start >= b1:
            return start + delta, end + delta
        return self.span(start, end)

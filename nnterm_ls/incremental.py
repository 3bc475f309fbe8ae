"""Per-document results of a check's set-level stages, kept for the engine's next check of the same set.

The language server checks the whole document set on every keystroke, but only the edited document has a new
analysis (analyses are cached per version). Learned renderings and senses change a document's occurrences, and its
uses must then be resolved again, which was most of a check's time. Here each document's result of those stages is
kept under the identity of its analysis together with what decided it (the set's lexicon, its senses, the
document's own gloss senses); the next check reuses it when all of these are the same, and computes it otherwise.
Nothing else is reused: learning, deciding senses and every rule run over the whole set as before, so the findings
are those of a check without this memo.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass


@dataclass(slots=True)
class _Learned:
    doc: object
    lexicon: object
    out: object


@dataclass(slots=True)
class _Sensed:
    doc: object
    senses: dict
    here: dict
    out: object
    reasons: dict


class SetMemo:
    def __init__(self) -> None:
        self.rules = RuleMemo()
        self.learn: dict = {}  # resolve.learn: each document's candidates and head counts
        self.senses: dict = {}  # resolve.senses: each document's gloss and cue senses
        self.decided: dict = {}  # rules.inconsistent.decide_summaries: each designation's last decision
        self._lexicon = None
        self._lexicon_kept = False
        self._layered = None
        self._learned: dict[int, _Learned] = {}
        self._sensed: dict[int, _Sensed] = {}

    def lexicon(self, lexicon):
        """The lexicon of the previous check when this one equals it, so that its learned forms (and the documents
        they were applied to) stay the same objects."""
        if self._lexicon is not None and self._lexicon == lexicon:
            self._lexicon_kept = True
            return self._lexicon
        self._lexicon_kept = False
        self._lexicon = lexicon
        return lexicon

    def layered(self, base, lexicon, make):
        """The term base with the lexicon's concepts on top: the previous check's object for the same lexicon, so
        that what the rules keep per term base (rules/typo.py) lasts across keystrokes."""
        kept = self._layered
        if kept is None or kept[0] is not base or kept[1] is not lexicon:
            kept = self._layered = (base, lexicon, make(base, lexicon.concepts))
        return kept[2]

    def apply_learned(self, docs: list, lexicon, apply) -> list:
        from .resolve.learn import apply_edited

        out, memo = [], {}
        for doc in docs:
            hit = self._learned.get(id(doc))
            if hit is None or hit.doc is not doc or hit.lexicon is not lexicon:
                edited = doc.edited_from
                made = None
                if edited is not None and (before := edited[0]()) is not None:
                    # an edit's analysis: the learned heads looked for again only around the edit, where the
                    # previous version, with the same lexicon, had some (apply_edited)
                    prev = self._learned.get(id(before))
                    if prev is not None and prev.doc is before and prev.lexicon is lexicon and prev.out is not before:
                        made = apply_edited(doc, lexicon, prev.out, *edited[1:])
                hit = _Learned(doc, lexicon, made if made is not None else apply(doc, lexicon, resolve_uses=False))
                if edited is not None and (before := edited[0]()) is not None:
                    # (the edit, from the previous version as learning left it: what apply_senses looks up)
                    prev = self._learned.get(id(before))
                    edited = (weakref.ref(prev.out), *edited[1:]) if prev is not None and prev.doc is before \
                        and prev.lexicon is lexicon else None
                    doc.edited_from = None
                    hit.out.edited_from = edited
            memo[id(doc)] = hit
            out.append(hit.out)
        self._learned = memo
        return out

    def apply_senses(self, docs: list, senses: dict, local: list, reasons: dict, apply) -> list:
        out, memo = [], {}
        for doc, here in zip(docs, local):
            hit = self._sensed.get(id(doc))
            if hit is None or hit.doc is not doc or hit.senses != senses or hit.here != here:
                mine: dict = {}
                hit = _Sensed(doc, senses, here, apply(doc, senses, here, mine, resolve_uses=False), mine)
                self._pass_on_edit(doc, hit.out, senses)
            memo[id(doc)] = hit
            reasons.update(hit.reasons)
            out.append(hit.out)
        self._sensed = memo
        return out

    def _pass_on_edit(self, doc, out, senses) -> None:
        """An edited document's previous version, as the rules read it, for resolving only around the edit: when
        the set's lexicon and senses are those of the previous check (what they changed is then the same outside the
        run) and that version's uses were resolved."""
        edited, doc.edited_from = doc.edited_from, None
        if edited is None or out._uses is not None or not self._lexicon_kept:
            return
        before = edited[0]()
        prev = self._sensed.get(id(before)) if before is not None else None
        if prev is None or prev.doc is not before or prev.senses != senses or prev.out._uses is None:
            return
        out._reuse = out._edit_of = (weakref.ref(prev.out), *edited[1:])

    def end_check(self) -> None:
        from .resolve.learn import end_check as learn_done
        from .resolve.senses import end_check as senses_done

        learn_done(self.learn)
        senses_done(self.senses)

    def summaries(self, ctx, summarize) -> list[dict]:
        return self.rules.summaries(ctx, summarize)

    def findings(self, ctx, pos: int, emit) -> list:
        return self.rules.findings(ctx, pos, emit)


@dataclass(slots=True)
class _Summary:
    doc: object
    lexicon: object
    group: int  # the document's reading-order group (set on the analysis by the caller, check by check)
    out: dict


@dataclass(slots=True)
class _Findings:
    doc: object
    lexicon: object
    depends: tuple
    out: list


class RuleMemo:
    """Per document of the last check: its summary for the set-level rules (kept while its prepared analysis and
    the set's lexicon are the same objects) and its findings (kept while, besides, the set's facts it reads are
    equal: ``rules.registry.depends``). Everything else — merging the summaries, deciding the set's facts — is
    done on every check, so the findings are those of a check without this memo."""

    def __init__(self) -> None:
        self._summaries: dict[int, _Summary] = {}
        self._findings: dict[int, _Findings] = {}
        self._new_findings: dict[int, _Findings] = {}

    def summaries(self, ctx, summarize) -> list[dict]:
        lexicon = ctx.memo.get("lexicon")
        out, memo = [], {}
        for doc in ctx.docs:
            hit = self._summaries.get(id(doc))
            if hit is None or hit.doc is not doc or hit.lexicon is not lexicon or hit.group != doc.order_group:
                hit = _Summary(doc, lexicon, doc.order_group, summarize(ctx, doc, self._previous(doc, lexicon)))
            memo[id(doc)] = hit
            out.append(hit.out)
        self._summaries = memo
        self._findings, self._new_findings = self._new_findings, {}
        return out

    def _previous(self, doc, lexicon) -> tuple | None:
        """(the summaries of the version ``doc`` was edited from, the run's start, its end before and after the
        edit, that version) when that version was summarised for the same lexicon and reading-order group; else
        None."""
        edit = doc._edit_of
        before = edit[0]() if edit is not None else None
        if before is None:
            return None
        prev = self._summaries.get(id(before))
        if prev is None or prev.doc is not before or prev.lexicon is not lexicon or prev.group != doc.order_group:
            return None
        return (prev.out, *edit[1:], before)

    def findings(self, ctx, pos: int, emit) -> list:
        from .rules.registry import depends

        doc = ctx.docs[pos]
        lexicon = ctx.memo.get("lexicon")
        deps = depends(ctx, pos)
        hit = self._findings.get(id(doc))
        if hit is None or hit.doc is not doc or hit.lexicon is not lexicon or hit.depends != deps:
            hit = _Findings(doc, lexicon, deps, emit())
        self._new_findings[id(doc)] = hit
        return list(hit.out)

"""The analysis driver: documents -> prose (extract) -> occurrences (match) -> uses (resolve) -> findings (rules).

``Engine`` holds what is shared (term base, matcher, configuration, rule set). ``Engine.analyze`` is the per-document
step (pure, cacheable by document version); ``Engine.check`` runs the rules over a set of analysed documents, so that
the chapters of one thesis are checked together.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field

from .config import Config, resolve_preferences
from .extract import ExtractOptions, Format, Prose, format_for, get_format
from .incremental import SetMemo
from .lines import UTF32, LineIndex
from .match import Matcher, Occurrence, builtin_blockers
from .resolve import Gloss, Use, find_glosses, resolve, structures
from .resolve import glossary as set_glossary
from .resolve.learn import LayeredTermBase, Lexicon, learned_forms
from .resolve.learn import apply as apply_learned
from .resolve.learn import learn as learn_renderings
from .resolve.senses import apply as apply_senses
from .resolve.senses import decide as decide_senses
from .rules.base import Context, preferred_text
from .rules.findings import Finding
from .rules.inconsistent import usage as consistency_usage
from .rules.registry import RuleSet, document_findings
from .rules.registry import decide as decide_set
from .rules.registry import summarize as summarize_document
from .rules.suppress import Suppressions, parse_suppressions
from .termbase import TermBase, load_termbase

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class DocumentAnalysis:
    path: str
    text: str
    format: Format
    prose: Prose
    occurrences: list[Occurrence]
    lang: str  # "zh" | "en": the language findings are reported in
    lines: LineIndex  # columns in code points
    suppressions: Suppressions
    glosses: list[Gloss] = field(default_factory=list)
    # reading-order group (workspace.Inputs.groups): documents of one group are read in set order; between groups
    # no order is declared, so no rule says one comes before the other
    order_group: int = 0
    # set level (resolve.glossary): the glossary macros of this document with what each prints, and whether the
    # set prints its glossary (which then defines its abbreviations)
    rendered: list = field(default_factory=list)
    glossary_printed: bool = False
    # the resolve stage, one use per occurrence: computed when first read. A set-level stage that changes the
    # occurrences (learned renderings, senses, glossary macros) makes a copy, whose uses start unresolved, so a
    # document is resolved once, in the form the rules read (a copy made by dataclasses.replace does not carry them)
    _uses: list[Use] | None = field(default=None, init=False, repr=False, compare=False)
    _structures: object = field(default=None, init=False, repr=False, compare=False)  # resolve.structures, with _uses
    # an edit's analysis (edits.reanalyze): (weak reference to the analysis it was made from, the run's start, its
    # end before and after the edit); the set stage passes it on to the document the rules read, as ``_reuse``
    edited_from: tuple | None = field(default=None, init=False, repr=False, compare=False)
    _reuse: tuple | None = field(default=None, init=False, repr=False, compare=False)
    # the same, kept after the uses are resolved: the rules' summaries of the run's surroundings are the previous
    # version's (incremental.RuleMemo)
    _edit_of: tuple | None = field(default=None, init=False, repr=False, compare=False)
    # (Han characters, Latin words) of the whole prose when it fits the language sample: an edit's analysis updates
    # them from the run it re-analysed (edits.py) instead of counting the document again
    _lang_counts: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def uses(self) -> list[Use]:
        if self._uses is None:
            hint, self._reuse = self._reuse, None
            old = hint[0]() if hint is not None else None
            if old is not None:
                from .resolve.reuse import resolve_reusing

                self._uses = resolve_reusing(self, old, *hint[1:])
            if self._uses is None:
                self._structures = structures(self)
                self._uses = resolve(self, self._structures)
        return self._uses

    @uses.setter
    def uses(self, value: list[Use] | None) -> None:
        self._uses = value

    @property
    def kind(self) -> str:
        return self.format.name

    @property
    def includes(self) -> list[str]:
        return self.prose.includes


# counted in the UTF-8 bytes (C loops, no lists: the server computes this on every keystroke): a character of
# U+4000-U+9FFF starts with a byte E4-E9, one of U+3400-U+3FFF with E3 90-BF, one of U+F900-U+FAFF with EF A4-AB;
# a Latin word is a letter after a byte that is not one, once every byte is mapped to "a" (letter) or " "
_HAN_LEADS = [bytes([b]) for b in range(0xE4, 0xEA)]
_HAN_E3 = re.compile(rb"\xe3[\x90-\xbf]")
_HAN_EF = re.compile(rb"\xef[\xa4-\xab]")
_LETTER_OR_NOT = bytes(0x61 if (0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A) else 0x20 for c in range(256))


LANGUAGE_SAMPLE = 200_000  # characters: plenty to tell a Chinese document from an English one


def document_language(masked: str) -> str:
    """"zh" when the sample has at least as many Han characters (U+3400-U+9FFF, U+F900-U+FAFF) as Latin words
    ([A-Za-z]+ runs), else "en"."""
    return language_of(*language_counts(masked[:LANGUAGE_SAMPLE]))


def language_of(han: int, latin: int) -> str:
    return "zh" if han >= latin else "en"


def language_counts(text: str) -> tuple[int, int]:
    """(Han characters, Latin words) of a text: ``document_language``'s counts. They add up over pieces cut where
    no Latin letter is on both sides of the cut (a re-analysed run of blocks: edits.py)."""
    data = text.encode("utf-8", "surrogatepass")
    han = sum(data.count(b) for b in _HAN_LEADS) + len(_HAN_E3.findall(data)) + len(_HAN_EF.findall(data))
    words = data.translate(_LETTER_OR_NOT)
    return han, words.count(b" a") + words.startswith(b"a")


class Engine:
    def __init__(
        self,
        termbase: TermBase | None = None,
        config: Config | None = None,
        *,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        learn: bool | None = None,
    ) -> None:
        self.config = config or Config()
        self.learn = self.config.learn if learn is None else learn
        self.lexicon = Lexicon()  # what the last checked document set taught (learned renderings)
        self.glossary = set_glossary.SetGlossary()  # the last checked set's glossary-package entries and uses
        # what the last check found about the set, for the editor's hover: (concept, lang, designation) ->
        # (recommended, [(rendering, count)]) (rules.inconsistent.usage), and the senses its glosses decide
        self.usage: dict = {}
        self.senses: dict = {}
        self.locale = self.config.locale  # auto | zh | en: the language of messages
        self.termbase = termbase if termbase is not None else load_termbase(self.config.terms)
        self.rules = RuleSet(self.config, select, ignore)
        self.matcher = Matcher(self.termbase, list(builtin_blockers()), set(self.config.ignore))
        self.preferences, self.config_problems = resolve_preferences(self.config, self.termbase)
        self._extract_options = ExtractOptions(self.config.latex_commands, tuple(self.config.latex_environments))
        self._memo = SetMemo()  # set-level stages per document, for the next check of the same set

    # -- per document ----------------------------------------------------------------------------------------------
    def analyze(self, path: str, text: str, kind: str | Format | None = None, *, resolve_uses: bool = True) -> DocumentAnalysis:
        """extract -> match -> resolve for one document (pure: cacheable by document version). ``resolve_uses=False``:
        no resolve stage (uses None), for a pass that reads only occurrences and glosses (``check_stream``'s first)."""
        if isinstance(kind, Format):
            fmt = kind
        else:
            fmt = get_format(kind) if kind else (format_for(path) or get_format("markdown"))
        prose = fmt.extract(text, self._extract_options)
        occurrences = self.matcher.find(prose.masked)
        lines = LineIndex(text, UTF32)
        counts = language_counts(prose.masked) if len(prose.masked) <= LANGUAGE_SAMPLE else None
        analysis = DocumentAnalysis(
            path=path,
            text=text,
            format=fmt,
            prose=prose,
            occurrences=occurrences,
            lang=language_of(*counts) if counts is not None else document_language(prose.masked),
            lines=lines,
            suppressions=parse_suppressions(text, fmt, lines.starts, prose),
            glosses=find_glosses(prose.masked, occurrences),
        )
        analysis._lang_counts = counts
        analysis.uses = resolve(analysis) if resolve_uses else None
        return analysis

    def reanalyze(self, previous: DocumentAnalysis, text: str, kind: str | Format | None = None) -> DocumentAnalysis:
        """``analyze(previous.path, text, kind, resolve_uses=False)`` for a new version of an analysed document:
        where the edit stays inside a run of blocks, only that run is extracted and matched again (edits.py)."""
        from .edits import reanalyze

        fmt = kind if isinstance(kind, Format) else (get_format(kind) if kind else previous.format)
        if fmt is previous.format:
            done = reanalyze(self, previous, text)
            if done is not None:
                return done
        return self.analyze(previous.path, text, fmt, resolve_uses=False)

    def analyze_version(self, path: str, text: str, kind: str | Format | None = None,
                        previous: DocumentAnalysis | None = None) -> DocumentAnalysis:
        """``analyze(path, text, kind, resolve_uses=False)``, made from ``previous`` (the analysis of an earlier
        version) when it is one of the same path: the server's and its worker's way to analyse each new version."""
        if previous is not None and previous.path == path:
            return self.reanalyze(previous, text, kind)
        return self.analyze(path, text, kind, resolve_uses=False)

    # -- over a document set ---------------------------------------------------------------------------------------
    def check(self, docs: list[DocumentAnalysis]) -> dict[str, list[Finding]]:
        """Findings per document path, for documents checked together (one thesis, one book).

        Each document's summary for the set-level rules is computed once per (prepared) analysis, the set's facts
        are decided from the summaries, and a document's findings are emitted again only when its analysis or a
        fact they read changed (incremental.py): the server's keystrokes re-emit the edited document and those
        whose cross-document findings changed."""
        docs, ctx = self.prepare(docs)
        ctx.summaries = self._memo.summaries(ctx, summarize_document)
        ctx.facts = decide_set(ctx, ctx.summaries, keep=self._memo.decided)
        findings: dict[str, list[Finding]] = {}
        for pos, doc in enumerate(docs):
            found = self._memo.findings(ctx, pos, lambda: self.document_findings(ctx, doc, pos))
            if doc.path in findings:  # one path twice in a set: its findings together, in order
                found = sorted(findings[doc.path] + found, key=Finding.sort_key)
            findings[doc.path] = found
        self.usage = consistency_usage(ctx)
        return findings

    @staticmethod
    def document_findings(ctx: Context, doc: DocumentAnalysis, pos: int) -> list[Finding]:
        """One document's findings, suppression comments applied, sorted."""
        out = []
        for finding in document_findings(ctx, doc, pos):
            if doc.suppressions and doc.suppressions.suppressed(doc.lines.line_of(finding.start), finding.code):
                continue
            out.append(finding)
        out.sort(key=Finding.sort_key)
        return out

    def prepare(self, docs: list[DocumentAnalysis]) -> tuple[list[DocumentAnalysis], Context]:
        """The set-level steps before the rules (glossary macros, learned renderings, senses): the set's analyses as
        the rules read them, and the rules' context (``nnterm glossary`` reads the same)."""
        originals = docs
        glossary = set_glossary.build(docs)
        self.glossary = glossary
        if glossary:
            docs = [set_glossary.apply(d, glossary, self.matcher) for d in docs]
        lexicon = self._memo.lexicon(learn_renderings(docs, self.termbase, self._memo.learn) if self.learn else Lexicon())
        self.lexicon = lexicon
        termbase = self.termbase
        # learned renderings and senses change occurrences; the uses of a changed document are resolved once, after
        # both (deciding senses reads occurrences and glosses only). Each document's result is reused by the next
        # check when its analysis and what decided it are the same (incremental.py: the server's keystrokes)
        if lexicon:
            docs = self._memo.apply_learned(docs, lexicon, apply_learned)
            termbase = self._memo.layered(self.termbase, lexicon, LayeredTermBase)
        senses, local = decide_senses(docs, termbase, self._memo.senses)  # (cue senses read only the base)
        reasons: dict = {}
        docs = self._memo.apply_senses(docs, senses, local, reasons, apply_senses)
        self.senses = senses
        for original, d in zip(originals, docs):
            d.order_group = original.order_group  # (a stage's copy kept from an earlier check: the order now)
        self._memo.end_check()
        ctx = Context(termbase, self.rules, self.preferences, docs, locale=self.locale)
        ctx.memo["lexicon"] = lexicon
        ctx.memo["learned"] = learned_forms(lexicon)
        ctx.memo["senses"] = reasons
        ctx.memo["glossary"] = glossary
        return docs, ctx

    # -- a set too large to hold: passes over it ------------------------------------------------------------------
    def check_stream(self, analyses) -> Iterator[tuple[DocumentAnalysis, list[Finding]]]:
        """The findings of ``check``, document by document in reading order, holding one analysis at a time.

        ``analyses(only=None)`` yields (position, analysis) of the set's documents in reading order (the first
        call's may come without uses: only occurrences and glosses are read), analysing
        them again on each call (``only``: just these positions). Pass 1 keeps what the set-level stages need
        (learning candidates, the prose compressed to count their heads, senses); the documents a learned rendering
        changes are analysed again to read their senses; pass 2 folds every document's rule summary into the set's;
        pass 3 emits each document's findings from its own analysis and the set's facts. Raises ``NotStreamable``
        in pass 1 for a set with LaTeX glossaries (their macros are resolved over the held set: use ``check``)."""
        import zlib

        from .resolve.learn import count_heads, doc_candidates, lexicon_of, present
        from .resolve.senses import decide_from, doc_senses
        from .rules import abbreviation_before_definition as abbreviation
        from .rules import inconsistent, missing_gloss, typo

        candidates: list = []
        heads: set[str] = set()
        prose: list[bytes] = []
        own_senses: list = []
        for _pos, doc in analyses():
            if getattr(doc.prose, "glossary", None):
                raise NotStreamable(doc.path)
            if self.learn:
                for c in doc_candidates(doc, self.termbase):
                    if c.head not in heads:  # the first document that glosses a head teaches it
                        heads.add(c.head)
                        candidates.append(c)
                prose.append(zlib.compress(doc.prose.masked.encode("utf-8", "surrogatepass"), 1))
            own_senses.append(doc_senses(doc, self.termbase))

        def texts():
            for z in prose:
                yield zlib.decompress(z).decode("utf-8", "surrogatepass")

        lexicon = lexicon_of(candidates, self.termbase, count_heads(candidates, texts())) if candidates else Lexicon()
        self.lexicon = lexicon
        termbase = LayeredTermBase(self.termbase, lexicon.concepts) if lexicon else self.termbase
        changed = {pos for pos, text in enumerate(texts()) if present(lexicon, text)} if lexicon else set()
        del prose
        if changed:  # their occurrences (and so their gloss senses) are those with the learned renderings
            for pos, doc in analyses(only=changed):
                own_senses[pos] = doc_senses(apply_learned(doc, lexicon, resolve_uses=False), termbase)
        senses, local = decide_from(own_senses)
        del own_senses
        self.senses = senses
        learned = learned_forms(lexicon)
        heads_memo: dict = {}

        def context(doc, reasons):
            ctx = Context(termbase, self.rules, self.preferences, [doc], locale=self.locale)
            ctx.memo.update(lexicon=lexicon, learned=learned, senses=reasons, heads=heads_memo)
            return ctx

        def prepared(doc, pos):
            d = apply_learned(doc, lexicon, resolve_uses=False) if lexicon else doc
            reasons: dict = {}
            d = apply_senses(d, senses, local[pos], reasons, resolve_uses=False)
            d.order_group = doc.order_group
            return d, reasons

        merged = inconsistent.Merged()
        defined = abbreviation.Defined()
        first = missing_gloss.FirstMentions(context(None, {}))
        words: list = []  # the typo rule's summaries (a document's capitalised words: small)
        for pos, doc in analyses():
            d, reasons = prepared(doc, pos)
            summary = summarize_document(context(d, reasons), d)
            merged.add(pos, summary[inconsistent.CODE])
            if abbreviation.CODE in summary:
                defined.add(summary[abbreviation.CODE])
            if missing_gloss.CODE in summary:
                first.add(pos, summary[missing_gloss.CODE])
            if typo.CODE in summary:
                words.append(summary[typo.CODE])
        ctx = context(None, {})
        facts = decide_set(ctx, None, merged=merged)
        facts[missing_gloss.CODE] = first.out
        if self.rules.enabled(typo.CODE):
            facts[typo.CODE] = typo.decide(ctx, words)
        del words
        self.usage = facts[inconsistent.CODE].usage
        reader = abbreviation.Reader(ctx, defined)
        del merged
        for pos, doc in analyses():
            d, reasons = prepared(doc, pos)
            ctx = context(d, reasons)
            summary = summarize_document(ctx, d)
            ctx.summaries = {pos: summary}
            ctx.facts = dict(facts)
            if abbreviation.CODE in summary:
                found = reader.step(summary[abbreviation.CODE])
                ctx.facts[abbreviation.CODE] = abbreviation.Facts({pos: found} if found else {})
            yield d, self.document_findings(ctx, d, pos)

    def check_text(self, path: str, text: str, kind: str | None = None) -> list[Finding]:
        return self.check([self.analyze(path, text, kind)])[path]

    # -- lookups used by the editor features -----------------------------------------------------------------------
    def preferred_text(self, concept_id: str, lang: str) -> str:
        return preferred_text(self.termbase, self.preferences, concept_id, lang)

    occurrence_at = staticmethod(lambda analysis, offset: occurrence_at(analysis, offset))


class NotStreamable(Exception):
    """``Engine.check_stream`` cannot check this set one document at a time (it holds LaTeX glossaries)."""


def occurrence_at(analysis: DocumentAnalysis, offset: int) -> Occurrence | None:
    """The occurrence covering ``offset``, or ending right at it (the cursor just after a term)."""
    occs = analysis.occurrences
    lo = bisect_left(occs, offset + 1, key=lambda o: o.end)
    if lo < len(occs) and occs[lo].start <= offset < occs[lo].end:
        return occs[lo]
    if offset > 0 and lo > 0 and occs[lo - 1].end == offset:
        return occs[lo - 1]
    if lo < len(occs) and occs[lo].start <= offset <= occs[lo].end:
        return occs[lo]
    return None

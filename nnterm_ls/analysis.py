"""The analysis driver: documents -> prose -> occurrences -> rules -> findings.

``Engine`` holds what is shared (term base, matcher, configuration, rule set). ``Engine.analyze`` is the per-document
step (pure, cacheable by document version); ``Engine.check`` runs the rules over a set of analysed documents, so that
the chapters of one thesis are checked together.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .config import Config, resolve_preferences
from .extract import Prose, extract, kind_of
from .match import Matcher, Occurrence, builtin_blockers
from .rules import checks
from .rules.findings import Finding
from .rules.registry import RuleSet
from .rules.suppress import Suppressions, parse_suppressions
from .termbase import TermBase, load_termbase
from .textutil import line_starts

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]+")


class LineIndex:
    """Offsets <-> (line, column) for one text; columns in code points, or UTF-16 / UTF-8 units on request."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)

    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def position(self, offset: int) -> tuple[int, int]:
        """0-based (line, code-point column)."""
        line = self.line_of(offset)
        return line, offset - self.starts[line]

    def line_text(self, line: int) -> str:
        start = self.starts[line]
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end]

    def offset(self, line: int, column: int) -> int:
        """Offset of a 0-based (line, code-point column), clamped to the line."""
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        return min(start + column, start + len(self.line_text(line)))


@dataclass
class DocumentAnalysis:
    path: str
    text: str
    kind: str
    prose: Prose
    occurrences: list[Occurrence]
    lang: str  # "zh" | "en": the language findings are reported in
    lines: LineIndex
    suppressions: Suppressions
    glosses: list[tuple[int, int, int]] = field(default_factory=list)  # (occurrence index, open, close) spans

    @property
    def includes(self) -> list[str]:
        return self.prose.includes


def document_language(masked: str) -> str:
    sample = masked[:200_000]  # plenty to tell a Chinese document from an English one
    han = len(_HAN.findall(sample))
    latin = len(_LATIN.findall(sample))
    return "zh" if han >= latin else "en"


class Engine:
    def __init__(
        self,
        termbase: TermBase | None = None,
        config: Config | None = None,
        *,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
    ) -> None:
        self.config = config or Config()
        self.termbase = termbase if termbase is not None else load_termbase(self.config.terms)
        self.rules = RuleSet(self.config, select, ignore)
        self.matcher = Matcher(self.termbase, list(builtin_blockers()), set(self.config.ignore))
        self.preferences, self.config_problems = resolve_preferences(self.config, self.termbase)

    # -- per document ----------------------------------------------------------------------------------------------
    def analyze(self, path: str, text: str, kind: str | None = None) -> DocumentAnalysis:
        kind = kind or kind_of(path) or "markdown"
        prose = extract(
            text,
            kind,
            latex_commands=self.config.latex_commands,
            latex_environments=self.config.latex_environments,
        )
        occurrences = self.matcher.find(prose.masked)
        lines = LineIndex(text)
        analysis = DocumentAnalysis(
            path=path,
            text=text,
            kind=kind,
            prose=prose,
            occurrences=occurrences,
            lang=document_language(prose.masked),
            lines=lines,
            suppressions=parse_suppressions(text, kind, lines.starts, prose.masked),
        )
        analysis.glosses = checks.find_glosses(analysis)
        return analysis

    # -- over a document set ---------------------------------------------------------------------------------------
    def check(self, docs: list[DocumentAnalysis]) -> dict[str, list[Finding]]:
        """Findings per document path, for documents checked together (one thesis, one book)."""
        ctx = checks.Context(self.termbase, self.rules, self.preferences, docs)
        findings: dict[str, list[Finding]] = {d.path: [] for d in docs}
        by_path = {d.path: d for d in docs}
        for finding in checks.run_all(ctx):
            doc = by_path[finding.path]
            if doc.suppressions and doc.suppressions.suppressed(doc.lines.line_of(finding.start), finding.code):
                continue
            findings[finding.path].append(finding)
        for items in findings.values():
            items.sort(key=Finding.sort_key)
        return findings

    def check_text(self, path: str, text: str, kind: str | None = None) -> list[Finding]:
        return self.check([self.analyze(path, text, kind)])[path]

    # -- lookups used by the editor features -----------------------------------------------------------------------
    def preferred_text(self, concept_id: str, lang: str) -> str:
        return checks.preferred_text(self.termbase, self.preferences, concept_id, lang)

    @staticmethod
    def occurrence_at(analysis: DocumentAnalysis, offset: int) -> Occurrence | None:
        occs = analysis.occurrences
        lo, hi = 0, len(occs)
        while lo < hi:
            mid = (lo + hi) // 2
            if occs[mid].end <= offset:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(occs) and occs[lo].start <= offset < occs[lo].end:
            return occs[lo]
        if offset > 0 and lo > 0 and occs[lo - 1].end == offset:  # cursor right after a term
            return occs[lo - 1]
        if lo < len(occs) and occs[lo].start <= offset <= occs[lo].end:
            return occs[lo]
        return None

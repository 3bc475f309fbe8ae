"""The terminology table of a document set: each concept the prose uses, its renderings and where each one is.

Plain functions over analyses (offsets in, offsets out). The server's commands ``nnterm.termTable`` (the table, for
the VS Code "术语表" view and any other client) and ``nnterm.unifyTerm`` (rewrite one concept's renderings of one
language to one text) convert the offsets with each document's line index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...rules.base import live, replacement
from ...termbase.model import TERM

CMD_TERM_TABLE = "nnterm.termTable"
CMD_UNIFY_TERM = "nnterm.unifyTerm"


@dataclass
class Rendering:
    text: str  # as written most often
    lang: str
    status: str  # the term base's status of the form: preferred | admitted | deprecated
    kind: str  # term | abbreviation | code
    preferred: bool  # the rendering the set should use (configured in .nnterm.yaml, else the term base's)
    key: str = ""  # what counts as one rendering (case-folded unless casing matters, plural removed)
    form_text: str | None = None  # the term base's form it matched
    # path -> [(start, end)] in reading order
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    surfaces: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(s) for s in self.spans.values())


@dataclass
class ConceptUse:
    id: str
    zh: str  # the preferred renderings (configured, else the term base's)
    en: str
    renderings: list[Rendering]

    @property
    def count(self) -> int:
        return sum(r.count for r in self.renderings)

    def inconsistent(self, lang: str) -> bool:
        """Two or more term renderings of this language (abbreviations and code names do not compete)."""
        return sum(1 for r in self.renderings if r.lang == lang and r.kind == TERM) > 1


def _key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def _display(r: Rendering) -> str:
    """A rendering as the table names it: the term base's spelling when it is one (not "Batch normalizations"),
    else the spelling written most often."""
    if r.form_text is not None and _key(r.form_text) == r.key:
        return r.form_text
    return max(r.surfaces.items(), key=lambda kv: kv[1])[0]


def term_table(analyses, termbase, preferred_text) -> list[ConceptUse]:
    """The concepts the analyses' prose uses, most used first; each rendering with its spans per document.
    ``analyses``: DocumentAnalysis in reading order; ``preferred_text(concept_id, lang)``: the effective preferred
    rendering (the configuration's, else the term base's)."""
    by_concept: dict[str, dict[tuple[str, str], Rendering]] = {}
    for doc in analyses:
        for occ, use in live(doc):
            if occ.ambiguous:  # an ambiguous word's sense is open: not counted for one concept
                continue
            form = occ.form
            cid = form.concept_id
            if cid not in termbase.concepts:
                continue
            key = (form.lang, occ.variant_key)
            renderings = by_concept.setdefault(cid, {})
            r = renderings.get(key)
            if r is None:
                preferred = _key(preferred_text(cid, form.lang)) == _key(key[1])
                r = renderings[key] = Rendering(occ.surface, form.lang, form.status, form.kind, preferred, _key(key[1]), form.text)
            r.spans.setdefault(doc.path, []).append((occ.start, occ.end))
            r.surfaces[occ.surface] = r.surfaces.get(occ.surface, 0) + 1
    out = []
    for cid, renderings in by_concept.items():
        items = list(renderings.values())
        for r in items:
            r.text = _display(r)
        # Chinese first, the preferred rendering first, then by use
        items.sort(key=lambda r: (r.lang != "zh", not r.preferred, -r.count, r.text))
        out.append(ConceptUse(cid, preferred_text(cid, "zh"), preferred_text(cid, "en"), items))
    out.sort(key=lambda c: (-c.count, c.zh))
    return out


def unify_edits(analyses, concept_id: str, lang: str, text: str) -> dict[str, list[tuple[int, int, str]]]:
    """path -> [(start, end, new text)]: every prose occurrence of the concept in ``lang`` written otherwise than
    ``text`` becomes ``text`` (plural and a sentence-initial capital kept in English). Left alone, like the
    ``inconsistent`` rule leaves them: glosses, definitional sentences (批量归一化，又称批归一化), ambiguous words,
    miscased forms (the ``casing`` fix's business) and occurrences with markup inside (**批量**归一化)."""
    want = _key(text)
    out: dict[str, list[tuple[int, int, str]]] = {}
    for doc in analyses:
        for occ, use in live(doc):
            form = occ.form
            if form.concept_id != concept_id or form.lang != lang or occ.ambiguous or occ.miscased:
                continue
            if use.in_gloss or use.definitional or form.kind != TERM:
                continue
            if _key(occ.variant_key) == want or doc.text[occ.start : occ.end] != occ.surface:
                continue
            new = replacement(occ, text, lang)
            if new != doc.text[occ.start : occ.end]:
                out.setdefault(doc.path, []).append((occ.start, occ.end, new))
    return out


def table_json(table: list[ConceptUse], locate) -> list[dict]:
    """The table as the command returns it. ``locate(path, start, end)`` -> (uri, LSP range) or None for a document
    the client cannot be shown."""
    out = []
    for c in table:
        renderings = []
        for r in c.renderings:
            files = []
            for path, spans in r.spans.items():
                ranges = []
                uri = None
                for s, e in spans:
                    found = locate(path, s, e)
                    if found is not None:
                        uri, rng = found
                        ranges.append(rng)
                if uri is not None:
                    files.append({"uri": uri, "count": len(ranges), "ranges": ranges})
            renderings.append(
                {"text": r.text, "lang": r.lang, "status": r.status, "type": r.kind, "preferred": r.preferred, "count": r.count, "files": files}
            )
        out.append(
            {
                "id": c.id,
                "zh": c.zh,
                "en": c.en,
                "count": c.count,
                "inconsistent": [lang for lang in ("zh", "en") if c.inconsistent(lang)],
                "renderings": renderings,
            }
        )
    return out

"""Glossary-package macros read as the text a reader sees, for a whole document set (issue 12).

``extract.glossaries`` records what each LaTeX document defines and uses. Here the set is put together: the entries
of every document (a thesis keeps them in a file it ``\\input``s or ``\\loadglsentries``), the ``\\newcommand``
wrappers around the use macros (one or two levels), and in reading order what each use prints — the first use of an
acronym prints ``long (short)``, later ones the short form. ``apply`` then matches every document again with those
texts in place of the macros: an occurrence inside a macro's text spans the macro in the source (never a key), and
``resolve`` reads the printed text's own glosses (the ``(short)`` after the long form defines the abbreviation).

Bad input (a use of an undefined key, an entry defined twice, an unbalanced brace in a definition) becomes a
``Problem`` for the ``glossary`` rule; nothing here raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..extract import glossaries as G

if TYPE_CHECKING:
    from ..analysis import DocumentAnalysis

_MAX_DEPTH = 3


@dataclass(slots=True)
class Defined:
    path: str
    entry: G.Entry
    line: int  # 1-based


@dataclass(slots=True)
class Rendered:
    """One use of an entry in a document, with what it prints there."""

    start: int  # the macro in the source
    end: int
    key: str
    macro: str  # as written: gls, Gls, ac, or a wrapper's name
    prints: str
    text: str  # what the reader sees ("" when the key is undefined)
    first: bool  # the entry's first use in the set (reading order)
    key_start: int | None  # the key in this document (None: it is inside a wrapper's definition)
    key_end: int | None
    wrapper: str | None = None  # the wrapper the use goes through


@dataclass(slots=True)
class SetProblem:
    path: str
    start: int
    end: int
    kind: str  # "unbalanced" | "duplicate" | "undefined" | "empty-key"
    key: str
    detail: str = ""  # the command, or where the first definition is
    related: tuple[str, int, int] | None = None


@dataclass
class SetGlossary:
    entries: dict[str, Defined] = field(default_factory=dict)
    wrappers: dict[str, tuple[str, G.Wrapper]] = field(default_factory=dict)  # name -> (path, wrapper)
    uses: dict[str, list[Rendered]] = field(default_factory=dict)  # path -> uses in source order
    problems: list[SetProblem] = field(default_factory=list)
    printed: bool = False  # the set prints its glossary (\printglossary, an acronym environment)
    files: list[str] = field(default_factory=list)  # documents that define entries, in reading order

    def __bool__(self) -> bool:
        return bool(self.entries or self.uses or self.problems)

    def use_at(self, path: str, offset: int) -> Rendered | None:
        for r in self.uses.get(path, ()):
            if r.start <= offset < r.end or (offset == r.end and offset > r.start):
                return r
        return None


def _line(doc: "DocumentAnalysis", offset: int) -> int:
    return doc.lines.line_of(offset) + 1


def _resolve_wrapper(name: str, wrappers: dict[str, tuple[str, G.Wrapper]], depth: int = 0):
    """(prints, case, key template) a wrapper comes down to, through at most ``_MAX_DEPTH`` wrappers; the template
    is a literal key or ``#n`` of the outermost wrapper."""
    if depth >= _MAX_DEPTH or name not in wrappers:
        return None
    w = wrappers[name][1]
    if w.target in G.USES:
        prints, case = G.USES[w.target]
        return prints, case, w.key
    inner = _resolve_wrapper(w.target, wrappers, depth + 1)
    if inner is None:
        return None
    prints, case, template = inner
    if template.startswith("#"):
        # the inner wrapper's argument is what the outer one passes: a literal key, or one of its own arguments
        return prints, case, w.key
    return prints, case, template


def _wrapper_uses(doc: "DocumentAnalysis", src: G.GlossarySource, wrappers) -> list[tuple]:
    text = doc.text
    out = []
    for name, offsets in src.commands.items():
        if name not in wrappers:
            continue
        resolved = _resolve_wrapper(name, wrappers)
        if resolved is None:
            continue
        prints, case, template = resolved
        w = wrappers[name][1]
        for start in offsets:
            name_end = start + 1 + len(name)
            spec = ("o" if w.optional else "") + "m" * (w.nargs - (1 if w.optional else 0))
            args, end = G.read_args(text, name_end, spec) if spec else ([], name_end)
            if not spec and text.startswith("{}", name_end):
                end = name_end + 2
            if template.startswith("#"):
                k = int(template[1]) - 1
                arg = args[k] if k < len(args) else None
                if arg is None:
                    continue
                a, b = arg.inner
                key, ks, ke = text[a:b].strip(), a, b
            else:
                key, ks, ke = template, None, None
            out.append((start, end, key, name, prints, case, ks, ke))
    return out


def build(docs: list["DocumentAnalysis"]) -> SetGlossary:
    """The set's glossary: entries, wrappers and, in reading order, what every use prints."""
    out = SetGlossary()
    sources = [(d, d.prose.glossary) for d in docs if getattr(d.prose, "glossary", None)]
    if not sources:
        return out
    for doc, src in sources:
        for w in src.wrappers:
            out.wrappers.setdefault(w.name, (doc.path, w))
        for p in src.problems:
            out.problems.append(SetProblem(doc.path, p.start, p.end, p.kind, p.key, p.detail))
        if src.prints or any(e.in_list for e in src.entries):
            out.printed = True
        for e in src.entries:
            known = out.entries.get(e.key)
            if known is not None:
                out.problems.append(SetProblem(doc.path, e.start, e.key_end + 1 if e.key_end >= 0 else e.start + 1,
                                               "duplicate", e.key, f"{known.path}:{known.line}",
                                               (known.path, known.entry.start, known.entry.key_end + 1)))
                continue
            out.entries[e.key] = Defined(doc.path, e, _line(doc, e.start))
            if doc.path not in out.files:
                out.files.append(doc.path)
    used: set[str] = set()
    for doc, src in sources:
        raw = [(u.start, u.end, u.key, u.macro, u.prints, u.case, u.key_start, u.key_end) for u in src.uses]
        raw += _wrapper_uses(doc, src, out.wrappers)
        if not raw:
            continue
        raw.sort()
        rendered: list[Rendered] = []
        last_end = -1
        for start, end, key, macro, prints, case, ks, ke in raw:
            if start < last_end:
                continue
            last_end = end
            wrapper = macro if macro not in G.USES else None
            defined = out.entries.get(key)
            if defined is None:
                if out.entries or not key:
                    # only a set that holds a glossary can tell a key is undefined (one chapter checked alone
                    # does not see the file with the definitions)
                    out.problems.append(SetProblem(doc.path, start, end, "undefined", key, macro))
                rendered.append(Rendered(start, end, key, macro, prints, "", False, ks, ke, wrapper))
                continue
            first = key not in used
            text, marks = G.render(defined.entry, prints, case, first)
            if marks:
                used.add(key)
            rendered.append(Rendered(start, end, key, macro, prints, text, first and marks, ks, ke, wrapper))
        out.uses[doc.path] = rendered
    return out


def apply(doc: "DocumentAnalysis", glossary: SetGlossary, matcher) -> "DocumentAnalysis":
    """The analysis with each macro use matched as the text it prints (and the set's glossary attached)."""
    if not getattr(doc.prose, "glossary", None):
        return doc
    rendered = glossary.uses.get(doc.path, [])
    insertions = [(r.start, r.end, r.text) for r in rendered]
    occurrences = matcher.find(doc.prose.masked, insertions) if insertions else doc.occurrences
    from . import find_glosses, resolve

    out = replace(doc, occurrences=occurrences, glosses=find_glosses(doc.prose.masked, occurrences),
                  rendered=rendered, glossary_printed=glossary.printed)
    out.uses = resolve(out)
    return out


def entry_spans(doc: "DocumentAnalysis") -> list[tuple[int, int, str]]:
    """(start, end, key) of the entry definitions in a document."""
    src = getattr(doc.prose, "glossary", None)
    return [(e.start, e.end, e.key) for e in src.entries] if src else []


__all__ = ["SetGlossary", "Rendered", "SetProblem", "Defined", "build", "apply", "entry_spans"]

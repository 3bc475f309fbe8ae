"""LaTeX glossary keys in the editor: hover, completion, go to definition, references and rename of the keys of
``\\gls{key}``, ``\\ac{key}`` and the set's ``\\newcommand`` wrappers (issue 12). Plain functions over analyses
and code-point offsets; the server's handlers try these first and fall back to the term features.

The set's entries come from the analyses given (``resolve.glossary.build`` reads them without matching), so a
request sees the documents' current text, not the last check's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...extract import glossaries as G
from ...resolve import glossary as SG

# what was typed inside a use's braces, up to the cursor: \gls{ba, \Glspl[hyper=false]{relu, \term{
# (a space is allowed: a concept may be typed in words, and the item replaces it with a key)
_TYPED_KEY = re.compile(r"\\([A-Za-z@]+)\*?\s*(?:\[[^\[\]{}\n]*\]\s*)?\{([^{}\\\n,]*)$")


@dataclass(slots=True)
class KeyAt:
    key: str
    start: int  # the key's span in the document (the whole macro when the key is in a wrapper's definition)
    end: int
    macro_start: int
    macro_end: int
    definition: bool  # the cursor is on the key of a definition


@dataclass(slots=True)
class Item:
    label: str  # the key
    detail: str  # what it prints
    insert: str
    start: int  # the typed part of the key, replaced by insert
    end: int
    documentation: str = ""
    # a new entry to add to the set's glossary file: (path, offset, text); None for a defined key
    new_entry: tuple[str, int, str] | None = None


def set_glossary(analyses) -> SG.SetGlossary:
    return SG.build(list(analyses))


def key_at(analysis, glossary: SG.SetGlossary, offset: int) -> KeyAt | None:
    """The glossary key under the cursor: in a use (the key, or a wrapper macro) or in a definition's key."""
    src = getattr(analysis.prose, "glossary", None)
    if not src:
        return None
    for e in src.entries:
        if e.key_start <= offset <= e.key_end and e.key_start >= 0:
            return KeyAt(e.key, e.key_start, e.key_end, e.start, e.end, True)
    for r in glossary.uses.get(analysis.path, ()):
        if r.start <= offset <= r.end:
            if r.key_start is not None:
                return KeyAt(r.key, r.key_start, r.key_end, r.start, r.end, False)
            return KeyAt(r.key, r.start, r.end, r.start, r.end, False)
    return None


def _concept_forms(engine, text: str):
    """The forms an entry's printed name names in the term base (the concept hover below the entry)."""
    if not text:
        return []
    occs = engine.matcher.find(text)
    whole = [o for o in occs if o.start == 0 and o.end == len(text)]
    if whole:
        return whole[0].forms
    return engine.termbase.find_forms(text)


def _md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>|])", r"\\\1", text)


def hover(engine, analysis, glossary: SG.SetGlossary, offset: int) -> tuple[str, int, int] | None:
    """(Markdown, start, end) for a glossary key under the cursor: the entry's name and description, then the
    concept's hover; None when the cursor is not on a key."""
    at = key_at(analysis, glossary, offset)
    if at is None:
        return None
    defined = glossary.entries.get(at.key)
    if defined is None:
        return f"`{at.key}`: no glossary entry defines this key", at.macro_start, at.macro_end
    f = G.forms(defined.entry)
    name = f["name"] if defined.entry.kind == "entry" else f"{f['short']} — {f['long']}"
    lines = [f"**{_md(name)}** · glossary entry `{at.key}` ({_md(defined.path.replace(chr(92), '/').rsplit('/', 1)[-1])}:{defined.line})"]
    description = f.get("description", "")
    if description and description != f.get("long"):
        lines.append("")
        lines.append(_md(description))
    if defined.entry.kind == "entry" and f["first"] != f["name"]:
        lines += ["", f"first use prints: {_md(f['first'])}"]
    out = "\n".join(lines)
    forms = []
    for text in (f["name"], f.get("long", ""), f.get("short", "")):
        forms = _concept_forms(engine, text)
        if forms:
            break
    if forms:
        from ...i18n import ui_lang
        from .hover import render

        concept = render(engine, engine.termbase, analysis, None, forms, ui_lang(analysis.lang, engine.locale))
        if concept:
            out += "\n\n---\n\n" + concept
    return out, at.macro_start, at.macro_end


def _entry_text(concept, key: str, engine) -> str:
    zh = engine.preferred_text(concept.id, "zh")
    en = engine.preferred_text(concept.id, "en")
    abbr = concept.abbreviations[0] if concept.abbreviations else ""
    if abbr:
        return f"\\newacronym[description={{{en}}}]{{{key}}}{{{abbr}}}{{{zh}}}\n"
    return f"\\newglossaryentry{{{key}}}{{name={{{zh}}}, description={{{en}}}}}\n"


def _glossary_file(glossary: SG.SetGlossary, analyses_by_path: dict, fallback: str) -> tuple[str, int]:
    """(path, offset) where a new entry goes: after the last definition of the set's first glossary file."""
    for path in glossary.files:
        doc = analyses_by_path.get(path)
        if doc is None:
            continue
        ends = [e.end for e in doc.prose.glossary.entries]
        end = max(ends) if ends else len(doc.text)
        nl = doc.text.find("\n", end)
        return path, (nl + 1 if nl >= 0 else len(doc.text))
    doc = analyses_by_path.get(fallback)
    return fallback, 0 if doc is None else _preamble_end(doc.text)


def _preamble_end(text: str) -> int:
    i = text.find("\\begin{document}")
    return i if i >= 0 else 0


def complete(engine, analysis, glossary: SG.SetGlossary, offset: int, analyses_by_path: dict | None = None,
             limit: int = 50) -> list[Item] | None:
    """Keys for the braces of a glossary macro (None when the cursor is not in one): the set's keys whose key or
    printed name starts with (or contains) what was typed; and for a concept of the term base that no entry names,
    an item that adds its entry to the set's glossary file."""
    text = analysis.text
    line_start = text.rfind("\n", 0, offset) + 1
    m = _TYPED_KEY.search(text, line_start, offset)
    if m is None or m.end() != offset:
        return None
    macro = m.group(1)
    if macro not in G.USES and macro not in glossary.wrappers:
        return None
    typed = m.group(2)
    start = offset - len(typed)
    low = typed.lower()
    items: list[Item] = []
    named: set[str] = set()
    for key, defined in sorted(glossary.entries.items()):
        f = G.forms(defined.entry)
        shown = f["name"] if defined.entry.kind == "entry" else f"{f['short']} ({f['long']})"
        for text_ in (f["name"], f.get("long", "")):
            for form in _concept_forms(engine, text_):
                named.add(form.concept_id)
        if low and not (key.lower().startswith(low) or low in shown.lower() or low in key.lower()):
            continue
        items.append(Item(key, shown, key, start, offset, f.get("description", "")))
    items.sort(key=lambda it: (not it.label.lower().startswith(low), it.label))
    if len(typed) >= 2:
        forms = engine.termbase.find_forms(typed) or [
            f for o in engine.matcher.find(typed) if o.start == 0 and o.end == len(typed) for f in o.forms]
        seen: set[str] = set()
        for form in forms:
            cid = form.concept_id
            concept = engine.termbase.get(cid)
            if concept is None or cid in named or cid in seen:
                continue
            seen.add(cid)
            key = re.sub(r"[^A-Za-z0-9]+", "-", (concept.abbreviations[0] if concept.abbreviations else concept.en).lower()).strip("-") or cid
            while key in glossary.entries:
                key += "-2"
            path, at = _glossary_file(glossary, analyses_by_path or {analysis.path: analysis}, analysis.path)
            entry = _entry_text(concept, key, engine)
            items.append(Item(key, f"new entry: {engine.preferred_text(cid, 'zh')} ({concept.en})", key, start, offset,
                              f"Adds to {path.replace(chr(92), '/').rsplit('/', 1)[-1]}:\n\n    {entry.strip()}",
                              (path, at, entry)))
    return items[:limit]


def definition(analysis, glossary: SG.SetGlossary, offset: int) -> list[tuple[str, int, int]] | None:
    """(path, start, end) of the key in the definition of the entry under the cursor; None when not on a key."""
    at = key_at(analysis, glossary, offset)
    if at is None:
        return None
    defined = glossary.entries.get(at.key)
    if defined is None:
        return []
    e = defined.entry
    return [(defined.path, e.key_start, e.key_end)]


def references(analysis, glossary: SG.SetGlossary, offset: int, include_declaration: bool = True
               ) -> list[tuple[str, int, int]] | None:
    """Every use of the key under the cursor in the set (the macro's span), and its definition."""
    at = key_at(analysis, glossary, offset)
    if at is None:
        return None
    out: list[tuple[str, int, int]] = []
    defined = glossary.entries.get(at.key)
    if include_declaration and defined is not None:
        out.append((defined.path, defined.entry.key_start, defined.entry.key_end))
    for path, rendered in glossary.uses.items():
        out += [(path, r.start, r.end) for r in rendered if r.key == at.key]
    return out


def prepare_rename(analysis, glossary: SG.SetGlossary, offset: int) -> tuple[int, int, str] | None:
    at = key_at(analysis, glossary, offset)
    if at is None or at.start == at.macro_start and not at.definition:
        return None if at is None else (at.macro_start, at.macro_end, at.key)
    return at.start, at.end, at.key


_KEY_OK = re.compile(r"^[^\s{}\\,#%]+$")


def rename(analysis, glossary: SG.SetGlossary, offset: int, new_key: str, analyses_by_path: dict
           ) -> dict[str, list[tuple[int, int, str]]] | None:
    """Edits renaming the key under the cursor everywhere: its definition, every use that writes the key, and the
    wrappers that name it in their definition. None when not on a key; {} when the new key is not a valid key."""
    at = key_at(analysis, glossary, offset)
    if at is None:
        return None
    if not _KEY_OK.match(new_key) or new_key == at.key:
        return {}
    old = at.key
    changes: dict[str, list[tuple[int, int, str]]] = {}

    def add(path: str, start: int, end: int) -> None:
        edits = changes.setdefault(path, [])
        if (start, end, new_key) not in edits:
            edits.append((start, end, new_key))

    for path, doc in analyses_by_path.items():
        src = getattr(doc.prose, "glossary", None)
        if not src:
            continue
        for e in src.entries:
            if e.key == old and e.key_start >= 0:
                add(path, e.key_start + (len(doc.text[e.key_start:e.key_end]) - len(doc.text[e.key_start:e.key_end].lstrip())),
                    e.key_start + len(doc.text[e.key_start:e.key_end].rstrip()))
        for w in src.wrappers:
            if w.key == old:
                body = doc.text[w.start:w.end]
                km = re.search(r"\{\s*(" + re.escape(old) + r")\s*\}", body)
                if km is not None:
                    add(path, w.start + km.start(1), w.start + km.end(1))
    for path, rendered in glossary.uses.items():
        doc = analyses_by_path.get(path)
        for r in rendered:
            if r.key != old or r.key_start is None or doc is None:
                continue
            raw = doc.text[r.key_start:r.key_end]
            lead = len(raw) - len(raw.lstrip())
            add(path, r.key_start + lead, r.key_start + lead + len(raw.strip()))
    for edits in changes.values():
        edits.sort()
    return changes


__all__ = ["KeyAt", "Item", "set_glossary", "key_at", "hover", "complete", "definition", "references",
           "prepare_rename", "rename"]
